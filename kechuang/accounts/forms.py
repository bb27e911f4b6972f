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


class UserCreateForm(forms.Form):
    """新建账号; uniqueness and the password policy are checked by ``services.create_user``."""

    username = forms.CharField(label="用户名", max_length=150,
                               widget=forms.TextInput(attrs={"class": "form-control"}),
                               help_text="不区分大小写，须唯一。")
    display_name = forms.CharField(label="姓名", max_length=64,
                                   widget=forms.TextInput(attrs={"class": "form-control"}))
    region = forms.ModelChoiceField(label="所属区域", queryset=Region.objects.order_by("path"),
                                    required=False, empty_label="（无）",
                                    widget=forms.Select(attrs={"class": "form-select"}))
    email = forms.EmailField(label="电子邮箱", required=False,
                             error_messages={"invalid": "请输入有效的电子邮箱地址"},
                             widget=forms.EmailInput(attrs={"class": "form-control"}))
    password = forms.CharField(
        label="初始密码", strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
        help_text="至少8位，包含大写字母、小写字母、数字、符号中的至少3类，不得包含用户名。"
                  "用户首次登录时须修改。")
    password2 = forms.CharField(
        label="确认初始密码", strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}))

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("password") and cleaned.get("password2")
                and cleaned["password"] != cleaned["password2"]):
            self.add_error("password2", "两次输入的密码不一致")
        return cleaned
