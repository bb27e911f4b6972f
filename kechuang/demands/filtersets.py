"""One FilterSet per model, shared by the list page, the API and exports."""

import django_filters
from django import forms

from kechuang.achievements.techfields import TechField
from kechuang.core.filtering import SearchFilter, YearFilter, contains_any

from .choices import DemandStatus
from .models import TechDemand

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}


class TechDemandFilterSet(django_filters.FilterSet):
    q = SearchFilter(method="filter_search", label="搜索",
                     widget=forms.TextInput(attrs={**TEXT, "placeholder": "需求名称/企业"}))
    field = django_filters.ChoiceFilter(choices=TechField.choices, label="技术领域",
                                        widget=forms.Select(attrs=SELECT))
    status = django_filters.ChoiceFilter(choices=DemandStatus.choices, label="状态",
                                         widget=forms.Select(attrs=SELECT))
    year = YearFilter("published_at__year", label="发布年度",
                      widget=forms.NumberInput(attrs=TEXT))

    class Meta:
        model = TechDemand
        fields = ()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(contains_any(("title", "enterprise__name"), value))
