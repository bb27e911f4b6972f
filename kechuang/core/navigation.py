"""Navigation registry: each app lists its menu entries in ``<app>/menu.py`` as ``MENU``."""

import importlib
import importlib.util
from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    group: str  # menu section heading
    label: str
    url_name: str
    permissions: tuple[str, ...] = ()  # any one of them shows the item
    roles: tuple[str, ...] = ()  # or any one of these role codes
    order: int = 100


def all_items() -> list[MenuItem]:
    items: list[MenuItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kechuang."):
            continue
        name = f"{config.name}.menu"
        if importlib.util.find_spec(name) is not None:
            items.extend(getattr(importlib.import_module(name), "MENU", []))
    return sorted(items, key=lambda i: (i.order, i.label))


def menu_for(user) -> list[tuple[str, list[dict]]]:
    if not user.is_authenticated:
        return []
    groups: dict[str, list[dict]] = {}
    for item in all_items():
        allowed = (not item.permissions and not item.roles) or any(
            user.has_perm(p) for p in item.permissions
        ) or (item.roles and user.has_role(*item.roles))
        if not allowed:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        groups.setdefault(item.group, []).append({"label": item.label, "url": url})
    return list(groups.items())
