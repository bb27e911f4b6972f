"""载体: research institutes, laboratories, complexes, incubators, workstations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kechuang.core.models import BaseModel

from .choices import CarrierKind, CarrierLevel


class Carrier(BaseModel):
    """An innovation carrier (载体/平台) with its level, host and dates."""

    name = models.CharField("载体名称", max_length=128, db_index=True)
    kind = models.CharField("类型", max_length=32, choices=CarrierKind.choices, db_index=True)
    level = models.CharField("级别", max_length=12, choices=CarrierLevel.choices,
                             default=CarrierLevel.DISTRICT, db_index=True)
    host_name = models.CharField("依托单位", max_length=128, blank=True)
    host_enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="依托企业", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="carriers",
    )
    opened_on = models.DateField("成立/建设日期", null=True, blank=True)
    recognized_on = models.DateField("认定日期", null=True, blank=True, db_index=True,
                                     help_text="获得当前级别认定（批准）的日期")
    fields = models.JSONField("技术领域", default=list, blank=True)
    description = models.TextField("简介", blank=True)
    address = models.CharField("地址", max_length=255, blank=True)
    area = models.DecimalField("面积（平方米）", max_digits=12, decimal_places=2, null=True,
                               blank=True)
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区域", on_delete=models.PROTECT,
        related_name="carriers",
    )
    is_active = models.BooleanField("运行中", default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="机构账号", blank=True, related_name="carriers",
    )

    scope_region_field = "region"
    personal_fields = ("contact_name", "contact_phone")
    audit_masked_fields = ("contact_phone",)

    class Meta:
        verbose_name = "载体"
        verbose_name_plural = "载体"
        ordering = ("name", "id")
        permissions = [
            ("import_carrier", "导入载体"),
            ("export_carrier", "导出载体"),
        ]
        indexes = [models.Index(fields=["kind", "level"], name="carrier_kind_level")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("carriers:carrier_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(created_by=user) | Q(
            pk__in=cls.members.through.objects.filter(user=user).values("carrier_id"))
