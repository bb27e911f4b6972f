"""Records → engine documents. Only published/active records are indexed."""

from __future__ import annotations

from kechuang.achievements.choices import VISIBLE_STATUSES as ACHIEVEMENT_VISIBLE
from kechuang.achievements.models import Achievement
from kechuang.achievements.techfields import field_label
from kechuang.demands.choices import VISIBLE_STATUSES as DEMAND_VISIBLE
from kechuang.demands.choices import DemandStatus
from kechuang.demands.models import TechDemand
from kechuang.enterprises.models import Enterprise
from kechuang.experts.choices import ExpertStatus
from kechuang.experts.models import Expert

from .engine.index import Document
from .search import region_codes

OPEN_DEMAND_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.MATCHING)


def achievement_queryset():
    return Achievement.objects.filter(status__in=ACHIEVEMENT_VISIBLE).select_related(
        "region")


def expert_queryset():
    return Expert.objects.filter(status=ExpertStatus.ACTIVE).select_related("region")


def demand_queryset():
    return TechDemand.objects.filter(status__in=DEMAND_VISIBLE).select_related("region")


def enterprise_queryset():
    return Enterprise.objects.filter(is_active=True).select_related("region")


def achievement_doc(a: Achievement) -> Document:
    return Document(str(a.pk), {
        "title": a.title, "abstract": a.abstract, "keywords": " ".join(a.keywords or []),
        "owner": a.owner_name,
    }, {
        "field": a.field, "sub_field": a.sub_field, "maturity": a.maturity,
        "transfer_mode": a.transfer_mode, "region": region_codes(a.region),
        "status": a.status,
    })


def expert_doc(e: Expert) -> Document:
    labels = " ".join(field_label(f) for f in e.fields or [])
    return Document(str(e.pk), {
        "title": e.specialties[:500], "organisation": e.organisation, "position": e.title,
        "bio": e.bio, "fields": labels,
    }, {
        "field": list(e.fields or []), "kind": e.kind, "service_mode": e.service_mode,
        "region": region_codes(e.region), "country": e.country,
    })


def demand_doc(d: TechDemand) -> Document:
    return Document(str(d.pk), {
        "title": d.title, "description": d.description, "keywords": " ".join(d.keywords or []),
    }, {
        "field": d.field, "region": region_codes(d.region), "status": d.status,
    })


def enterprise_doc(e: Enterprise, demands: list[TechDemand] | None = None) -> Document:
    """The enterprise by name, industry and its published demands — not the anonymous ones:
    matching an enterprise on their words would show who posted them."""
    if demands is None:
        demands = list(TechDemand.objects.filter(enterprise=e, status__in=DEMAND_VISIBLE))
    demands = [d for d in demands if not d.is_anonymous]
    text = " ".join(f"{d.title} {d.description[:1000]}" for d in demands[:20])
    return Document(str(e.pk), {
        "title": e.name, "industry": e.industry_name, "demands": text,
    }, {
        "field": sorted({d.field for d in demands if d.field}),
        "region": region_codes(e.region),
    })


BUILDERS = {
    "achievement": (achievement_queryset, achievement_doc),
    "expert": (expert_queryset, expert_doc),
    "demand": (demand_queryset, demand_doc),
    "enterprise": (enterprise_queryset, enterprise_doc),
}
