"""Navigation registry: each app lists its menu entries in ``<app>/menu.py`` as ``MENU``."""

import importlib
import importlib.util
import threading
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


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


_menus: dict = {}
_menus_lock = threading.Lock()
_MAX_MENUS = 512


def menu_for(user) -> list[tuple[str, list[dict]]]:
    """The user's menu. Visibility depends only on the user's permissions and role codes, so
    the built menu is shared by every user with the same ones (per process)."""
    if not user.is_authenticated:
        return []
    if not user.is_active or user.is_superuser:
        return _build_menu(user)
    key = (frozenset(user.get_all_permissions()), frozenset(user.role_codes()),
           get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    menu = _menus.get(key)
    if menu is None:
        menu = _build_menu(user)
        with _menus_lock:
            if len(_menus) >= _MAX_MENUS:
                _menus.clear()
            _menus[key] = menu
    return [(group, [dict(item) for item in items]) for group, items in menu]


def _build_menu(user) -> list[tuple[str, list[dict]]]:
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
