"""Forms handle shape only (types, required, lookups); rules live in services/validation."""

from django import forms

from kechuang.accounts.scope import region_allowed
from kechuang.core.emails import EMAIL_MESSAGE
from kechuang.core.forms import MaskedPersonalFieldsMixin
from kechuang.core.masking import mask_email, mask_name, mask_phone
from kechuang.regions.models import Region

from .models import AnnualIndicator, Award, Certification, Enterprise, Standard
from .services import AWARD_FIELDS, CERTIFICATION_FIELDS, INDICATOR_FIELDS, STANDARD_FIELDS


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class EnterpriseForm(MaskedPersonalFieldsMixin, forms.ModelForm):
    masked_fields = {
        "legal_representative": mask_name,
        "contact_name": mask_name,
        "contact_phone": mask_phone,
        "contact_email": mask_email,
    }

    class Meta:
        model = Enterprise
        fields = ("uscc", "name", "region", "industry_code", "legal_form", "established_on",
                  "registered_capital", "address", "tax_collection", "is_credit_clean",
                  "legal_representative", "contact_name", "contact_phone", "contact_email",
                  "hitech_field", "hitech_sub_field")
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"},
                                                     format="%Y-%m-%d")}
        error_messages = {"contact_email": {"invalid": EMAIL_MESSAGE}}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        allowed = [r.pk for r in Region.objects.filter(
            kind__in=["district", "subdistrict", "park"], path__startswith=_home_path())
            if user is None or region_allowed(user, r)]
        self.fields["region"].queryset = Region.objects.filter(pk__in=allowed)
        if self.instance.pk and user is not None and user.has_role("enterprise"):
            # An enterprise keeps its code, region and industry; staff change those.
            for name in ("uscc", "region", "industry_code"):
                self.fields[name].disabled = True
            # Its own region must stay a valid choice (own scope grants no region).
            self.fields["region"].queryset = Region.objects.filter(pk=self.instance.region_id)
        _style(self)

    def clean_uscc(self):
        return (self.cleaned_data.get("uscc") or "").strip().upper()

    def clean_industry_code(self):
        return (self.cleaned_data.get("industry_code") or "").strip().upper()

    def _post_clean(self):
        # Model validation (uniqueness etc.) is the service's job, with Chinese messages.
        pass


def _home_path() -> str:
    home = Region.objects.filter(is_home=True).first()
    return home.path if home else ""


class AnnualIndicatorForm(forms.ModelForm):
    class Meta:
        model = AnnualIndicator
        fields = ("year", *INDICATOR_FIELDS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def _post_clean(self):
        pass


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = CERTIFICATION_FIELDS
        widgets = {f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                   for f in ("applied_on", "issued_on", "valid_until")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def _post_clean(self):
        pass


class AwardForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = AWARD_FIELDS

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def _post_clean(self):
        pass


class StandardForm(forms.ModelForm):
    class Meta:
        model = Standard
        fields = STANDARD_FIELDS
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def _post_clean(self):
        pass
