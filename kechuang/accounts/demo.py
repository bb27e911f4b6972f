"""Demo accounts: one per role, with fixed demo passwords that pass the password validators.

The enterprise user is linked to one enterprise by the enterprises demo builder; the
sub-district user belongs to 青澜街道.
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from kechuang.accounts.choices import RoleCode
from kechuang.accounts.models import Role, User
from kechuang.accounts.services import assign_roles
from kechuang.audit import record
from kechuang.audit.events import CREATE
from kechuang.core.demo import DemoLogin

DEMO_ORDER = 20
PASSWORD = "Demo@2020-0930"
SUBDISTRICT_CODE = "339803001"  # 青澜街道

# (role code, username, display name, region code or None, note)
ACCOUNTS = (
    (RoleCode.BUREAU_ADMIN, "admin", "林局管（演示）", None, ""),
    (RoleCode.STAFF, "staff", "周科员（演示）", None, ""),
    (RoleCode.LEADER, "leader", "沈局长（演示）", None, ""),
    (RoleCode.BROKER, "broker", "陆经纪（演示）", None, ""),
    (RoleCode.ENTERPRISE, "enterprise", "何经理（演示）", None, "仅本企业"),
    (RoleCode.EXPERT, "expert", "顾专家（演示）", None, ""),
    (RoleCode.SUBDISTRICT, "street", "钱干事（演示）", SUBDISTRICT_CODE, "青澜街道"),
    (RoleCode.SYSTEM_ADMIN, "sysadmin", "系统管理员（演示）", None, "三员之一"),
    (RoleCode.SECURITY_ADMIN, "secadmin", "安全管理员（演示）", None, "三员之一"),
    (RoleCode.AUDIT_ADMIN, "auditor", "审计管理员（演示）", None, "三员之一"),
)
LOGINS = tuple(
    DemoLogin(role=RoleCode(code).label, username=username, password=PASSWORD, note=note)
    for code, username, _, _, note in ACCOUNTS
)


def build(ctx) -> None:
    roles = {r.code: r for r in Role.objects.select_related("group")}
    hashed = make_password(PASSWORD)  # one (slow, argon2) hash for the shared demo password
    for code, username, display_name, region_code, _ in ACCOUNTS:
        if code not in roles:
            raise ValueError(f"角色{code}不存在：请先运行 kechuang migrate")
        user = User(username=username, display_name=display_name,
                    region=ctx.regions.get(region_code) if region_code else None,
                    email=f"{username}@demo.invalid")
        validate_password(PASSWORD, user)
        user.password = hashed
        user.password_changed_at = timezone.now()  # fresh: no forced change (AUTH-1)
        user.must_change_password = False
        user.save()
        assign_roles(actor=ctx.actor, user=user, roles=[roles[code]])
        record.write(CREATE, user, actor=ctx.actor, message=f"演示账号，角色：{roles[code].name}")
        ctx.users[username] = user
    ctx.data.setdefault("summary", []).append(f"账号：{len(ACCOUNTS)}个（每个角色一个）")
