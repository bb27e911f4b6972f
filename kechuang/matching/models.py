"""Match suggestions the engine made and the answers brokers and enterprises gave."""

from django.db import models
from django.db.models import Q

from kechuang.core.models import BaseModel

from .choices import (
    Decision,
    DeclineReason,
    ResponderRole,
    SourceKind,
    SuggestionStatus,
    TargetKind,
)


class MatchSuggestion(BaseModel):
    """One suggested pairing (demand → achievement/expert, achievement → demand/enterprise)."""

    source_kind = models.CharField("来源类型", max_length=12, choices=SourceKind.choices)
    demand = models.ForeignKey("demands.TechDemand", verbose_name="技术需求", null=True,
                               blank=True, on_delete=models.CASCADE,
                               related_name="match_suggestions")
    achievement = models.ForeignKey("achievements.Achievement", verbose_name="科技成果",
                                    null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="match_suggestions")
    target_kind = models.CharField("推荐类型", max_length=20, choices=TargetKind.choices)
    expert = models.ForeignKey("experts.Expert", verbose_name="专家", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="match_suggestions")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", null=True,
                                   blank=True, on_delete=models.CASCADE,
                                   related_name="match_suggestions")
    score = models.FloatField("得分", default=0.0)
    rank = models.PositiveIntegerField("名次", default=0)
    explanation = models.JSONField("推荐理由", default=dict, blank=True)
    status = models.CharField("状态", max_length=12, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.OPEN, db_index=True)
    region = models.ForeignKey("regions.Region", verbose_name="所属区域",
                               on_delete=models.PROTECT, related_name="match_suggestions")

    scope_region_field = "region"

    class Meta:
        verbose_name = "匹配推荐"
        verbose_name_plural = "匹配推荐"
        ordering = ("-created_at", "rank")
        permissions = [("respond_matchsuggestion", "答复匹配推荐")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "demand", "achievement", "target_kind", "expert",
                        "enterprise"],
                name="matching_matchsuggestion_unique_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_label} → {self.target_label}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        from kechuang.demands.models import TechDemand
        from kechuang.experts.models import Expert

        return (Q(created_by=user)
                | Q(demand__in=TechDemand.objects.filter(TechDemand.scope_own_q(user))
                    .values("pk"))
                | Q(expert__in=Expert.objects.filter(user=user).values("pk")))

    @property
    def source(self):
        return self.demand if self.source_kind == SourceKind.DEMAND else self.achievement

    @property
    def target(self):
        if self.target_kind in (TargetKind.EXPERT, TargetKind.OVERSEAS_ENGINEER):
            return self.expert
        if self.target_kind == TargetKind.ENTERPRISE:
            return self.enterprise
        if self.target_kind == TargetKind.DEMAND:
            return self.demand
        return self.achievement

    @property
    def source_label(self) -> str:
        return str(self.source)

    @property
    def target_label(self) -> str:
        return str(self.target)


class MatchResponse(BaseModel):
    """An answer to a suggestion: accepted, or declined with a reason from the fixed list."""

    suggestion = models.ForeignKey(MatchSuggestion, verbose_name="匹配推荐",
                                   on_delete=models.CASCADE, related_name="responses")
    decision = models.CharField("答复", max_length=8, choices=Decision.choices)
    reason = models.CharField("谢绝原因", max_length=16, choices=DeclineReason.choices,
                              blank=True)
    note = models.CharField("说明", max_length=255, blank=True)
    responder_role = models.CharField("答复方", max_length=12, choices=ResponderRole.choices)

    scope_region_field = "suggestion__region"

    class Meta:
        verbose_name = "匹配答复"
        verbose_name_plural = "匹配答复"
        ordering = ("-created_at",)

    def __str__(self) -> str:
        label = self.get_decision_display()
        return f"{label}：{self.get_reason_display()}" if self.reason else label

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(created_by=user) | Q(suggestion__in=MatchSuggestion.objects.filter(
            MatchSuggestion.scope_own_q(user)).values("pk"))
