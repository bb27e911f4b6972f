"""Every write to the enterprise registry. Atomic, audited in the same transaction."""

from django.db import transaction

from kechuang.accounts.scope import region_allowed, scope_q
from kechuang.audit import record
from kechuang.audit.events import CREATE, UPDATE
from kechuang.core import changes
from kechuang.core.errors import OutOfScope, raise_if
from kechuang.core.pinyin import to_pinyin

from . import events
from .models import AnnualIndicator, Award, Certification, Enterprise, Standard
from .recognition import award_errors, hitech_field_errors, standard_errors
from .validation import (
    certification_errors,
    default_valid_until,
    enterprise_errors,
    indicator_errors,
)

ENTERPRISE_FIELDS = (
    "uscc", "name", "industry_code", "region", "legal_form", "established_on",
    "registered_capital", "address", "tax_collection", "is_credit_clean",
    "legal_representative", "contact_name", "contact_phone", "contact_email", "is_active",
    "hitech_field", "hitech_sub_field",
)
INDICATOR_FIELDS = (
    "staff_total", "st_staff", "sales_revenue", "main_business_revenue", "total_income",
    "non_taxable_income", "rd_expense", "rd_expense_domestic", "cost_expense_total",
    "total_assets", "total_liabilities", "hitech_revenue", "ip_class1", "ip_class2",
    "ip_class2_used", "conversions",
)
CERTIFICATION_FIELDS = (
    "kind", "status", "year", "number", "name", "level", "applied_on", "issued_on",
    "valid_until", "is_first_application", "note",
)
AWARD_FIELDS = ("name", "project", "level", "grade", "org_rank", "year", "issuer",
                "certificate_number", "note")
STANDARD_FIELDS = ("code", "name", "level", "role", "drafting_rank", "published_on", "note")

# ``core.changes`` kind announced when an enterprise's assessment inputs other than the
# enterprise row itself change (indicators, certifications, awards, standards); the pk is
# the enterprise's.
ENTERPRISE_DATA = "enterprise_data"


def _check_region(actor, region) -> None:
    if actor is not None and not region_allowed(actor, region):
        raise OutOfScope("不能在您的数据权限范围之外登记企业")


def _check_scope(actor, enterprise: Enterprise) -> None:
    """The actor may write about this (stored) enterprise: by region, or 仅本人 (members)."""
    if actor is None or region_allowed(actor, enterprise.region):
        return
    if not Enterprise.objects.filter(scope_q(actor, Enterprise), pk=enterprise.pk).exists():
        raise OutOfScope("该企业不在您的数据权限范围内")


def _apply_names(enterprise: Enterprise) -> None:
    enterprise.name = enterprise.name.strip()
    enterprise.name_pinyin, enterprise.name_initials = to_pinyin(enterprise.name)


def _blank_to_none(data: dict) -> dict:
    """The 高企 field columns store None for "not stated" (never "")."""
    for key in ("hitech_field", "hitech_sub_field"):
        if key in data and not data[key]:
            data[key] = None
    return data


def _uscc_taken(uscc: str, exclude_pk: int | None = None) -> bool:
    qs = Enterprise.objects.filter(uscc=uscc)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def create_enterprise(*, actor, data: dict) -> Enterprise:
    """Register an enterprise. ``data`` holds model field values (``region`` a Region)."""
    data = _blank_to_none({k: v for k, v in data.items() if k in ENTERPRISE_FIELDS})
    errors = enterprise_errors({"uscc": "", "name": "", "industry_code": "",
                                "established_on": None, "region": None, **data})
    errors.update(hitech_field_errors(data))
    if "uscc" not in errors and _uscc_taken(data["uscc"]):
        errors["uscc"] = f"统一社会信用代码{data['uscc']}已登记"
    raise_if(errors)
    _check_region(actor, data["region"])
    enterprise = Enterprise(**data, created_by=actor, updated_by=actor)
    _apply_names(enterprise)
    enterprise.save()
    record.write(CREATE, enterprise, actor=actor)
    changes.notify_on_commit("enterprise", enterprise.pk)
    return enterprise


@transaction.atomic
def update_enterprise(*, actor, enterprise: Enterprise, data: dict) -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _check_scope(actor, enterprise)  # the record as stored, not only the new region
    before = record.snapshot(enterprise)
    data = _blank_to_none({k: v for k, v in data.items() if k in ENTERPRISE_FIELDS})
    errors = enterprise_errors(data)
    errors.update(hitech_field_errors({
        "hitech_field": data.get("hitech_field", enterprise.hitech_field),
        "hitech_sub_field": data.get("hitech_sub_field", enterprise.hitech_sub_field)}))
    if "uscc" in data and "uscc" not in errors and _uscc_taken(data["uscc"], enterprise.pk):
        errors["uscc"] = f"统一社会信用代码{data['uscc']}已登记"
    raise_if(errors)
    for key, value in data.items():
        setattr(enterprise, key, value)
    if enterprise.region_id != before["region_id"]:
        _check_region(actor, enterprise.region)
    enterprise.updated_by = actor
    _apply_names(enterprise)
    enterprise.save()
    if "industry_code" in data:
        _refresh_above_scale(enterprise)
    record.write(UPDATE, enterprise, actor=actor, before=before)
    changes.notify_on_commit("enterprise", enterprise.pk)
    return enterprise


@transaction.atomic
def deactivate_enterprise(*, actor, enterprise: Enterprise, reason: str) -> Enterprise:
    before = record.snapshot(enterprise)
    enterprise.is_active = False
    enterprise.updated_by = actor
    enterprise.save(update_fields=["is_active", "updated_by", "updated_at"])
    record.write(events.DEACTIVATE, enterprise, actor=actor, before=before, message=reason)
    return enterprise


@transaction.atomic
def link_enterprise_user(*, actor, enterprise: Enterprise, user) -> None:
    """Give an enterprise account access to its enterprise (仅本人 scope)."""
    enterprise.members.add(user)
    record.write(events.LINK_USER, enterprise, actor=actor, after=False,
                 message=f"绑定账号 {user.get_username()}")


def _refresh_above_scale(enterprise: Enterprise) -> None:
    for ind in enterprise.annual_indicators.all():
        flag = ind.compute_above_scale(enterprise.industry_code)
        if flag != ind.is_above_scale_industrial:
            AnnualIndicator.objects.filter(pk=ind.pk).update(is_above_scale_industrial=flag)


@transaction.atomic
def record_annual_indicator(*, actor, enterprise: Enterprise, year: int,
                            data: dict) -> AnnualIndicator:
    """Create or update the enterprise's figures for ``year`` (only the given fields change)."""
    data = {k: v for k, v in data.items() if k in INDICATOR_FIELDS}
    indicator = (AnnualIndicator.objects.select_for_update()
                 .filter(enterprise=enterprise, year=year).first())
    before = record.snapshot(indicator)
    merged = {f: getattr(indicator, f) for f in INDICATOR_FIELDS} if indicator else {}
    merged.update(data)
    raise_if(indicator_errors(merged, year))
    _check_scope(actor, enterprise)
    if indicator is None:
        indicator = AnnualIndicator(enterprise=enterprise, year=year, created_by=actor)
    for key, value in data.items():
        setattr(indicator, key, value)
    indicator.updated_by = actor
    indicator.is_above_scale_industrial = indicator.compute_above_scale(enterprise.industry_code)
    indicator.save()
    record.write(events.RECORD_INDICATOR if before else CREATE, indicator, actor=actor,
                 before=before, related=enterprise)
    changes.notify_on_commit(ENTERPRISE_DATA, enterprise.pk)
    return indicator


@transaction.atomic
def record_certification(*, actor, enterprise: Enterprise, data: dict,
                         certification: Certification | None = None) -> Certification:
    """Create (or, with ``certification``, update) a certification record."""
    data = {k: v for k, v in data.items() if k in CERTIFICATION_FIELDS}
    before = record.snapshot(certification)
    merged = ({f: getattr(certification, f) for f in CERTIFICATION_FIELDS}
              if certification else {})
    merged.update(data)
    errors, _warnings = certification_errors(merged)
    raise_if(errors)
    _check_scope(actor, enterprise)
    if certification is None:
        certification = Certification(enterprise=enterprise, created_by=actor)
    for key, value in data.items():
        setattr(certification, key, value)
    if not certification.valid_until:
        certification.valid_until = default_valid_until(
            certification.kind, certification.year, certification.issued_on
        )
    duplicate = Certification.objects.filter(
        enterprise=enterprise, kind=certification.kind, year=certification.year,
        name=certification.name,
    ).exclude(pk=certification.pk)
    if duplicate.exists():
        raise_if({"year": f"该企业{certification.year}年度已有"
                           f"{certification.get_kind_display()}记录"})
    certification.updated_by = actor
    certification.save()
    record.write(events.RECORD_CERTIFICATION if before is None else UPDATE, certification,
                 actor=actor, before=before, related=enterprise)
    changes.notify_on_commit(ENTERPRISE_DATA, enterprise.pk)
    return certification


def _clean_text(data: dict, *names: str) -> None:
    for name in names:
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()


@transaction.atomic
def record_award(*, actor, enterprise: Enterprise, data: dict,
                 award: Award | None = None) -> Award:
    """Create (or, with ``award``, update) a science and technology award of the enterprise."""
    data = {k: v for k, v in data.items() if k in AWARD_FIELDS}
    _clean_text(data, "name", "project", "issuer", "certificate_number")
    before = record.snapshot(award)
    merged = {f: getattr(award, f) for f in AWARD_FIELDS} if award else {}
    merged.update(data)
    raise_if(award_errors(merged))
    _check_scope(actor, enterprise)
    if award is None:
        award = Award(enterprise=enterprise, created_by=actor)
    for key, value in data.items():
        setattr(award, key, "" if value is None and key in {
            "project", "grade", "issuer", "certificate_number", "note"} else value)
    duplicate = Award.objects.filter(enterprise=enterprise, name=award.name, year=award.year,
                                     project=award.project).exclude(pk=award.pk)
    if duplicate.exists():
        raise_if({"name": f"该企业{award.year}年度已登记此奖项（同一获奖项目）"})
    award.updated_by = actor
    award.save()
    record.write(events.RECORD_AWARD if before is None else UPDATE, award, actor=actor,
                 before=before, related=enterprise)
    changes.notify_on_commit(ENTERPRISE_DATA, enterprise.pk)
    return award


@transaction.atomic
def record_standard(*, actor, enterprise: Enterprise, data: dict,
                    standard: Standard | None = None) -> Standard:
    """Create (or, with ``standard``, update) a standard the enterprise drafted."""
    data = {k: v for k, v in data.items() if k in STANDARD_FIELDS}
    _clean_text(data, "code", "name")
    before = record.snapshot(standard)
    merged = {f: getattr(standard, f) for f in STANDARD_FIELDS} if standard else {}
    merged.update(data)
    raise_if(standard_errors(merged))
    _check_scope(actor, enterprise)
    if standard is None:
        standard = Standard(enterprise=enterprise, created_by=actor)
    for key, value in data.items():
        setattr(standard, key, "" if value is None and key == "note" else value)
    duplicate = Standard.objects.filter(enterprise=enterprise,
                                        code=standard.code).exclude(pk=standard.pk)
    if duplicate.exists():
        raise_if({"code": f"该企业已登记标准{standard.code}"})
    standard.updated_by = actor
    standard.save()
    record.write(events.RECORD_STANDARD if before is None else UPDATE, standard, actor=actor,
                 before=before, related=enterprise)
    changes.notify_on_commit(ENTERPRISE_DATA, enterprise.pk)
    return standard
