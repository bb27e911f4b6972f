"""Every write to the expert library. Atomic, audited; index refreshed after commit."""

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.scope import region_allowed
from kechuang.audit import record
from kechuang.audit.events import CREATE, UPDATE
from kechuang.core import changes
from kechuang.core.errors import OutOfScope, raise_if

from . import events
from .choices import ExpertKind, ExpertStatus
from .models import Expert
from .validation import as_list, expert_errors

EXPERT_FIELDS = (
    "kind", "name", "organisation", "title", "country", "languages", "fields", "specialties",
    "bio", "availability_from", "availability_until", "service_mode", "talent_programmes",
    "phone", "email", "id_number", "region", "status", "registered_on",
)
_TEXT = ("name", "organisation", "title", "country", "specialties", "bio", "phone", "email",
         "id_number")
SELF_EDITABLE = ("organisation", "title", "languages", "fields", "specialties", "bio",
                 "availability_from", "availability_until", "service_mode", "phone", "email")


def _clean(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in EXPERT_FIELDS}
    for key in _TEXT:
        if key in data:
            data[key] = (data[key] or "").strip()
    if data.get("id_number"):
        data["id_number"] = data["id_number"].upper()
    for key in ("languages", "fields", "talent_programmes"):
        if key in data:
            data[key] = as_list(data[key])
    return data


def _is_self(actor, expert: Expert | None) -> bool:
    return bool(expert is not None and actor is not None and expert.user_id
                and expert.user_id == getattr(actor, "pk", None))


def _after_commit(obj: Expert) -> None:
    changes.notify_on_commit("expert", obj.pk)


@transaction.atomic
def create_expert(*, actor, data: dict) -> Expert:
    data = _clean(data)
    raise_if(expert_errors({"name": "", "region": None, **data}))
    if actor is not None and not region_allowed(actor, data["region"]):
        raise OutOfScope("不能在您的数据权限范围之外登记专家")
    if data.get("kind") == ExpertKind.OVERSEAS_ENGINEER and data.get("country") in (None, "",
                                                                                   "中国"):
        raise_if({"country": "海外工程师请填写所在国家/地区"})
    data.setdefault("registered_on", timezone.localdate())
    obj = Expert(**data, created_by=actor, updated_by=actor)
    obj.save()
    record.write(CREATE, obj, actor=actor)
    _after_commit(obj)
    return obj


@transaction.atomic
def register_expert(*, actor, data: dict, region) -> Expert:
    """Self-registration from the portal: a pending profile linked to ``actor``."""
    if Expert.objects.filter(user=actor).exists():
        raise_if({"__all__": "您的账号已绑定专家档案"})
    data = _clean({k: v for k, v in data.items() if k in (*SELF_EDITABLE, "name", "kind",
                                                          "country")})
    if data.get("kind") == ExpertKind.ACADEMICIAN:
        data["kind"] = ExpertKind.EXPERT  # academician status is confirmed by staff
    raise_if(expert_errors({"name": "", **data}))
    obj = Expert(**data, region=region, user=actor, status=ExpertStatus.PENDING,
                 registered_on=timezone.localdate(), created_by=actor, updated_by=actor)
    obj.save()
    record.write(events.REGISTER, obj, actor=actor)
    _after_commit(obj)
    return obj


@transaction.atomic
def update_expert(*, actor, expert: Expert, data: dict) -> Expert:
    obj = Expert.objects.select_for_update().get(pk=expert.pk)
    own = _is_self(actor, obj)
    if actor is not None and not own and not region_allowed(actor, obj.region):
        raise OutOfScope("该专家不在您的数据权限范围内")
    data = _clean(data)
    if own and not region_allowed(actor, obj.region):
        # an expert keeps its own profile up to date; identity, region and status are the
        # bureau's. A form that sends them back unchanged is fine; a change is refused by name
        # (it used to be dropped while the save reported success).
        refused = {k: "该项由科技局维护，如需修改请联系工作人员" for k, v in data.items()
                   if k not in SELF_EDITABLE and v != getattr(obj, k, None)}
        raise_if(refused)
        data = {k: v for k, v in data.items() if k in SELF_EDITABLE}
    before = record.snapshot(obj)
    merged = {"availability_from": obj.availability_from,
              "availability_until": obj.availability_until, **data}
    raise_if(expert_errors(merged))
    for key, value in data.items():
        setattr(obj, key, value)
    if "region" in data and actor is not None and not region_allowed(actor, obj.region):
        raise OutOfScope("不能把专家移到您的数据权限范围之外")
    obj.updated_by = actor
    obj.save()
    record.write(UPDATE, obj, actor=actor, before=before)
    _after_commit(obj)
    return obj


@transaction.atomic
def set_expert_status(*, actor, expert: Expert, status: str, note: str = "") -> Expert:
    obj = Expert.objects.select_for_update().get(pk=expert.pk)
    if actor is not None and not region_allowed(actor, obj.region):
        raise OutOfScope("该专家不在您的数据权限范围内")
    if status not in ExpertStatus.values:
        raise_if({"status": "状态无效"})
    before = record.snapshot(obj)
    obj.status = status
    obj.updated_by = actor
    obj.save(update_fields=["status", "updated_by", "updated_at"])
    record.write(events.CHANGE_STATUS, obj, actor=actor, before=before, message=note[:500])
    _after_commit(obj)
    return obj


@transaction.atomic
def link_expert_user(*, actor, expert: Expert, user) -> Expert:
    """Give an expert's own log-in access to the profile (claim)."""
    obj = Expert.objects.select_for_update().get(pk=expert.pk)
    if obj.user_id and obj.user_id != user.pk:
        raise_if({"__all__": "该专家档案已被其他账号认领"})
    if Expert.objects.filter(user=user).exclude(pk=obj.pk).exists():
        raise_if({"__all__": "您的账号已绑定其他专家档案"})
    before = record.snapshot(obj)
    obj.user = user
    obj.save(update_fields=["user", "updated_at"])
    record.write(events.LINK_USER, obj, actor=actor, before=before,
                 message=f"绑定账号 {user.get_username()}")
    return obj
