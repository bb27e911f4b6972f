"""Filters for the award and standard lists (kept apart from the enterprise list filters)."""

import django_filters
from django import forms

from kechuang.core.filtering import SearchFilter, YearFilter

from .choices import Level, StandardLevel, StandardRole
from .filtersets import search_q
from .models import Award, Enterprise, Standard

_SELECT = {"class": "form-select form-select-sm"}
_TEXT = {"class": "form-control form-control-sm"}


class _ByEnterprise(django_filters.FilterSet):
    q = SearchFilter(method="filter_search", label="企业", widget=forms.TextInput(attrs=_TEXT))

    def filter_search(self, queryset, name, value):
        return queryset.filter(enterprise__in=Enterprise.objects.filter(search_q(value))
                               .values("pk"))


class AwardFilterSet(_ByEnterprise):
    level = django_filters.ChoiceFilter(choices=Level.choices, label="级别",
                                        widget=forms.Select(attrs=_SELECT))
    year = django_filters.NumberFilter(label="获奖年度", widget=forms.NumberInput(attrs=_TEXT))

    class Meta:
        model = Award
        fields = ()


class StandardFilterSet(_ByEnterprise):
    level = django_filters.ChoiceFilter(choices=StandardLevel.choices, label="标准类别",
                                        widget=forms.Select(attrs=_SELECT))
    role = django_filters.ChoiceFilter(choices=StandardRole.choices, label="参与方式",
                                       widget=forms.Select(attrs=_SELECT))
    year = YearFilter("published_on__year", label="发布年度",
                      widget=forms.NumberInput(attrs=_TEXT))

    class Meta:
        model = Standard
        fields = ()
