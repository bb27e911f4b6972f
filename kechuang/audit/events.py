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


def register(action: str, label: str) -> str:
    """Register a named business action (e.g. ``"certification.revoke"``) with its label."""
    existing = _LABELS.get(action)
    if existing is not None and existing != label:
        raise ValueError(f"audit action {action!r} already registered as {existing!r}")
    _LABELS[action] = label
    return action


def label(action: str) -> str:
    return _LABELS.get(action, action)


def choices() -> list[tuple[str, str]]:
    return sorted(_LABELS.items())
