"""Demo statistics: monthly figures of the home district's above-scale industrial enterprises
(2016-01 … 2020-09), the other districts' published figures and the 2020 targets.

Totals are exact (allocated to the cent), so 1-9月 2020 reads 高新技术产业增加值 251.37亿元
and 规上工业企业研发费用 36.54亿元, first in the city for both (the seed's blanks), each the
highest of all recorded years. The other districts' figures are fictional.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.audit import record
from kechuang.audit.events import CREATE

from . import services
from .catalogue import Period, month_end
from .models import MonthlyEnterpriseStat

DEMO_ORDER = 80
YI = Decimal(100_000_000)
# Home district, 1-9月 of each year (亿元).
HITECH_VA_JAN_SEP = {2016: "168.42", 2017: "189.75", 2018: "213.06", 2019: "236.81",
                     2020: "251.37"}
RD_JAN_SEP = {2016: "21.35", 2017: "24.68", 2018: "28.97", 2019: "33.12", 2020: "36.54"}
# October–December of the closed years, as a share of 1-9月.
Q4_SHARE = Decimal("0.36")
HITECH_SHARE = 0.45  # share of above-scale industrial enterprises in high-tech industries
TARGETS_2020 = {  # code → target (base units)
    "hitech_industry_value_added": Decimal("340") * YI,
    "rd_expense_above_scale_industrial": Decimal("50") * YI,
    "new_national_tech_sme": Decimal(250),
    "new_municipal_tech_sme": Decimal(450),
    "hitech_applications": Decimal(150),
}
RANKED = ("hitech_industry_value_added", "rd_expense_above_scale_industrial")
# Other districts as a share of the home district (same order as the regions demo).
OTHER_SHARES = (0.93, 0.81, 0.74, 0.66, 0.58, 0.49, 0.42, 0.37, 0.28)


def _allocate(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split ``total`` (元) over ``weights`` to the cent, summing exactly to ``total``."""
    cents = int((total * 100).to_integral_value())
    s = sum(weights) or 1.0
    raw = [cents * w / s for w in weights]
    floors = [int(r) for r in raw]
    rest = cents - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - floors[i], reverse=True)
    for i in order[:rest]:
        floors[i] += 1
    return [Decimal(c) / 100 for c in floors]


def _above_scale(ctx):
    from kechuang.enterprises.models import AnnualIndicator, Enterprise

    home = ctx.data.get("home_district")
    qs = Enterprise.objects.filter(
        pk__in=AnnualIndicator.objects.filter(is_above_scale_industrial=True).values(
            "enterprise_id"))
    if home is not None:
        qs = qs.filter(region__path__startswith=home.path)
    return list(qs.order_by("uscc"))


def _months(year: int) -> list[int]:
    return list(range(1, 10)) if year == 2020 else list(range(1, 13))


def build_monthly(ctx, enterprises) -> int:
    rng = ctx.rng
    hitech = {e.pk for e in enterprises if rng.random() < HITECH_SHARE}
    size = {e.pk: rng.uniform(0.3, 3.0) for e in enterprises}
    rd_share = {e.pk: rng.uniform(0.0, 1.0) for e in enterprises}
    rows: list[MonthlyEnterpriseStat] = []
    for year in sorted(HITECH_VA_JAN_SEP):
        for months, factor in ((list(range(1, 10)), Decimal(1)),
                               ([m for m in _months(year) if m > 9], Q4_SHARE)):
            if not months:
                continue
            cells = [(e, m) for e in enterprises for m in months]
            season = {m: 1.0 + 0.08 * ((m % 12) / 12) for m in months}
            va_weights = [size[e.pk] * season[m] * rng.uniform(0.85, 1.15) for e, m in cells]
            hi_cells = [i for i, (e, _) in enumerate(cells) if e.pk in hitech]
            lo_cells = [i for i, (e, _) in enumerate(cells) if e.pk not in hitech]
            hi_total = Decimal(HITECH_VA_JAN_SEP[year]) * YI * factor
            va = [Decimal(0)] * len(cells)
            for i, v in zip(hi_cells, _allocate(hi_total, [va_weights[i] for i in hi_cells]),
                            strict=True):
                va[i] = v
            for i, v in zip(lo_cells, _allocate(hi_total * Decimal("0.8"),
                                                [va_weights[i] for i in lo_cells]), strict=True):
                va[i] = v
            rd_weights = [size[e.pk] * rd_share[e.pk] * rng.uniform(0.7, 1.3) for e, _ in cells]
            rd = _allocate(Decimal(RD_JAN_SEP[year]) * YI * factor, rd_weights)
            for (e, m), v, r in zip(cells, va, rd, strict=True):
                rows.append(MonthlyEnterpriseStat(
                    enterprise=e, year=year, month=m, month_end=month_end(year, m),
                    value_added=v, rd_expense=r, is_hitech_industry=e.pk in hitech))
    MonthlyEnterpriseStat.objects.bulk_create(rows, batch_size=2000)
    saved = list(MonthlyEnterpriseStat.objects.select_related("enterprise"))  # str() names it
    record.write_many(CREATE, saved, actor=ctx.actor, message="演示数据：规上企业月度统计")
    return len(saved)


def build_district_figures(ctx) -> int:
    from kechuang.regions.models import Region, RegionKind

    home = ctx.data.get("home_district")
    others = list(Region.objects.filter(kind=RegionKind.DISTRICT, is_home=False)
                  .order_by("sort_order", "code"))
    if home is not None:
        others = [r for r in others if r.parent_id == home.parent_id]
    n = 0
    home_totals = {"hitech_industry_value_added": HITECH_VA_JAN_SEP,
                   "rd_expense_above_scale_industrial": RD_JAN_SEP}
    for code in RANKED:
        for year, text in home_totals[code].items():
            periods = [(Period.ytd(year, 9), Decimal(1))]
            if year < 2020:
                periods.append((Period.year(year), 1 + Q4_SHARE))
            for period, factor in periods:
                home_value = Decimal(text) * YI * factor
                for region, share in zip(others, OTHER_SHARES, strict=False):
                    jitter = Decimal(str(round(share * ctx.rng.uniform(0.96, 1.02), 4)))
                    value = (home_value * min(jitter, Decimal("0.97"))).quantize(Decimal("1"))
                    services.record_district_figure(
                        actor=ctx.actor, region=region, indicator_code=code,
                        period_start=period.start, period_end=period.end, value=value,
                        source=f"东澄市统计局{period.label()}快报（演示）")
                    n += 1
    return n


def build(ctx) -> None:
    enterprises = _above_scale(ctx)
    if enterprises:
        rows = build_monthly(ctx, enterprises)
    else:
        rows = 0
        ctx.log("  indicators: 没有规上工业企业，跳过月度统计")
    figures = build_district_figures(ctx)
    for code, value in TARGETS_2020.items():
        services.set_indicator_target(actor=ctx.actor, indicator_code=code, year=2020,
                                      value=value, note="演示：2020年度目标")
    ctx.data.setdefault("summary", []).append(
        f"统计：规上企业月度统计{rows}条（{len(enterprises)}家），各区指标数据{figures}条，"
        f"2020年目标{len(TARGETS_2020)}项；1-9月高新技术产业增加值"
        f"{HITECH_VA_JAN_SEP[2020]}亿元、规上工业企业研发费用{RD_JAN_SEP[2020]}亿元，均居全市第一")


def check(today: dt.date = dt.date(2020, 9, 30)) -> dict[str, str]:
    """The demo's two seed figures as computed by the catalogue (for tests and the README)."""
    from .catalogue import value_of

    p = Period.ytd(2020, 9)
    return {code: str(value_of(code, p)) for code in RANKED}
