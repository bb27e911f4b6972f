"""Learning from broker answers (accepted / declined + reason) for later, similar queries.

Each event remembers the query (normalised text and its character-bigram set) or the demand id,
the document and the verdict. For a new query, every event contributes an additive score
adjustment to its document, weighted by the similarity of the two queries (1.0 for the same
demand). Reasons differ in how far they transfer:

* 技术不匹配 / 已有方案 say something about the document's fit to this *kind* of problem: they
  demote it for every similar query.
* 成熟度不够 / 其他: moderate.
* 价格 / 地域 are about the asking enterprise (its budget, its location): they only demote for
  near-identical queries (high similarity threshold) and weakly.

Pure functions over a small JSON-serialisable :class:`FeedbackState`; the Django layer loads the
events from its database and passes ``adjustments(...)`` to ``Ranker.search(adjust=...)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from . import analysis

REASONS: tuple[str, ...] = ("技术不匹配", "成熟度不够", "价格", "地域", "已有方案", "其他")


@dataclass(frozen=True, slots=True)
class ReasonPolicy:
    """Demotion strength and minimum query similarity for a decline reason."""

    weight: float
    min_similarity: float


DEFAULT_POLICIES: dict[str, ReasonPolicy] = {
    "技术不匹配": ReasonPolicy(1.0, 0.2),
    "已有方案": ReasonPolicy(0.6, 0.3),
    "成熟度不够": ReasonPolicy(0.5, 0.3),
    "其他": ReasonPolicy(0.3, 0.4),
    "价格": ReasonPolicy(0.25, 0.8),
    "地域": ReasonPolicy(0.25, 0.8),
}


@dataclass(frozen=True, slots=True)
class FeedbackParams:
    accept_boost: float = 0.5
    accept_min_similarity: float = 0.2
    decline_penalty: float = 1.0
    policies: dict[str, ReasonPolicy] = field(default_factory=lambda: dict(DEFAULT_POLICIES))


@dataclass(frozen=True, slots=True)
class FeedbackEvent:
    """A broker's answer about one proposed document."""

    doc_id: str
    accepted: bool
    query: str = ""
    demand_id: str | None = None
    reason: str | None = None  # one of REASONS when declined

    def __post_init__(self) -> None:
        if not self.accepted and self.reason is not None and self.reason not in REASONS:
            raise ValueError(f"未知的拒绝原因：{self.reason}（可选：{'、'.join(REASONS)}）")


@dataclass(frozen=True, slots=True)
class _Stored:
    doc_id: str
    accepted: bool
    reason: str | None
    demand_id: str | None
    grams: frozenset[str]


def query_grams(text: str) -> frozenset[str]:
    """Character bigrams (and latin tokens) of a query: the unit of query similarity."""
    out: set[str] = set()
    for run in analysis.RUN_RE.findall(analysis.normalize(text)):
        if run[0] >= "\u3400" and len(run) > 1:
            out.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.add(run)
    return frozenset(out)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient weighted towards the smaller set (Dice); 0..1."""
    if not a or not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


@dataclass(slots=True)
class FeedbackState:
    """All remembered events (serialisable with :meth:`to_json` / :meth:`from_json`)."""

    events: list[_Stored] = field(default_factory=list)

    def to_json(self) -> str:
        rows = []
        for e in self.events:
            d = asdict(e)
            d["grams"] = sorted(e.grams)
            rows.append(d)
        return json.dumps({"version": 1, "events": rows}, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> FeedbackState:
        obj = json.loads(data) if data else {}
        events = [
            _Stored(r["doc_id"], bool(r["accepted"]), r.get("reason"), r.get("demand_id"),
                    frozenset(r.get("grams", [])))
            for r in obj.get("events", [])
        ]
        return cls(events)


def record(state: FeedbackState, event: FeedbackEvent) -> FeedbackState:
    """Return a new state with ``event`` added (the input state is not modified)."""
    stored = _Stored(event.doc_id, event.accepted, event.reason, event.demand_id,
                     query_grams(event.query))
    return FeedbackState([*state.events, stored])


def from_events(events: Iterable[FeedbackEvent]) -> FeedbackState:
    state = FeedbackState()
    for e in events:
        state = record(state, e)
    return state


def adjustments(
    state: FeedbackState, query: str = "", demand_id: str | None = None,
    params: FeedbackParams | None = None,
) -> dict[str, float]:
    """Additive score adjustment per document id for this query (positive = promote)."""
    params = params or FeedbackParams()
    grams = query_grams(query) if query else frozenset()
    out: dict[str, float] = {}
    for e in state.events:
        if demand_id is not None and e.demand_id is not None and e.demand_id == demand_id:
            sim = 1.0
        else:
            sim = similarity(grams, e.grams)
        if e.accepted:
            if sim >= params.accept_min_similarity:
                out[e.doc_id] = out.get(e.doc_id, 0.0) + params.accept_boost * sim
            continue
        policy = params.policies.get(e.reason or "其他", params.policies["其他"])
        if sim >= policy.min_similarity:
            delta = params.decline_penalty * policy.weight * sim
            out[e.doc_id] = out.get(e.doc_id, 0.0) - delta
    return out
