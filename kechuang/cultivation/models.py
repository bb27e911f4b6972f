"""Cultivation: rule tables as data, the 清零 campaign and 免申即享 subsidies.

The assessment engine (``cultivation.engine``) is pure Python; the rows it evaluates live in
``RuleRow`` so that a revision of the official criteria is new rows, not new code.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kechuang.core.models import BaseModel

from .choices import (
    CampaignBasis,
    Confidence,
    EntitlementStatus,
    EntryStatus,
    InterventionKind,
    RuleOrigin,
    Scheme,
    SubsidyKind,
    SubsidyTierStatus,
)

MONEY = {"max_digits": 18, "decimal_places": 2}


def _enterprise_members_q(user, prefix: str = "enterprise") -> Q:
    from kechuang.enterprises.models import Enterprise

    return Q(**{f"{prefix}__in": Enterprise.objects.filter(Enterprise.scope_own_q(user))})


class RuleRow(BaseModel):
    """One row of an eligibility rule table (the engine's rule-row schema, column for column).

    Rows are never edited in place for a revision: a new version is new rows with a later
    ``effective_from``; the engine picks, per ``(scheme, rule_id)``, the row in force on the
    assessment date with the latest ``effective_from``.
    """

    rule_id = models.CharField("规则编号", max_length=64)
    scheme = models.CharField("评价类型", max_length=16, choices=Scheme.choices, db_index=True)
    version = models.CharField("版本", max_length=32)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True,
                                    help_text="含当日；空表示长期有效")
    table = models.CharField("规则表", max_length=64)
    rank = models.IntegerField("顺序", default=0)
    condition = models.CharField("条件", max_length=8, blank=True)
    band = models.CharField("档次", max_length=32, blank=True)
    field = models.CharField("指标", max_length=64)
    op = models.CharField("运算符", max_length=16)
    threshold = models.JSONField("阈值", null=True, blank=True)
    points_min = models.IntegerField("最低分", null=True, blank=True)
    points_max = models.IntegerField("最高分", null=True, blank=True)
    value = models.CharField("取值", max_length=64, blank=True)
    applies_to = models.JSONField("适用行业", null=True, blank=True)
    label = models.CharField("说明", max_length=255, blank=True)
    source = models.CharField("依据", max_length=255, blank=True)
    confidence = models.CharField("可信度", max_length=4, choices=Confidence.choices,
                                  default=Confidence.VERIFIED)
    local_rule = models.BooleanField("地方规则", default=False,
                                     help_text="地方或未核实的规则，界面上提示“地方规则，请确认”")
    note = models.TextField("备注", blank=True)
    origin = models.CharField("来源", max_length=12, choices=RuleOrigin.choices,
                              default=RuleOrigin.BUILTIN)

    scope_region_field = None  # district-wide reference data

    class Meta:
        verbose_name = "评价规则"
        verbose_name_plural = "评价规则"
        ordering = ("scheme", "table", "rank", "rule_id", "-effective_from")
        permissions = [
            ("run_assessment", "运行资质预评估"),
            ("view_pipeline", "查看培育梯队与候选名单"),
            ("export_pipeline", "导出培育候选名单"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "rule_id", "effective_from"],
                                    name="cultivation_rulerow_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}/{self.rule_id}（{self.version}）"

    @classmethod
    def visible_to(cls, user):
        """Reference data without a region: the whole table for holders of ``view_rulerow``
        (``restrict`` would hide it from region-scoped roles such as 街道 staff)."""
        if user is None or not user.is_authenticated or not user.has_perm(
                "cultivation.view_rulerow"):
            return cls.objects.none()
        return cls.objects.all()

    @property
    def is_flagged_local(self) -> bool:
        return self.local_rule or self.confidence == Confidence.UNVERIFIED

    def to_engine_dict(self) -> dict:
        """The row in the engine's flat-dict form (``engine.rules.load_rules``)."""
        return {
            "rule_id": self.rule_id, "scheme": self.scheme, "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "table": self.table, "rank": self.rank, "condition": self.condition or None,
            "band": self.band or None, "field": self.field, "op": self.op,
            "threshold": self.threshold, "points_min": self.points_min,
            "points_max": self.points_max, "value": self.value or None,
            "applies_to": self.applies_to, "label": self.label, "source": self.source,
            "confidence": self.confidence, "local_rule": self.local_rule, "note": self.note,
        }


class ZeroRdCampaign(BaseModel):
    """A year's 规上工业企业研发费用“清零”行动 (one per year; history kept across years)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    name = models.CharField("名称", max_length=128)
    basis = models.CharField("口径", max_length=8, choices=CampaignBasis.choices,
                             default=CampaignBasis.ANNUAL)
    until = models.DateField("统计截至", null=True, blank=True,
                             help_text="年初至今口径的截止日期")
    region = models.ForeignKey("regions.Region", verbose_name="区域", on_delete=models.PROTECT,
                               related_name="+")
    note = models.TextField("说明", blank=True)

    scope_region_field = "region"

    class Meta:
        verbose_name = "清零行动"
        verbose_name_plural = "清零行动"
        ordering = ("-year",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cultivation:campaign_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(pk__in=CampaignEntry.objects.filter(CampaignEntry.scope_own_q(user))
                 .values("campaign_id"))


class CampaignEntry(BaseModel):
    """One 规上工业 enterprise with zero R&D expense in a campaign year, and its follow-up."""

    campaign = models.ForeignKey(ZeroRdCampaign, verbose_name="清零行动", on_delete=models.CASCADE,
                                 related_name="entries")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业",
                                   on_delete=models.CASCADE, related_name="zero_rd_entries")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任科员", null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    broker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="科技经纪人", null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("状态", max_length=16, choices=EntryStatus.choices,
                              default=EntryStatus.NOT_CONTACTED, db_index=True)
    status_changed_on = models.DateField("状态日期", null=True, blank=True)
    reason = models.CharField("不适用原因", max_length=255, blank=True)
    main_business_revenue = models.DecimalField("主营业务收入（元）", null=True, blank=True,
                                                **MONEY)
    rd_expense = models.DecimalField("研发费用（元）", null=True, blank=True, **MONEY,
                                     help_text="列入名单时的研发费用（空表示未填报）")

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "清零企业"
        verbose_name_plural = "清零企业"
        ordering = ("campaign", "enterprise__name")
        permissions = [("export_campaignentry", "导出清零名单")]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "enterprise"],
                                    name="cultivation_campaignentry_unique_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}（{self.campaign.year}年清零）"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:entry_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(broker=user) | Q(officer=user)


class Intervention(BaseModel):
    """A logged action on a 清零 entry (call, visit, training…), optionally moving its status."""

    entry = models.ForeignKey(CampaignEntry, verbose_name="清零企业", on_delete=models.CASCADE,
                              related_name="interventions")
    kind = models.CharField("方式", max_length=16, choices=InterventionKind.choices)
    happened_on = models.DateField("日期")
    note = models.TextField("情况记录", blank=True)
    status_before = models.CharField("原状态", max_length=16, choices=EntryStatus.choices,
                                     blank=True)
    status_after = models.CharField("新状态", max_length=16, choices=EntryStatus.choices,
                                    blank=True)

    scope_region_field = "entry__enterprise__region"

    class Meta:
        verbose_name = "清零服务记录"
        verbose_name_plural = "清零服务记录"
        ordering = ("-happened_on", "-id")

    def __str__(self) -> str:
        return f"{self.entry.enterprise} {self.happened_on} {self.get_kind_display()}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(entry__in=CampaignEntry.objects.filter(CampaignEntry.scope_own_q(user)))


class SubsidyPolicy(BaseModel):
    """A 免申即享 subsidy rule: computed for every enterprise, no application needed.

    ``year`` is the year the money is paid; the base is the R&D expense of ``year − 1``
    (and ``year − 2`` for increments), as accepted for the super deduction.
    """

    name = models.CharField("政策名称", max_length=128)
    kind = models.CharField("计算方式", max_length=16, choices=SubsidyKind.choices)
    year = models.PositiveSmallIntegerField("兑现年度")
    one_off_amount = models.DecimalField("一次性奖励金额（元）", null=True, blank=True, **MONEY)
    document = models.CharField("政策依据", max_length=255, blank=True)
    local_rule = models.BooleanField("地方规则", default=True,
                                     help_text="区级政策口径，界面上提示“地方规则，请确认”")
    is_active = models.BooleanField("启用", default=True)
    note = models.TextField("说明", blank=True)

    scope_region_field = None

    class Meta:
        verbose_name = "免申即享政策"
        verbose_name_plural = "免申即享政策"
        ordering = ("-year", "name")

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:policy_detail", args=[self.pk])

    @property
    def base_year(self) -> int:
        return self.year - 1


class SubsidyTier(BaseModel):
    """Rate and cap of a policy for one status (高企 / 科小 / 规上)."""

    policy = models.ForeignKey(SubsidyPolicy, verbose_name="政策", on_delete=models.CASCADE,
                               related_name="tiers")
    status = models.CharField("对象", max_length=16, choices=SubsidyTierStatus.choices)
    rate = models.DecimalField("比例", max_digits=7, decimal_places=4, default=Decimal(0),
                               help_text="如0.05表示5%")
    cap = models.DecimalField("封顶（元）", null=True, blank=True, **MONEY)

    scope_region_field = None

    class Meta:
        verbose_name = "政策档次"
        verbose_name_plural = "政策档次"
        ordering = ("policy", "status")
        constraints = [
            models.UniqueConstraint(fields=["policy", "status"],
                                    name="cultivation_subsidytier_unique_status"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.get_status_display()}"


class SubsidyEntitlement(BaseModel):
    """What one enterprise is entitled to under one policy, with the computation shown."""

    policy = models.ForeignKey(SubsidyPolicy, verbose_name="政策", on_delete=models.CASCADE,
                               related_name="entitlements")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业",
                                   on_delete=models.CASCADE, related_name="subsidy_entitlements")
    tier = models.CharField("适用档次", max_length=16, choices=SubsidyTierStatus.choices,
                            blank=True)
    base_amount = models.DecimalField("计算基数（元）", null=True, blank=True, **MONEY)
    rate = models.DecimalField("比例", max_digits=7, decimal_places=4, null=True, blank=True)
    cap = models.DecimalField("封顶（元）", null=True, blank=True, **MONEY)
    amount = models.DecimalField("应兑现金额（元）", default=Decimal(0), **MONEY)
    computation = models.TextField("计算过程")
    status = models.CharField("状态", max_length=12, choices=EntitlementStatus.choices,
                              default=EntitlementStatus.COMPUTED, db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=255, blank=True)
    paid_amount = models.DecimalField("实付金额（元）", null=True, blank=True, **MONEY)
    paid_on = models.DateField("兑付日期", null=True, blank=True)
    payment_reference = models.CharField("支付凭证号", max_length=64, blank=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "免申即享兑现"
        verbose_name_plural = "免申即享兑现"
        ordering = ("policy", "-amount", "enterprise__name")
        permissions = [
            ("approve_subsidyentitlement", "审核免申即享兑现"),
            ("pay_subsidyentitlement", "登记免申即享兑付"),
            ("export_subsidyentitlement", "导出免申即享兑现名单"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"],
                                    name="cultivation_subsidyentitlement_unique_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.policy}"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:entitlement_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return _enterprise_members_q(user)


class CandidateRun(BaseModel):
    """One computation of the per-enterprise assessments behind the candidate lists of a call
    year: ``all`` (every enterprise with figures in the data window) or ``changed`` (only the
    enterprises whose inputs changed since, see :class:`CandidateChange`)."""

    MODE_ALL = "all"
    MODE_CHANGED = "changed"

    year = models.PositiveSmallIntegerField("评价年度", db_index=True)
    mode = models.CharField("范围", max_length=8, choices=[(MODE_ALL, "全部企业"),
                                                           (MODE_CHANGED, "数据有变更的企业")])
    status = models.CharField("状态", max_length=12, default="pending")
    job = models.ForeignKey("core.Job", verbose_name="后台任务", null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    rules_stamp = models.CharField("规则版本标记", max_length=64, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    enterprises = models.PositiveIntegerField("评估企业数", default=0)

    scope_region_field = None  # district-wide derived data

    class Meta:
        verbose_name = "候选名单计算"
        verbose_name_plural = "候选名单计算"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.year}年候选名单计算（{self.get_mode_display()}）"


class CandidateAssessment(BaseModel):
    """The stored outcome of one scheme's assessment of one enterprise for a call year: what
    the candidate lists read, so that no request assesses the registry."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业",
                                   on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("评价年度")
    scheme = models.CharField("评价类别", max_length=16, choices=Scheme.choices)
    assessed = models.BooleanField("可评价", default=True,
                                   help_text="否：数据不完整或有误，引擎未能评价")
    eligible = models.BooleanField("符合条件", null=True)
    verdict = models.CharField("结论", max_length=12, blank=True)
    score = models.IntegerField("得分", null=True)
    score_min = models.IntegerField("最低分", null=True)
    score_max = models.IntegerField("最高分", null=True)
    unmet = models.JSONField("未满足条件", default=list)
    rd_gap = models.DecimalField("研发费用缺口（元）", null=True, **MONEY)
    message = models.CharField("说明", max_length=255, blank=True)
    computed_at = models.DateTimeField("计算时间")

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "候选名单评估结果"
        verbose_name_plural = "候选名单评估结果"
        constraints = [
            models.UniqueConstraint(fields=["year", "scheme", "enterprise"],
                                    name="cultivation_candidateassessment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.scheme}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return _enterprise_members_q(user)


class CandidateChange(models.Model):
    """An enterprise whose assessment inputs changed after the stored assessments were
    computed (written by the ``core.changes`` subscriber; cleared by the next computation)."""

    enterprise = models.OneToOneField("enterprises.Enterprise", verbose_name="企业",
                                      on_delete=models.CASCADE, primary_key=True,
                                      related_name="+")
    changed_at = models.DateTimeField("变更时间")

    class Meta:
        verbose_name = "待更新评估的企业"
        verbose_name_plural = "待更新评估的企业"

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.changed_at:%Y-%m-%d %H:%M}"
