from django.db import models


class LegalForm(models.TextChoices):
    LIMITED = "limited", "有限责任公司"
    JOINT_STOCK = "joint_stock", "股份有限公司"
    STATE_OWNED = "state_owned", "国有企业"
    COLLECTIVE = "collective", "集体企业"
    FOREIGN = "foreign", "外商投资企业"
    PARTNERSHIP = "partnership", "合伙企业"
    SOLE_PROPRIETORSHIP = "sole_proprietorship", "个人独资企业"
    BRANCH = "branch", "分公司（非法人）"
    OTHER = "other", "其他"


class TaxCollection(models.TextChoices):
    AUDITED = "查账征收", "查账征收"
    DEEMED = "核定征收", "核定征收"


class CertificationKind(models.TextChoices):
    NATIONAL_TECH_SME = "national_tech_sme", "国家科技型中小企业"
    HIGH_TECH = "high_tech", "高新技术企业"
    PROVINCIAL_TECH_SME = "provincial_tech_sme", "省科技型中小企业"
    MUNICIPAL_TECH_SME = "municipal_tech_sme", "市科技型中小企业"
    MUNICIPAL_STARTUP = "municipal_startup", "市创新型初创企业"
    SPECIALIZED = "specialized", "专精特新企业"
    RD_INSTITUTION = "rd_institution", "企业研发机构"


class CertificationStatus(models.TextChoices):
    APPLIED = "applied", "已申报"
    GRANTED = "granted", "已认定"
    REJECTED = "rejected", "未通过"
    REVOKED = "revoked", "已撤销"


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"


class AwardGrade(models.TextChoices):
    SPECIAL = "special", "特等奖"
    FIRST = "first", "一等奖"
    SECOND = "second", "二等奖"
    THIRD = "third", "三等奖"
    OTHER = "other", "其他"


class StandardLevel(models.TextChoices):
    INTERNATIONAL = "international", "国际标准"
    NATIONAL = "national", "国家标准"
    INDUSTRY = "industry", "行业标准"
    LOCAL = "local", "地方标准"
    GROUP = "group", "团体标准"


class StandardRole(models.TextChoices):
    LEAD = "lead", "主导制定"
    PARTICIPANT = "participant", "参与制定"
