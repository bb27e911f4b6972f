"""Figures the catalogue cannot compute from the district's own records.

* ``DistrictFigure``: the other districts' published figures (for the rank in the city).
* ``IndicatorTarget``: the year's target for an indicator (progress on the dashboard).
* ``MonthlyEnterpriseStat``: the monthly statistics the bureau receives for above-scale
  enterprises (value added, R&D expense, high-tech industry flag), so year-to-date figures
  such as 1-9月 高新技术产业增加值 are exact sums of records.
"""

from django.db import models
from django.urls import reverse

from kechuang.core.models import BaseModel


class DistrictFigure(BaseModel):
    """A figure published for one of the city's districts (imported or entered by staff)."""

    region = models.ForeignKey("regions.Region", verbose_name="区（县、市）",
                               on_delete=models.PROTECT, related_name="district_figures")
    indicator_code = models.CharField("指标代码", max_length=64, db_index=True)
    period_start = models.DateField("统计期起")
    period_end = models.DateField("统计期止")
    value = models.DecimalField("数值（基本单位）", max_digits=20, decimal_places=2,
                                help_text="金额以元计，数量以家、项等计")
    source = models.CharField("来源", max_length=128, blank=True,
                              help_text="如：市统计局2020年9月快报")

    scope_region_field = "region"

    class Meta:
        verbose_name = "各区指标数据"
        verbose_name_plural = "各区指标数据"
        ordering = ("indicator_code", "-period_end", "region")
        permissions = [("import_districtfigure", "导入各区指标数据"),
                       ("export_districtfigure", "导出各区指标数据")]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator_code", "period_start", "period_end"],
                name="indicators_districtfigure_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.indicator_code} {self.period_start}~{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:districtfigure_edit", args=[self.pk])


class IndicatorTarget(BaseModel):
    """The year's target for an indicator (whole home district)."""

    indicator_code = models.CharField("指标代码", max_length=64, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey("regions.Region", verbose_name="区域", on_delete=models.PROTECT,
                               related_name="indicator_targets")
    value = models.DecimalField("目标值（基本单位）", max_digits=20, decimal_places=2)
    note = models.CharField("说明", max_length=255, blank=True)

    scope_region_field = "region"

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ("-year", "indicator_code")
        constraints = [
            models.UniqueConstraint(fields=["indicator_code", "year", "region"],
                                    name="indicators_indicatortarget_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.indicator_code}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:target_edit", args=[self.pk])


class MonthlyEnterpriseStat(BaseModel):
    """One above-scale enterprise's statistics for one month (from the monthly 统计报表)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业",
                                   on_delete=models.CASCADE, related_name="monthly_stats")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    month_end = models.DateField("月末日期", db_index=True, editable=False)
    value_added = models.DecimalField("工业增加值（元）", max_digits=18, decimal_places=2,
                                      null=True, blank=True)
    rd_expense = models.DecimalField("研发费用（元）", max_digits=18, decimal_places=2,
                                     null=True, blank=True)
    is_hitech_industry = models.BooleanField("属高新技术产业", default=False)

    scope_region_field = "enterprise__region"

    class Meta:
        verbose_name = "规上企业月度统计"
        verbose_name_plural = "规上企业月度统计"
        ordering = ("-year", "-month", "enterprise")
        permissions = [("import_monthlyenterprisestat", "导入规上企业月度统计"),
                       ("export_monthlyenterprisestat", "导出规上企业月度统计")]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "month"],
                                    name="indicators_monthlyenterprisestat_unique_month"),
        ]
        indexes = [models.Index(fields=["month_end", "is_hitech_industry"],
                                name="monthly_stat_end_hitech")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年{self.month}月"

    def get_absolute_url(self) -> str:
        return self.enterprise.get_absolute_url()

    @classmethod
    def scope_own_q(cls, user):
        from kechuang.enterprises.models import Enterprise

        return models.Q(enterprise__in=Enterprise.objects.filter(Enterprise.scope_own_q(user)))
