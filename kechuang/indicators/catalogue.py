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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FLOW = "flow"  # 新增: records dated within the period
STOCK = "stock"  # 累计: records existing at the end of the period


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int, until: dt.date | None = None) -> Period:
        return cls(dt.date(year, 1, 1), until or dt.date(year, 12, 31))


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
