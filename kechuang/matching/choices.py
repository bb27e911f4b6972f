from django.db import models


class SourceKind(models.TextChoices):
    DEMAND = "demand", "技术需求"
    ACHIEVEMENT = "achievement", "科技成果"


class TargetKind(models.TextChoices):
    ACHIEVEMENT = "achievement", "科技成果"
    EXPERT = "expert", "专家"
    OVERSEAS_ENGINEER = "overseas_engineer", "海外工程师"
    DEMAND = "demand", "技术需求"
    ENTERPRISE = "enterprise", "企业"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "待答复"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已谢绝"


class Decision(models.TextChoices):
    ACCEPT = "accept", "接受"
    DECLINE = "decline", "谢绝"


class DeclineReason(models.TextChoices):
    TECH_MISMATCH = "tech_mismatch", "技术不匹配"
    IMMATURE = "immature", "成熟度不够"
    PRICE = "price", "价格"
    LOCATION = "location", "地域"
    HAS_SOLUTION = "has_solution", "已有方案"
    OTHER = "other", "其他"


class ResponderRole(models.TextChoices):
    BROKER = "broker", "科技经纪人"
    ENTERPRISE = "enterprise", "企业"
    STAFF = "staff", "科技局"
    EXPERT = "expert", "专家"
