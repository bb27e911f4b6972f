"""How catalogue figures read in Chinese text: amounts in 亿元/万元, comparative phrases."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kechuang.core.money import to_wan, to_yi
from kechuang.indicators.catalogue import Figure

CN_DIGITS = "零一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二; larger numbers stay Arabic."""
    if 1 <= n <= 10:
        return CN_DIGITS[n]
    if 11 <= n <= 19:
        return "十" + CN_DIGITS[n - 10]
    return str(n)


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def value_text(fig: Figure) -> str:
    """``312.58亿元``, ``6150万元``, ``228家``."""
    ind, v = fig.indicator, fig.value
    if v is None:
        return ""
    if ind.is_amount:
        unit = ind.extra.get("display_unit") or ("亿元" if abs(v) >= 100_000_000 else "万元")
        if unit == "亿元":
            return f"{to_yi(Decimal(v))}亿元"
        return f"{_plain(to_wan(Decimal(v)))}万元"
    return f"{v}{ind.unit}"


def yoy_text(fig: Figure) -> str:
    if fig.yoy is None:
        return ""
    if fig.yoy > 0:
        return f"同比增长{fig.yoy}%"
    if fig.yoy < 0:
        return f"同比下降{-fig.yoy}%"
    return "与上年同期持平"


def rank_text(fig: Figure) -> str:
    return f"居全市第{cn_ordinal(fig.rank_in_city)}" if fig.rank_in_city else ""


def record_text(fig: Figure) -> str:
    return "为历年之最" if fig.record_high else ""


def phrase(fig: Figure) -> str:
    """The comparative phrase the data supports: ``，同比增长12.3%，为历年之最，居全市第一``."""
    parts = [p for p in (yoy_text(fig), record_text(fig), rank_text(fig)) if p]
    return "".join(f"，{p}" for p in parts)


def progress_text(fig: Figure) -> str:
    if fig.target_progress is None:
        return ""
    return f"完成年度目标的{fig.target_progress}%"


@dataclass
class FigureView:
    """What a template sees for one figure: ``{{ f.code.text }}{{ f.code.phrase }}``."""

    code: str
    name: str
    text: str
    phrase: str
    yoy: str
    record: str
    rank: str
    progress: str
    value: object
    unit: str
    definition: str
    period: str

    @classmethod
    def of(cls, fig: Figure) -> FigureView:
        return cls(code=fig.indicator.code, name=fig.indicator.name, text=value_text(fig),
                   phrase=phrase(fig), yoy=yoy_text(fig), record=record_text(fig),
                   rank=rank_text(fig), progress=progress_text(fig), value=fig.value,
                   unit=fig.indicator.unit, definition=fig.indicator.definition,
                   period=fig.period.label())


def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
