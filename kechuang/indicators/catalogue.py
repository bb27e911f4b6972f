"""The indicator catalogue: each figure defined once, in code, by the app that owns its records.

An app registers its indicators in ``<app>/indicators.py``::

    from kechuang.indicators.catalogue import FLOW, Indicator, register

    register(Indicator(
        code="matchmaking_events", name="院企对接活动", unit="场", module="科技成果转化",
        definition="期间内举办的院企对接活动场次（以活动日期计）",
        semantics=FLOW,
        source=lambda period, region: Event.objects.filter(
            kind="matchmaking", held_on__range=(period.start, period.end),
            **region_filter("region", region)),
        aggregate=None,            # None → count of rows; or an expression such as Sum("amount")
    ))

``source(period, region)`` returns the queryset of records the figure counts (the drill-down);
``region`` is a ``regions.Region`` or ``None`` for the whole home district. The catalogue applies
the viewer's data scope (``restrict``) on top. Units are base units (元, 家, 项, 人, 场, 名, 个,
家次, 笔).

Period semantics
    ``FLOW`` (新增): the source counts records dated within ``[period.start, period.end]``.
    ``STOCK`` (累计): the source counts records existing (valid) on ``period.end``; the start
    is ignored. Periods are built with ``Period.month``, ``Period.ytd`` (1-9月),
    ``Period.year`` and ``Period.cumulative``.

Values
    ``value_of(code, period, region=None, user=None)`` → ``int`` (counts), ``Decimal`` (元) or
    ``None`` when there is no data (a sum over no records). ``figure(...)`` adds the computed
    comparisons: ``yoy`` (同比, percent, same period last year), ``record_high`` (higher than
    every earlier recorded year for the same period), ``rank_in_city`` (from other districts'
    ``DistrictFigure`` rows; the home district's own value is computed from records) and
    ``target`` progress (``IndicatorTarget`` for the period's year).
"""

from __future__ import annotations

import calendar
import contextvars
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FLOW = "flow"  # 新增: records dated within the period
STOCK = "stock"  # 累计: records existing at the end of the period

SEMANTICS_LABELS = {FLOW: "新增（期间内发生）", STOCK: "累计（期末存量）"}
RECORD_LOOKBACK_YEARS = 10  # 历年之最 compares with up to this many earlier years


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int, until: dt.date | None = None) -> Period:
        return cls(dt.date(year, 1, 1), until or dt.date(year, 12, 31))

    @classmethod
    def ytd(cls, year: int, month: int) -> Period:
        """Year to date: 1月 to the end of ``month`` (1-9月 = ``ytd(2020, 9)``)."""
        return cls(dt.date(year, 1, 1), month_end(year, month))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1), month_end(year, month))

    @classmethod
    def cumulative(cls, until: dt.date, since: dt.date = dt.date(1980, 1, 1)) -> Period:
        return cls(since, until)

    def shift_years(self, years: int) -> Period:
        return Period(_shift(self.start, years), _shift(self.end, years))

    @property
    def is_month_aligned(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.end.year, self.end.month)

    def label(self) -> str:
        """Chinese label: ``2020年``, ``2020年1-9月``, ``2020年9月``, ``2020-01-01至2020-09-15``."""
        s, e = self.start, self.end
        if s.year == e.year and self.is_month_aligned:
            if s.month == 1 and e.month == 12:
                return f"{s.year}年"
            if s.month == e.month:
                return f"{s.year}年{s.month}月"
            return f"{s.year}年{s.month}-{e.month}月"
        return f"{s:%Y-%m-%d}至{e:%Y-%m-%d}"

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    definition: str
    source: Callable[[Period, Any], Any]
    aggregate: Any = None
    semantics: str = FLOW
    module: str = ""
    rank_in_city: bool = False
    extra: dict = field(default_factory=dict)
    # extra keys understood by the catalogue and the reports:
    #   "display_unit": "亿元" | "万元"   how amounts are shown in documents
    #   "columns": [(header, callable(obj) | "attr"), ...]   drill-down list columns
    #   "select_related": [...]   for the drill-down list

    @property
    def is_amount(self) -> bool:
        return self.unit == "元"

    @property
    def semantics_label(self) -> str:
        return SEMANTICS_LABELS.get(self.semantics, self.semantics)


_registry: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.code in _registry and _registry[indicator.code] is not indicator:
        raise ValueError(f"indicator {indicator.code} registered twice")
    _registry[indicator.code] = indicator
    return indicator


def region_filter(path: str, region) -> dict[str, Any]:
    """Keyword filter for records under ``region`` (``None`` = no filter)."""
    if region is None:
        return {}
    return {f"{path}__path__startswith": region.path}


def all_indicators() -> dict[str, Indicator]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("indicators")
    return dict(_registry)


def get(code: str) -> Indicator:
    indicators = all_indicators()
    try:
        return indicators[code]
    except KeyError as exc:
        raise KeyError(f"未登记的指标“{code}”") from exc


# --- codes the seed needs, and the module expected to register each -----------------------

EXPECTED_CODES: dict[str, str] = {
    "hitech_industry_value_added": "indicators", "rd_expense_above_scale_industrial": "indicators",
    "new_national_tech_sme": "enterprises", "new_municipal_tech_sme": "enterprises",
    "hitech_applications": "enterprises", "hitech_applications_first_time": "enterprises",
    "matchmaking_events": "brokerage", "matchmaking_participants": "brokerage",
    "achievements_presented": "brokerage", "teams_introduced": "brokerage",
    "achievements_introduced": "brokerage", "tech_transaction_amount": "brokerage",
    "talent_events": "brokerage", "overseas_engineers_matched": "brokerage",
    "talent_projects_introduced": "brokerage", "enterprise_services": "brokerage",
    "problems_solved": "brokerage",
    "tech_loans_count": "finance", "tech_loans_amount": "finance",
    "project_applications": "projects", "national_key_rd_projects": "projects",
    "municipal_2025_major_projects": "projects", "municipal_projects_approved": "projects",
    "st_awards": "projects",
    "provincial_innovation_complexes_new": "carriers",
    "provincial_innovation_complexes_total": "carriers",
    "startup_projects": "carriers", "startup_projects_high_level": "carriers",
    "academician_workstations": "carriers",
    "volunteer_teams": "popularisation", "volunteers": "popularisation",
    "science_associations_new": "popularisation", "science_venues_new": "popularisation",
}


def pending_codes() -> dict[str, str]:
    """Seed codes no module registers yet → the module expected to register them."""
    registered = all_indicators()
    return {c: m for c, m in EXPECTED_CODES.items() if c not in registered}


# --- values --------------------------------------------------------------------------------

def _home_district():
    from kechuang.regions.models import home_district

    return home_district()


def _is_whole_district(region) -> bool:
    return region is None or bool(getattr(region, "is_home", False))


def _unrestricted(user) -> bool:
    """Whether ``user`` sees the whole district (CLI without a user counts as yes)."""
    if user is None:
        return True
    from django.db.models import Q

    from kechuang.accounts.scope import scope_q
    from kechuang.enterprises.models import Enterprise

    return scope_q(user, Enterprise) == Q()


def records(indicator: Indicator | str, period: Period, region=None, user=None,
            action: str = "view"):
    """The queryset behind a value: the source, under ``user``'s data scope (if a user)."""
    ind = get(indicator) if isinstance(indicator, str) else indicator
    if region is not None and region.is_home:
        region = None
    qs = ind.source(period, region)
    if user is not None:
        qs = qs.restrict(user, action) if hasattr(qs, "restrict") else qs.none()
    return qs


def _normalise(ind: Indicator, raw) -> int | Decimal | None:
    if raw is None:
        return None
    if ind.aggregate is None or ind.unit != "元":
        if isinstance(raw, Decimal) and raw != raw.to_integral_value():
            return raw
        return int(raw)
    return Decimal(raw).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("kc_indicator_memo",
                                                                   default=None)


@contextmanager
def memoized() -> Iterator[None]:
    """Within the block, each (indicator, period, region, user) value is computed once
    (a report or a dashboard asks for the same earlier-year values several times)."""
    token = _memo.set({}) if _memo.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _memo.reset(token)


def value_of(indicator: Indicator | str, period: Period, region=None, user=None):
    """The indicator's value for ``period`` and ``region`` as seen by ``user``."""
    ind = get(indicator) if isinstance(indicator, str) else indicator
    memo = _memo.get()
    key = (ind.code, period, getattr(region, "pk", None), getattr(user, "pk", None))
    if memo is not None and key in memo:
        return memo[key]
    qs = records(ind, period, region, user)
    if ind.aggregate is None:
        value = qs.count()
    else:
        value = _normalise(ind, qs.aggregate(value=ind.aggregate)["value"])
    if memo is not None:
        memo[key] = value
    return value


def yoy_percent(current, previous) -> Decimal | None:
    """同比 in percent, one decimal (``None`` if last year had no value or zero)."""
    if current is None or previous in (None, 0):
        return None
    pct = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Figure:
    """One value with its computed comparisons."""

    indicator: Indicator
    period: Period
    value: int | Decimal | None
    previous: int | Decimal | None = None
    yoy: Decimal | None = None
    record_high: bool | None = None
    history: dict[int, Any] = field(default_factory=dict)
    rank_in_city: int | None = None
    districts_in_city: int | None = None
    target: Decimal | None = None
    target_progress: Decimal | None = None

    @property
    def has_data(self) -> bool:
        """A sum over no records, or a count of none, is a data gap (never printed blank)."""
        return self.value is not None and self.value != 0

    def as_contract(self) -> dict[str, Any]:
        """The ``kechuang stats --json`` shape (values in base units; 元 as decimal strings)."""
        ind = self.indicator
        return {
            "code": ind.code,
            "name": ind.name,
            "value": _json_number(self.value),
            "unit": ind.unit,
            "period": self.period.as_dict(),
            "compare": {
                "yoy": float(self.yoy) if self.yoy is not None else None,
                "record_high": self.record_high,
                "rank_in_city": self.rank_in_city,
            },
        }


def _json_number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def history_of(ind: Indicator, period: Period, region=None, user=None,
               years: int = RECORD_LOOKBACK_YEARS) -> dict[int, Any]:
    """Values for the same period in earlier years, oldest first: going back year by year
    until the first year without data (recorded years are contiguous), at most ``years``."""
    out: dict[int, Any] = {}
    for back in range(1, years + 1):
        p = period.shift_years(-back)
        v = value_of(ind, p, region, user)
        if v is None or v == 0:
            break
        out[p.end.year] = v
    return dict(sorted(out.items()))


def rank_of(ind: Indicator, period: Period, home_value) -> tuple[int | None, int | None]:
    """Rank of the home district among the city's districts for ``period`` (1 = highest)."""
    if home_value is None:
        return None, None
    from .models import DistrictFigure

    others = list(DistrictFigure.objects.filter(
        indicator_code=ind.code, period_start=period.start, period_end=period.end,
    ).exclude(region__is_home=True).values_list("value", flat=True))
    if not others:
        return None, None
    higher = sum(1 for v in others if v > Decimal(home_value))
    return higher + 1, len(others) + 1


def target_of(ind: Indicator, year: int) -> Decimal | None:
    from .models import IndicatorTarget

    row = IndicatorTarget.objects.filter(indicator_code=ind.code, year=year).first()
    return row.value if row else None


def figure(indicator: Indicator | str, period: Period, region=None, user=None, *,
           compare: bool = True) -> Figure:
    """A value with 同比, 历年之最, rank in the city and progress against the target."""
    ind = get(indicator) if isinstance(indicator, str) else indicator
    fig = Figure(indicator=ind, period=period, value=value_of(ind, period, region, user))
    if not compare:
        return fig
    fig.history = history_of(ind, period, region, user)
    fig.previous = fig.history.get(period.end.year - 1)
    fig.yoy = yoy_percent(fig.value, fig.previous)
    if fig.has_data and fig.history:
        fig.record_high = all(fig.value > v for v in fig.history.values())
    elif fig.has_data:
        fig.record_high = None  # no earlier year recorded: nothing to compare with
    whole = _is_whole_district(region) and _unrestricted(user)
    if ind.rank_in_city and whole and fig.has_data:
        fig.rank_in_city, fig.districts_in_city = rank_of(ind, period, fig.value)
    if whole:
        fig.target = target_of(ind, period.end.year)
        if fig.target and fig.value is not None:
            fig.target_progress = (Decimal(fig.value) * 100 / fig.target).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP)
    return fig


def figures(period: Period, region=None, user=None, codes=None) -> list[Figure]:
    indicators = all_indicators()
    wanted = codes or sorted(indicators, key=lambda c: (indicators[c].module, c))
    with memoized():
        return [figure(indicators[c], period, region, user) for c in wanted if c in indicators]
