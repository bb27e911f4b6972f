"""Audit records: object changes, operation log, login log. Append-only.

Rows can be inserted but never updated or deleted through the ORM (``save``/``delete`` and
queryset ``update``/``delete`` raise); migrations add database triggers that refuse UPDATE and
DELETE as well, so nothing in the application can alter them.
"""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from . import events


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计记录不可修改")

    def delete(self):
        raise AppendOnlyError("审计记录不可删除")

    _raw_delete = delete


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计记录不可删除")


class ChangeRecord(AppendOnlyModel):
    """One audited write: who changed which object, when, from what to what."""

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    request_id = models.CharField("请求编号", max_length=64, db_index=True)
    channel = models.CharField("渠道", max_length=16, default="web")
    action = models.CharField("动作", max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("对象编号", max_length=64, db_index=True)
    object_repr = models.CharField("对象", max_length=255)
    related_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    related_object_id = models.CharField(max_length=64, blank=True, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "对象变更记录"
        verbose_name_plural = "对象变更记录"
        default_permissions = ("view",)
        ordering = ("-time", "-id")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_change_object")]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action_label} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return events.label(self.action)

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def changed_fields_display(self) -> list[tuple[str, str | None, str | None]]:
        """``changed_fields`` for the history on a record's page: Chinese field names and
        choice labels, 是/否, lists joined, local times, related records by name; no
        bookkeeping columns, and personal fields (``personal_fields``) only as ``***``."""
        model = self.content_type.model_class() if self.content_type_id else None
        fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
        personal = set(getattr(model, "personal_fields", ()))
        out = []
        for key, before, after in self.changed_fields():
            field = fields.get(key)
            if key in HIDDEN_IN_HISTORY:
                continue
            if field is not None and field.name in personal:
                before, after = (before and "***") or None, (after and "***") or None
            shown = (_display(field, before), _display(field, after))
            if shown[0] != shown[1]:
                out.append((str(field.verbose_name) if field is not None else key, *shown))
        return out


HIDDEN_IN_HISTORY = frozenset({"id", "created_at", "updated_at", "created_by_id",
                               "updated_by_id"})


def _display(field, value) -> str | None:
    """One snapshot value as people read it (``None``: nothing, shown as —)."""
    if value is None or value == "" or value == []:
        return None
    if field is None or value == "***":
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    if field.is_relation and field.related_model is not None:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return str(value)


class OperationLog(AppendOnlyModel):
    """操作日志: one row per write request (and export) reaching the application, and one
    per request a security middleware refuses (``message`` says why)."""

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_constraint=False,
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    request_id = models.CharField("请求编号", max_length=64, db_index=True)
    method = models.CharField("方法", max_length=10)
    path = models.CharField("路径", max_length=500)
    status = models.PositiveSmallIntegerField("状态码")
    remote_addr = models.CharField("IP地址", max_length=64, blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）")
    succeeded = models.BooleanField("成功")
    # Why a middleware refused the request before the view ran (blank for the others).
    message = models.CharField("说明", max_length=255, blank=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        default_permissions = ("view",)
        ordering = ("-time", "-id")

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class LoginEvent(models.TextChoices):
    LOGIN = "login", "登录成功"
    FAILED = "failed", "登录失败"
    LOCKED = "locked", "账号锁定"
    LOGOUT = "logout", "退出"


class LoginLog(AppendOnlyModel):
    """登录日志: successful and failed log-ins, lock-outs and log-outs."""

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    username = models.CharField("用户名", max_length=150, db_index=True)
    event = models.CharField("事件", max_length=16, choices=LoginEvent.choices)
    succeeded = models.BooleanField("成功")
    remote_addr = models.CharField("IP地址", max_length=64, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        default_permissions = ("view",)
        ordering = ("-time", "-id")

    def __str__(self) -> str:
        return f"{self.username} {self.get_event_display()}"
