"""Read-only audit pages for the 审计管理员: change records, operation log, login log."""

import django_filters
from django import forms

from kechuang.core.views import ObjectListView

from . import events
from .models import ChangeRecord, LoginEvent, LoginLog, OperationLog


def _date_input():
    return forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class ChangeRecordFilterSet(django_filters.FilterSet):
    actor_name = django_filters.CharFilter("actor_name", "icontains", label="操作人")
    action = django_filters.ChoiceFilter(choices=events.choices, label="动作")
    object_repr = django_filters.CharFilter("object_repr", "icontains", label="对象")
    request_id = django_filters.CharFilter(label="请求编号")
    since = django_filters.DateFilter("time", "date__gte", label="起始日期", widget=_date_input())
    until = django_filters.DateFilter("time", "date__lte", label="截止日期", widget=_date_input())

    class Meta:
        model = ChangeRecord
        fields = ()


class OperationLogFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter("username", "icontains", label="用户名")
    path = django_filters.CharFilter("path", "icontains", label="路径")
    succeeded = django_filters.BooleanFilter(label="成功")
    since = django_filters.DateFilter("time", "date__gte", label="起始日期", widget=_date_input())
    until = django_filters.DateFilter("time", "date__lte", label="截止日期", widget=_date_input())

    class Meta:
        model = OperationLog
        fields = ()


class LoginLogFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter("username", "icontains", label="用户名")
    event = django_filters.ChoiceFilter(choices=LoginEvent.choices, label="事件")
    since = django_filters.DateFilter("time", "date__gte", label="起始日期", widget=_date_input())
    until = django_filters.DateFilter("time", "date__lte", label="截止日期", widget=_date_input())

    class Meta:
        model = LoginLog
        fields = ()


class _AuditList(ObjectListView):
    def get_queryset(self, request):
        # Audit rows are not region-scoped; only the audit administrator holds view perms.
        return self.model.objects.all()


class ChangeRecordListView(_AuditList):
    model = ChangeRecord
    filterset_class = ChangeRecordFilterSet
    title = "对象变更记录"
    columns = (
        ("时间", "time"), ("操作人", "actor_name"), ("动作", "action_label"),
        ("对象类型", lambda r: r.content_type.name), ("对象", "object_repr"),
        ("变更字段", lambda r: "、".join(k for k, _, _ in r.changed_fields())[:80]),
        ("请求编号", "request_id"), ("渠道", "channel"),
    )

    def get_queryset(self, request):
        return ChangeRecord.objects.select_related("content_type")


class OperationLogListView(_AuditList):
    model = OperationLog
    filterset_class = OperationLogFilterSet
    title = "操作日志"
    columns = (("时间", "time"), ("用户", "username"), ("方法", "method"), ("路径", "path"),
               ("状态码", "status"), ("说明", "message"), ("IP", "remote_addr"),
               ("耗时（毫秒）", "duration_ms"), ("请求编号", "request_id"))


class LoginLogListView(_AuditList):
    model = LoginLog
    filterset_class = LoginLogFilterSet
    title = "登录日志"
    columns = (("时间", "time"), ("用户名", "username"),
               ("事件", lambda r: r.get_event_display()), ("IP", "remote_addr"),
               ("浏览器", "user_agent"))
