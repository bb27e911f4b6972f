"""Technology brokerage: brokers, portfolios, visits, cases, events, contracts, overseas-engineer
service records and task-force work items (科技创新专班).

Every count the 2020 work summary gives for the broker mechanism (院企对接活动, 参与人数,
推介成果, 引进团队, 引进成果, 技术交易额, 对接海外工程师, 引进人才项目, 服务企业家次, 解决问题) is a
query over these rows (see ``indicators.py``).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kechuang.core.models import BaseModel

from .choices import (
    CLOSED_CASE_STATUSES,
    OPEN_TASK_STATUSES,
    ActivityKind,
    AssignmentBasis,
    BrokerGrade,
    Campaign,
    CandidateKind,
    CaseStatus,
    ContractKind,
    DeclineReason,
    EventKind,
    IntroductionKind,
    MeetingStatus,
    OverseasServiceKind,
    ParticipantKind,
    PresentationKind,
    RegistrationStatus,
    ResponseStatus,
    TaskStatus,
    VisitKind,
)

MONEY = {"max_digits": 18, "decimal_places": 2}


def _member_enterprises(user):
    """Ids of the enterprises ``user`` is an account of (enterprise role)."""
    from kechuang.enterprises.models import Enterprise

    return Enterprise.members.through.objects.filter(user=user).values("enterprise_id")


class Broker(BaseModel):
    """A technology broker (科技经纪人) registered with the bureau."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="broker",
    )
    name = models.CharField("姓名", max_length=64)
    organisation = models.CharField("所在机构", max_length=128)
    certificate_number = models.CharField("经纪人证书编号", max_length=64, blank=True)
    grade = models.CharField("等级", max_length=16, choices=BrokerGrade.choices,
                             default=BrokerGrade.JUNIOR)
    fields = models.CharField("擅长领域", max_length=255, blank=True,
                              help_text="多个领域以顿号或逗号分隔")
    region = models.ForeignKey("regions.Region", verbose_name="服务区域",
                               on_delete=models.PROTECT, related_name="+")
    phone = models.CharField("联系电话", max_length=32, blank=True)
    is_active = models.BooleanField("在册", default=True)

    scope_region_field = "region"
    audit_masked_fields = ("phone",)

    class Meta:
        verbose_name = "科技经纪人"
        verbose_name_plural = "科技经纪人"
        ordering = ("name", "id")
        permissions = [("import_broker", "导入科技经纪人"), ("export_broker", "导出科技经纪人")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("brokerage:broker_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(user=user)

    @property
    def field_list(self) -> list[str]:
        text = self.fields.replace("，", "、").replace(",", "、")
        return [f.strip() for f in text.split("、") if f.strip()]


class PortfolioAssignment(BaseModel):
    """One enterprise in one broker's portfolio for a stretch of time.

    The open row (``ended_on`` empty) is the current assignment; closed rows are the
    reassignment history.
    """

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业",
                                   on_delete=models.CASCADE, related_name="broker_assignments")
    broker = models.ForeignKey(Broker, verbose_name="科技经纪人", on_delete=models.PROTECT,
                               related_name="assignments")
    basis = models.CharField("分配依据", max_length=12, choices=AssignmentBasis.choices,
                             default=AssignmentBasis.MANUAL)
    assigned_on = models.DateField("分配日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=255, blank=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "服务企业分配"
        verbose_name_plural = "服务企业分配"
        ordering = ("enterprise", "-assigned_on", "-id")
        permissions = [("import_portfolioassignment", "导入服务企业分配"),
                       ("export_portfolioassignment", "导出服务企业分配")]
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=Q(ended_on__isnull=True),
                                    name="brokerage_portfolioassignment_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.broker}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(broker__user=user)

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Visit(BaseModel):
    """A visit or service log entry (走访记录), with the follow-up it leaves."""

    broker = models.ForeignKey(Broker, verbose_name="科技经纪人", on_delete=models.PROTECT,
                               related_name="visits")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业",
                                   on_delete=models.CASCADE, related_name="broker_visits")
    visited_on = models.DateField("走访日期", db_index=True)
    kind = models.CharField("方式", max_length=12, choices=VisitKind.choices,
                            default=VisitKind.ON_SITE)
    people_met = models.CharField("接洽人员", max_length=255, blank=True)
    problems_found = models.TextField("发现的问题/需求", blank=True)
    summary = models.TextField("走访情况", blank=True)
    follow_up = models.CharField("后续跟进事项", max_length=255, blank=True)
    follow_up_due = models.DateField("跟进期限", null=True, blank=True)
    follow_up_done_on = models.DateField("跟进完成日期", null=True, blank=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ("-visited_on", "-id")
        permissions = [("import_visit", "导入走访记录"), ("export_visit", "导出走访记录")]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("brokerage:visit_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(broker__user=user) | Q(created_by=user)

    @property
    def follow_up_open(self) -> bool:
        return bool(self.follow_up_due) and self.follow_up_done_on is None


class TaskItem(BaseModel):
    """A 科技创新专班 work item: owner, deadline, status and the enterprises it concerns."""

    title = models.CharField("任务", max_length=200)
    campaign = models.CharField("专项行动", max_length=24, choices=Campaign.choices,
                                default=Campaign.OTHER)
    description = models.TextField("内容", blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人",
                              on_delete=models.PROTECT, related_name="brokerage_tasks")
    region = models.ForeignKey("regions.Region", verbose_name="所属区域",
                               on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("完成期限", db_index=True)
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices,
                              default=TaskStatus.TODO, db_index=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    enterprises = models.ManyToManyField("enterprises.Enterprise", verbose_name="涉及企业",
                                         blank=True, related_name="brokerage_tasks")

    scope_region_field = "region"

    class Meta:
        verbose_name = "专班任务"
        verbose_name_plural = "专班任务"
        ordering = ("deadline", "id")
        permissions = [("import_taskitem", "导入专班任务"), ("export_taskitem", "导出专班任务")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("brokerage:task_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(owner=user) | Q(created_by=user)

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in OPEN_TASK_STATUSES and self.deadline < today


class Event(BaseModel):
    """A matchmaking event (院企对接), talent event or roadshow."""

    title = models.CharField("活动名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=EventKind.choices, db_index=True)
    organiser = models.CharField("主办单位", max_length=128)
    starts_on = models.DateField("开始日期", db_index=True)
    ends_on = models.DateField("结束日期")
    venue = models.CharField("地点", max_length=200, blank=True)
    is_online = models.BooleanField("线上举办", default=False)
    region = models.ForeignKey("regions.Region", verbose_name="举办区域",
                               on_delete=models.PROTECT, related_name="+")
    description = models.TextField("简介", blank=True)

    scope_region_field = "region"

    class Meta:
        verbose_name = "对接活动"
        verbose_name_plural = "对接活动"
        ordering = ("-starts_on", "-id")
        permissions = [("import_event", "导入对接活动"), ("export_event", "导出对接活动")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("brokerage:event_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        regs = EventRegistration.objects.filter(
            Q(user=user) | Q(enterprise__in=_member_enterprises(user))
        ).values("event_id")
        return Q(created_by=user) | Q(pk__in=regs)

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class EventRegistration(BaseModel):
    """A participant's registration; approval by the organiser; check-in at the door.

    Participant counts are the checked-in registrations, never a typed total.
    """

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.CASCADE,
                              related_name="registrations")
    name = models.CharField("参会人", max_length=64)
    organisation = models.CharField("单位", max_length=128, blank=True)
    kind = models.CharField("身份", max_length=16, choices=ParticipantKind.choices,
                            default=ParticipantKind.ENTERPRISE)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", null=True,
                                   blank=True, on_delete=models.SET_NULL,
                                   related_name="event_registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("审核状态", max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.PENDING, db_index=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True, db_index=True)

    scope_region_field = "event__region"

    class Meta:
        verbose_name = "活动报名"
        verbose_name_plural = "活动报名"
        ordering = ("event", "id")
        permissions = [("import_eventregistration", "导入活动报名"),
                       ("export_eventregistration", "导出活动报名")]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）" if self.organisation else self.name

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return (Q(user=user) | Q(enterprise__in=_member_enterprises(user))
                | Q(event__created_by=user))


class EventPresentation(BaseModel):
    """An achievement or project presented (推介) at an event."""

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.CASCADE,
                              related_name="presentations")
    kind = models.CharField("类别", max_length=16, choices=PresentationKind.choices,
                            default=PresentationKind.ACHIEVEMENT)
    title = models.CharField("名称", max_length=200)
    presenter = models.CharField("推介单位/人", max_length=128, blank=True)
    achievement = models.ForeignKey("achievements.Achievement", verbose_name="科技成果",
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="event_presentations")

    scope_region_field = "event__region"

    class Meta:
        verbose_name = "推介成果/项目"
        verbose_name_plural = "推介成果/项目"
        ordering = ("event", "id")

    def __str__(self) -> str:
        return self.title


class MeetingSlot(BaseModel):
    """A time slot at a table in an event's one-to-one meeting schedule."""

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.CASCADE,
                              related_name="slots")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    table = models.CharField("桌号", max_length=16)

    scope_region_field = "event__region"

    class Meta:
        verbose_name = "洽谈时段"
        verbose_name_plural = "洽谈时段"
        ordering = ("event", "starts_at", "table")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at", "table"],
                                    name="brokerage_meetingslot_unique_table_time"),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{timezone.localtime(self.starts_at):%m-%d %H:%M} {self.table}号桌"


class MeetingRequest(BaseModel):
    """A one-to-one meeting request between two registered participants (b2match style)."""

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.CASCADE,
                              related_name="meeting_requests")
    requester = models.ForeignKey(EventRegistration, verbose_name="发起方",
                                  on_delete=models.CASCADE, related_name="meetings_requested")
    invitee = models.ForeignKey(EventRegistration, verbose_name="受邀方",
                                on_delete=models.CASCADE, related_name="meetings_invited")
    topic = models.CharField("洽谈主题", max_length=200, blank=True)
    slot = models.OneToOneField(MeetingSlot, verbose_name="时段", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="meeting")
    status = models.CharField("状态", max_length=12, choices=MeetingStatus.choices,
                              default=MeetingStatus.REQUESTED, db_index=True)
    responded_at = models.DateTimeField("答复时间", null=True, blank=True)

    scope_region_field = "event__region"

    class Meta:
        verbose_name = "一对一洽谈"
        verbose_name_plural = "一对一洽谈"
        ordering = ("event", "id")

    def __str__(self) -> str:
        return f"{self.requester.name} ↔ {self.invitee.name}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        mine = EventRegistration.objects.filter(
            Q(user=user) | Q(enterprise__in=_member_enterprises(user))).values("pk")
        return Q(requester__in=mine) | Q(invitee__in=mine) | Q(event__created_by=user)


class EventFollowUp(BaseModel):
    """An action to take after an event (send materials, arrange a site visit…)."""

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.CASCADE,
                              related_name="follow_ups")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField("跟进事项", max_length=255)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField("期限", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)

    scope_region_field = "event__region"

    class Meta:
        verbose_name = "活动后续跟进"
        verbose_name_plural = "活动后续跟进"
        ordering = ("event", "due_on", "id")

    def __str__(self) -> str:
        return self.action

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(owner=user) | Q(created_by=user)


class Introduction(BaseModel):
    """A team or an achievement introduced into the district (引进科技创新团队/科技成果).

    Registering a technology contract that names an achievement writes one of these, so
    引进科技成果 counts each achievement once, whichever way it came in.
    """

    kind = models.CharField("类别", max_length=16, choices=IntroductionKind.choices,
                            db_index=True)
    title = models.CharField("名称", max_length=200)
    introduced_on = models.DateField("引进日期", db_index=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="承接企业",
                                   on_delete=models.PROTECT, related_name="introductions")
    source = models.CharField("来源单位", max_length=128, blank=True)
    event = models.ForeignKey(Event, verbose_name="来源活动", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="introductions")
    broker = models.ForeignKey(Broker, verbose_name="科技经纪人", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="introductions")
    achievement = models.ForeignKey("achievements.Achievement", verbose_name="科技成果",
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="introductions")
    contract = models.OneToOneField("TechContract", verbose_name="技术合同", null=True,
                                    blank=True, on_delete=models.SET_NULL,
                                    related_name="introduction")

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "引进团队/成果"
        verbose_name_plural = "引进团队/成果"
        ordering = ("-introduced_on", "-id")
        permissions = [("export_introduction", "导出引进团队/成果")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(broker__user=user) | Q(enterprise__in=_member_enterprises(user))


class Case(BaseModel):
    """A demand taken on by a broker (案件): candidates, responses, meetings, outcome."""

    demand = models.ForeignKey("demands.TechDemand", verbose_name="技术需求",
                               on_delete=models.PROTECT, related_name="brokerage_cases")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="需求企业",
                                   on_delete=models.PROTECT, related_name="brokerage_cases",
                                   editable=False)
    owner = models.ForeignKey(Broker, verbose_name="负责经纪人", on_delete=models.PROTECT,
                              related_name="cases")
    title = models.CharField("案件名称", max_length=200)
    opened_on = models.DateField("立案日期", db_index=True)
    event = models.ForeignKey(Event, verbose_name="来源活动", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="cases")
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices,
                              default=CaseStatus.OPEN, db_index=True)
    closed_on = models.DateField("结案日期", null=True, blank=True, db_index=True)
    outcome_note = models.CharField("结果说明/关闭原因", max_length=255, blank=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "对接案件"
        verbose_name_plural = "对接案件"
        ordering = ("-opened_on", "-id")
        permissions = [("export_case", "导出对接案件")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("brokerage:case_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return (Q(owner__user=user) | Q(created_by=user)
                | Q(enterprise__in=_member_enterprises(user)))

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_CASE_STATUSES


class CaseCandidate(BaseModel):
    """An achievement or expert pushed to a case, and the response to it."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE,
                             related_name="candidates")
    kind = models.CharField("候选类型", max_length=16, choices=CandidateKind.choices)
    achievement = models.ForeignKey("achievements.Achievement", verbose_name="科技成果",
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="case_candidates")
    expert = models.ForeignKey("experts.Expert", verbose_name="专家/海外工程师", null=True,
                               blank=True, on_delete=models.PROTECT,
                               related_name="case_candidates")
    suggestion = models.ForeignKey("matching.MatchSuggestion", verbose_name="匹配推荐",
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="case_candidates")
    proposed_on = models.DateField("推送日期", db_index=True)
    note = models.CharField("推送说明", max_length=255, blank=True)
    response = models.CharField("反馈", max_length=12, choices=ResponseStatus.choices,
                                default=ResponseStatus.PENDING, db_index=True)
    decline_reason = models.CharField("婉拒原因", max_length=16,
                                      choices=DeclineReason.choices, blank=True)
    response_note = models.CharField("反馈说明", max_length=255, blank=True)
    responded_on = models.DateField("反馈日期", null=True, blank=True)

    scope_region_field = "case__enterprise__region"

    class Meta:
        verbose_name = "推送候选"
        verbose_name_plural = "推送候选"
        ordering = ("case", "id")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="achievement", achievement__isnull=False, expert__isnull=True)
                           | Q(kind="expert", expert__isnull=False, achievement__isnull=True)),
                name="brokerage_casecandidate_one_target"),
        ]

    def __str__(self) -> str:
        return f"{self.case} ← {self.target}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        from kechuang.experts.models import Expert

        return (Q(case__in=Case.objects.filter(Case.scope_own_q(user)).values("pk"))
                | Q(expert__in=Expert.objects.filter(user=user).values("pk")))

    @property
    def target(self):
        return self.achievement if self.kind == CandidateKind.ACHIEVEMENT else self.expert


class CaseActivity(BaseModel):
    """A meeting, a negotiation round or a follow-up note on a case."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE,
                             related_name="activities")
    kind = models.CharField("类别", max_length=12, choices=ActivityKind.choices)
    held_on = models.DateField("日期")
    candidate = models.ForeignKey(CaseCandidate, verbose_name="涉及候选", null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    participants = models.CharField("参加人员", max_length=255, blank=True)
    summary = models.TextField("情况")

    scope_region_field = "case__enterprise__region"

    class Meta:
        verbose_name = "会谈/谈判记录"
        verbose_name_plural = "会谈/谈判记录"
        ordering = ("case", "held_on", "id")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(case__in=Case.objects.filter(Case.scope_own_q(user)).values("pk"))


class CaseReminder(BaseModel):
    """A return visit due 3, 6 or 12 months after a meeting."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE,
                             related_name="reminders")
    activity = models.ForeignKey(CaseActivity, verbose_name="会谈", on_delete=models.CASCADE,
                                 related_name="reminders")
    months_after = models.PositiveSmallIntegerField("会谈后月数")
    due_on = models.DateField("提醒日期", db_index=True)
    done_on = models.DateField("完成日期", null=True, blank=True)

    scope_region_field = "case__enterprise__region"

    class Meta:
        verbose_name = "回访提醒"
        verbose_name_plural = "回访提醒"
        ordering = ("due_on", "id")
        constraints = [
            models.UniqueConstraint(fields=["activity", "months_after"],
                                    name="brokerage_casereminder_unique_interval"),
        ]

    def __str__(self) -> str:
        return f"{self.case} 会谈后{self.months_after}个月回访"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(case__owner__user=user)


class TechContract(BaseModel):
    """A registered technology contract (技术合同); 技术交易额 is the sum of their amounts."""

    kind = models.CharField("合同类型", max_length=16, choices=ContractKind.choices,
                            db_index=True)
    title = models.CharField("合同名称", max_length=200)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="买方企业",
                                   on_delete=models.PROTECT, related_name="tech_contracts")
    seller = models.CharField("卖方（技术提供方）", max_length=128)
    amount = models.DecimalField("合同金额（元）", **MONEY)
    signed_on = models.DateField("签订日期")
    registration_number = models.CharField("登记编号", max_length=64, unique=True)
    registered_on = models.DateField("登记日期", db_index=True)
    case = models.ForeignKey(Case, verbose_name="来源案件", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="contracts")
    event = models.ForeignKey(Event, verbose_name="来源活动", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="contracts")
    achievement = models.ForeignKey("achievements.Achievement", verbose_name="科技成果",
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="tech_contracts")
    broker = models.ForeignKey(Broker, verbose_name="科技经纪人", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="contracts")

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "技术合同"
        verbose_name_plural = "技术合同"
        ordering = ("-registered_on", "-id")
        permissions = [("import_techcontract", "导入技术合同"),
                       ("export_techcontract", "导出技术合同")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0),
                                   name="brokerage_techcontract_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("brokerage:contract_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return (Q(broker__user=user) | Q(created_by=user)
                | Q(enterprise__in=_member_enterprises(user))
                | Q(case__owner__user=user))


class OverseasService(BaseModel):
    """One overseas-engineer service record (五库一网): a match (对接), a talent project
    introduced (引进人才项目), a service to an enterprise (服务企业, 家次) or a problem solved."""

    kind = models.CharField("类别", max_length=20, choices=OverseasServiceKind.choices,
                            db_index=True)
    occurred_on = models.DateField("日期", db_index=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="服务企业",
                                   on_delete=models.PROTECT, related_name="overseas_services")
    engineer = models.ForeignKey("experts.Expert", verbose_name="海外工程师",
                                 on_delete=models.PROTECT, related_name="overseas_services")
    broker = models.ForeignKey(Broker, verbose_name="科技经纪人", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="overseas_services")
    platform = models.CharField("服务平台", max_length=128, blank=True)
    project_title = models.CharField("人才项目名称", max_length=200, blank=True)
    description = models.TextField("内容", blank=True)
    case = models.ForeignKey(Case, verbose_name="来源案件", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="overseas_services")

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "海外工程师服务记录"
        verbose_name_plural = "海外工程师服务记录"
        ordering = ("-occurred_on", "-id")
        permissions = [("import_overseasservice", "导入海外工程师服务记录"),
                       ("export_overseasservice", "导出海外工程师服务记录")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.engineer} → {self.enterprise}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        from kechuang.experts.models import Expert

        return (Q(broker__user=user) | Q(created_by=user)
                | Q(engineer__in=Expert.objects.filter(user=user).values("pk")))
