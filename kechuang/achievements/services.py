"""Every write to the achievement registry. Atomic, audited; index refreshed after commit."""

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.scope import region_allowed
from kechuang.audit import record
from kechuang.audit.events import CREATE, UPDATE
from kechuang.core import changes
from kechuang.core.errors import OutOfScope, raise_if

from . import events
from .choices import ACHIEVEMENT_TRANSITIONS, AchievementStatus
from .models import Achievement
from .validation import achievement_errors, split_keywords

ACHIEVEMENT_FIELDS = (
    "owner_name", "owner_kind", "institution", "title", "abstract", "keywords", "field",
    "sub_field", "maturity", "ip_type", "ip_number", "transfer_mode", "price", "region",
    "contact_name", "contact_phone",
)
IP_TYPE_DEFAULT = Achievement._meta.get_field("ip_type").default

_TEXT = ("owner_name", "title", "abstract", "ip_number", "contact_name", "contact_phone",
         "sub_field")


def _clean(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in ACHIEVEMENT_FIELDS}
    for key in _TEXT:
        if key in data:
            data[key] = (data[key] or "").strip()
    if data.get("ip_number"):
        data["ip_number"] = data["ip_number"].upper().replace(" ", "")
    if "keywords" in data:
        data["keywords"] = split_keywords(data["keywords"])
    return data


def _owns(actor, achievement: Achievement | None, institution=None) -> bool:
    if actor is None or not getattr(actor, "pk", None):
        return False
    if achievement is not None and achievement.created_by_id == actor.pk:
        return True
    inst = institution or (achievement.institution if achievement else None)
    return bool(inst is not None and inst.members.filter(pk=actor.pk).exists())


def _check_scope(actor, region, achievement=None, institution=None) -> None:
    if actor is None or region_allowed(actor, region) or _owns(actor, achievement, institution):
        return
    if achievement is None and institution is None and actor.has_perm(
            "achievements.add_achievement"):
        return  # a portal user filing their own achievement (仅本人 afterwards)
    raise OutOfScope("不能在您的数据权限范围之外登记科技成果")


def is_reviewer(actor) -> bool:
    return actor is None or actor.has_perm("achievements.review_achievement")


def _after_commit(obj: Achievement) -> None:
    changes.notify_on_commit("achievement", obj.pk)


@transaction.atomic
def create_achievement(*, actor, data: dict, publish: bool = False,
                       published_at=None) -> Achievement:
    data = _clean(data)
    if data.get("region") is None and data.get("institution") is not None:
        data["region"] = data["institution"].region
    # An omitted ip_type is stored as the model's default, so the number is checked against it
    # (else an import row without the type stores a number its own export cannot re-import).
    raise_if(achievement_errors({"owner_name": "", "title": "", "abstract": "", "field": "",
                                 "region": None, "ip_type": IP_TYPE_DEFAULT, **data}))
    _check_scope(actor, data["region"], institution=data.get("institution"))
    obj = Achievement(**data, created_by=actor, updated_by=actor)
    if publish:
        if not is_reviewer(actor):
            raise OutOfScope("您没有审核科技成果的权限")
        obj.status = AchievementStatus.PUBLISHED
        obj.published_at = published_at or timezone.now()
    obj.save()
    record.write(CREATE, obj, actor=actor)
    _after_commit(obj)
    return obj


@transaction.atomic
def update_achievement(*, actor, achievement: Achievement, data: dict) -> Achievement:
    obj = Achievement.objects.select_for_update().get(pk=achievement.pk)
    _check_scope(actor, obj.region, achievement=obj)
    before = record.snapshot(obj)
    data = _clean(data)
    merged = {"field": obj.field, "sub_field": obj.sub_field, "ip_type": obj.ip_type, **data}
    raise_if(achievement_errors(merged))
    if obj.status == AchievementStatus.TRANSFERRED and not is_reviewer(actor):
        raise_if({"__all__": "成果已转化，不能修改"})
    # what the portal shows as the owner's words; the edit form sends every field, so only
    # a different value is new content to review
    content_changed = any(k in data and data[k] != getattr(obj, k)
                          for k in ("title", "abstract", "keywords"))
    for key, value in data.items():
        setattr(obj, key, value)
    if "region" in data:
        _check_scope(actor, obj.region, achievement=obj)
    if (content_changed and not is_reviewer(actor)
            and obj.status in (AchievementStatus.PUBLISHED, AchievementStatus.REJECTED)):
        obj.status = AchievementStatus.PENDING
    obj.updated_by = actor
    obj.save()
    record.write(UPDATE, obj, actor=actor, before=before)
    _after_commit(obj)
    return obj


@transaction.atomic
def review_achievement(*, actor, achievement: Achievement, approve: bool,
                       note: str = "") -> Achievement:
    if not is_reviewer(actor):
        raise OutOfScope("您没有审核科技成果的权限")
    obj = Achievement.objects.select_for_update().get(pk=achievement.pk)
    if actor is not None and not region_allowed(actor, obj.region):
        raise OutOfScope("该成果不在您的数据权限范围内")
    if obj.status not in (AchievementStatus.PENDING, AchievementStatus.REJECTED):
        raise_if({"__all__": f"成果当前为“{obj.get_status_display()}”，无需审核"})
    note = (note or "").strip()[:255]
    if not approve and not note:
        raise_if({"review_note": "退回时请填写审核意见"})
    before = record.snapshot(obj)
    obj.review_note = note
    if approve:
        obj.status = AchievementStatus.PUBLISHED
        obj.published_at = obj.published_at or timezone.now()
    else:
        obj.status = AchievementStatus.REJECTED
    obj.updated_by = actor
    obj.save()
    record.write(events.REVIEW_PUBLISH if approve else events.REVIEW_REJECT, obj, actor=actor,
                 before=before, message=note)
    _after_commit(obj)
    return obj


@transaction.atomic
def change_achievement_status(*, actor, achievement: Achievement, status: str,
                              note: str = "") -> Achievement:
    obj = Achievement.objects.select_for_update().get(pk=achievement.pk)
    _check_scope(actor, obj.region, achievement=obj)
    if status not in ACHIEVEMENT_TRANSITIONS.get(obj.status, ()):
        label = AchievementStatus(status).label if status in AchievementStatus.values else status
        raise_if({"status": f"成果不能从“{obj.get_status_display()}”变为“{label}”"})
    if status == AchievementStatus.PUBLISHED:
        return review_achievement(actor=actor, achievement=obj, approve=True, note=note)
    before = record.snapshot(obj)
    obj.status = status
    obj.updated_by = actor
    obj.save(update_fields=["status", "updated_by", "updated_at"])
    record.write(events.CHANGE_STATUS, obj, actor=actor, before=before, message=note[:500])
    _after_commit(obj)
    return obj
