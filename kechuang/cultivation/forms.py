"""Forms handle shape only (types, required fields, lookups); rules live in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from kechuang.core.filtering import SearchField
from kechuang.enterprises import industry
from kechuang.regions.models import Region

from .choices import (
    CampaignBasis,
    EntryStatus,
    InterventionKind,
    SubsidyKind,
    SubsidyTierStatus,
)
from .engine.model import YEAR_FIELD_LABELS
from .models import SubsidyPolicy

MONEY_FIELDS = ("sales_revenue", "total_income", "non_taxable_income", "rd_expense",
                "rd_expense_domestic", "cost_expense_total", "total_assets",
                "total_liabilities", "hitech_revenue")
STAFF_FIELDS = ("staff_total", "st_staff")
DATE = {"type": "date"}


def style(form: forms.BaseForm) -> None:
    for f in form.fields.values():
        w = f.widget
        if isinstance(w, forms.CheckboxInput):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, forms.Select):
            w.attrs.setdefault("class", "form-select form-select-sm")
        else:
            w.attrs.setdefault("class", "form-control form-control-sm")


class AssessmentFiguresForm(forms.Form):
    """The figures a self-assessment needs, one block per required year, prefilled."""

    ip_class1 = forms.IntegerField(label="Ⅰ类知识产权（项）", required=False, min_value=0,
                                   help_text="发明专利、植物新品种、集成电路布图设计等")
    ip_class2 = forms.IntegerField(label="Ⅱ类知识产权（项）", required=False, min_value=0,
                                   help_text="实用新型、外观设计、软件著作权")
    ip_class2_used = forms.IntegerField(label="其中已用于高企申报（项）", required=False,
                                        min_value=0)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            for name in STAFF_FIELDS:
                self.fields[f"y{year}_{name}"] = forms.DecimalField(
                    label=f"{YEAR_FIELD_LABELS[name]}（人）", required=False, min_value=0,
                    max_digits=9, decimal_places=2)
            for name in MONEY_FIELDS:
                self.fields[f"y{year}_{name}"] = forms.DecimalField(
                    label=f"{YEAR_FIELD_LABELS[name]}（元）", required=False, min_value=0,
                    max_digits=18, decimal_places=2)
            self.fields[f"y{year}_conversions"] = forms.IntegerField(
                label="科技成果转化数（项）", required=False, min_value=0)
        style(self)

    def year_fields(self, year: int):
        prefix = f"y{year}_"
        return [self[name] for name in self.fields if name.startswith(prefix)]

    def figures(self) -> dict[int, dict]:
        out: dict[int, dict] = {}
        for year in self.years:
            prefix = f"y{year}_"
            out[year] = {name[len(prefix):]: value for name, value in self.cleaned_data.items()
                         if name.startswith(prefix)}
        return out

    def ip(self) -> dict:
        return {k: self.cleaned_data.get(f"ip_{k}") for k in ("class1", "class2", "class2_used")}

    @staticmethod
    def initial_for(case, years: list[int]) -> dict:
        initial: dict = {}
        for year in years:
            y = case.years.get(year)
            if y is None:
                continue
            for name in (*STAFF_FIELDS, *MONEY_FIELDS, "conversions"):
                initial[f"y{year}_{name}"] = getattr(y, name)
        initial["ip_class1"] = case.ip.class1
        initial["ip_class2"] = case.ip.class2
        initial["ip_class2_used"] = case.ip.class2_used
        return initial


def _regions():
    home = Region.objects.filter(is_home=True).first()
    qs = Region.objects.filter(kind__in=["district", "subdistrict", "park"])
    return qs.filter(path__startswith=home.path) if home else qs


class CandidateFilterForm(forms.Form):
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(label="区域", queryset=Region.objects.none(),
                                    required=False, empty_label="全部")
    section = forms.ChoiceField(label="行业门类", required=False)
    q = SearchField(label="搜索", required=False)
    max_gap_wan = forms.DecimalField(label="研发费用缺口上限（万元）", required=False,
                                     min_value=0, max_digits=12, decimal_places=2)
    max_unmet = forms.IntegerField(label="未满足条件上限（项）", required=False, min_value=0,
                                   max_value=8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions()
        self.fields["section"].choices = [("", "全部"), *sorted(industry.SECTIONS.items())]
        style(self)


class CampaignForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    basis = forms.ChoiceField(label="口径", choices=CampaignBasis.choices)
    until = forms.DateField(label="统计截至", required=False, widget=forms.DateInput(DATE))
    name = forms.CharField(label="名称", required=False, max_length=128)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def _users_with_roles(*codes):
    return get_user_model().objects.filter(groups__role__code__in=codes).distinct()


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label="责任科员", required=False, queryset=None)
    broker = forms.ModelChoiceField(label="科技经纪人", required=False, queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _users_with_roles("staff", "bureau_admin",
                                                            "subdistrict")
        self.fields["broker"].queryset = _users_with_roles("broker")
        style(self)


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label="方式", choices=InterventionKind.choices)
    happened_on = forms.DateField(label="日期", widget=forms.DateInput(DATE))
    note = forms.CharField(label="情况记录", required=False, widget=forms.Textarea({"rows": 2}))
    new_status = forms.ChoiceField(label="状态变更为", required=False,
                                   choices=[("", "不变"), *EntryStatus.choices])
    reason = forms.CharField(label="不适用原因", required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = SubsidyPolicy
        fields = ("name", "kind", "year", "one_off_amount", "document", "local_rule",
                  "is_active", "note")
        widgets = {"note": forms.Textarea({"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = {t.status: t for t in self.instance.tiers.all()} if self.instance.pk else {}
        for status, label in SubsidyTierStatus.choices:
            t = tiers.get(status)
            self.fields[f"rate_{status}"] = forms.DecimalField(
                label=f"{label}：比例", required=False, min_value=0, max_digits=7,
                decimal_places=4, initial=t.rate if t else None, help_text="如0.05表示5%")
            self.fields[f"cap_{status}"] = forms.DecimalField(
                label=f"{label}：封顶（元）", required=False, min_value=0, max_digits=18,
                decimal_places=2, initial=t.cap if t else None)
        style(self)

    def tiers(self) -> list[dict]:
        if self.cleaned_data.get("kind") == SubsidyKind.ONE_OFF_FIRST_HIGH_TECH:
            return []
        return [{"status": s, "rate": self.cleaned_data[f"rate_{s}"],
                 "cap": self.cleaned_data.get(f"cap_{s}")}
                for s in SubsidyTierStatus.values if self.cleaned_data.get(f"rate_{s}")]

    def _post_clean(self):
        pass


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("approve", "审核通过"),
                                                             ("reject", "不予兑现")])
    note = forms.CharField(label="审核意见", required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class PaymentForm(forms.Form):
    paid_amount = forms.DecimalField(label="实付金额（元）", max_digits=18, decimal_places=2)
    paid_on = forms.DateField(label="兑付日期", widget=forms.DateInput(DATE))
    reference = forms.CharField(label="支付凭证号", required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
