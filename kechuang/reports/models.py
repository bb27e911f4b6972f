"""Generated work summaries (kept so a preview can be downloaded again) and the dashboard right."""

from django.db import models

from kechuang.core.models import BaseModel


class ReportKind(models.TextChoices):
    ANNUAL = "annual", "年度工作总结"
    MONTHLY = "monthly", "月度工作进展"


class GeneratedReport(BaseModel):
    """A work summary generated from the indicator catalogue."""

    kind = models.CharField("类型", max_length=12, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    until = models.DateField("数据截止日期")
    region = models.ForeignKey("regions.Region", verbose_name="区域", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=128)
    docx = models.BinaryField("Word文档")
    gaps = models.JSONField("数据缺口", default=list, blank=True)

    scope_region_field = "region"

    class Meta:
        verbose_name = "工作总结"
        verbose_name_plural = "工作总结"
        ordering = ("-created_at",)
        permissions = [("view_dashboard", "查看驾驶舱")]

    def __str__(self) -> str:
        return self.title
