"""One FilterSet per list, shared by the pages, the API and the Excel exports."""

import django_filters
from django import forms

from kechuang.core.filtering import SearchFilter, scoped_choice

from .choices import (
    Campaign,
    CaseStatus,
    ContractKind,
    EventKind,
    OverseasServiceKind,
    TaskStatus,
    VisitKind,
)
from .models import Broker, Case, Event, OverseasService, TaskItem, TechContract, Visit

_SELECT = {"class": "form-select form-select-sm"}
_TEXT = {"class": "form-control form-control-sm"}
_DATE = {"class": "form-control form-control-sm", "type": "date"}


def _text(label: str, method: str = "filter_search"):
    return SearchFilter(method=method, label=label, widget=forms.TextInput(attrs=_TEXT))


def _choice(choices, label: str, field_name: str | None = None):
    return django_filters.ChoiceFilter(field_name=field_name, choices=choices, label=label,
                                       widget=forms.Select(attrs=_SELECT))


def _dates(field_name: str, label: str):
    return (django_filters.DateFilter(field_name, "gte", label=f"{label}起",
                                      widget=forms.DateInput(attrs=_DATE)),
            django_filters.DateFilter(field_name, "lte", label=f"{label}止",
                                      widget=forms.DateInput(attrs=_DATE)))


class BrokerFilterSet(django_filters.FilterSet):
    q = _text("姓名/机构")
    is_active = django_filters.BooleanFilter(label="在册", widget=forms.Select(
        attrs=_SELECT, choices=[("", "全部"), ("true", "是"), ("false", "否")]))

    class Meta:
        model = Broker
        fields = ()

    def filter_search(self, qs, name, value):
        return qs.filter(name__icontains=value) | qs.filter(organisation__icontains=value)


class VisitFilterSet(django_filters.FilterSet):
    q = _text("企业")
    kind = _choice(VisitKind.choices, "方式")
    after, before = _dates("visited_on", "走访日期")
    open_follow_up = django_filters.BooleanFilter(method="filter_open", label="待跟进",
                                                  widget=forms.Select(attrs=_SELECT, choices=[
                                                      ("", "全部"), ("true", "是")]))

    broker = scoped_choice(Broker, "科技经纪人")

    class Meta:
        model = Visit
        fields = ("broker",)

    def filter_search(self, qs, name, value):
        return qs.filter(enterprise__name__icontains=value)

    def filter_open(self, qs, name, value):
        return qs.filter(follow_up_due__isnull=False, follow_up_done_on__isnull=True) \
            if value else qs


class CaseFilterSet(django_filters.FilterSet):
    q = _text("案件/企业")
    status = _choice(CaseStatus.choices, "状态")
    after, before = _dates("opened_on", "立案日期")

    owner = scoped_choice(Broker, "负责经纪人")
    event = scoped_choice(Event, "来源活动")

    class Meta:
        model = Case
        fields = ("owner", "event")

    def filter_search(self, qs, name, value):
        return qs.filter(title__icontains=value) | qs.filter(enterprise__name__icontains=value)


class EventFilterSet(django_filters.FilterSet):
    q = _text("活动名称")
    kind = _choice(EventKind.choices, "类型")
    after, before = _dates("starts_on", "开始日期")

    class Meta:
        model = Event
        fields = ()

    def filter_search(self, qs, name, value):
        return qs.filter(title__icontains=value)


class TechContractFilterSet(django_filters.FilterSet):
    q = _text("合同/企业/编号")
    kind = _choice(ContractKind.choices, "类型")
    after, before = _dates("registered_on", "登记日期")

    broker = scoped_choice(Broker, "科技经纪人")
    event = scoped_choice(Event, "来源活动")
    case = scoped_choice(Case, "来源案件")

    class Meta:
        model = TechContract
        fields = ("broker", "event", "case")

    def filter_search(self, qs, name, value):
        return (qs.filter(title__icontains=value) | qs.filter(enterprise__name__icontains=value)
                | qs.filter(registration_number__startswith=value.upper()))


class OverseasServiceFilterSet(django_filters.FilterSet):
    q = _text("工程师/企业")
    kind = _choice(OverseasServiceKind.choices, "类别")
    after, before = _dates("occurred_on", "日期")

    broker = scoped_choice(Broker, "科技经纪人")

    class Meta:
        model = OverseasService
        fields = ("broker",)

    def filter_search(self, qs, name, value):
        return qs.filter(engineer__name__icontains=value) | qs.filter(
            enterprise__name__icontains=value)


class TaskItemFilterSet(django_filters.FilterSet):
    q = _text("任务")
    campaign = _choice(Campaign.choices, "专项行动")
    status = _choice(TaskStatus.choices, "状态")
    after, before = _dates("deadline", "完成期限")

    class Meta:
        model = TaskItem
        fields = ("owner",)

    def filter_search(self, qs, name, value):
        return qs.filter(title__icontains=value)
