"""Versioned rule tables.

Every threshold, band and point range used by the engine is a *rule row*. Rows are plain
dicts (JSON files under ``kechuang/cultivation/rules/`` or rows of a database table with the
same columns) and are loaded with :func:`load_rules` or :func:`load_builtin_rules`.

Row columns (a ``RuleRow`` Django model should carry exactly these):

==================  ==========================================================================
``rule_id``         stable id within a scheme, e.g. ``"E2.staff_total"``, ``"score.staff.A"``
``scheme``          ``"tech-sme"`` | ``"high-tech"`` | ``"zj-tech-sme"``
``version``         label of the revision the row belongs to, e.g. ``"2017"``
``effective_from``  first day the row is in force (ISO date)
``effective_to``    last day the row is in force, inclusive (ISO date) or null = open
``table``           group of rows evaluated together, e.g. ``"E2"``, ``"score.rd_sales"``
``rank``            evaluation order inside the table (bands: first match wins)
``condition``       output condition id the row feeds (``"E2"``, ``"H5"`` …) or null
``band``            band / sector label (optional)
``field``           name of the quantity tested
``op``              ``>= > <= < == in not_in prefix_in not_prefix_in not_contains any expert``
                    ``regex valid_until``
``threshold``       decimal string, string, bool, list of strings, or null
``points_min``      lower end of the points awarded (bands) or null
``points_max``      upper end of the points awarded (bands) or null
``value``           output value of a lookup row (e.g. the required ratio ``"0.05"``) or null
``applies_to``      industry-code prefixes the row is restricted to, or null = all
``label``           Chinese description shown to users
``source``          legal source of the row
``confidence``      ``V`` | ``V-2`` | ``R`` | ``U`` (see domain-rules.md)
``local_rule``      true when the row is local / unverified: the UI shows "地方规则，请确认"
``note``            free-text remark
==================  ==========================================================================

A revision of the rules is a new set of rows with a later ``effective_from`` (and the old
rows closed with ``effective_to``): for each ``(scheme, rule_id)`` the engine uses the row in
force on the assessment date with the latest ``effective_from``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

SCHEMES = ("tech-sme", "high-tech", "zj-tech-sme")
CONFIDENCE_LEVELS = ("V", "V-2", "R", "U")
COMPARISON_OPS = (">=", ">", "<=", "<")
LIST_OPS = ("in", "not_in", "prefix_in", "not_prefix_in", "not_contains")
OTHER_OPS = ("==", "any", "expert", "regex", "valid_until")
ALL_OPS = COMPARISON_OPS + LIST_OPS + OTHER_OPS

ROW_FIELDS = (
    "rule_id",
    "scheme",
    "version",
    "effective_from",
    "effective_to",
    "table",
    "rank",
    "condition",
    "band",
    "field",
    "op",
    "threshold",
    "points_min",
    "points_max",
    "value",
    "applies_to",
    "label",
    "source",
    "confidence",
    "local_rule",
    "note",
)
LOCAL_RULE_MESSAGE = "地方规则，请确认"


class RuleError(ValueError):
    """A rule row is malformed, or no rule is in force for the requested date."""


@dataclass(frozen=True, slots=True)
class RuleRow:
    """One row of a rule table (see the module docstring for the meaning of each column)."""

    rule_id: str
    scheme: str
    version: str
    effective_from: date
    effective_to: date | None
    table: str
    field: str
    op: str
    threshold: Any = None
    rank: int = 0
    condition: str | None = None
    band: str | None = None
    points_min: int | None = None
    points_max: int | None = None
    value: str | None = None
    applies_to: tuple[str, ...] | None = None
    label: str = ""
    source: str = ""
    confidence: str = "V"
    local_rule: bool = False
    note: str = ""

    def in_force(self, on: date) -> bool:
        """Whether the row applies on ``on`` (both ends inclusive)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def test(self, x: Any) -> bool:
        """Apply ``op``/``threshold`` to the value ``x``."""
        op = self.op
        t = self.threshold
        if op == ">=":
            return x >= t
        if op == ">":
            return x > t
        if op == "<=":
            return x <= t
        if op == "<":
            return x < t
        if op == "==":
            return x == t
        if op == "in":
            return x in t
        if op == "not_in":
            return x not in t
        if op == "prefix_in":
            return any(str(x).startswith(p) for p in t)
        if op == "not_prefix_in":
            return not any(str(x).startswith(p) for p in t)
        if op == "not_contains":
            return not any(p in str(x) for p in t)
        if op == "regex":
            return re.fullmatch(t, str(x)) is not None
        if op in ("any", "expert"):
            return True
        raise RuleError(f"规则 {self.rule_id} 的运算符 {op} 不能直接求值")

    def to_dict(self) -> dict[str, Any]:
        """The row as a JSON-ready dict (the same columns :func:`load_rules` accepts)."""
        out: dict[str, Any] = {}
        for name in ROW_FIELDS:
            v = getattr(self, name)
            if isinstance(v, date):
                v = v.isoformat()
            elif isinstance(v, Decimal):
                v = str(v)
            elif isinstance(v, tuple):
                v = list(v)
            out[name] = v
        return out


def _parse_date(v: Any, where: str) -> date:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError as exc:
        raise RuleError(f"{where}：日期格式错误（{v!r}），应为 YYYY-MM-DD") from exc


def _parse_decimal(v: Any, where: str) -> Decimal:
    if isinstance(v, bool):
        raise RuleError(f"{where}：阈值应为数值，实际为 {v!r}")
    try:
        d = Decimal(str(v))
    except InvalidOperation as exc:
        raise RuleError(f"{where}：阈值应为数值，实际为 {v!r}") from exc
    if not d.is_finite():
        raise RuleError(f"{where}：阈值应为有限数值")
    return d


def row_from_dict(raw: Mapping[str, Any]) -> RuleRow:
    """Validate one flat row dict and turn it into a :class:`RuleRow`."""
    rid = raw.get("rule_id")
    where = f"规则 {rid or '?'}"
    for key in ("rule_id", "scheme", "version", "effective_from", "table", "field", "op"):
        if raw.get(key) in (None, ""):
            raise RuleError(f"{where}：缺少字段 {key}")
    unknown = set(raw) - set(ROW_FIELDS)
    if unknown:
        raise RuleError(f"{where}：未知字段 {', '.join(sorted(unknown))}")
    op = str(raw["op"])
    if op not in ALL_OPS:
        raise RuleError(f"{where}：不支持的运算符 {op}")
    confidence = str(raw.get("confidence") or "V")
    if confidence not in CONFIDENCE_LEVELS:
        raise RuleError(f"{where}：可信度应为 V/V-2/R/U 之一，实际为 {confidence}")
    threshold = raw.get("threshold")
    if op in COMPARISON_OPS:
        threshold = _parse_decimal(threshold, where)
    elif op in LIST_OPS:
        if not isinstance(threshold, list | tuple) or not all(
            isinstance(x, str) for x in threshold
        ):
            raise RuleError(f"{where}：运算符 {op} 的阈值应为字符串列表")
        threshold = tuple(threshold)
    elif op == "==" and (
        # numeric equality compares as Decimal; text (e.g. "查账征收") and bools stay as is
        (isinstance(threshold, int | float) and not isinstance(threshold, bool))
        or (isinstance(threshold, str) and re.fullmatch(r"-?\d+(\.\d+)?", threshold))
    ):
        threshold = _parse_decimal(threshold, where)
    effective_from = _parse_date(raw["effective_from"], where)
    effective_to = raw.get("effective_to")
    effective_to = None if effective_to in (None, "") else _parse_date(effective_to, where)
    if effective_to is not None and effective_to < effective_from:
        raise RuleError(f"{where}：失效日期早于生效日期")
    pmin, pmax = raw.get("points_min"), raw.get("points_max")
    if (pmin is None) != (pmax is None):
        raise RuleError(f"{where}：points_min 与 points_max 须同时给出")
    if pmin is not None and (int(pmin) != pmin or int(pmax) != pmax or pmin > pmax):
        raise RuleError(f"{where}：分值区间无效（{pmin}–{pmax}）")
    applies_to = raw.get("applies_to")
    if applies_to is not None:
        if not isinstance(applies_to, list | tuple):
            raise RuleError(f"{where}：applies_to 应为行业代码前缀列表")
        applies_to = tuple(str(x) for x in applies_to)
    value = raw.get("value")
    return RuleRow(
        rule_id=str(rid),
        scheme=str(raw["scheme"]),
        version=str(raw["version"]),
        effective_from=effective_from,
        effective_to=effective_to,
        table=str(raw["table"]),
        field=str(raw["field"]),
        op=op,
        threshold=threshold,
        rank=int(raw.get("rank") or 0),
        condition=raw.get("condition") or None,
        band=raw.get("band") or None,
        points_min=None if pmin is None else int(pmin),
        points_max=None if pmax is None else int(pmax),
        value=None if value is None else str(value),
        applies_to=applies_to,
        label=str(raw.get("label") or ""),
        source=str(raw.get("source") or ""),
        confidence=confidence,
        local_rule=bool(raw.get("local_rule", False)),
        note=str(raw.get("note") or ""),
    )


@dataclass(frozen=True)
class SchemeRules:
    """The rows of one scheme in force on one date, grouped by table and sorted by rank."""

    scheme: str
    as_of: date
    rows: dict[str, RuleRow]
    tables: dict[str, tuple[RuleRow, ...]] = field(default_factory=dict)

    @property
    def versions(self) -> list[str]:
        return sorted({r.version for r in self.rows.values()})

    def row(self, rule_id: str) -> RuleRow:
        try:
            return self.rows[rule_id]
        except KeyError:
            raise RuleError(
                f"{self.as_of.isoformat()} 无生效的规则 {self.scheme}/{rule_id}"
            ) from None

    def get(self, rule_id: str) -> RuleRow | None:
        return self.rows.get(rule_id)

    def table(self, name: str) -> tuple[RuleRow, ...]:
        return self.tables.get(name, ())

    def band(self, name: str, x: Any) -> RuleRow:
        """First row of table ``name`` (by rank) whose test accepts ``x``."""
        for r in self.table(name):
            if r.test(x):
                return r
        raise RuleError(f"规则表 {self.scheme}/{name} 未覆盖取值 {x}")

    def is_local(self, name: str) -> bool:
        return any(r.local_rule for r in self.table(name))


class RuleSet:
    """All loaded rule rows; hands out the :class:`SchemeRules` in force on a date."""

    def __init__(self, rows: Iterable[RuleRow]):
        self.rows: tuple[RuleRow, ...] = tuple(rows)
        seen: dict[tuple[str, str, date], RuleRow] = {}
        for r in self.rows:
            key = (r.scheme, r.rule_id, r.effective_from)
            if key in seen:
                raise RuleError(
                    f"规则 {r.scheme}/{r.rule_id} 在 {r.effective_from.isoformat()} 重复定义"
                )
            seen[key] = r
        self._cache: dict[tuple[str, date], SchemeRules] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def select(self, scheme: str, as_of: date) -> SchemeRules:
        """Rows of ``scheme`` in force on ``as_of`` (latest ``effective_from`` per rule id)."""
        key = (scheme, as_of)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        chosen: dict[str, RuleRow] = {}
        for r in self.rows:
            if r.scheme != scheme or not r.in_force(as_of):
                continue
            cur = chosen.get(r.rule_id)
            if cur is None or r.effective_from > cur.effective_from:
                chosen[r.rule_id] = r
        if not chosen:
            raise RuleError(f"{as_of.isoformat()} 没有生效的“{scheme}”评价规则")
        grouped: dict[str, list[RuleRow]] = {}
        for r in chosen.values():
            grouped.setdefault(r.table, []).append(r)
        tables = {
            k: tuple(sorted(v, key=lambda r: (r.rank, r.rule_id))) for k, v in grouped.items()
        }
        out = SchemeRules(scheme=scheme, as_of=as_of, rows=chosen, tables=tables)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = out
        return out


def load_rules(rows: list[dict[str, Any]]) -> RuleSet:
    """Build a :class:`RuleSet` from flat row dicts (JSON rows or database rows)."""
    return RuleSet(row_from_dict(r) for r in rows)


def flatten_rule_file(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Expand a rule file (``{"meta": {...}, "rows": [...]}``) into flat row dicts."""
    meta = {k: v for k, v in doc.get("meta", {}).items() if k in ROW_FIELDS}
    return [{**meta, **row} for row in doc.get("rows", [])]


def builtin_rule_rows() -> list[dict[str, Any]]:
    """The flat rows of every rule file shipped in ``kechuang/cultivation/rules/``.

    The Django layer can seed its ``RuleRow`` table from this list.
    """
    rows: list[dict[str, Any]] = []
    for path in sorted(RULES_DIR.glob("*.json")):
        with path.open(encoding="utf-8") as fh:
            rows.extend(flatten_rule_file(json.load(fh)))
    return rows


@lru_cache(maxsize=1)
def load_builtin_rules() -> RuleSet:
    """The rule set built from the shipped JSON files (cached)."""
    return load_rules(builtin_rule_rows())
