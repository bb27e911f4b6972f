"""Forms handle shape only (types, required, lookups); rules live in services/validation."""

from django import forms

from kechuang.core.forms import MaskedPersonalFieldsMixin
from kechuang.core.masking import mask_name, mask_phone
from kechuang.core.widgets import use_autocomplete
from kechuang.enterprises.models import Enterprise

from .models import TechDemand


def style_form(form: forms.BaseForm) -> None:
    for f in form.fields.values():
        widget = f.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class KeywordsField(forms.CharField):
    """Keywords typed as '关键词1，关键词2' (stored as a list)."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "，".join(value)
        return value


class TechDemandForm(MaskedPersonalFieldsMixin, forms.ModelForm):
    masked_fields = {"contact_name": mask_name, "contact_phone": mask_phone}

    keywords = KeywordsField(label="关键词", required=False, help_text="用逗号分隔")

    class Meta:
        model = TechDemand
        fields = ("enterprise", "title", "description", "field", "sub_field", "keywords",
                  "budget", "deadline", "is_anonymous", "contact_name", "contact_phone")
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user=None, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, "view")
        use_autocomplete(self.fields["enterprise"], "enterprises")
        if self.instance.pk or enterprise is not None:
            self.fields["enterprise"].disabled = True
            if enterprise is not None:
                self.initial["enterprise"] = enterprise.pk
        self.fields["description"].max_length = None
        self.fields["field"].help_text = "不确定时可留空，系统会根据描述推荐"
        style_form(self)

    def _post_clean(self):
        pass


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "通过并发布"), ("reject", "退回修改")])
    note = forms.CharField(label="审核意见", required=False, max_length=255)


class StatusForm(forms.Form):
    status = forms.CharField(max_length=12)
    note = forms.CharField(required=False, max_length=255)
