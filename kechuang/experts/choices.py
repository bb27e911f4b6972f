from django.db import models


class ExpertKind(models.TextChoices):
    EXPERT = "expert", "专家"
    ACADEMICIAN = "academician", "院士"
    OVERSEAS_ENGINEER = "overseas_engineer", "海外工程师"


class ServiceMode(models.TextChoices):
    ONSITE = "onsite", "现场服务"
    REMOTE = "remote", "远程服务"
    BOTH = "both", "现场或远程"


class ExpertStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACTIVE = "active", "在库"
    INACTIVE = "inactive", "已停用"


class TalentProgramme(models.TextChoices):
    NATIONAL_THOUSAND = "national_high_level", "国家高层次人才计划"
    PROVINCIAL = "provincial_high_level", "省高层次人才计划"
    MUNICIPAL = "municipal_talent", "市人才计划"
    DISTRICT = "district_talent", "区人才计划"
    STARTUP = "startup_talent", "创业人才项目"
