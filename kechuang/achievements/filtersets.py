import django_filters
from django import forms

from kechuang.core.filtering import SearchFilter, contains_any
from kechuang.demands.filtersets import SELECT, TEXT

from .choices import AchievementStatus, Maturity, TransferMode
from .models import Achievement
from .techfields import TechField


class AchievementFilterSet(django_filters.FilterSet):
    q = SearchFilter(method="filter_search", label="搜索",
                     widget=forms.TextInput(attrs={**TEXT, "placeholder": "成果名称/持有方"}))
    field = django_filters.ChoiceFilter(choices=TechField.choices, label="技术领域",
                                        widget=forms.Select(attrs=SELECT))
    maturity = django_filters.ChoiceFilter(choices=Maturity.choices, label="成熟度",
                                           widget=forms.Select(attrs=SELECT))
    transfer_mode = django_filters.ChoiceFilter(choices=TransferMode.choices, label="转化方式",
                                                widget=forms.Select(attrs=SELECT))
    status = django_filters.ChoiceFilter(choices=AchievementStatus.choices, label="状态",
                                         widget=forms.Select(attrs=SELECT))

    class Meta:
        model = Achievement
        fields = ()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(contains_any(("title", "owner_name"), value))
