"""Every write to the demand registry. Atomic, audited in the same transaction; the matching
index is refreshed after commit."""

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.scope import region_allowed
from kechuang.audit import record
from kechuang.audit.events import CREATE, UPDATE
from kechuang.core import changes
from kechuang.core.errors import OutOfScope, raise_if

from . import events
from .choices import DEMAND_TRANSITIONS, DemandStatus
from .models import TechDemand
from .validation import demand_errors, split_keywords

DEMAND_FIELDS = ("title", "description", "field", "sub_field", "keywords", "budget", "deadline",
                 "is_anonymous", "contact_name", "contact_phone")
TEXT_FIELDS = ("title", "description", "contact_name", "contact_phone", "field", "sub_field")


def _is_member(actor, enterprise) -> bool:
    return bool(actor is not None and getattr(actor, "pk", None)
                and enterprise.members.filter(pk=actor.pk).exists())


def check_enterprise_scope(actor, enterprise) -> None:
    """Staff within their region, or the enterprise's own accounts."""
    if actor is None:
        return
    if region_allowed(actor, enterprise.region) or _is_member(actor, enterprise):
        return
    raise OutOfScope("该企业不在您的数据权限范围内")


def _clean(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in DEMAND_FIELDS}
    for key in TEXT_FIELDS:
        if key in data:
            data[key] = (data[key] or "").strip()
    if "keywords" in data:
        data["keywords"] = split_keywords(data["keywords"])
    return data


def _after_commit(demand: TechDemand) -> None:
    changes.notify_on_commit("demand", demand.pk)


@transaction.atomic
def create_demand(*, actor, enterprise, data: dict, publish: bool = False,
                  published_at=None) -> TechDemand:
    """File a demand for ``enterprise``; it waits for review unless a reviewer publishes it."""
    data = _clean(data)
    raise_if(demand_errors({"title": "", "description": "", **data},
                           today=timezone.localdate()))
    check_enterprise_scope(actor, enterprise)
    demand = TechDemand(enterprise=enterprise, region=enterprise.region, created_by=actor,
                        updated_by=actor, **data)
    if publish:
        _require_reviewer(actor)
        demand.status = DemandStatus.PUBLISHED
        demand.published_at = published_at or timezone.now()
    demand.save()
    record.write(CREATE, demand, actor=actor, related=enterprise)
    _after_commit(demand)
    return demand


@transaction.atomic
def update_demand(*, actor, demand: TechDemand, data: dict) -> TechDemand:
    """Change a demand. An enterprise editing the title or description of a demand the public
    can see (已发布, 对接中) or of a returned one resubmits it for review."""
    demand = TechDemand.objects.select_for_update().select_related("enterprise").get(pk=demand.pk)
    check_enterprise_scope(actor, demand.enterprise)
    before = record.snapshot(demand)
    data = _clean(data)
    merged = {"field": demand.field, "sub_field": demand.sub_field, **data}
    raise_if(demand_errors(merged if "sub_field" in data or "field" in data else data,
                           today=None))
    if demand.status in (DemandStatus.SOLVED, DemandStatus.CLOSED):
        raise_if({"__all__": f"需求{demand.get_status_display()}，不能修改"})
    # the edit form sends every field: only a different title or description is new content
    content_changed = any(k in data and data[k] != getattr(demand, k)
                          for k in ("title", "description"))
    for key, value in data.items():
        setattr(demand, key, value)
    if (content_changed and not _is_reviewer(actor)
            and demand.status in (DemandStatus.PUBLISHED, DemandStatus.MATCHING,
                                  DemandStatus.REJECTED)):
        demand.status = DemandStatus.PENDING
    demand.updated_by = actor
    demand.save()
    record.write(UPDATE, demand, actor=actor, before=before, related=demand.enterprise)
    _after_commit(demand)
    return demand


def _is_reviewer(actor) -> bool:
    return actor is None or actor.has_perm("demands.review_techdemand")


def _require_reviewer(actor) -> None:
    if not _is_reviewer(actor):
        raise OutOfScope("您没有审核技术需求的权限")


@transaction.atomic
def review_demand(*, actor, demand: TechDemand, approve: bool, note: str = "") -> TechDemand:
    """Staff review: publish, or return to the enterprise with a note."""
    _require_reviewer(actor)
    demand = TechDemand.objects.select_for_update().get(pk=demand.pk)
    if actor is not None and not region_allowed(actor, demand.region):
        raise OutOfScope("该需求不在您的数据权限范围内")
    if demand.status not in (DemandStatus.PENDING, DemandStatus.REJECTED):
        raise_if({"__all__": f"需求当前为“{demand.get_status_display()}”，无需审核"})
    note = (note or "").strip()[:255]
    if not approve and not note:
        raise_if({"review_note": "退回时请填写审核意见"})
    before = record.snapshot(demand)
    demand.review_note = note
    if approve:
        demand.status = DemandStatus.PUBLISHED
        demand.published_at = demand.published_at or timezone.now()
    else:
        demand.status = DemandStatus.REJECTED
    demand.updated_by = actor
    demand.save()
    record.write(events.REVIEW_PUBLISH if approve else events.REVIEW_REJECT, demand,
                 actor=actor, before=before, message=note)
    _after_commit(demand)
    return demand


@transaction.atomic
def change_demand_status(*, actor, demand: TechDemand, status: str,
                         note: str = "") -> TechDemand:
    """Move a published demand along 已发布 → 对接中 → 已解决 / 已关闭."""
    demand = TechDemand.objects.select_for_update().select_related("enterprise").get(pk=demand.pk)
    check_enterprise_scope(actor, demand.enterprise)
    if status not in DEMAND_TRANSITIONS.get(demand.status, ()):
        label = DemandStatus(status).label if status in DemandStatus.values else status
        raise_if({"status": f"需求不能从“{demand.get_status_display()}”变为“{label}”"})
    if status == DemandStatus.PUBLISHED and demand.status == DemandStatus.PENDING:
        return review_demand(actor=actor, demand=demand, approve=True, note=note)
    before = record.snapshot(demand)
    demand.status = status
    demand.updated_by = actor
    demand.save(update_fields=["status", "updated_by", "updated_at"])
    record.write(events.CHANGE_STATUS, demand, actor=actor, before=before, message=note[:500])
    _after_commit(demand)
    return demand
