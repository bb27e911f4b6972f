"""Writing change records. Services call ``write`` inside their own transaction."""

import datetime as dt
import uuid
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kechuang.core import context

from . import events
from .models import HIDDEN_IN_HISTORY, ChangeRecord


def _json_value(value: object) -> object:
    cls = value.__class__
    if cls is str or cls is int or cls is bool or value is None:
        return value
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


_SNAPSHOT_SKIP = frozenset({"created_at", "updated_at"})
_snapshot_specs: dict[tuple[type, tuple], list[tuple[str, str, bool]]] = {}


def _snapshot_spec(model: type[models.Model], masked: tuple) -> list[tuple[str, str, bool]]:
    """``(attname, snapshot key, masked?)`` for each concrete field the snapshot keeps."""
    key = (model, masked)
    spec = _snapshot_specs.get(key)
    if spec is None:
        spec = _snapshot_specs[key] = [
            (f.attname, f.attname if f.is_relation else f.name, f.name in masked)
            for f in model._meta.concrete_fields if f.name not in _SNAPSHOT_SKIP
        ]
    return spec


class MaskedSnapshot(dict):
    """A ``snapshot`` that masked personal values. The dict is what a change record stores;
    ``unmasked`` keeps the masked values, in memory only (never stored), so ``write`` can tell
    whether an update changed one of them (``"***"`` before and after says nothing)."""

    __slots__ = ("unmasked",)

    def __init__(self, data: dict, unmasked: dict) -> None:
        super().__init__(data)
        self.unmasked = unmasked


def snapshot(instance: models.Model | None) -> dict | None:
    """A JSON-safe dict of the concrete field values; personal fields masked."""
    if instance is None:
        return None
    spec = _snapshot_spec(type(instance), tuple(getattr(instance, "audit_masked_fields", ())))
    data: dict[str, object] = {}
    unmasked: dict[str, object] | None = None
    for attname, key, masked in spec:
        value = getattr(instance, attname)
        if masked and value:
            if unmasked is None:
                unmasked = {}
            unmasked[key] = value
            value = "***"
        data[key] = _json_value(value)
    return data if unmasked is None else MaskedSnapshot(data, unmasked)


def snapshot_values(model: type[models.Model], values: dict[str, object]) -> dict:
    """``snapshot`` of a row given as ``{attname: value}`` (rows inserted without instances).

    Equal to ``snapshot(model(**values))``: missing attnames must not occur (KeyError).
    """
    spec = _snapshot_spec(model, tuple(getattr(model, "audit_masked_fields", ())))
    data: dict[str, object] = {}
    for attname, key, masked in spec:
        value = values[attname]
        if masked and value:
            value = "***"
        cls = value.__class__
        data[key] = value if (cls is str or cls is int or cls is bool or value is None) \
            else _json_value(value)
    return data


_MISSING = object()
_comparers: dict[type, dict[str, object]] = {}


def _comparer(model: type[models.Model]) -> dict[str, object]:
    """``{snapshot key: parse}`` for the keys whose snapshot text can differ for one value:
    decimals (``"5"``, ``"5.00"``) and moments (the same instant in two time zones)."""
    found = _comparers.get(model)
    if found is None:
        found = _comparers[model] = {}
        for f in model._meta.concrete_fields:
            key = f.attname if f.is_relation else f.name
            if isinstance(f, models.DecimalField):
                found[key] = Decimal
            elif isinstance(f, models.DateTimeField):
                found[key] = dt.datetime.fromisoformat
    return found


def unchanged(model: type[models.Model], before: dict, after: dict) -> bool:
    """``after`` records no change of a field people see (bookkeeping columns aside).

    A masked personal value (``"***"`` on both sides) counts as unchanged only when both
    snapshots kept the values in memory (``MaskedSnapshot``) and those are equal."""
    parse = _comparer(model)
    for key in before.keys() | after.keys():
        if key in HIDDEN_IN_HISTORY:
            continue
        old, new = before.get(key, _MISSING), after.get(key, _MISSING)
        if old == "***" and new == "***":
            old = getattr(before, "unmasked", {}).get(key, _MISSING)
            new = getattr(after, "unmasked", {}).get(key, _MISSING)
            if old is _MISSING or new is _MISSING:
                return False  # a masked value we cannot compare: say it changed
        if old == new:
            continue
        convert = parse.get(key)
        if convert is None or not isinstance(old, str) or not isinstance(new, str):
            return False
        try:
            if convert(old) != convert(new):
                return False
        except (ValueError, ArithmeticError):
            return False
    return True


def write(action: str, instance: models.Model, *, actor, before: dict | None = None,
          after: dict | bool | None = True, related: models.Model | None = None,
          message: str = "") -> ChangeRecord | None:
    """Record ``action`` on ``instance``; ``after=True`` snapshots the instance as it is now.

    An update (an action registered with ``field_update``, such as ``update``) that leaves
    every field as ``before`` had it is not recorded: None. A saved form or an empty PATCH
    that changes nothing leaves no empty entry in the record's history."""
    ctx = context.current()
    if after is True:
        after = snapshot(instance)
    elif after is False:
        after = None
    if (before is not None and after is not None and events.is_field_update(action)
            and unchanged(type(instance), before, after)):
        return None
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
    """Bulk variant for imports: one change record per instance, in multi-row INSERTs.

    ``related`` is one object for all rows; ``related_of(instance)`` gives one per row.
    """
    if not instances:
        return

    def rel(obj):
        target = related_of(obj) if related_of is not None else related
        if target is None:
            return None, ""
        return ContentType.objects.get_for_model(target).pk, str(target.pk)

    ct = ContentType.objects.get_for_model(instances[0], for_concrete_model=False)
    _insert(action, ct, ((obj.pk, str(obj), None, snapshot(obj), *rel(obj)) for obj in instances),
            actor=actor, message=message)


def write_pairs(action: str, pairs: list[tuple[models.Model, dict | None]], *, actor,
                message: str = "") -> None:
    """Bulk variant with a before-snapshot per instance (update-by-code imports)."""
    if not pairs:
        return
    ct = ContentType.objects.get_for_model(pairs[0][0], for_concrete_model=False)
    _insert(action, ct, ((obj.pk, str(obj), before, snapshot(obj), None, "")
                         for obj, before in pairs), actor=actor, message=message)


def write_rows(action: str, model: type[models.Model], rows, *, actor,
               message: str = "") -> None:
    """Bulk variant for rows inserted without model instances (``core.bulk.insert_rows``).

    ``rows`` yields ``(pk, str(obj), after)`` with ``after`` as ``snapshot`` gives it
    (``snapshot_values``); the records equal those ``write_many`` writes for the instances.
    """
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    _insert(action, ct, ((pk, text, None, after, None, "") for pk, text, after in rows),
            actor=actor, message=message)


def _insert(action: str, ct: ContentType, items, *, actor, message: str) -> None:
    """``items`` yields ``(pk, str(obj), before, after, related ct id, related id)``."""
    from django.utils import timezone

    from kechuang.core.bulk import insert_fields, insert_rows

    ctx = context.current()
    fields = insert_fields(ChangeRecord)
    # The same values ChangeRecord(...) + bulk_create give (``time`` is auto_now_add).
    fixed = {
        "time": timezone.now(), "actor_id": actor.pk if getattr(actor, "pk", None) else None,
        "actor_name": _actor_name(actor), "request_id": ctx.request_id,
        "channel": ctx.channel, "action": action, "content_type_id": ct.pk,
        "message": message[:500],
    }
    names = [f.attname for f in fields]
    per_row = ("object_id", "object_repr", "before", "after", "related_content_type_id",
               "related_object_id")
    unknown = set(names) - set(fixed) - set(per_row)
    if unknown:
        raise RuntimeError(f"ChangeRecord columns not filled: {sorted(unknown)}")
    template = [fixed.get(n) for n in names]
    slots = [names.index(n) for n in per_row]
    rows = []
    for pk, text, before, after, rel_ct, rel_id in items:
        row = template.copy()
        for slot, value in zip(slots, (str(pk), text[:255], before, after, rel_ct, rel_id),
                               strict=True):
            row[slot] = value
        rows.append(row)
    insert_rows(ChangeRecord, fields, rows)


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
