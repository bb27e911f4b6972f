"""Matching: ranked suggestions with explanations, answers that feed back into ranking.

Reads published records (the public surface the portal shows); writes (answers) go through
``respond_to_suggestion`` — atomic and audited like every service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.db import transaction
from django.utils import timezone

from kechuang.achievements.choices import Maturity
from kechuang.achievements.models import Achievement
from kechuang.achievements.techfields import field_label
from kechuang.audit import record
from kechuang.core.errors import OutOfScope, raise_if
from kechuang.demands.models import TechDemand
from kechuang.enterprises.models import Enterprise
from kechuang.experts.choices import ExpertKind, ServiceMode
from kechuang.experts.models import Expert

from . import documents, events, feedback, search
from .choices import (
    Decision,
    DeclineReason,
    ResponderRole,
    SourceKind,
    SuggestionStatus,
    TargetKind,
)
from .models import MatchResponse, MatchSuggestion

INDEX_OF = {
    TargetKind.ACHIEVEMENT: "achievement", TargetKind.EXPERT: "expert",
    TargetKind.OVERSEAS_ENGINEER: "expert", TargetKind.DEMAND: "demand",
    TargetKind.ENTERPRISE: "enterprise",
}
DEMAND_TARGETS = (TargetKind.ACHIEVEMENT, TargetKind.EXPERT, TargetKind.OVERSEAS_ENGINEER)
ACHIEVEMENT_TARGETS = (TargetKind.DEMAND, TargetKind.ENTERPRISE)
MATURITY_ORDER = [m.value for m in Maturity]


@dataclass
class MatchFilters:
    """Hard filters; empty values mean "no filter"."""

    field: str = ""
    region: object | None = None
    min_maturity: str = ""
    transfer_modes: list[str] = dc_field(default_factory=list)
    service_mode: str = ""  # onsite | remote
    available_on: dt.date | None = None

    def facets(self, target_kind: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if self.field:
            out["field"] = [self.field]
        if self.region is not None:
            out["region"] = [self.region.code]
        if target_kind == TargetKind.ACHIEVEMENT:
            if self.min_maturity in MATURITY_ORDER:
                out["maturity"] = MATURITY_ORDER[MATURITY_ORDER.index(self.min_maturity):]
            if self.transfer_modes:
                out["transfer_mode"] = list(self.transfer_modes)
        if target_kind in (TargetKind.EXPERT, TargetKind.OVERSEAS_ENGINEER):
            out["kind"] = ([ExpertKind.OVERSEAS_ENGINEER]
                           if target_kind == TargetKind.OVERSEAS_ENGINEER
                           else [ExpertKind.EXPERT, ExpertKind.ACADEMICIAN])
            if self.service_mode in (ServiceMode.ONSITE, ServiceMode.REMOTE):
                out["service_mode"] = [self.service_mode, ServiceMode.BOTH]
        return out


@dataclass
class MatchResult:
    suggestions: list[search.Suggestion]
    message: str = ""
    query_terms: list[str] = dc_field(default_factory=list)


def demand_text(d: TechDemand) -> str:
    return f"{d.title} {d.title} {' '.join(d.keywords or [])} {d.description}"


def achievement_text(a: Achievement) -> str:
    return f"{a.title} {a.title} {' '.join(a.keywords or [])} {a.abstract}"


def _load(kind: str, ids: list[int]) -> dict[int, object]:
    qs = {
        "achievement": documents.achievement_queryset,
        "expert": documents.expert_queryset,
        "demand": lambda: documents.demand_queryset().select_related("enterprise"),
        "enterprise": documents.enterprise_queryset,
    }[kind]()
    return {o.pk: o for o in qs.filter(pk__in=ids)}


def rank(text: str, target_kind: str, *, filters: MatchFilters | None = None,
         source_kind: str = SourceKind.DEMAND, top_k: int = 10, source=None,
         exclude: set[int] | None = None) -> MatchResult:
    """Rank ``target_kind`` records for ``text``; explanation per suggestion."""
    filters = filters or MatchFilters()
    check = search.check_query(text)
    if not check.text:
        return MatchResult([], check.message)
    kind = INDEX_OF[target_kind]
    adjust = feedback.adjustments(source_kind, (target_kind,), text)
    want = top_k * 4 if filters.available_on or exclude else top_k
    hits = search.search(kind, text, top_k=want, filters=filters.facets(target_kind),
                         adjust=adjust)
    objs = _load(kind, [int(h.id) for h in hits if h.id.isdigit()])
    out: list[search.Suggestion] = []
    for hit in hits:
        obj = objs.get(int(hit.id)) if hit.id.isdigit() else None
        if obj is None or (exclude and obj.pk in exclude):
            continue
        if filters.available_on and isinstance(obj, Expert) \
                and not obj.is_available_on(filters.available_on):
            continue
        title, body = _display_text(obj)
        out.append(search.Suggestion(
            kind=target_kind, obj=obj, score=round(hit.score, 4), rank=len(out) + 1,
            matched_terms=hit.matched_terms[:12], agreeing=agreeing(source, obj),
            snippet=search.highlight(body, hit.matched_terms),
            title_html=search.highlight(title, hit.matched_terms, limit=0),
            adjusted=adjust.get(hit.id, 0.0),
        ))
        if len(out) >= top_k:
            break
    message = check.message
    if not out and not message:
        message = "暂无符合条件的推荐，可放宽筛选条件或补充需求描述"
    return MatchResult(out, message)


def _display_text(obj) -> tuple[str, str]:
    if isinstance(obj, Achievement):
        return obj.title, obj.abstract
    if isinstance(obj, Expert):
        return obj.name, f"{obj.organisation} {obj.title} {obj.specialties}"
    if isinstance(obj, TechDemand):
        return obj.title, obj.description
    if isinstance(obj, Enterprise):
        return obj.name, obj.industry_name
    return str(obj), ""


def agreeing(source, target) -> list[str]:
    """Human-readable facts on which source and target agree."""
    out: list[str] = []
    if source is None:
        return out
    s_fields = _fields(source)
    shared = [f for f in _fields(target) if f in s_fields]
    if shared:
        out.append("技术领域一致：" + "、".join(field_label(f) for f in shared))
    s_region, t_region = getattr(source, "region", None), getattr(target, "region", None)
    if s_region is not None and t_region is not None and s_region.pk == t_region.pk:
        out.append(f"同在{t_region.name}")
    if isinstance(source, TechDemand) and isinstance(target, Achievement):
        if source.budget is not None and target.price is not None and target.price <= \
                source.budget:
            out.append("意向价格在预算内")
        if target.maturity >= Maturity.PILOT:
            out.append(f"成熟度：{target.get_maturity_display()}")
    if (isinstance(source, Achievement) and isinstance(target, TechDemand)
            and target.budget is not None and source.price is not None
            and source.price <= target.budget):
        out.append("需求预算覆盖意向价格")
    if isinstance(target, Expert):
        if target.is_available_on(timezone.localdate()):
            out.append("当前可服务")
        out.append(f"服务方式：{target.get_service_mode_display()}")
    return out


def _fields(obj) -> list[str]:
    if isinstance(obj, Expert):
        return list(obj.fields or [])
    value = getattr(obj, "field", "")
    return [value] if value else []


def match_demand(demand: TechDemand, target_kind: str = TargetKind.ACHIEVEMENT, *,
                 filters: MatchFilters | None = None, top_k: int = 10) -> MatchResult:
    return rank(demand_text(demand), target_kind, filters=filters, source=demand,
                source_kind=SourceKind.DEMAND, top_k=top_k)


def match_achievement(achievement: Achievement, target_kind: str = TargetKind.DEMAND, *,
                      filters: MatchFilters | None = None, top_k: int = 10) -> MatchResult:
    return rank(achievement_text(achievement), target_kind, filters=filters,
                source=achievement, source_kind=SourceKind.ACHIEVEMENT, top_k=top_k)


# --- answers ---------------------------------------------------------------------------------

def _target_fk(target_kind: str, target) -> dict:
    if target_kind in (TargetKind.EXPERT, TargetKind.OVERSEAS_ENGINEER):
        return {"expert": target}
    if target_kind == TargetKind.ENTERPRISE:
        return {"enterprise": target}
    if target_kind == TargetKind.DEMAND:
        return {"demand": target}
    return {"achievement": target}


def can_respond(actor, source) -> bool:
    """Brokers/staff with the permission who can see the source, or the demand's enterprise."""
    if actor is None:
        return True
    if not actor.has_perm("matching.respond_matchsuggestion"):
        return False
    model = type(source)
    return model.objects.restrict(actor, "view").filter(pk=source.pk).exists()


@transaction.atomic
def respond_to_suggestion(*, actor, source, target_kind: str, target, decision: str,
                          reason: str = "", note: str = "", score: float = 0.0, rank: int = 0,
                          explanation: dict | None = None) -> MatchResponse:
    """Accept or decline (with a reason from the fixed list) one suggestion."""
    if decision not in Decision.values:
        raise_if({"decision": "请选择接受或谢绝"})
    if decision == Decision.DECLINE and reason not in DeclineReason.values:
        raise_if({"reason": "谢绝时请选择原因：" + "、".join(DeclineReason.labels)})
    if decision == Decision.ACCEPT:
        reason = ""
    source_kind = SourceKind.DEMAND if isinstance(source, TechDemand) else SourceKind.ACHIEVEMENT
    allowed = DEMAND_TARGETS if source_kind == SourceKind.DEMAND else ACHIEVEMENT_TARGETS
    if target_kind not in allowed:
        raise_if({"target_kind": "推荐类型无效"})
    if not can_respond(actor, source):
        raise OutOfScope("您不能答复该推荐")
    lookup = {"source_kind": source_kind, "target_kind": target_kind,
              "demand": None, "achievement": None, "expert": None, "enterprise": None}
    lookup[source_kind if source_kind == SourceKind.DEMAND else "achievement"] = source
    lookup.update(_target_fk(target_kind, target))
    suggestion = MatchSuggestion.objects.select_for_update().filter(**lookup).first()
    before = record.snapshot(suggestion)
    if suggestion is None:
        suggestion = MatchSuggestion(**lookup, region=source.region, score=score, rank=rank,
                                     explanation=explanation or {}, created_by=actor)
    suggestion.status = (SuggestionStatus.ACCEPTED if decision == Decision.ACCEPT
                         else SuggestionStatus.DECLINED)
    suggestion.updated_by = actor
    suggestion.save()
    role = _role_of(actor, source)
    response = MatchResponse.objects.create(
        suggestion=suggestion, decision=decision, reason=reason, note=(note or "")[:255],
        responder_role=role, created_by=actor, updated_by=actor)
    record.write(events.RESPOND, suggestion, actor=actor, before=before,
                 message=str(response))
    return response


def _role_of(actor, source) -> str:
    if actor is None:
        return ResponderRole.STAFF
    if actor.has_role("broker"):
        return ResponderRole.BROKER
    if actor.has_role("enterprise"):
        return ResponderRole.ENTERPRISE
    if actor.has_role("expert"):
        return ResponderRole.EXPERT
    return ResponderRole.STAFF


def load_target(target_kind: str, pk: int):
    kind = INDEX_OF.get(target_kind)
    if kind is None:
        return None
    return _load(kind, [pk]).get(pk)
