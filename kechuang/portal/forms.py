from django import forms

from kechuang.achievements.choices import IpType, Maturity, TransferMode
from kechuang.achievements.techfields import TechField
from kechuang.demands.forms import KeywordsField, style_form
from kechuang.experts.choices import ServiceMode


class DemandPostForm(forms.Form):
    title = forms.CharField(label="需求名称", max_length=200)
    description = forms.CharField(label="需求描述", widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text="用自己的话说明遇到的技术问题和希望达到的效果")
    field = forms.ChoiceField(label="技术领域", required=False,
                              choices=[("", "不确定（系统推荐）"), *TechField.choices])
    keywords = KeywordsField(label="关键词", required=False, help_text="用逗号分隔")
    budget = forms.DecimalField(label="预算（元）", required=False, min_value=0,
                                max_digits=16, decimal_places=2)
    deadline = forms.DateField(label="期望解决日期", required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    is_anonymous = forms.BooleanField(label="匿名发布（不公开企业名称）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class AchievementPostForm(forms.Form):
    title = forms.CharField(label="成果名称", max_length=200)
    owner_name = forms.CharField(label="成果持有方", max_length=128)
    abstract = forms.CharField(label="成果简介", widget=forms.Textarea(attrs={"rows": 6}))
    keywords = KeywordsField(label="关键词", required=False)
    field = forms.ChoiceField(label="技术领域", choices=TechField.choices)
    maturity = forms.ChoiceField(label="成熟度", choices=Maturity.choices)
    ip_type = forms.ChoiceField(label="知识产权类型", choices=IpType.choices)
    ip_number = forms.CharField(label="知识产权编号", required=False, max_length=64)
    transfer_mode = forms.ChoiceField(label="转化方式", choices=TransferMode.choices)
    price = forms.DecimalField(label="意向价格（元）", required=False, min_value=0,
                               max_digits=16, decimal_places=2, help_text="空表示面议")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class ClaimEnterpriseForm(forms.Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    contact_phone = forms.CharField(label="登记的联系电话", max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class ClaimExpertForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    phone = forms.CharField(label="登记的手机号码", max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class RegisterExpertForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    organisation = forms.CharField(label="工作单位", max_length=128, required=False)
    title = forms.CharField(label="职称/职务", max_length=64, required=False)
    country = forms.CharField(label="国家/地区", max_length=32, initial="中国")
    fields = forms.MultipleChoiceField(label="技术领域", choices=TechField.choices,
                                       widget=forms.CheckboxSelectMultiple)
    specialties = forms.CharField(label="专业方向", widget=forms.Textarea(attrs={"rows": 4}))
    service_mode = forms.ChoiceField(label="服务方式", choices=ServiceMode.choices)
    phone = forms.CharField(label="手机号码", max_length=32, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class ClaimCarrierForm(forms.Form):
    name = forms.CharField(label="机构/载体名称", max_length=128)
    contact_phone = forms.CharField(label="登记的联系电话", max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
