"""Writing change records. Services call ``write`` inside their own transaction."""

import datetime as dt
import uuid
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kechuang.core import context

from .models import ChangeRecord


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model | None) -> dict | None:
    """A JSON-safe dict of the concrete field values; personal fields masked."""
    if instance is None:
        return None
    masked = set(getattr(instance, "audit_masked_fields", ()))
    data: dict[str, object] = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"created_at", "updated_at"}:
            continue
        value = getattr(instance, field.attname)
        if field.name in masked and value:
            value = "***"
        data[field.attname if field.is_relation else field.name] = _json_value(value)
    return data


def write(action: str, instance: models.Model, *, actor, before: dict | None = None,
          after: dict | None | bool = True, related: models.Model | None = None,
          message: str = "") -> ChangeRecord:
    """Record ``action`` on ``instance``; ``after=True`` snapshots the instance as it is now."""
    ctx = context.current()
    if after is True:
        after = snapshot(instance)
    elif after is False:
        after = None
    rec = ChangeRecord(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        request_id=ctx.request_id,
        channel=ctx.channel,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        before=before,
        after=after,
        message=message[:500],
    )
    if related is not None:
        rec.related_content_type = ContentType.objects.get_for_model(related)
        rec.related_object_id = str(related.pk)
    rec.save()
    return rec


def write_many(action: str, instances: list[models.Model], *, actor, related=None,
               message: str = "", related_of=None) -> None:
    """Bulk variant for imports: one change record per instance, in one INSERT batch.

    ``related`` is one object for all rows; ``related_of(instance)`` gives one per row.
    """
    if not instances:
        return
    ctx = context.current()
    ct = ContentType.objects.get_for_model(instances[0], for_concrete_model=False)
    name = _actor_name(actor)
    actor_obj = actor if getattr(actor, "pk", None) else None

    def rel(obj):
        target = related_of(obj) if related_of is not None else related
        if target is None:
            return None, ""
        return ContentType.objects.get_for_model(target), str(target.pk)

    rows = []
    for obj in instances:
        rel_ct, rel_id = rel(obj)
        rows.append(ChangeRecord(
            actor=actor_obj, actor_name=name, request_id=ctx.request_id, channel=ctx.channel,
            action=action, content_type=ct, object_id=str(obj.pk),
            object_repr=str(obj)[:255], after=snapshot(obj), message=message[:500],
            related_content_type=rel_ct, related_object_id=rel_id,
        ))
    ChangeRecord.objects.bulk_create(rows, batch_size=2000)


def write_pairs(action: str, pairs: list[tuple[models.Model, dict | None]], *, actor,
                message: str = "") -> None:
    """Bulk variant with a before-snapshot per instance (update-by-code imports)."""
    if not pairs:
        return
    ctx = context.current()
    ct = ContentType.objects.get_for_model(pairs[0][0], for_concrete_model=False)
    name = _actor_name(actor)
    actor_obj = actor if getattr(actor, "pk", None) else None
    rows = [
        ChangeRecord(
            actor=actor_obj, actor_name=name, request_id=ctx.request_id, channel=ctx.channel,
            action=action, content_type=ct, object_id=str(obj.pk), object_repr=str(obj)[:255],
            before=before, after=snapshot(obj), message=message[:500],
        )
        for obj, before in pairs
    ]
    ChangeRecord.objects.bulk_create(rows, batch_size=2000)


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "系统"
    return getattr(actor, "display_name", "") or actor.get_username()


def history_for(instance: models.Model):
    """Change records about ``instance`` or about rows related to it (indicators, …)."""
    ct = ContentType.objects.get_for_model(instance)
    return ChangeRecord.objects.filter(
        models.Q(content_type=ct, object_id=str(instance.pk))
        | models.Q(related_content_type=ct, related_object_id=str(instance.pk))
    ).select_related("content_type")
