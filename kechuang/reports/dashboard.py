"""The leaders' dashboard (驾驶舱): chart data as plain dicts, every number a catalogue value
under the viewer's scope. Served as JSON by ``views.chart_data``; ECharts draws it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from kechuang.indicators import catalogue
from kechuang.indicators.catalogue import Figure, Period

from .formatting import FigureView

KPI_CODES = ("hitech_industry_value_added", "rd_expense_above_scale_industrial",
             "new_national_tech_sme", "new_municipal_tech_sme", "hitech_applications",
             "tech_transaction_amount", "matchmaking_events", "overseas_engineers_matched")
TREND_CODES = ("hitech_industry_value_added", "rd_expense_above_scale_industrial",
               "new_national_tech_sme", "hitech_applications")
TIER_CODES = ("enterprises_registered", "municipal_tech_sme_valid", "national_tech_sme_valid",
              "hitech_valid")
# Registered by the modules that own the records; absent codes show "暂无数据".
FUNNEL_CODES = ("demands_new", "cases_opened", "matches_accepted", "tech_contracts")
CLEARANCE_CODES = ("zero_rd_campaign_enterprises", "zero_rd_campaign_reported")
SUBDISTRICT_DEFAULT = "hitech_valid"
TREND_YEARS = 5
CHARTS = ("kpis", "trends", "pyramid", "funnel", "clearance", "subdistricts", "ranking")


def default_until() -> dt.date:
    """The last day with statistics (demo data ends 2020-09-30), else today."""
    from kechuang.indicators.models import MonthlyEnterpriseStat

    latest = MonthlyEnterpriseStat.objects.aggregate(d=Max("month_end"))["d"]
    return latest or timezone.localdate()


def _num(value) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _chart_value(ind, value):
    """Amounts in 亿元 (2 decimals) for charts; counts as they are."""
    if value is None:
        return None
    if ind.is_amount:
        return round(float(Decimal(value) / 100_000_000), 2)
    return value


def _chart_unit(ind) -> str:
    return "亿元" if ind.is_amount else ind.unit


def _drill(code, period, region) -> str:
    from kechuang.indicators.views import drill_url

    return drill_url(code, period, region)


def _registered(codes):
    registered = catalogue.all_indicators()
    return [registered[c] for c in codes if c in registered]


def kpi_tile(fig: Figure, region) -> dict:
    view = FigureView.of(fig)
    return {
        "code": fig.indicator.code, "name": fig.indicator.name, "unit": fig.indicator.unit,
        "value": catalogue._json_number(fig.value), "display": view.text or "无记录",
        "yoy": _num(fig.yoy), "record_high": fig.record_high,
        "rank_in_city": fig.rank_in_city, "districts_in_city": fig.districts_in_city,
        "target": catalogue._json_number(fig.target), "progress": _num(fig.target_progress),
        "url": _drill(fig.indicator.code, fig.period, region),
    }


def kpis(period: Period, region, user) -> dict:
    tiles = [kpi_tile(catalogue.figure(ind, period, region, user), region)
             for ind in _registered(KPI_CODES)]
    return {"period": period.as_dict(), "label": period.label(), "tiles": tiles}


def trends(period: Period, region, user) -> dict:
    years = list(range(period.end.year - TREND_YEARS + 1, period.end.year + 1))
    series = []
    for ind in _registered(TREND_CODES):
        values = [_chart_value(ind, catalogue.value_of(
            ind, period.shift_years(y - period.end.year), region, user)) for y in years]
        series.append({"code": ind.code, "name": ind.name, "unit": _chart_unit(ind),
                       "data": values})
    return {"years": years, "series": series,
            "label": f"近{TREND_YEARS}年同期（{period.label()[4:] or '全年'}）"}


def pyramid(period: Period, region, user) -> dict:
    tiers = [{"code": ind.code, "name": ind.name,
              "value": catalogue.value_of(ind, period, region, user),
              "url": _drill(ind.code, period, region)} for ind in _registered(TIER_CODES)]
    return {"date": period.end.isoformat(), "tiers": tiers}


def funnel(period: Period, region, user) -> dict:
    steps = [{"code": ind.code, "name": ind.name,
              "value": catalogue.value_of(ind, period, region, user),
              "url": _drill(ind.code, period, region)} for ind in _registered(FUNNEL_CODES)]
    missing = [c for c in FUNNEL_CODES if c not in {s["code"] for s in steps}]
    return {"available": bool(steps), "steps": steps, "missing": missing,
            "message": "" if steps else "暂无数据：需求、案件与合同模块尚未登记漏斗指标"}


def clearance(period: Period, region, user) -> dict:
    found = _registered(CLEARANCE_CODES)
    if len(found) < len(CLEARANCE_CODES):
        return {"available": False, "message": "暂无数据：研发费用“清零”行动尚未登记进度指标"}
    total, cleared = (catalogue.value_of(ind, period, region, user) for ind in found)
    if not total:
        return {"available": False, "message": "暂无数据：本年“清零”行动名单为空"}
    pct = round(cleared * 100 / total, 1) if total else None
    return {"available": True, "total": total, "cleared": cleared, "percent": pct,
            "url": _drill(found[1].code, period, region)}


def subdistricts(period: Period, region, user, code: str = SUBDISTRICT_DEFAULT) -> dict:
    from kechuang.accounts.scope import region_allowed
    from kechuang.regions.models import Region, home_district

    ind = catalogue.get(code)
    parent = region or home_district()
    rows = []
    if parent is not None:
        for child in Region.objects.filter(parent=parent).order_by("sort_order", "code"):
            if user is not None and not region_allowed(user, child):
                continue
            value = catalogue.value_of(ind, period, child, user)
            rows.append({"code": child.code, "name": child.name,
                         "value": _chart_value(ind, value),
                         "url": _drill(ind.code, period, child)})
    return {"indicator": {"code": ind.code, "name": ind.name, "unit": _chart_unit(ind)},
            "rows": rows}


def ranking(period: Period, region, user) -> dict:
    from kechuang.indicators.models import DistrictFigure
    from kechuang.regions.models import home_district

    out = []
    whole = region is None and catalogue._unrestricted(user)
    for ind in catalogue.all_indicators().values():
        if not ind.rank_in_city or not whole:
            continue
        fig = catalogue.figure(ind, period, None, user, compare=False)
        if not fig.has_data:
            continue
        rows = [{"name": f.region.name, "value": _chart_value(ind, f.value), "home": False}
                for f in DistrictFigure.objects.filter(
                    indicator_code=ind.code, period_start=period.start,
                    period_end=period.end).exclude(region__is_home=True).select_related(
                        "region")]
        if not rows:
            continue
        home = home_district()
        rows.append({"name": home.name if home else "本区",
                     "value": _chart_value(ind, fig.value), "home": True})
        rows.sort(key=lambda r: r["value"] or 0, reverse=True)
        rank, total = catalogue.rank_of(ind, period, fig.value)
        out.append({"code": ind.code, "name": ind.name, "unit": _chart_unit(ind),
                    "rank": rank, "of": total, "rows": rows})
    return {"available": bool(out), "indicators": out,
            "message": "" if out else "暂无全市对比数据（需全区数据权限及各区指标数据）"}


CACHE_SECONDS = 300


def _scope_key(user) -> str:
    """Viewers with the whole district share cached chart data; others are cached per user."""
    if catalogue._unrestricted(user):
        return "all"
    return f"u{getattr(user, 'pk', 'none')}"


def cached_chart(name: str, period: Period, region, user, **kwargs) -> dict:
    """``chart`` through the cache for ``CACHE_SECONDS`` (a province-sized registry takes
    seconds to aggregate; the meeting-room display refreshes often). ``?fresh=1`` bypasses."""
    from django.core.cache import cache

    key = ":".join(["kc-dash", name, period.start.isoformat(), period.end.isoformat(),
                    getattr(region, "code", "") or "", _scope_key(user),
                    *(f"{k}={v}" for k, v in sorted(kwargs.items()))])
    data = cache.get(key)
    if data is None:
        data = chart(name, period, region, user, **kwargs)
        cache.set(key, data, CACHE_SECONDS)
    return data


def chart(name: str, period: Period, region, user, **kwargs) -> dict:
    with catalogue.memoized():
        return {"kpis": kpis, "trends": trends, "pyramid": pyramid, "funnel": funnel,
            "clearance": clearance, "subdistricts": subdistricts,
                "ranking": ranking}[name](period, region, user, **kwargs)
