"""科技成果: what universities, institutes, enterprises and people offer for transfer."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from kechuang.core.models import BaseModel

from .choices import (
    VISIBLE_STATUSES,
    AchievementStatus,
    IpType,
    Maturity,
    OwnerKind,
    TransferMode,
)
from .techfields import SUB_FIELD_CHOICES, TechField, field_label


class Achievement(BaseModel):
    """One scientific or technological achievement offered for transfer."""

    owner_name = models.CharField("成果持有方", max_length=128, db_index=True,
                                  help_text="单位名称或个人姓名")
    owner_kind = models.CharField("持有方类型", max_length=12, choices=OwnerKind.choices,
                                  default=OwnerKind.UNIVERSITY)
    institution = models.ForeignKey(
        "carriers.Carrier", verbose_name="所属载体/院所", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="achievements",
    )
    title = models.CharField("成果名称", max_length=200)
    abstract = models.TextField("成果简介")
    keywords = models.JSONField("关键词", default=list, blank=True)
    field = models.CharField("技术领域", max_length=2, choices=TechField.choices, db_index=True)
    sub_field = models.CharField("技术子领域", max_length=4, choices=SUB_FIELD_CHOICES, blank=True)
    maturity = models.CharField("成熟度", max_length=16, choices=Maturity.choices,
                                default=Maturity.LAB, db_index=True)
    ip_type = models.CharField("知识产权类型", max_length=16, choices=IpType.choices,
                               default=IpType.INVENTION)
    ip_number = models.CharField("知识产权编号", max_length=64, blank=True,
                                 help_text="如专利号ZL201910000000.0")
    transfer_mode = models.CharField("转化方式", max_length=16, choices=TransferMode.choices,
                                     default=TransferMode.ASSIGNMENT, db_index=True)
    price = models.DecimalField("意向价格（元）", max_digits=16, decimal_places=2, null=True,
                                blank=True, help_text="空表示面议")
    status = models.CharField("状态", max_length=12, choices=AchievementStatus.choices,
                              default=AchievementStatus.PENDING, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区域", on_delete=models.PROTECT,
        related_name="achievements",
    )
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    review_note = models.CharField("审核意见", max_length=255, blank=True)

    scope_region_field = "region"
    personal_fields = ("contact_name", "contact_phone")
    audit_masked_fields = ("contact_phone",)

    class Meta:
        verbose_name = "科技成果"
        verbose_name_plural = "科技成果"
        ordering = ("-published_at", "-id")
        permissions = [
            ("import_achievement", "导入科技成果"),
            ("export_achievement", "导出科技成果"),
            ("review_achievement", "审核科技成果"),
        ]
        indexes = [models.Index(fields=["status", "field"], name="achievement_status_field")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("achievements:achievement_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        from kechuang.carriers.models import Carrier

        return Q(created_by=user) | Q(institution__in=Carrier.objects.filter(
            Carrier.scope_own_q(user)).values("pk"))

    @property
    def is_visible(self) -> bool:
        return self.status in VISIBLE_STATUSES

    @property
    def field_name(self) -> str:
        return field_label(self.field)
