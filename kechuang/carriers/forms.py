from django import forms

from kechuang.achievements.techfields import TechField
from kechuang.core.forms import MaskedPersonalFieldsMixin
from kechuang.core.masking import mask_name, mask_phone
from kechuang.core.widgets import use_autocomplete
from kechuang.demands.forms import style_form
from kechuang.enterprises.models import Enterprise
from kechuang.regions.models import Region

from .models import Carrier


class CarrierForm(MaskedPersonalFieldsMixin, forms.ModelForm):
    masked_fields = {"contact_name": mask_name, "contact_phone": mask_phone}

    fields = forms.MultipleChoiceField(label="技术领域", choices=TechField.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Carrier
        fields = ("name", "kind", "level", "host_name", "host_enterprise", "opened_on",
                  "recognized_on", "fields", "description", "address", "area",
                  "contact_name", "contact_phone", "region", "is_active")
        widgets = {f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                   for f in ("opened_on", "recognized_on")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(
            kind__in=["district", "subdistrict", "park"])
        if user is not None:
            self.fields["host_enterprise"].queryset = Enterprise.objects.restrict(user, "view")
        use_autocomplete(self.fields["host_enterprise"], "enterprises")
        style_form(self)

    def _post_clean(self):
        pass
