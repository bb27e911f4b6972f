"""Excel row schemas: other districts' figures and the monthly above-scale statistics."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from kechuang.accounts.scope import region_allowed
from kechuang.core.importing import (
    Column,
    Importer,
    ParsedRow,
    Progress,
    RowValidationError,
    register,
    service_errors,
)
from kechuang.enterprises.models import Enterprise
from kechuang.regions.models import Region, RegionKind

from . import services
from .models import DistrictFigure, IndicatorTarget, MonthlyEnterpriseStat


@register
class DistrictFigureImporter(Importer):
    name = "district-figures"
    label = "各区指标数据"
    key_field = "region"
    columns = (
        Column("区（县、市）", "region", required=True, help="区名称或区划代码"),
        Column("指标代码", "indicator_code", "str", required=True, max_length=64, width=34,
               help="如 hitech_industry_value_added"),
        Column("统计期起", "period_start", "date", required=True, width=12),
        Column("统计期止", "period_end", "date", required=True, width=12),
        Column("数值", "value", "decimal", required=True,
               help="基本单位：金额填元，数量填家、项等"),
        Column("来源", "source", max_length=128, width=24),
    )
    instructions = ("5. 已有同一区、同一指标、同一统计期的数据时将被覆盖。",
                    "6. 金额以元为单位（1亿元填100000000）。")

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        lookup: dict[str, Region] = {}
        for region in Region.objects.filter(kind=RegionKind.DISTRICT):
            lookup.setdefault(region.name, region)
            lookup[region.code] = region
        seen: dict[tuple, int] = {}
        for row in rows:
            v = row.values
            name = v.get("region")
            if name is not None:
                region = lookup.get(str(name))
                if region is None:
                    row.errors["region"] = f"区（县、市）“{name}”不存在"
                elif actor is not None and not region_allowed(actor, region):
                    row.errors["region"] = f"“{name}”不在您的数据权限范围内"
                else:
                    v["region"] = region
            key = (name, v.get("indicator_code"), v.get("period_start"), v.get("period_end"))
            if key in seen:
                row.errors.setdefault("period_end", f"与第{seen[key]}行重复")
            seen[key] = row.number
            if v.get("period_start") and v.get("period_end") and \
                    v["period_start"] > v["period_end"]:
                row.errors.setdefault("period_end", "统计期止不能早于统计期起")

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        created = updated = 0
        for i, row in enumerate(rows, start=1):
            v = row.values
            existed = DistrictFigure.objects.filter(
                region=v["region"], indicator_code=v["indicator_code"],
                period_start=v["period_start"], period_end=v["period_end"]).exists()
            try:
                services.record_district_figure(
                    actor=actor, region=v["region"], indicator_code=v["indicator_code"],
                    period_start=v["period_start"], period_end=v["period_end"],
                    value=v["value"], source=v.get("source") or "")
            except ValidationError as exc:
                raise RowValidationError(service_errors(self, row, exc)) from exc
            updated += existed
            created += not existed
            if progress and (i % 500 == 0 or i == len(rows)):
                progress(i, len(rows))
        return created, updated

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        for f in queryset.select_related("region").iterator(chunk_size=2000):
            yield {"region": f.region.name, "indicator_code": f.indicator_code,
                   "period_start": f.period_start, "period_end": f.period_end,
                   "value": f.value, "source": f.source}


@register
class IndicatorTargetImporter(Importer):
    name = "indicator-targets"
    label = "年度目标"
    key_field = "indicator_code"
    columns = (
        Column("指标代码", "indicator_code", "str", required=True, max_length=64, width=34),
        Column("年度", "year", "int", required=True, width=8),
        Column("目标值", "value", "decimal", required=True, help="基本单位：金额填元"),
        Column("说明", "note", max_length=255, width=30),
    )

    def commit(self, rows, *, actor, update, progress):
        created = updated = 0
        for row in rows:
            v = row.values
            existed = IndicatorTarget.objects.filter(indicator_code=v["indicator_code"],
                                                     year=v["year"]).exists()
            try:
                services.set_indicator_target(actor=actor, indicator_code=v["indicator_code"],
                                              year=v["year"], value=v["value"],
                                              note=v.get("note") or "")
            except ValidationError as exc:
                raise RowValidationError(service_errors(self, row, exc)) from exc
            updated += existed
            created += not existed
        return created, updated

    def export_rows(self, queryset, *, unmask: bool):
        for t in queryset.iterator():
            yield {"indicator_code": t.indicator_code, "year": t.year, "value": t.value,
                   "note": t.note}


@register
class MonthlyEnterpriseStatImporter(Importer):
    name = "monthly-stats"
    label = "规上企业月度统计"
    key_field = "uscc"
    columns = (
        Column("统一社会信用代码", "uscc", "code", required=True, max_length=18, width=22),
        Column("企业名称", "enterprise_name", width=30, help="仅供核对，不导入"),
        Column("年度", "year", "int", required=True, width=8),
        Column("月份", "month", "int", required=True, width=8),
        Column("工业增加值（元）", "value_added", "decimal", help="当月数"),
        Column("研发费用（元）", "rd_expense", "decimal", help="当月数"),
        Column("属高新技术产业", "is_hitech_industry", "bool"),
    )
    instructions = ("5. 每行为一家企业一个月的当月数（非累计数）；已有同月数据时覆盖所填列。",)

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        codes = list({r.values["uscc"] for r in rows if r.values.get("uscc")})
        found: dict[str, Enterprise] = {}
        for i in range(0, len(codes), 900):
            for e in Enterprise.objects.filter(uscc__in=codes[i:i + 900]).select_related(
                    "region"):
                found[e.uscc] = e
        seen: dict[tuple, int] = {}
        for row in rows:
            v = row.values
            ent = found.get(v.get("uscc") or "")
            if v.get("uscc") and ent is None:
                row.errors.setdefault("uscc", f"统一社会信用代码{v['uscc']}未登记，请先导入企业")
            elif ent is not None and actor is not None and not region_allowed(actor, ent.region):
                row.errors.setdefault("uscc", "该企业不在您的数据权限范围内")
            key = (v.get("uscc"), v.get("year"), v.get("month"))
            if key in seen:
                row.errors.setdefault("month", f"与第{seen[key]}行的企业和月份重复")
            seen[key] = row.number
            if v.get("year") is not None and v.get("month") is not None:
                for name, msg in services.monthly_stat_errors(v).items():
                    row.errors.setdefault(name, msg)
            v["_enterprise"] = ent

    def commit(self, rows, *, actor, update, progress):
        created = updated = 0
        for i, row in enumerate(rows, start=1):
            v = row.values
            ent = v["_enterprise"]
            existed = MonthlyEnterpriseStat.objects.filter(
                enterprise=ent, year=v["year"], month=v["month"]).exists()
            data = {k: v[k] for k in ("value_added", "rd_expense", "is_hitech_industry")
                    if k in row.present}
            try:
                services.record_monthly_stat(actor=actor, enterprise=ent, year=v["year"],
                                             month=v["month"], data=data)
            except ValidationError as exc:
                raise RowValidationError(service_errors(self, row, exc)) from exc
            updated += existed
            created += not existed
            if progress and (i % 500 == 0 or i == len(rows)):
                progress(i, len(rows))
        return created, updated

    def export_rows(self, queryset, *, unmask: bool):
        for s in queryset.select_related("enterprise").iterator(chunk_size=2000):
            yield {"uscc": s.enterprise.uscc, "enterprise_name": s.enterprise.name,
                   "year": s.year, "month": s.month, "value_added": s.value_added,
                   "rd_expense": s.rd_expense, "is_hitech_industry": s.is_hitech_industry}
