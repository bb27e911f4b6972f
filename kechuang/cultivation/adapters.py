"""Build engine cases from the enterprise registry (the only Django-aware part of cultivation).

The engine (``kechuang.cultivation.engine``) stays free of Django; this module maps
``kechuang.enterprises.models`` rows onto :class:`~kechuang.cultivation.engine.Case`.
Models are imported lazily so the engine and its tests never need Django.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kechuang.cultivation.engine import Case, DirectGrounds, InputError, IPHoldings, YearData
from kechuang.cultivation.engine.model import MONEY_FIELDS

# Certification kinds / levels as stored by kechuang.enterprises.choices
HIGH_TECH_KIND = "high_tech"
RD_INSTITUTION_KIND = "rd_institution"
RD_INSTITUTION_LEVELS = ("national", "provincial")


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(v)


def year_from_indicator(ind: Any) -> YearData:
    """Map one ``AnnualIndicator`` row to :class:`YearData`."""
    money = {name: _dec(getattr(ind, name, None)) for name in MONEY_FIELDS}
    return YearData(
        year=int(ind.year),
        staff_total=_dec(ind.staff_total),
        st_staff=_dec(ind.st_staff),
        conversions=ind.conversions,
        **money,
    )


def _ip_from_indicators(indicators: list[Any]) -> IPHoldings:
    """Knowledge property from the most recent year that records it."""
    for ind in sorted(indicators, key=lambda i: i.year, reverse=True):
        values = (getattr(ind, "ip_class1", None), getattr(ind, "ip_class2", None),
                  getattr(ind, "ip_class2_used", None))
        if any(v is not None for v in values):
            return IPHoldings(class1=values[0], class2=values[1], class2_used=values[2])
    return IPHoldings()


def _direct(certifications: list[Any], as_of: date) -> DirectGrounds:
    """D1 (valid 高企 certificate) and D3 (provincial+ R&D institution) from certifications.

    D2 (national award) and D4 (led a standard) are not recorded in the registry yet and stay
    ``None`` (shown as "未填报").
    """
    def valid(c: Any) -> bool:
        check = getattr(c, "is_valid_on", None)
        return bool(check(as_of)) if callable(check) else True

    hitech = any(c.kind == HIGH_TECH_KIND and valid(c) for c in certifications)
    rd_inst = any(c.kind == RD_INSTITUTION_KIND and c.level in RD_INSTITUTION_LEVELS and valid(c)
                  for c in certifications)
    return DirectGrounds(hitech_cert_valid=hitech, provincial_rd_institution=rd_inst)


def case_from_enterprise(enterprise: Any, as_of: date | None = None) -> Case:
    """Build a :class:`Case` from an ``Enterprise`` with its indicators and certifications."""
    as_of = as_of or date.today()  # noqa: DTZ011 - a calendar date, callers pass localdate()
    indicators = list(enterprise.annual_indicators.all())
    certifications = list(enterprise.certifications.all())
    legal_form = enterprise.legal_form
    display = getattr(enterprise, "get_legal_form_display", None)
    if callable(display):
        legal_form = display()
    return Case(
        uscc=enterprise.uscc,
        established=enterprise.established_on,
        industry_code=enterprise.industry_code or None,
        legal_form=legal_form or None,
        tax_collection=enterprise.tax_collection or None,
        credit_clean=getattr(enterprise, "is_credit_clean", None),
        years={ind.year: year_from_indicator(ind) for ind in indicators},
        ip=_ip_from_indicators(indicators),
        hitech_field=getattr(enterprise, "hitech_field", None) or None,
        direct=_direct(certifications, as_of),
        name=enterprise.name,
    )


def case_for_uscc(uscc: str, as_of: date | None = None) -> Case:
    """Look an enterprise up by USCC and build its case; raises :class:`InputError`."""
    from kechuang.enterprises.models import Enterprise

    code = uscc.strip().upper()
    enterprise = (
        Enterprise.objects.filter(uscc=code)
        .prefetch_related("annual_indicators", "certifications")
        .first()
    )
    if enterprise is None:
        raise InputError.single("uscc", f"企业库中没有统一社会信用代码为“{code}”的企业")
    return case_from_enterprise(enterprise, as_of=as_of)
