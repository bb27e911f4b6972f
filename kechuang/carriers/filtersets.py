import django_filters
from django import forms

from kechuang.core.filtering import SearchFilter, YearFilter, contains_any
from kechuang.demands.filtersets import SELECT, TEXT

from .choices import CarrierKind, CarrierLevel
from .models import Carrier


class CarrierFilterSet(django_filters.FilterSet):
    q = SearchFilter(method="filter_search", label="搜索",
                     widget=forms.TextInput(attrs={**TEXT, "placeholder": "名称/依托单位"}))
    kind = django_filters.ChoiceFilter(choices=CarrierKind.choices, label="类型",
                                       widget=forms.Select(attrs=SELECT))
    level = django_filters.ChoiceFilter(choices=CarrierLevel.choices, label="级别",
                                        widget=forms.Select(attrs=SELECT))
    year = YearFilter("recognized_on__year", label="认定年度",
                      widget=forms.NumberInput(attrs=TEXT))

    class Meta:
        model = Carrier
        fields = ()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(contains_any(("name", "host_name"), value))
