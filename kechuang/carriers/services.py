"""Every write to the carrier registry. Atomic and audited."""

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.scope import region_allowed
from kechuang.audit import record
from kechuang.audit.events import CREATE, UPDATE
from kechuang.core.errors import OutOfScope, raise_if
from kechuang.experts.validation import as_list

from . import events
from .models import Carrier
from .validation import carrier_errors

CARRIER_FIELDS = (
    "name", "kind", "level", "host_name", "host_enterprise", "opened_on", "recognized_on",
    "fields", "description", "address", "area", "contact_name", "contact_phone", "region",
    "is_active",
)
_TEXT = ("name", "host_name", "description", "address", "contact_name", "contact_phone")


def _clean(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in CARRIER_FIELDS}
    for key in _TEXT:
        if key in data:
            data[key] = (data[key] or "").strip()
    if "fields" in data:
        data["fields"] = as_list(data["fields"])
    if data.get("host_enterprise") is not None and not data.get("host_name"):
        data["host_name"] = data["host_enterprise"].name
    return data


def _check(actor, region, carrier: Carrier | None = None) -> None:
    if actor is None or region_allowed(actor, region):
        return
    if carrier is not None and carrier.members.filter(pk=actor.pk).exists():
        return
    raise OutOfScope("不能在您的数据权限范围之外登记载体")


@transaction.atomic
def create_carrier(*, actor, data: dict) -> Carrier:
    data = _clean(data)
    raise_if(carrier_errors({"name": "", "kind": "", "region": None, **data},
                            today=timezone.localdate()))
    _check(actor, data["region"])
    obj = Carrier(**data, created_by=actor, updated_by=actor)
    obj.save()
    record.write(CREATE, obj, actor=actor)
    return obj


OWNER_EDITABLE = ("description", "address", "contact_name", "contact_phone", "fields")


@transaction.atomic
def update_carrier(*, actor, carrier: Carrier, data: dict) -> Carrier:
    obj = Carrier.objects.select_for_update().get(pk=carrier.pk)
    _check(actor, obj.region, obj)
    data = _clean(data)
    if not (actor is None or region_allowed(actor, obj.region)):
        # an institute's own account keeps kind, level, dates and region as staff set them: sent
        # back unchanged they pass, a change is refused by name (it used to be dropped while the
        # save reported success)
        raise_if({k: "该项由科技局维护，如需修改请联系工作人员" for k, v in data.items()
                  if k not in OWNER_EDITABLE and v != getattr(obj, k, None)})
        data = {k: v for k, v in data.items() if k in OWNER_EDITABLE}
    before = record.snapshot(obj)
    merged = {"opened_on": obj.opened_on, "recognized_on": obj.recognized_on, **data}
    raise_if(carrier_errors(merged, today=timezone.localdate()))
    for key, value in data.items():
        setattr(obj, key, value)
    if "region" in data:
        _check(actor, obj.region)
    obj.updated_by = actor
    obj.save()
    record.write(UPDATE, obj, actor=actor, before=before)
    return obj


@transaction.atomic
def link_carrier_user(*, actor, carrier: Carrier, user) -> None:
    """Give an institute's account access to its carrier (仅本人 scope)."""
    carrier.members.add(user)
    record.write(events.LINK_USER, carrier, actor=actor, after=False,
                 message=f"绑定账号 {user.get_username()}")
