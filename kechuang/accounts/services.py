"""Writes to accounts: role assignment (三员分立 enforced), role data scopes, account locks
(the 安全管理员's job) and account activation (the 系统管理员's). The 审计管理员 only reads
the logs.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from kechuang.audit import record
from kechuang.audit.events import register
from kechuang.core.errors import raise_if

from . import lockout, passwords
from .choices import SEPARATED_ADMIN_ROLES, DataScope, RoleCode
from .models import Role, User

ASSIGN_ROLES = register("accounts.assign_roles", "分配角色")
SET_ROLE_SCOPE = register("accounts.set_role_scope", "设置数据权限")
LOCK_USER = register("accounts.lock_user", "锁定账号")
UNLOCK_USER = register("accounts.unlock_user", "解锁账号")
DEACTIVATE_USER = register("accounts.deactivate_user", "停用账号")
ACTIVATE_USER = register("accounts.activate_user", "启用账号")
CHANGE_PASSWORD = register("accounts.change_password", "修改密码")
CREATE_USER = register("accounts.create_user", "新建账号")

USERNAME_TAKEN = "该用户名已被使用（用户名不区分大小写）"


def separated_conflict(codes: set[str]) -> str | None:
    """A Chinese message when ``codes`` combine two of the three separated administrators."""
    held = sorted(codes & SEPARATED_ADMIN_ROLES)
    if len(held) > 1:
        names = "、".join(RoleCode(c).label for c in held)
        return f"三员分立：{names}不能由同一账号兼任"
    return None


def _separated_mixed(roles: list[Role]) -> str | None:
    """A Chinese message when one of the three administrators is combined with other roles
    (the three hold no business permissions, so their accounts hold nothing else)."""
    admin = [r for r in roles if r.code in SEPARATED_ADMIN_ROLES]
    others = [r for r in roles if r.code not in SEPARATED_ADMIN_ROLES]
    if len(admin) == 1 and others:
        names = "、".join(r.name for r in others)
        return f"三员分立：{admin[0].name}账号不能兼任其他角色（{names}）"
    return None


def _require(actor, perm: str, message: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(message)


def _is_self(actor, user: User) -> bool:
    return actor is not None and getattr(actor, "pk", None) == user.pk


@transaction.atomic
def assign_roles(*, actor, user: User, roles: list[Role]) -> User:
    """Set ``user``'s roles to exactly ``roles`` (the security administrator's job)."""
    _require(actor, "accounts.assign_role", "只有安全管理员可以分配角色")
    roles = list(roles)
    codes = {r.code for r in roles}
    if _is_self(actor, user):
        raise_if({"roles": "不能修改自己账号的角色"})
    message = separated_conflict(codes) or _separated_mixed(roles)
    raise_if({"roles": message} if message else {})
    before = {"roles": sorted(user.role_codes())}
    user.groups.set([r.group for r in roles])
    user._kc_role_codes = None
    user._kc_roles = None
    record.write(ASSIGN_ROLES, user, actor=actor, before=before,
                 after={"roles": sorted(codes)})
    return user


def _scope_snapshot(role: Role) -> dict:
    return {"data_scope": role.data_scope,
            "regions": sorted(r.code for r in role.regions.all())}


@transaction.atomic
def set_role_scope(*, actor, role: Role, data_scope: str, regions) -> Role:
    """Set a role's 数据权限 level and, for 自定数据, its regions (others keep none)."""
    _require(actor, "accounts.change_role", "只有安全管理员可以设置数据权限")
    regions = list(regions)
    errors: dict[str, str] = {}
    if data_scope not in DataScope.values:
        errors["data_scope"] = "请选择有效的数据权限"
    elif data_scope == DataScope.CUSTOM and not regions:
        errors["regions"] = "数据权限为“自定数据”时须至少选择一个区域"
    raise_if(errors)
    if data_scope != DataScope.CUSTOM:
        regions = []
    before = _scope_snapshot(role)
    role.data_scope = data_scope
    role.save(update_fields=["data_scope"])
    role.regions.set(regions)
    record.write(SET_ROLE_SCOPE, role, actor=actor, before=before,
                 after=_scope_snapshot(role))
    return role


@transaction.atomic
def lock_user(*, actor, user: User, reason: str = "") -> User:
    """Lock ``user``: no login, and open sessions stop authenticating."""
    _require(actor, "accounts.lock_user", "只有安全管理员可以锁定或解锁账号")
    if _is_self(actor, user):
        raise_if({"__all__": "不能锁定自己的账号"})
    if user.is_locked:
        raise_if({"__all__": "该账号已处于锁定状态"})
    before = record.snapshot(user)
    user.is_locked = True
    user.save(update_fields=["is_locked"])
    record.write(LOCK_USER, user, actor=actor, before=before, message=reason[:500])
    return user


@transaction.atomic
def unlock_user(*, actor, user: User) -> User:
    """Lift a lock set here and the login-failure lockout (django-axes) of ``user``."""
    _require(actor, "accounts.lock_user", "只有安全管理员可以锁定或解锁账号")
    failed = lockout.is_locked_out(user.username)
    if not user.is_locked and not failed:
        raise_if({"__all__": "该账号未被锁定"})
    before = record.snapshot(user)
    if user.is_locked:
        user.is_locked = False
        user.save(update_fields=["is_locked"])
    cleared = lockout.clear(user.username)
    record.write(UNLOCK_USER, user, actor=actor, before=before,
                 message=f"清除登录失败记录{cleared}条" if cleared else "")
    return user


@transaction.atomic
def set_user_active(*, actor, user: User, active: bool, reason: str = "") -> User:
    """Deactivate (no login, open sessions end) or re-activate an account (系统管理员)."""
    _require(actor, "accounts.change_user", "只有系统管理员可以停用或启用账号")
    if _is_self(actor, user):
        raise_if({"__all__": "不能停用或启用自己的账号"})
    if user.is_active == active:
        raise_if({"__all__": "该账号已是启用状态" if active else "该账号已是停用状态"})
    before = record.snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record.write(ACTIVATE_USER if active else DEACTIVATE_USER, user, actor=actor,
                 before=before, message=reason[:500])
    return user


@transaction.atomic
def change_own_password(*, user: User, new_password: str) -> User:
    """Set ``user``'s own password (already validated by the form) and audit the change.

    The audit record holds masked snapshots only (``audit_masked_fields``), never the hash.
    """
    user = User.objects.select_for_update().get(pk=user.pk)  # not request.user's lazy wrapper
    before = record.snapshot(user)
    passwords.remember_current(user)  # a password set before the history existed
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    passwords.remember(user)
    record.write(CHANGE_PASSWORD, user, actor=user, before=before)
    return user


@transaction.atomic
def create_user(*, actor, data: dict) -> User:
    """Create an account with an initial password (系统管理员, 等保 AUTH-1).

    ``data``: ``username``, ``display_name``, ``region`` (optional ``regions.Region``),
    ``email`` (optional) and ``password``. The password passes ``AUTH_PASSWORD_VALIDATORS``
    and must be changed at first log-in (``must_change_password``). The audit record holds
    masked snapshots only, never the password or its hash.
    """
    _require(actor, "accounts.add_user", "只有系统管理员可以新建账号")
    username = (data.get("username") or "").strip()
    display_name = (data.get("display_name") or "").strip()
    email = (data.get("email") or "").strip()
    region = data.get("region")
    password = data.get("password") or ""
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "请填写用户名"
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = USERNAME_TAKEN
    else:
        try:
            User._meta.get_field("username").run_validators(username)
        except ValidationError:
            errors["username"] = "用户名只能包含字母、数字和 @/./+/-/_ 字符，且不超过150个字符"
    if not display_name:
        errors["display_name"] = "请填写姓名"
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "请输入有效的电子邮箱地址"
    if not password:
        errors["password"] = "请填写初始密码"
    elif "username" not in errors:
        try:
            password_validation.validate_password(
                password, User(username=username, display_name=display_name, email=email))
        except ValidationError as exc:
            errors["password"] = "；".join(exc.messages)
    raise_if(errors)
    user = User(username=username, display_name=display_name, email=email, region=region,
                must_change_password=True)
    user.set_password(password)
    try:
        # Savepoint: the check above races with a concurrent creation of the same name; the
        # database constraints (``unique`` and ``accounts_user_username_ci_unique``) decide.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise_if({"username": USERNAME_TAKEN})
    passwords.remember(user)
    record.write(CREATE_USER, user, actor=actor)
    return user
