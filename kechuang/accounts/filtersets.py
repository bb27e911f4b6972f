"""Filters of the user list (系统管理员 and 安全管理员)."""

import django_filters
from django import forms
from django.db.models import Q

from kechuang.core.filtering import SearchFilter
from kechuang.regions.models import Region

from .models import Role, User

_SELECT = {"class": "form-select form-select-sm"}
_TEXT = {"class": "form-control form-control-sm"}
_YES_NO = [("", "全部"), ("true", "是"), ("false", "否")]


class UserFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        method="filter_search", label="搜索",
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": "用户名/姓名"}))
    role = django_filters.ModelChoiceFilter(
        queryset=Role.objects.order_by("id"), method="filter_role", label="角色",
        widget=forms.Select(attrs=_SELECT))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("path"), method="filter_region", label="所属区域",
        widget=forms.Select(attrs=_SELECT))
    is_active = django_filters.BooleanFilter(
        label="启用", widget=forms.Select(attrs=_SELECT, choices=_YES_NO))
    is_locked = django_filters.BooleanFilter(
        label="已锁定", widget=forms.Select(attrs=_SELECT, choices=_YES_NO))

    class Meta:
        model = User
        fields = ()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))

    def filter_role(self, queryset, name, value):
        return queryset.filter(groups=value.group_id)

    def filter_region(self, queryset, name, value):
        """The region and everything below it."""
        return queryset.filter(region__path__startswith=value.path)
