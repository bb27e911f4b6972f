from django.db import models


class OwnerKind(models.TextChoices):
    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    ENTERPRISE = "enterprise", "企业"
    PERSON = "person", "个人"
    OTHER = "other", "其他"


class Maturity(models.TextChoices):
    """成熟度, ordered from lab to industry (the order matters for the ≥ filter)."""

    CONCEPT = "1_concept", "概念/原理"
    LAB = "2_lab", "实验室阶段"
    PILOT_SMALL = "3_small", "小试"
    PILOT = "4_pilot", "中试"
    PROTOTYPE = "5_prototype", "样机/样品"
    INDUSTRIAL = "6_industrial", "可批量生产"
    MARKET = "7_market", "已产业化"


class IpType(models.TextChoices):
    INVENTION = "invention", "发明专利"
    UTILITY = "utility", "实用新型专利"
    DESIGN = "design", "外观设计专利"
    SOFTWARE = "software", "软件著作权"
    IC_LAYOUT = "ic_layout", "集成电路布图设计"
    PLANT_VARIETY = "plant_variety", "植物新品种"
    KNOW_HOW = "know_how", "技术秘密"
    NONE = "none", "无"


class TransferMode(models.TextChoices):
    ASSIGNMENT = "assignment", "转让"
    LICENSE = "license", "许可"
    EQUITY = "equity", "作价入股"
    COOPERATION = "cooperation", "合作开发"


class AchievementStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已发布"
    TRANSFERRED = "transferred", "已转化"
    WITHDRAWN = "withdrawn", "已撤回"
    REJECTED = "rejected", "退回修改"


ACHIEVEMENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    AchievementStatus.PENDING: (AchievementStatus.PUBLISHED, AchievementStatus.REJECTED,
                                AchievementStatus.WITHDRAWN),
    AchievementStatus.REJECTED: (AchievementStatus.PENDING, AchievementStatus.WITHDRAWN),
    AchievementStatus.PUBLISHED: (AchievementStatus.TRANSFERRED, AchievementStatus.WITHDRAWN),
    AchievementStatus.TRANSFERRED: (),
    AchievementStatus.WITHDRAWN: (AchievementStatus.PENDING,),
}

VISIBLE_STATUSES = (AchievementStatus.PUBLISHED, AchievementStatus.TRANSFERRED)
