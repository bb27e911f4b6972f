"""Forms of the 安全管理员's pages; rules (三员分立, scope) live in ``services``."""

from django import forms

from kechuang.regions.models import Region

from .choices import DataScope
from .models import Role


class RoleAssignForm(forms.Form):
    roles = forms.ModelMultipleChoiceField(
        label="角色", queryset=Role.objects.order_by("id"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="系统管理员、安全管理员、审计管理员（三员）须分别由不同账号担任，且不兼任其他角色。")


class RoleScopeForm(forms.Form):
    data_scope = forms.ChoiceField(label="数据权限", choices=DataScope.choices,
                                   widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    regions = forms.ModelMultipleChoiceField(
        label="自定区域", queryset=Region.objects.order_by("path"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="仅在数据权限为“自定数据”时生效：可见所选区域及其下级区域的数据。")


class LockForm(forms.Form):
    reason = forms.CharField(label="锁定原因", max_length=255, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control"}))
