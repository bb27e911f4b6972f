"""Stored codes that brokerage code branches on; labels are what users see."""

from django.db import models

# One fixed list of decline reasons for matching suggestions and case candidates alike.
from kechuang.matching.choices import DeclineReason  # noqa: F401


class BrokerGrade(models.TextChoices):
    JUNIOR = "junior", "初级技术经纪人"
    INTERMEDIATE = "intermediate", "中级技术经纪人"
    SENIOR = "senior", "高级技术经纪人"


class AssignmentBasis(models.TextChoices):
    REGION = "region", "按区域"
    INDUSTRY = "industry", "按行业"
    MANUAL = "manual", "指定"


class VisitKind(models.TextChoices):
    ON_SITE = "on_site", "上门走访"
    PHONE = "phone", "电话回访"
    ONLINE = "online", "线上交流"
    EVENT = "event", "活动交流"


class CaseStatus(models.TextChoices):
    OPEN = "open", "跟进中"
    NEGOTIATING = "negotiating", "洽谈中"
    SIGNED = "signed", "已签约"
    SOLVED = "solved", "问题已解决"
    CLOSED = "closed", "已关闭"


CLOSED_CASE_STATUSES = (CaseStatus.SIGNED, CaseStatus.SOLVED, CaseStatus.CLOSED)


class CaseOutcome(models.TextChoices):
    """The three ways a case ends."""

    CONTRACT_SIGNED = "signed", "签订技术合同"
    PROBLEM_SOLVED = "solved", "问题已解决"
    CLOSED = "closed", "关闭（注明原因）"


class CandidateKind(models.TextChoices):
    ACHIEVEMENT = "achievement", "科技成果"
    EXPERT = "expert", "专家/海外工程师"


class ResponseStatus(models.TextChoices):
    PENDING = "pending", "待反馈"
    ACCEPTED = "accepted", "接受"
    DECLINED = "declined", "婉拒"


class ActivityKind(models.TextChoices):
    MEETING = "meeting", "会谈"
    NEGOTIATION = "negotiation", "谈判"
    NOTE = "note", "跟进记录"


class EventKind(models.TextChoices):
    MATCHMAKING = "matchmaking", "院企对接"
    TALENT = "talent", "科技人才活动"
    ROADSHOW = "roadshow", "项目路演"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"


class ParticipantKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INSTITUTE = "institute", "高校院所"
    EXPERT = "expert", "专家/海外工程师"
    INVESTOR = "investor", "投资机构"
    OTHER = "other", "其他"


class PresentationKind(models.TextChoices):
    ACHIEVEMENT = "achievement", "科技成果"
    PROJECT = "project", "项目"


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", "待确认"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已婉拒"
    CANCELLED = "cancelled", "已取消"


class IntroductionKind(models.TextChoices):
    TEAM = "team", "科技创新团队"
    ACHIEVEMENT = "achievement", "科技成果"


class ContractKind(models.TextChoices):
    DEVELOPMENT = "development", "技术开发"
    TRANSFER = "transfer", "技术转让"
    LICENSE = "license", "技术许可"
    CONSULTING = "consulting", "技术咨询"
    SERVICE = "service", "技术服务"


class OverseasServiceKind(models.TextChoices):
    MATCH = "match", "对接"
    TALENT_PROJECT = "talent_project", "引进人才项目"
    ENTERPRISE_SERVICE = "enterprise_service", "服务企业"
    PROBLEM_SOLVED = "problem_solved", "解决问题"


class TaskStatus(models.TextChoices):
    TODO = "todo", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


OPEN_TASK_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS)


class Campaign(models.TextChoices):
    RD_ZERO = "rd_zero", "规上企业研发费用“清零”"
    TECH_COMPETITION = "tech_competition", "科技争投"
    PLATFORM_SERVICE = "platform_service", "科创平台服务企业"
    OTHER = "other", "其他"
