"""Named audit actions. Apps register their business actions with ``register``."""

CREATE = "create"
UPDATE = "update"
DELETE = "delete"
IMPORT = "import"
EXPORT = "export"
VIEW_PERSONAL = "view_personal"

_LABELS: dict[str, str] = {
    CREATE: "新增",
    UPDATE: "修改",
    DELETE: "删除",
    IMPORT: "导入",
    EXPORT: "导出",
    VIEW_PERSONAL: "查看个人信息明文",
}


# Actions that only set a record's fields: ``record.write`` does not record one that leaves
# every field as it was (a form saved unchanged, an empty PATCH).
_FIELD_UPDATES: set[str] = {UPDATE}


def register(action: str, label: str, *, field_update: bool = False) -> str:
    """Register a named business action (e.g. ``"certification.revoke"``) with its label.

    ``field_update``: the action only sets fields (as ``update`` does, e.g. filing a year's
    figures again), so a write that changes none of them is not recorded. Leave it off for
    actions that are events in themselves (a review, a status change, a lock)."""
    existing = _LABELS.get(action)
    if existing is not None and existing != label:
        raise ValueError(f"audit action {action!r} already registered as {existing!r}")
    _LABELS[action] = label
    if field_update:
        _FIELD_UPDATES.add(action)
    return action


def is_field_update(action: str) -> bool:
    return action in _FIELD_UPDATES


def label(action: str) -> str:
    return _LABELS.get(action, action)


def choices() -> list[tuple[str, str]]:
    return sorted(_LABELS.items())
