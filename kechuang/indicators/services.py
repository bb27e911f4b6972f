"""Every write to the catalogue's own tables. Atomic, scope re-checked, audited."""

from decimal import Decimal

from django.db import transaction

from kechuang.accounts.scope import region_allowed
from kechuang.audit import record
from kechuang.audit.events import DELETE, UPDATE
from kechuang.core.errors import OutOfScope, raise_if
from kechuang.regions.models import Region, RegionKind

from . import events
from .catalogue import month_end
from .models import DistrictFigure, IndicatorTarget, MonthlyEnterpriseStat


def _check(actor, region) -> None:
    if actor is not None and not region_allowed(actor, region):
        raise OutOfScope("不能在您的数据权限范围之外登记数据")


def _known_code(code: str) -> bool:
    from .catalogue import EXPECTED_CODES, all_indicators

    return bool(code) and (code in all_indicators() or code in EXPECTED_CODES)


@transaction.atomic
def record_district_figure(*, actor, region: Region, indicator_code: str, period_start,
                           period_end, value: Decimal, source: str = "") -> DistrictFigure:
    """Create or update one district's figure for a period (upsert on the natural key)."""
    errors: dict[str, str] = {}
    if region is None or region.kind != RegionKind.DISTRICT:
        errors["region"] = "请选择区（县、市）"
    if not _known_code(indicator_code):
        errors["indicator_code"] = f"未登记的指标代码“{indicator_code}”"
    if period_start and period_end and period_start > period_end:
        errors["period_end"] = "统计期止不能早于统计期起"
    if value is None:
        errors["value"] = "数值不能为空"
    elif value < 0:
        errors["value"] = "数值不能为负数"
    raise_if(errors)
    _check(actor, region)
    current = DistrictFigure.objects.select_for_update().filter(
        region=region, indicator_code=indicator_code, period_start=period_start,
        period_end=period_end).first()
    before = record.snapshot(current)
    if current is None:
        current = DistrictFigure(region=region, indicator_code=indicator_code,
                                 period_start=period_start, period_end=period_end,
                                 created_by=actor)
    current.value, current.source, current.updated_by = value, source, actor
    current.save()
    record.write(UPDATE if before else events.RECORD_DISTRICT_FIGURE, current, actor=actor,
                 before=before)
    return current


@transaction.atomic
def delete_district_figure(*, actor, figure: DistrictFigure) -> None:
    _check(actor, figure.region)
    before = record.snapshot(figure)
    record.write(DELETE, figure, actor=actor, before=before, after=False)
    figure.delete()


@transaction.atomic
def set_indicator_target(*, actor, indicator_code: str, year: int, value: Decimal,
                         region: Region | None = None, note: str = "") -> IndicatorTarget:
    from kechuang.regions.models import home_district

    region = region or home_district()
    errors: dict[str, str] = {}
    if region is None:
        errors["region"] = "尚未设置本区"
    if not _known_code(indicator_code):
        errors["indicator_code"] = f"未登记的指标代码“{indicator_code}”"
    if value is None or value <= 0:
        errors["value"] = "目标值应大于0"
    if not year or not (2000 <= year <= 2100):
        errors["year"] = "年度应在2000至2100之间"
    raise_if(errors)
    _check(actor, region)
    current = IndicatorTarget.objects.select_for_update().filter(
        indicator_code=indicator_code, year=year, region=region).first()
    before = record.snapshot(current)
    if current is None:
        current = IndicatorTarget(indicator_code=indicator_code, year=year, region=region,
                                  created_by=actor)
    current.value, current.note, current.updated_by = value, note, actor
    current.save()
    record.write(UPDATE if before else events.SET_TARGET, current, actor=actor, before=before)
    return current


def monthly_stat_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    month = data.get("month")
    if month is None or not (1 <= month <= 12):
        errors["month"] = "月份应在1至12之间"
    year = data.get("year")
    if year is None or not (1980 <= year <= 2100):
        errors["year"] = "年度应在1980至2100之间"
    for name in ("value_added", "rd_expense"):
        v = data.get(name)
        if v is not None and v < 0:
            errors[name] = "金额不能为负数"
    return errors


@transaction.atomic
def record_monthly_stat(*, actor, enterprise, year: int, month: int,
                        data: dict) -> MonthlyEnterpriseStat:
    """Create or update an enterprise's statistics for one month (only given fields change)."""
    data = {k: v for k, v in data.items()
            if k in {"value_added", "rd_expense", "is_hitech_industry"}}
    raise_if(monthly_stat_errors({"year": year, "month": month, **data}))
    _check(actor, enterprise.region)
    current = MonthlyEnterpriseStat.objects.select_for_update().filter(
        enterprise=enterprise, year=year, month=month).first()
    before = record.snapshot(current)
    if current is None:
        current = MonthlyEnterpriseStat(enterprise=enterprise, year=year, month=month,
                                        created_by=actor)
    current.month_end = month_end(year, month)
    for key, value in data.items():
        setattr(current, key, value)
    current.updated_by = actor
    current.save()
    record.write(UPDATE if before else events.RECORD_MONTHLY_STAT, current, actor=actor,
                 before=before, related=enterprise)
    return current
