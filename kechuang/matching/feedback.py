"""Broker and enterprise answers → score adjustments for later, similar queries.

Each answered suggestion says: for a source text like *this*, target *X* was accepted (or
declined for a reason). A new query is compared with the past sources (character-bigram cosine);
past answers of similar sources move their targets up (accept) or down (decline, weighted by the
reason). The engine's ``Ranker.search(adjust=…)`` adds these to the scores.
"""

from __future__ import annotations

import math
from collections import Counter

from .choices import Decision, DeclineReason, SourceKind, TargetKind
from .engine import analysis

ACCEPT_WEIGHT = 0.4
DECLINE_WEIGHTS = {
    DeclineReason.TECH_MISMATCH: 1.0,
    DeclineReason.IMMATURE: 0.6,
    DeclineReason.HAS_SOLUTION: 0.5,
    DeclineReason.PRICE: 0.4,
    DeclineReason.LOCATION: 0.4,
    DeclineReason.OTHER: 0.3,
}
MIN_SIMILARITY = 0.2
MAX_RESPONSES = 5000


def _bigrams(text: str) -> Counter[str]:
    return Counter(t for t in analysis.analyze(text, 3000) if len(t) > 1 or t.isascii())


def similarity(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def source_text(suggestion) -> str:
    if suggestion.source_kind == SourceKind.DEMAND and suggestion.demand_id:
        d = suggestion.demand
        return f"{d.title} {d.description}"
    a = suggestion.achievement
    return f"{a.title} {a.abstract}" if a else ""


def target_id(suggestion) -> str:
    kind = suggestion.target_kind
    if kind in (TargetKind.EXPERT, TargetKind.OVERSEAS_ENGINEER):
        return str(suggestion.expert_id)
    if kind == TargetKind.ENTERPRISE:
        return str(suggestion.enterprise_id)
    if kind == TargetKind.DEMAND:
        return str(suggestion.demand_id)
    return str(suggestion.achievement_id)


def adjustments(source_kind: str, target_kinds: tuple[str, ...], text: str) -> dict[str, float]:
    """doc id → additive score for ``text`` from past answers about similar sources."""
    from .models import MatchResponse

    query = _bigrams(text)
    if not query:
        return {}
    rows = (MatchResponse.objects
            .filter(suggestion__source_kind=source_kind,
                    suggestion__target_kind__in=target_kinds)
            .select_related("suggestion", "suggestion__demand", "suggestion__achievement")
            .order_by("-created_at")[:MAX_RESPONSES])
    latest: dict[int, object] = {}
    for r in rows:
        latest.setdefault(r.suggestion_id, r)  # the newest answer per suggestion counts
    cache: dict[tuple[str, int | None, int | None], float] = {}
    out: dict[str, float] = {}
    for r in latest.values():
        s = r.suggestion
        key = (s.source_kind, s.demand_id, s.achievement_id)
        if key not in cache:
            cache[key] = similarity(query, _bigrams(source_text(s)))
        sim = cache[key]
        if sim < MIN_SIMILARITY:
            continue
        if r.decision == Decision.ACCEPT:
            delta = ACCEPT_WEIGHT * sim
        else:
            delta = -DECLINE_WEIGHTS.get(r.reason, 0.3) * sim
        tid = target_id(s)
        out[tid] = out.get(tid, 0.0) + delta
    return out
