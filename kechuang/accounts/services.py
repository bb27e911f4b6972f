"""Writes to accounts: role assignment, with 三员分立 enforced."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kechuang.audit import record
from kechuang.audit.events import register
from kechuang.core.errors import raise_if

from .choices import SEPARATED_ADMIN_ROLES, RoleCode
from .models import Role, User

ASSIGN_ROLES = register("accounts.assign_roles", "分配角色")


def separated_conflict(codes: set[str]) -> str | None:
    """A Chinese message when ``codes`` combine two of the three separated administrators."""
    held = sorted(codes & SEPARATED_ADMIN_ROLES)
    if len(held) > 1:
        names = "、".join(RoleCode(c).label for c in held)
        return f"三员分立：{names}不能由同一账号兼任"
    return None


@transaction.atomic
def assign_roles(*, actor, user: User, roles: list[Role]) -> User:
    """Set ``user``'s roles to exactly ``roles`` (the security administrator's job)."""
    if actor is not None and not actor.has_perm("accounts.assign_role"):
        raise PermissionDenied("只有安全管理员可以分配角色")
    codes = {r.code for r in roles}
    message = separated_conflict(codes)
    raise_if({"roles": message} if message else {})
    before = {"roles": sorted(user.role_codes())}
    user.groups.set([r.group for r in roles])
    user._kc_role_codes = None
    user._kc_roles = None
    record.write(ASSIGN_ROLES, user, actor=actor, before=before,
                 after={"roles": sorted(codes)})
    return user
