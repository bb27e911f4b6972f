"""Base model: timestamps, creator/updater and the restricted manager."""

from django.conf import settings
from django.db import models

from .querysets import RestrictedQuerySet


class BaseModel(models.Model):
    """Every domain model inherits this: who created/updated it and when."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更新人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class Job(models.Model):
    """A long-running task started from a page (import, index rebuild, report)."""

    kind = models.CharField("类型", max_length=32)
    label = models.CharField("名称", max_length=128)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    status = models.CharField("状态", max_length=12, default="pending")
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    result = models.JSONField("结果", null=True, blank=True)
    payload = models.BinaryField("附件", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def status_label(self) -> str:
        from .jobs import JobStatus

        return JobStatus(self.status).label if self.status in JobStatus.values else self.status
