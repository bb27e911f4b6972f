from django.db import models


class RoleCode(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", "局业务管理员"
    STAFF = "staff", "科员"
    LEADER = "leader", "局领导"
    BROKER = "broker", "科技经纪人"
    ENTERPRISE = "enterprise", "企业用户"
    EXPERT = "expert", "专家"
    SUBDISTRICT = "subdistrict", "街道/园区人员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


class DataScope(models.TextChoices):
    """The five 数据权限 levels, mapped onto the region tree."""

    ALL = "all", "全部数据"
    CUSTOM = "custom", "自定数据"
    REGION = "region", "本区域数据"
    REGION_TREE = "region_tree", "本区域及以下数据"
    OWN = "own", "仅本人数据"


# 三员分立: these three roles may not be combined with each other.
SEPARATED_ADMIN_ROLES = frozenset(
    {RoleCode.SYSTEM_ADMIN, RoleCode.SECURITY_ADMIN, RoleCode.AUDIT_ADMIN}
)
