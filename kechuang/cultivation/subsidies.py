"""免申即享 subsidy arithmetic: pure functions over plain facts (no database access).

``compute`` returns the tier, the amount (Decimal 元, rounded half up to the fen) and the
computation written out in Chinese, so that every figure on the list can be checked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kechuang.core.money import format_amount, quantize

from .choices import TIER_PRIORITY, SubsidyKind, SubsidyTierStatus

ZERO = Decimal(0)


@dataclass(frozen=True)
class Tier:
    status: str
    rate: Decimal
    cap: Decimal | None = None


@dataclass(frozen=True)
class Facts:
    """What the policy looks at for one enterprise (base year = policy year − 1)."""

    base_year: int
    rd_base: Decimal | None = None  # R&D expense of the base year
    rd_previous: Decimal | None = None  # R&D expense of the year before the base year
    statuses: frozenset[str] = frozenset()
    first_high_tech: bool = False  # first-time 高企 certificate issued in the base year


@dataclass
class Outcome:
    qualifies: bool
    tier: str = ""
    base: Decimal | None = None
    rate: Decimal | None = None
    cap: Decimal | None = None
    amount: Decimal = ZERO
    lines: list[str] = field(default_factory=list)

    @property
    def computation(self) -> str:
        return "\n".join(self.lines)


def _label(status: str) -> str:
    return SubsidyTierStatus(status).label


def _pct(rate: Decimal) -> str:
    text = f"{(rate * 100).normalize():f}"
    return f"{text}%"


def _yuan(amount: Decimal) -> str:
    return f"{quantize(amount):,}元（{format_amount(amount, '万元')}）"


def pick_tier(tiers: list[Tier], statuses: frozenset[str]) -> Tier | None:
    """The tier of the highest-priority status the enterprise holds (高企 > 科小 > 规上)."""
    by_status = {t.status: t for t in tiers}
    for status in TIER_PRIORITY:
        if status in statuses and status in by_status:
            return by_status[status]
    return None


def compute(kind: str, tiers: list[Tier], facts: Facts,
            one_off_amount: Decimal | None = None) -> Outcome:
    """Entitlement of one enterprise under one policy."""
    if kind == SubsidyKind.ONE_OFF_FIRST_HIGH_TECH:
        if not facts.first_high_tech:
            return Outcome(False, lines=[f"{facts.base_year}年未首次认定为高新技术企业，不适用"])
        amount = quantize(one_off_amount or ZERO)
        return Outcome(True, tier=SubsidyTierStatus.HIGH_TECH, amount=amount, lines=[
            f"{facts.base_year}年首次认定为高新技术企业",
            f"一次性奖励 {_yuan(amount)}",
        ])

    held = "、".join(_label(s) for s in TIER_PRIORITY if s in facts.statuses) or "无"
    tier = pick_tier(tiers, facts.statuses)
    if tier is None:
        return Outcome(False, lines=[f"{facts.base_year}年资质：{held}；不属于本政策支持对象"])
    lines = [f"{facts.base_year}年资质：{held}；按“{_label(tier.status)}”档计算"]
    if facts.rd_base is None:
        lines.append(f"缺少{facts.base_year}年研发费用，无法计算（请补报年度指标）")
        return Outcome(False, tier=tier.status, rate=tier.rate, cap=tier.cap, lines=lines)

    if kind == SubsidyKind.LEVEL:
        base = facts.rd_base
        lines.append(f"计算基数 = {facts.base_year}年研发费用 = {_yuan(base)}")
    elif kind == SubsidyKind.INCREMENT:
        if facts.rd_previous is None:
            lines.append(f"缺少{facts.base_year - 1}年研发费用，无法计算增量（请补报年度指标）")
            return Outcome(False, tier=tier.status, rate=tier.rate, cap=tier.cap, lines=lines)
        growth = facts.rd_base - facts.rd_previous
        base = max(ZERO, growth)
        lines.append(
            f"研发费用增量 = {facts.base_year}年 {_yuan(facts.rd_base)} − "
            f"{facts.base_year - 1}年 {_yuan(facts.rd_previous)} = {_yuan(growth)}"
        )
        if growth <= 0:
            lines.append("增量不为正，按0计算")
    else:
        raise ValueError(f"unknown subsidy kind {kind!r}")

    raw = base * tier.rate
    amount = quantize(raw)
    lines.append(f"{_yuan(base)} × {_pct(tier.rate)} = {_yuan(amount)}")
    if tier.cap is not None and amount > tier.cap:
        amount = quantize(tier.cap)
        lines.append(f"超过封顶 {_yuan(tier.cap)}，按封顶金额兑现")
    lines.append(f"应兑现 {_yuan(amount)}")
    return Outcome(True, tier=tier.status, base=base, rate=tier.rate, cap=tier.cap,
                   amount=amount, lines=lines)
