"""The enterprise registry: enterprises, yearly indicators and certifications."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kechuang.achievements.techfields import SUB_FIELD_CHOICES, TechField, field_label
from kechuang.core.models import BaseModel

from . import industry
from .choices import (
    AwardGrade,
    CertificationKind,
    CertificationStatus,
    LegalForm,
    Level,
    StandardLevel,
    StandardRole,
    TaxCollection,
)

ABOVE_SCALE_MAIN_REVENUE = Decimal(20_000_000)  # 2000万元, 国家统计局 since 2011


class Enterprise(BaseModel):
    """An enterprise, keyed by its 统一社会信用代码; every programme hangs off it."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=128, db_index=True)
    name_pinyin = models.CharField("名称拼音", max_length=512, blank=True, db_index=True,
                                   editable=False)
    name_initials = models.CharField("名称首字母", max_length=128, blank=True, db_index=True,
                                     editable=False)
    industry_code = models.CharField(
        "行业代码", max_length=5, db_index=True, help_text="GB/T 4754-2017，如C3511"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区域", on_delete=models.PROTECT,
        related_name="enterprises",
    )
    legal_form = models.CharField("企业类型", max_length=24, choices=LegalForm.choices,
                                  default=LegalForm.LIMITED)
    established_on = models.DateField("成立日期")
    registered_capital = models.DecimalField(
        "注册资本（元）", max_digits=18, decimal_places=2, null=True, blank=True
    )
    address = models.CharField("注册地址", max_length=255, blank=True)
    tax_collection = models.CharField("所得税征收方式", max_length=8,
                                      choices=TaxCollection.choices, default=TaxCollection.AUDITED)
    is_credit_clean = models.BooleanField(
        "无重大事故与失信记录", default=True,
        help_text="近一年无重大安全、质量事故，无严重环境违法、失信行为",
    )
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    contact_email = models.EmailField("电子邮箱", blank=True)
    is_active = models.BooleanField("存续", default=True)
    # Nullable (None = not stated) so that adding them is a plain ADD COLUMN: on SQLite a NOT
    # NULL column would rebuild the table and drop the list-version and search triggers.
    hitech_field = models.CharField(  # noqa: DJ001
        "高新技术领域", max_length=2, choices=TechField.choices, null=True, blank=True,
        help_text="核心技术所属的《国家重点支持的高新技术领域》（须人工确认）",
    )
    hitech_sub_field = models.CharField(  # noqa: DJ001
        "高新技术子领域", max_length=4, choices=SUB_FIELD_CHOICES, null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="企业账号", blank=True,
        related_name="enterprises",
    )

    scope_region_field = "region"
    personal_fields = ("legal_representative", "contact_name", "contact_phone", "contact_email")
    audit_masked_fields = ("contact_phone", "contact_email")

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ("name", "id")
        permissions = [
            ("import_enterprise", "导入企业"),
            ("export_enterprise", "导出企业"),
            ("view_personal_data", "查看个人信息明文"),
        ]
        indexes = [models.Index(fields=["region", "name"], name="enterprise_region_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(pk__in=cls.members.through.objects.filter(user=user).values("enterprise_id"))

    @property
    def industry_section(self) -> str:
        return industry.section_of(self.industry_code)

    @property
    def industry_name(self) -> str:
        return industry.division_name(self.industry_code)

    @property
    def hitech_field_path(self) -> str:
        """"电子信息/软件" (field and sub-field labels), "" when not set."""
        if not self.hitech_field:
            return ""
        parts = [field_label(self.hitech_field)]
        if self.hitech_sub_field:
            parts.append(field_label(self.hitech_sub_field))
        return "/".join(parts)


class AnnualIndicator(BaseModel):
    """One enterprise's figures for one accounting year (every input the 科小/高企 rules need)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="annual_indicators")
    year = models.PositiveSmallIntegerField("年度")
    staff_total = models.PositiveIntegerField("职工总数（人）", null=True, blank=True)
    st_staff = models.PositiveIntegerField("科技人员数（人）", null=True, blank=True)
    sales_revenue = models.DecimalField("销售收入（元）", max_digits=18, decimal_places=2,
                                        null=True, blank=True)
    main_business_revenue = models.DecimalField("主营业务收入（元）", max_digits=18,
                                                decimal_places=2, null=True, blank=True)
    total_income = models.DecimalField("收入总额（元）", max_digits=18, decimal_places=2,
                                       null=True, blank=True)
    non_taxable_income = models.DecimalField("不征税收入（元）", max_digits=18, decimal_places=2,
                                             null=True, blank=True)
    rd_expense = models.DecimalField("研发费用（元）", max_digits=18, decimal_places=2,
                                     null=True, blank=True)
    rd_expense_domestic = models.DecimalField("境内研发费用（元）", max_digits=18,
                                              decimal_places=2, null=True, blank=True)
    cost_expense_total = models.DecimalField("成本费用支出总额（元）", max_digits=18,
                                             decimal_places=2, null=True, blank=True)
    total_assets = models.DecimalField("资产总额（元）", max_digits=18, decimal_places=2,
                                       null=True, blank=True)
    total_liabilities = models.DecimalField("负债总额（元）", max_digits=18, decimal_places=2,
                                            null=True, blank=True)
    hitech_revenue = models.DecimalField("高新技术产品（服务）收入（元）", max_digits=18,
                                         decimal_places=2, null=True, blank=True)
    ip_class1 = models.PositiveIntegerField("Ⅰ类知识产权（项）", null=True, blank=True)
    ip_class2 = models.PositiveIntegerField("Ⅱ类知识产权（项）", null=True, blank=True)
    ip_class2_used = models.PositiveIntegerField("已用于高企申报的Ⅱ类知识产权（项）",
                                                 null=True, blank=True)
    conversions = models.PositiveIntegerField("科技成果转化数（项）", null=True, blank=True)
    is_above_scale_industrial = models.BooleanField("规上工业", default=False, editable=False,
                                                    db_index=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "年度指标"
        verbose_name_plural = "年度指标"
        ordering = ("enterprise", "-year")
        permissions = [("import_annualindicator", "导入年度指标"),
                       ("export_annualindicator", "导出年度指标")]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"],
                                    name="enterprises_annualindicator_unique_year"),
        ]
        indexes = [models.Index(fields=["year", "is_above_scale_industrial"],
                                name="indicator_year_above_scale")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(enterprise__in=Enterprise.objects.filter(Enterprise.scope_own_q(user)))

    @property
    def net_assets(self) -> Decimal | None:
        if self.total_assets is None or self.total_liabilities is None:
            return None
        return self.total_assets - self.total_liabilities

    def compute_above_scale(self, industry_code: str) -> bool:
        """规上工业: sections B/C/D and 主营业务收入 ≥ 2000万元 (domain-rules §5.2)."""
        return bool(
            industry.is_industrial(industry_code)
            and self.main_business_revenue is not None
            and self.main_business_revenue >= ABOVE_SCALE_MAIN_REVENUE
        )


class Certification(BaseModel):
    """A certification or status held (or applied for) by an enterprise."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="certifications")
    kind = models.CharField("类别", max_length=24, choices=CertificationKind.choices,
                            db_index=True)
    status = models.CharField("状态", max_length=12, choices=CertificationStatus.choices,
                              default=CertificationStatus.GRANTED, db_index=True)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    number = models.CharField("证书/登记编号", max_length=32, blank=True, db_index=True)
    name = models.CharField("名称", max_length=128, blank=True,
                            help_text="研发机构等需填写名称")
    level = models.CharField("级别", max_length=12, choices=Level.choices, blank=True)
    applied_on = models.DateField("申报日期", null=True, blank=True)
    issued_on = models.DateField("认定/发证日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    is_first_application = models.BooleanField("首次申报", default=False)
    note = models.CharField("备注", max_length=255, blank=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "资质认定"
        verbose_name_plural = "资质认定"
        ordering = ("enterprise", "-year", "kind")
        permissions = [("import_certification", "导入资质认定"),
                       ("export_certification", "导出资质认定")]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "year", "name"],
                name="enterprises_certification_unique_kind_year",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status", "year"], name="cert_kind_status_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()}（{self.year}）"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(enterprise__in=Enterprise.objects.filter(Enterprise.scope_own_q(user)))

    def is_valid_on(self, day: dt.date) -> bool:
        if self.status != CertificationStatus.GRANTED:
            return False
        if self.issued_on and day < self.issued_on:
            return False
        return not (self.valid_until and day > self.valid_until)


class Award(BaseModel):
    """A science and technology award won by the enterprise (科小 direct ground D2)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="awards")
    name = models.CharField("奖项名称", max_length=128, help_text="如国家科学技术进步奖")
    project = models.CharField("获奖项目", max_length=255, blank=True)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    grade = models.CharField("等级", max_length=12, choices=AwardGrade.choices, blank=True)
    org_rank = models.PositiveSmallIntegerField(
        "获奖单位排名", null=True, blank=True,
        help_text="本企业在获奖单位中的排名，第一完成单位填1",
    )
    year = models.PositiveSmallIntegerField("获奖年度", db_index=True)
    issuer = models.CharField("授奖部门", max_length=128, blank=True)
    certificate_number = models.CharField("证书编号", max_length=64, blank=True)
    note = models.CharField("备注", max_length=255, blank=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "科技奖励"
        verbose_name_plural = "科技奖励"
        ordering = ("enterprise", "-year", "name")
        permissions = [("import_award", "导入科技奖励"), ("export_award", "导出科技奖励")]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name", "year", "project"],
                                    name="enterprises_award_unique_project"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年{self.name}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(enterprise__in=Enterprise.objects.filter(Enterprise.scope_own_q(user)))


class Standard(BaseModel):
    """A standard the enterprise drafted, as lead or participant (科小 direct ground D4)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="standards")
    code = models.CharField("标准编号", max_length=64, help_text="如GB/T 12345-2019")
    name = models.CharField("标准名称", max_length=255)
    level = models.CharField("标准类别", max_length=16, choices=StandardLevel.choices)
    role = models.CharField("参与方式", max_length=12, choices=StandardRole.choices)
    drafting_rank = models.PositiveSmallIntegerField(
        "起草单位排名", null=True, blank=True, help_text="本企业在起草单位中的排名",
    )
    published_on = models.DateField("发布日期")
    note = models.CharField("备注", max_length=255, blank=True)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "标准制定"
        verbose_name_plural = "标准制定"
        ordering = ("enterprise", "-published_on", "code")
        permissions = [("import_standard", "导入标准制定"),
                       ("export_standard", "导出标准制定")]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "code"],
                                    name="enterprises_standard_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.code}"

    @classmethod
    def scope_own_q(cls, user) -> Q:
        return Q(enterprise__in=Enterprise.objects.filter(Enterprise.scope_own_q(user)))
