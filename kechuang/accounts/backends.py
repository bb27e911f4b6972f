"""Authentication backend that keeps each user's authorisation data between requests.

Every authenticated request needs the user row, the user's region, the permission codes of the
user and of its groups, and its roles with their regions (the data scope): five queries and
their ORM work on each page view. ``CachedModelBackend`` loads them once per user and keeps
them in the process, keyed by ``accounts_authversion.n`` — a counter that database triggers
bump on every committed write to the tables they come from (migration ``0002_auth_version``),
so a change of roles, permissions, scope, password or active flag is seen by the next request
of every process. Each request reads the counter (one indexed row) and gets fresh model
instances built from the cached values, so no object is shared between requests.

Inside a transaction (tests, or a command running in ``atomic``) the cache is bypassed: on
PostgreSQL the counter only moves when the writing transaction commits.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from kechuang.regions.models import Region

from . import scope
from .models import Role

_MAX_USERS = 20_000
_cache: dict[int, tuple[int, _Entry]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class _Entry:
    user: tuple  # concrete field values, in ``_user_fields`` order
    region: tuple | None
    user_perms: frozenset[str]
    group_perms: frozenset[str]
    roles: tuple[tuple[tuple, tuple[tuple, ...]], ...]  # (role values, its regions' values)


def _fields(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


def _values(obj) -> tuple:
    return tuple(getattr(obj, name) for name in _fields(type(obj)))


def auth_version(using: str) -> int | None:
    """The committed-write counter of the authorisation tables; None inside a transaction."""
    connection = connections[using]
    if connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM accounts_authversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def clear() -> None:
    with _lock:
        _cache.clear()


class CachedModelBackend(ModelBackend):
    """``ModelBackend`` with the per-request authorisation loads cached (see module doc)."""

    def get_user(self, user_id):
        model = get_user_model()
        using = router.db_for_read(model)
        try:
            pk = model._meta.pk.to_python(user_id)
        except Exception:  # noqa: BLE001 — a malformed session value: nobody is logged in
            return None
        version = auth_version(using)
        if version is None:
            return super().get_user(user_id)
        hit = _cache.get(pk)
        if hit is not None and hit[0] == version:
            return self._build(hit[1], using)
        user = super().get_user(pk)
        if user is None:
            return None
        entry = self._load(user)
        with _lock:
            if len(_cache) >= _MAX_USERS:
                _cache.clear()
            _cache[pk] = (version, entry)
        return self._build(entry, using)

    def _load(self, user) -> _Entry:
        region = user.region if user.region_id else None
        user_perms = self.get_user_permissions(user)
        group_perms = self.get_group_permissions(user)
        roles = scope.user_roles(user)
        return _Entry(
            user=_values(user),
            region=_values(region) if region is not None else None,
            user_perms=frozenset(user_perms),
            group_perms=frozenset(group_perms),
            roles=tuple((_values(r), tuple(_values(g) for g in r.regions.all())) for r in roles),
        )

    @staticmethod
    def _build(entry: _Entry, using: str):
        model = get_user_model()
        user = model.from_db(using, _fields(model), entry.user)
        if entry.region is not None:
            model._meta.get_field("region").set_cached_value(
                user, Region.from_db(using, _fields(Region), entry.region))
        # The attributes ModelBackend caches its permission look-ups in.
        user._user_perm_cache = set(entry.user_perms)
        user._group_perm_cache = set(entry.group_perms)
        user._perm_cache = set(entry.user_perms) | set(entry.group_perms)
        roles = []
        for values, region_values in entry.roles:
            role = Role.from_db(using, _fields(Role), values)
            # What ``prefetch_related("regions")`` leaves on the role: the relation's
            # queryset with its rows already fetched.
            queryset = role.regions.get_queryset()
            queryset._result_cache = [Region.from_db(using, _fields(Region), v)
                                      for v in region_values]
            queryset._prefetch_done = True
            role._prefetched_objects_cache = {"regions": queryset}
            roles.append(role)
        user._kc_roles = roles
        user._kc_role_codes = {r.code for r in roles}
        return user
