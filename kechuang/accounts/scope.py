"""Row-level data scope: the one function that says which rows a user may touch.

``scope_q(user, model)`` returns a ``Q`` over ``model`` (no SQL strings). Models declare
``scope_region_field`` (path to a ``regions.Region`` FK) and may define ``scope_own_q(user)``
for the 仅本人 level; apps can add more "own" rules with ``register_own_rule`` (e.g. a broker's
portfolio). ``RestrictedQuerySet.restrict`` combines it with the functional permission check.
"""

from collections.abc import Callable

from django.db.models import Model, Q

from .choices import DataScope

NOTHING = Q(pk__in=[])
_own_rules: dict[type[Model], list[Callable[[object], Q]]] = {}


def register_own_rule(model: type[Model], rule: Callable[[object], Q]) -> None:
    """Add a 仅本人 rule for ``model`` (called from an app's ``ready``)."""
    _own_rules.setdefault(model, []).append(rule)


def own_q(user, model: type[Model]) -> Q:
    q = NOTHING
    method = getattr(model, "scope_own_q", None)
    if method is not None:
        q |= method(user)
    elif any(f.name == "created_by" for f in model._meta.fields):
        q |= Q(created_by=user)
    for rule in _own_rules.get(model, []):
        q |= rule(user)
    return q


def _roles(user):
    roles = getattr(user, "_kc_roles", None)
    if roles is None:
        from .models import Role

        roles = list(Role.objects.filter(group__user=user).prefetch_related("regions"))
        user._kc_roles = roles
        if getattr(user, "_kc_role_codes", None) is None:
            # The same rows ``User.role_codes()`` reads; saves its query on this request.
            user._kc_role_codes = {r.code for r in roles}
    return roles


def user_roles(user) -> list:
    """The user's roles (with their regions), loaded once per user object."""
    if user is None or not user.is_authenticated:
        return []
    return _roles(user)


def scope_q(user, model: type[Model]) -> Q:
    """The rows of ``model`` within ``user``'s data scope (union over the user's roles)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    region_field: str | None = getattr(model, "scope_region_field", None)
    q = NOTHING
    for role in _roles(user):
        scope = role.data_scope
        if scope == DataScope.ALL:
            return Q()
        if scope == DataScope.OWN:
            q |= own_q(user, model)
            continue
        if region_field is None:
            continue
        if scope == DataScope.REGION and user.region_id:
            q |= Q(**{f"{region_field}_id": user.region_id})
        elif scope == DataScope.REGION_TREE and user.region_id:
            q |= Q(**{f"{region_field}__path__startswith": user.region.path})
        elif scope == DataScope.CUSTOM:
            for region in role.regions.all():
                q |= Q(**{f"{region_field}__path__startswith": region.path})
    return q


def region_allowed(user, region) -> bool:
    """Whether ``user`` may place a record in ``region`` (post-write scope re-check)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    for role in _roles(user):
        scope = role.data_scope
        if scope == DataScope.ALL:
            return True
        if region is None:
            continue
        if scope == DataScope.REGION and user.region_id == region.pk:
            return True
        if scope == DataScope.REGION_TREE and user.region_id and region.path.startswith(
            user.region.path
        ):
            return True
        if scope == DataScope.CUSTOM and any(
            region.path.startswith(r.path) for r in role.regions.all()
        ):
            return True
    return False


def has_own_scope_only(user) -> bool:
    roles = _roles(user)
    return bool(roles) and all(r.data_scope == DataScope.OWN for r in roles)
