from django.db import models


class Scheme(models.TextChoices):
    TECH_SME = "tech-sme", "国家科技型中小企业"
    HIGH_TECH = "high-tech", "高新技术企业"
    ZJ_TECH_SME = "zj-tech-sme", "浙江省科技型中小企业"


class Confidence(models.TextChoices):
    VERIFIED = "V", "V：已核对官方文本"
    SECONDARY = "V-2", "V-2：多份转载一致"
    RECALLED = "R", "R：凭记忆，待核对"
    UNVERIFIED = "U", "U：地方或未核实规则"


class RuleOrigin(models.TextChoices):
    BUILTIN = "builtin", "随系统发布"
    FILE = "file", "规则文件导入"


class CampaignBasis(models.TextChoices):
    ANNUAL = "annual", "全年"
    YEAR_TO_DATE = "ytd", "年初至今"


class EntryStatus(models.TextChoices):
    NOT_CONTACTED = "not_contacted", "未联系"
    VISITED = "visited", "已走访"
    LEDGER_SET_UP = "ledger", "已建账"
    REPORTED = "reported", "已填报"
    NOT_APPLICABLE = "not_applicable", "不适用"


# The 清零 path: 未联系 → 已走访 → 已建账 → 已填报, each step forward only; any open entry may
# be set 不适用 (with a reason) and a 不适用 entry may be reopened as 未联系.
ENTRY_TRANSITIONS: dict[str, tuple[str, ...]] = {
    EntryStatus.NOT_CONTACTED: (EntryStatus.VISITED, EntryStatus.NOT_APPLICABLE),
    EntryStatus.VISITED: (EntryStatus.LEDGER_SET_UP, EntryStatus.NOT_APPLICABLE),
    EntryStatus.LEDGER_SET_UP: (EntryStatus.REPORTED, EntryStatus.NOT_APPLICABLE),
    EntryStatus.REPORTED: (),
    EntryStatus.NOT_APPLICABLE: (EntryStatus.NOT_CONTACTED,),
}


class InterventionKind(models.TextChoices):
    PHONE = "phone", "电话联系"
    VISIT = "visit", "上门走访"
    TRAINING = "training", "政策培训"
    LEDGER = "ledger", "辅导建立研发辅助账"
    REPORTING = "reporting", "指导统计填报"
    OTHER = "other", "其他"


class SubsidyKind(models.TextChoices):
    LEVEL = "level", "按上年研发费用（存量）"
    INCREMENT = "increment", "按研发费用增量"
    ONE_OFF_FIRST_HIGH_TECH = "first_high_tech", "首次认定高企一次性奖励"


class SubsidyTierStatus(models.TextChoices):
    HIGH_TECH = "high_tech", "高新技术企业"
    TECH_SME = "tech_sme", "科技型中小企业"
    ABOVE_SCALE = "above_scale", "规上工业企业"


# When an enterprise holds several statuses, the first in this order decides its tier.
TIER_PRIORITY = (SubsidyTierStatus.HIGH_TECH, SubsidyTierStatus.TECH_SME,
                 SubsidyTierStatus.ABOVE_SCALE)


class EntitlementStatus(models.TextChoices):
    COMPUTED = "computed", "待审核"
    APPROVED = "approved", "已审核"
    REJECTED = "rejected", "不予兑现"
    PAID = "paid", "已兑付"
