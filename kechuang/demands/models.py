"""技术需求: a technical problem an enterprise states in its own words."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from kechuang.achievements.techfields import SUB_FIELD_CHOICES, TechField, field_label
from kechuang.core.models import BaseModel

from .choices import VISIBLE_STATUSES, DemandStatus


class TechDemand(BaseModel):
    """One technical demand of an enterprise; reviewed by staff before it is published."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
        related_name="tech_demands",
    )
    title = models.CharField("需求名称", max_length=200)
    description = models.TextField("需求描述",
                                   help_text="企业自己的表述：遇到什么问题、想达到什么效果")
    field = models.CharField("技术领域", max_length=2, choices=TechField.choices, blank=True,
                             db_index=True)
    sub_field = models.CharField("技术子领域", max_length=4, choices=SUB_FIELD_CHOICES, blank=True)
    keywords = models.JSONField("关键词", default=list, blank=True)
    budget = models.DecimalField("预算（元）", max_digits=16, decimal_places=2, null=True,
                                 blank=True)
    deadline = models.DateField("期望解决日期", null=True, blank=True)
    is_anonymous = models.BooleanField(
        "匿名发布", default=False, help_text="发布时不显示企业名称和联系方式",
    )
    status = models.CharField("状态", max_length=12, choices=DemandStatus.choices,
                              default=DemandStatus.PENDING, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区域", on_delete=models.PROTECT,
        related_name="tech_demands", editable=False,
        help_text="取自企业所属区域",
    )
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    review_note = models.CharField("审核意见", max_length=255, blank=True)

    scope_region_field = "region"
    personal_fields = ("contact_name", "contact_phone")
    audit_masked_fields = ("contact_phone",)

    class Meta:
        verbose_name = "技术需求"
        verbose_name_plural = "技术需求"
        ordering = ("-published_at", "-id")
        permissions = [
            ("import_techdemand", "导入技术需求"),
            ("export_techdemand", "导出技术需求"),
            ("review_techdemand", "审核技术需求"),
        ]
        indexes = [models.Index(fields=["status", "field"], name="demand_status_field")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:techdemand_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        from kechuang.enterprises.models import Enterprise

        return Q(created_by=user) | Q(enterprise__in=Enterprise.objects.filter(
            Enterprise.scope_own_q(user)).values("pk"))

    @property
    def is_visible(self) -> bool:
        return self.status in VISIBLE_STATUSES

    @property
    def field_name(self) -> str:
        return field_label(self.field)

    def public_enterprise_name(self) -> str:
        """The name shown on the portal: hidden for anonymous demands."""
        return "匿名企业" if self.is_anonymous else self.enterprise.name
