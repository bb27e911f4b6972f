"""FilterSets shared by the list pages, exports and the API."""

import django_filters
from django import forms
from django.db.models import Q

from kechuang.core.filtering import SearchFilter
from kechuang.enterprises.filtersets import search_q
from kechuang.enterprises.models import Enterprise
from kechuang.regions.models import Region

from .choices import Confidence, EntitlementStatus, EntryStatus, Scheme, SubsidyTierStatus
from .models import CampaignEntry, RuleRow, SubsidyEntitlement

_SELECT = {"class": "form-select form-select-sm"}
_TEXT = {"class": "form-control form-control-sm"}
_BOOL = [("", "全部"), ("true", "是"), ("false", "否")]


def _regions(request):
    home = Region.objects.filter(is_home=True).first()
    qs = Region.objects.filter(kind__in=["district", "subdistrict", "park"])
    return qs.filter(path__startswith=home.path) if home else qs


class RuleRowFilterSet(django_filters.FilterSet):
    scheme = django_filters.ChoiceFilter(choices=Scheme.choices, label="评价类型",
                                         widget=forms.Select(attrs=_SELECT))
    version = django_filters.CharFilter(label="版本", widget=forms.TextInput(attrs=_TEXT))
    condition = django_filters.CharFilter(label="条件", lookup_expr="iexact",
                                          widget=forms.TextInput(attrs=_TEXT))
    in_force_on = django_filters.DateFilter(method="filter_in_force", label="生效于",
                                            widget=forms.DateInput(attrs={**_TEXT,
                                                                          "type": "date"}))
    confidence = django_filters.ChoiceFilter(choices=Confidence.choices, label="可信度",
                                             widget=forms.Select(attrs=_SELECT))
    local_rule = django_filters.BooleanFilter(label="地方规则",
                                              widget=forms.Select(attrs=_SELECT, choices=_BOOL))

    class Meta:
        model = RuleRow
        fields = ()

    def filter_in_force(self, queryset, name, value):
        return queryset.filter(effective_from__lte=value).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=value))


class _EnterpriseChildFilterSet(django_filters.FilterSet):
    q = SearchFilter(method="filter_search", label="企业",
                     widget=forms.TextInput(attrs={**_TEXT, "placeholder": "名称/拼音/代码"}))
    region = django_filters.ModelChoiceFilter(queryset=_regions, method="filter_region",
                                              label="区域", widget=forms.Select(attrs=_SELECT))

    def filter_search(self, queryset, name, value):
        return queryset.filter(enterprise__in=Enterprise.objects.filter(search_q(value))
                               .values("pk"))

    def filter_region(self, queryset, name, value):
        return queryset.filter(enterprise__region__path__startswith=value.path)


class CampaignEntryFilterSet(_EnterpriseChildFilterSet):
    status = django_filters.ChoiceFilter(choices=EntryStatus.choices, label="状态",
                                         widget=forms.Select(attrs=_SELECT))
    unassigned = django_filters.BooleanFilter(method="filter_unassigned", label="未分配",
                                              widget=forms.Select(attrs=_SELECT, choices=_BOOL))
    year = django_filters.NumberFilter("campaign__year", label="年度",
                                       widget=forms.NumberInput(attrs=_TEXT))

    class Meta:
        model = CampaignEntry
        fields = ()

    def filter_unassigned(self, queryset, name, value):
        q = Q(officer__isnull=True) | Q(broker__isnull=True)
        return queryset.filter(q) if value else queryset.exclude(q)


class SubsidyEntitlementFilterSet(_EnterpriseChildFilterSet):
    policy = django_filters.NumberFilter("policy_id", label="政策编号",
                                         widget=forms.HiddenInput())
    status = django_filters.ChoiceFilter(choices=EntitlementStatus.choices, label="状态",
                                         widget=forms.Select(attrs=_SELECT))
    tier = django_filters.ChoiceFilter(choices=SubsidyTierStatus.choices, label="档次",
                                       widget=forms.Select(attrs=_SELECT))
    positive = django_filters.BooleanFilter(method="filter_positive", label="金额大于0",
                                            widget=forms.Select(attrs=_SELECT, choices=_BOOL))

    class Meta:
        model = SubsidyEntitlement
        fields = ()

    def filter_positive(self, queryset, name, value):
        return queryset.filter(amount__gt=0) if value else queryset.filter(amount__lte=0)
