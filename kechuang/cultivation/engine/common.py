"""Helpers shared by the scheme evaluators: formatting, three-valued logic, gap formulas."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from functools import lru_cache

from .codes import IndustryCode, parse_industry_code
from .model import Case, Condition, Gap, YearData
from .rules import LOCAL_RULE_MESSAGE, RuleRow

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
RATIO_Q = Decimal("0.0001")
WAN = Decimal(10000)


def fmt_money(d: Decimal) -> str:
    """Decimal string in 元 with 2 decimals, e.g. ``"2200000.00"``."""
    return str(d.quantize(CENT))


def fmt_money_up(d: Decimal) -> str:
    """Like :func:`fmt_money` but rounded up (a gap rounded up is always enough)."""
    return str(d.quantize(CENT, rounding=ROUND_CEILING))


def fmt_ratio(d: Decimal) -> str:
    """Ratio truncated to 4 decimals, so a failing 0.09999 never shows as 0.1000."""
    return str(d.quantize(RATIO_Q, rounding=ROUND_DOWN))


def fmt_num(d: Decimal | int) -> str:
    """Counts: ``"120"``, or ``"120.5"`` for monthly averages."""
    if isinstance(d, int):
        return str(d)
    if d == d.to_integral_value():
        return str(int(d))
    return str(d.normalize())


def yuan(d: Decimal) -> str:
    """Human-readable amount for messages: ``"2,200,000.00元（220.00万元）"``."""
    s = f"{d.quantize(CENT):,.2f}元"
    if abs(d) >= WAN:
        s += f"（{(d / WAN).quantize(CENT):,.2f}万元）"
    return s


def pct(d: Decimal, places: int = 2) -> str:
    """``Decimal("0.044")`` → ``"4.40%"`` (truncated)."""
    q = Decimal(1).scaleb(-places)
    return f"{(d * 100).quantize(q, rounding=ROUND_DOWN)}%"


@lru_cache(maxsize=256)
def pct_rule(t: Decimal) -> str:
    """Threshold as a percentage without trailing zeros: 0.10 → "10%", 0.035 → "3.5%"."""
    s = format((t * 100).normalize(), "f")
    return f"{s}%"


def ceil_int(d: Decimal) -> int:
    return int(d.to_integral_value(rounding=ROUND_CEILING))


def tri_and(values: Iterable[bool | None]) -> bool | None:
    """Three-valued AND: False dominates, then None (unknown), else True."""
    unknown = False
    for v in values:
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


def tri_or(values: Iterable[bool | None]) -> bool | None:
    """Three-valued OR: True dominates, then None, else False."""
    unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def staff_gap(n: Decimal, t: Decimal, p: Decimal) -> tuple[int, int]:
    """People needed to lift the tech-staff share t/n to at least p.

    Returns ``(reclassify, hire)``: reclassify existing staff needs ``ceil(p·n − t)``;
    hiring new tech staff needs ``ceil((p·n − t)/(1 − p))`` (domain-rules.md §1.3).
    """
    short = p * n - t
    if short <= 0:
        return 0, 0
    return ceil_int(short), ceil_int(short / (ONE - p))


def age_days(case: Case, as_of: date) -> int | None:
    if case.established is None:
        return None
    return (as_of - case.established).days


def industry(case: Case) -> IndustryCode | None:
    if not case.industry_code:
        return None
    parsed = parse_industry_code(case.industry_code)
    return parsed if isinstance(parsed, IndustryCode) else None


def local_suffix(message: str, local: bool) -> str:
    return f"{message}（{LOCAL_RULE_MESSAGE}）" if local else message


def missing_fields(y: YearData | None, names: Iterable[str], prefix: str) -> list[str]:
    if y is None:
        return [prefix]
    return [f"{prefix}.{n}" for n in names if getattr(y, n) is None]


def null_condition(cid: str, fields: list[str], what: str, local: bool = False) -> Condition:
    return Condition(
        id=cid,
        met=None,
        message=local_suffix(f"缺少数据（{'、'.join(fields)}），无法判断{what}", local),
        local_rule=local,
    )


def compare_row(row: RuleRow, x: object) -> bool:
    return row.test(x)


def gap(cid: str, missing: Decimal | int, unit: str, message: str, local: bool = False) -> Gap:
    return Gap(id=cid, missing=missing, unit=unit, message=local_suffix(message, local),
               local_rule=local)


def staff_gaps(cid: str, n: Decimal, t: Decimal, p: Decimal, purpose: str) -> list[Gap]:
    """The two staff gaps (reclassify vs hire) to reach share ``p``."""
    reclassify, hire = staff_gap(n, t, p)
    if reclassify == 0:
        return []
    return [
        gap(cid, reclassify, "人",
            f"将{reclassify}名现有职工认定为科技人员，"
            f"科技人员占比可达到{pct_rule(p)}（{purpose}）"),
        gap(cid, hire, "人",
            f"或新招聘{hire}名科技人员，科技人员占比可达到{pct_rule(p)}（{purpose}）"),
    ]
