"""专家与人才: experts, academicians and overseas engineers."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kechuang.achievements.techfields import field_label
from kechuang.core.models import BaseModel

from .choices import ExpertKind, ExpertStatus, ServiceMode


class Expert(BaseModel):
    """One expert, academician or overseas engineer in the talent library."""

    kind = models.CharField("类别", max_length=20, choices=ExpertKind.choices,
                            default=ExpertKind.EXPERT, db_index=True)
    name = models.CharField("姓名", max_length=64, db_index=True)
    organisation = models.CharField("工作单位", max_length=128, blank=True)
    title = models.CharField("职称/职务", max_length=64, blank=True)
    country = models.CharField("国家/地区", max_length=32, default="中国")
    languages = models.JSONField("工作语言", default=list, blank=True)
    fields = models.JSONField("技术领域", default=list, blank=True,
                              help_text="国家重点支持的高新技术领域代码列表")
    specialties = models.TextField("专业方向", blank=True,
                                   help_text="研究方向、擅长解决的问题（用于匹配）")
    bio = models.TextField("个人简介", blank=True)
    availability_from = models.DateField("可服务起始日", null=True, blank=True)
    availability_until = models.DateField("可服务截止日", null=True, blank=True)
    service_mode = models.CharField("服务方式", max_length=8, choices=ServiceMode.choices,
                                    default=ServiceMode.BOTH)
    talent_programmes = models.JSONField("人才计划入选", default=list, blank=True)
    phone = models.CharField("手机号码", max_length=32, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    id_number = models.CharField("证件号码", max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="expert_profile",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区域", on_delete=models.PROTECT,
        related_name="experts",
    )
    status = models.CharField("状态", max_length=12, choices=ExpertStatus.choices,
                              default=ExpertStatus.ACTIVE, db_index=True)
    registered_on = models.DateField("入库日期", null=True, blank=True, db_index=True)

    scope_region_field = "region"
    personal_fields = ("phone", "email", "id_number")
    audit_masked_fields = ("phone", "email", "id_number")

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家与人才"
        ordering = ("name", "id")
        permissions = [
            ("import_expert", "导入专家"),
            ("export_expert", "导出专家"),
            ("view_personal_data", "查看专家个人信息明文"),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="expert_kind_status")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("experts:expert_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(created_by=user) | Q(user=user)

    @property
    def field_names(self) -> list[str]:
        return [field_label(c) for c in self.fields or [] if field_label(c)]

    def is_available_on(self, day: dt.date) -> bool:
        if self.availability_from and day < self.availability_from:
            return False
        return not (self.availability_until and day > self.availability_until)
