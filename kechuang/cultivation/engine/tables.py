"""Generic evaluation of a condition table: every row must hold (three-valued)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .rules import RuleRow, SchemeRules


@dataclass(slots=True)
class TableOutcome:
    """Result of testing every row of a condition table against a dict of facts."""

    met: bool | None
    failed: list[RuleRow] = field(default_factory=list)
    unknown: list[RuleRow] = field(default_factory=list)
    local: bool = False
    rows: tuple[RuleRow, ...] = ()


def eval_table(sr: SchemeRules, table: str, facts: dict[str, object]) -> TableOutcome:
    """All rows of ``table`` must accept ``facts[row.field]``; a missing fact is unknown."""
    rows = sr.table(table)
    out = TableOutcome(met=True, rows=rows)
    for r in rows:
        x = facts.get(r.field)
        if x is None:
            out.unknown.append(r)
        elif not r.test(x):
            out.failed.append(r)
        if r.local_rule:
            out.local = True
    if out.failed:
        out.met = False
    elif out.unknown:
        out.met = None
    return out


def threshold_of(sr: SchemeRules, rule_id: str) -> Decimal:
    t = sr.row(rule_id).threshold
    assert isinstance(t, Decimal), rule_id
    return t
