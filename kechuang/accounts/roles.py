"""Built-in roles, their data scope and permissions.

Permissions are given as ``app_label.codename`` patterns (``fnmatch`` wildcards); a pattern
starting with ``!`` removes what it matches. Each domain
app may contribute more in its own ``roles.py`` module as ``ROLE_PERMISSIONS = {code: [...]}``;
``sync_roles`` (run after every ``migrate``) merges them, creates missing groups and sets
each built-in role's permissions to exactly the result.
"""

from fnmatch import fnmatchcase

from django.contrib.auth.models import Group, Permission

from .choices import DataScope, RoleCode

BUSINESS_APPS = (
    "enterprises", "cultivation", "demands", "achievements", "experts", "carriers",
    "matching", "brokerage", "indicators", "reports",
)


def _all(action: str) -> list[str]:
    return [f"{app}.{action}_*" for app in BUSINESS_APPS]


ROLE_DEFINITIONS: dict[str, dict] = {
    RoleCode.BUREAU_ADMIN: {
        "scope": DataScope.ALL,
        "description": "局业务管理员：全区业务数据的全部操作",
        "permissions": [f"{app}.*" for app in BUSINESS_APPS],
    },
    RoleCode.STAFF: {
        "scope": DataScope.ALL,
        "description": "科员：维护企业库、开展培育与统计",
        "permissions": [
            *_all("view"), *_all("add"), *_all("change"), *_all("import"), *_all("export"),
            "enterprises.view_personal_data",
        ],
    },
    RoleCode.LEADER: {
        "scope": DataScope.ALL,
        "description": "局领导：只读驾驶舱与统计",
        # Leaders read figures; personal data stays masked for them (个人信息最小必要).
        "permissions": [*_all("view"), *_all("export"), "!*.view_personal_data"],
    },
    RoleCode.BROKER: {
        "scope": DataScope.OWN,
        "description": "科技经纪人：负责的企业与案件",
        "permissions": ["enterprises.view_enterprise", "enterprises.view_annualindicator",
                        "enterprises.view_certification"],
    },
    RoleCode.ENTERPRISE: {
        "scope": DataScope.OWN,
        "description": "企业用户：仅本企业",
        "permissions": [
            "enterprises.view_enterprise", "enterprises.change_enterprise",
            "enterprises.view_annualindicator", "enterprises.add_annualindicator",
            "enterprises.change_annualindicator", "enterprises.view_certification",
            "enterprises.view_personal_data",
        ],
    },
    RoleCode.EXPERT: {
        "scope": DataScope.OWN,
        "description": "专家/海外工程师：本人档案与对接请求",
        "permissions": [],
    },
    RoleCode.SUBDISTRICT: {
        "scope": DataScope.REGION_TREE,
        "description": "街道/园区人员：本辖区数据",
        "permissions": [
            "enterprises.view_*", "enterprises.add_*", "enterprises.change_*",
            "enterprises.import_*", "enterprises.export_*",
        ],
    },
    RoleCode.SYSTEM_ADMIN: {
        "scope": DataScope.OWN,
        "description": "系统管理员：用户、区域与系统参数；不可查看日志与业务数据",
        "permissions": ["accounts.view_user", "accounts.add_user", "accounts.change_user",
                        "regions.view_region", "regions.add_region", "regions.change_region"],
    },
    RoleCode.SECURITY_ADMIN: {
        "scope": DataScope.OWN,
        "description": "安全管理员：角色、权限与数据权限分配",
        "permissions": ["accounts.view_role", "accounts.change_role", "accounts.assign_role",
                        "accounts.view_user", "accounts.lock_user"],
    },
    RoleCode.AUDIT_ADMIN: {
        "scope": DataScope.ALL,
        "description": "审计管理员：只读审计、操作与登录日志",
        "permissions": ["audit.view_changerecord", "audit.view_operationlog",
                        "audit.view_loginlog"],
    },
}


def role_patterns() -> dict[str, list[str]]:
    patterns = {code: list(spec["permissions"]) for code, spec in ROLE_DEFINITIONS.items()}
    for module in _contributions():
        for code, extra in getattr(module, "ROLE_PERMISSIONS", {}).items():
            patterns.setdefault(code, []).extend(extra)
    return patterns


def _contributions():
    import importlib
    import importlib.util

    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kechuang.") or config.label == "accounts":
            continue
        name = f"{config.name}.roles"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


def matching_permissions(patterns: list[str], perms: list[Permission]) -> list[Permission]:
    """Permissions matching any pattern and no ``!pattern`` (exclusions win)."""
    include = [pat for pat in patterns if not pat.startswith("!")]
    exclude = [pat[1:] for pat in patterns if pat.startswith("!")]
    keyed = [(f"{p.content_type.app_label}.{p.codename}", p) for p in perms]
    return [p for key, p in keyed
            if any(fnmatchcase(key, pat) for pat in include)
            and not any(fnmatchcase(key, pat) for pat in exclude)]


def sync_roles() -> None:
    """Create or update the built-in roles (idempotent)."""
    from .models import Role

    perms = list(Permission.objects.select_related("content_type"))
    for code, patterns in role_patterns().items():
        spec = ROLE_DEFINITIONS[code]
        label = RoleCode(code).label
        group, _ = Group.objects.get_or_create(name=label)
        role, created = Role.objects.get_or_create(
            code=code,
            defaults={"name": label, "group": group, "data_scope": spec["scope"],
                      "is_builtin": True, "description": spec["description"]},
        )
        if not created and role.group_id != group.pk:
            role.group = group
            role.save(update_fields=["group"])
        group.permissions.set(matching_permissions(patterns, perms))


