"""Money helpers: amounts are ``Decimal`` in 元, shown in 万元/亿元, rounded half up."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TEN_THOUSAND = Decimal(10_000)
HUNDRED_MILLION = Decimal(100_000_000)


def to_decimal(value: object) -> Decimal | None:
    """Parse a number or numeric string into Decimal; ``None``/blank stays ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"不是有效的数字：{value}") from exc


def quantize(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_wan(amount: Decimal | None, places: int = 2) -> Decimal | None:
    """元 → 万元, rounded half up."""
    if amount is None:
        return None
    return quantize(amount / TEN_THOUSAND, places)


def to_yi(amount: Decimal | None, places: int = 2) -> Decimal | None:
    """元 → 亿元, rounded half up."""
    if amount is None:
        return None
    return quantize(amount / HUNDRED_MILLION, places)


def format_amount(amount: Decimal | None, unit: str = "auto", places: int = 2) -> str:
    """Human display: ``1,234.57万元`` or ``1.23亿元``; ``auto`` picks 亿元 from 1亿 up."""
    if amount is None:
        return "—"
    if unit == "auto":
        unit = "亿元" if abs(amount) >= HUNDRED_MILLION else "万元"
    if unit == "亿元":
        return f"{to_yi(amount, places):,}亿元"
    if unit == "万元":
        return f"{to_wan(amount, places):,}万元"
    return f"{quantize(amount, places):,}元"
