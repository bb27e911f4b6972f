"""Build engine cases from the enterprise registry (the only Django-aware part of cultivation).

The engine (``kechuang.cultivation.engine``) stays free of Django; this module maps
``kechuang.enterprises.models`` rows onto :class:`~kechuang.cultivation.engine.Case`.
Models are imported lazily so the engine and its tests never need Django.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from kechuang.cultivation.engine import Case, DirectGrounds, InputError, IPHoldings, YearData
from kechuang.cultivation.engine.model import MONEY_FIELDS

# Certification kinds / levels as stored by kechuang.enterprises.choices
HIGH_TECH_KIND = "high_tech"
RD_INSTITUTION_KIND = "rd_institution"
RD_INSTITUTION_LEVELS = ("national", "provincial")

# D2 (办法 第八条): a national-level S&T award in the last 5 years, ranked in the top 3 of the
# award-winning organisations. "Last 5 years" is read by award year: as_of.year − 5 … as_of.year.
NATIONAL_LEVEL = "national"
AWARD_WINDOW_YEARS = 5
AWARD_MAX_ORG_RANK = 3
# D4: led the drafting of an international, national or industry standard published in the
# last 5 years (by date). The 办法 does not define 主导制定 (rules doc: U): a record with the
# role 主导制定 counts; ``settings.CULTIVATION_D4_MAX_DRAFTING_RANK`` (an int, e.g. 5 or 2) also
# counts a participant ranked at or above it among the drafting units. Unset: role only.
STANDARD_LEVELS = ("international", "national", "industry")
STANDARD_WINDOW_YEARS = 5
LEAD_ROLE = "lead"


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


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def national_award_top3(awards: list[Any], as_of: date) -> bool | None:
    """D2 from the enterprise's award records: ``None`` without any record (not declared),
    ``None`` too when a national award of the window has no rank recorded and none decides."""
    if not awards:
        return None
    undecided = False
    for a in awards:
        if a.level != NATIONAL_LEVEL or not (as_of.year - AWARD_WINDOW_YEARS <= a.year
                                             <= as_of.year):
            continue
        if a.org_rank is None:
            undecided = True
        elif a.org_rank <= AWARD_MAX_ORG_RANK:
            return True
    return None if undecided else False


def led_standard(standards: list[Any], as_of: date) -> bool | None:
    """D4 from the enterprise's standard records (``None`` without any record)."""
    if not standards:
        return None
    max_rank = getattr(settings, "CULTIVATION_D4_MAX_DRAFTING_RANK", None)
    start = _years_before(as_of, STANDARD_WINDOW_YEARS)
    for s in standards:
        if s.level not in STANDARD_LEVELS or not (start <= s.published_on <= as_of):
            continue
        if s.role == LEAD_ROLE or (max_rank is not None and s.drafting_rank is not None
                                   and s.drafting_rank <= max_rank):
            return True
    return False


def _related(enterprise: Any, name: str) -> list[Any]:
    manager = getattr(enterprise, name, None)
    return list(manager.all()) if manager is not None else []


def _direct(certifications: list[Any], as_of: date, awards: list[Any] | None = None,
            standards: list[Any] | None = None) -> DirectGrounds:
    """D1 (valid 高企 certificate) and D3 (provincial+ R&D institution) from certifications,
    D2 from award records and D4 from standard records (``None`` = nothing recorded)."""
    def valid(c: Any) -> bool:
        check = getattr(c, "is_valid_on", None)
        return bool(check(as_of)) if callable(check) else True

    hitech = any(c.kind == HIGH_TECH_KIND and valid(c) for c in certifications)
    rd_inst = any(c.kind == RD_INSTITUTION_KIND and c.level in RD_INSTITUTION_LEVELS and valid(c)
                  for c in certifications)
    return DirectGrounds(
        hitech_cert_valid=hitech, provincial_rd_institution=rd_inst,
        national_award_top3_5y=national_award_top3(awards or [], as_of),
        led_standard_5y=led_standard(standards or [], as_of))


def case_from_enterprise(enterprise: Any, as_of: date | None = None) -> Case:
    """Build a :class:`Case` from an ``Enterprise`` with its indicators, certifications,
    awards and standards (prefetch them when building many)."""
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
        hitech_field=getattr(enterprise, "hitech_field_path", None) or None,
        direct=_direct(certifications, as_of, _related(enterprise, "awards"),
                       _related(enterprise, "standards")),
        name=enterprise.name,
    )


def case_for_uscc(uscc: str, as_of: date | None = None) -> Case:
    """Look an enterprise up by USCC and build its case; raises :class:`InputError`."""
    from kechuang.enterprises.models import Enterprise

    code = uscc.strip().upper()
    enterprise = (
        Enterprise.objects.filter(uscc=code)
        .prefetch_related("annual_indicators", "certifications", "awards", "standards")
        .first()
    )
    if enterprise is None:
        raise InputError.single("uscc", f"企业库中没有统一社会信用代码为“{code}”的企业")
    return case_from_enterprise(enterprise, as_of=as_of)
