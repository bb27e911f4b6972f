import django_filters
from django import forms

from kechuang.achievements.techfields import TechField
from kechuang.core.filtering import SearchFilter, contains_any
from kechuang.demands.filtersets import SELECT, TEXT

from .choices import ExpertKind, ExpertStatus, ServiceMode
from .models import Expert


class ExpertFilterSet(django_filters.FilterSet):
    q = SearchFilter(method="filter_search", label="搜索",
                     widget=forms.TextInput(attrs={**TEXT, "placeholder": "姓名/单位/方向"}))
    kind = django_filters.ChoiceFilter(choices=ExpertKind.choices, label="类别",
                                       widget=forms.Select(attrs=SELECT))
    field = django_filters.ChoiceFilter(choices=TechField.choices, label="技术领域",
                                        method="filter_field", widget=forms.Select(attrs=SELECT))
    service_mode = django_filters.ChoiceFilter(choices=ServiceMode.choices, label="服务方式",
                                               widget=forms.Select(attrs=SELECT))
    status = django_filters.ChoiceFilter(choices=ExpertStatus.choices, label="状态",
                                         widget=forms.Select(attrs=SELECT))

    class Meta:
        model = Expert
        fields = ()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(contains_any(("name", "organisation", "specialties"), value))

    def filter_field(self, queryset, name, value):
        # JSON list membership, portable across SQLite and PostgreSQL
        return queryset.filter(fields__icontains=f'"{value}"')
