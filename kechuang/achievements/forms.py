from django import forms

from kechuang.carriers.models import Carrier
from kechuang.core.forms import MaskedPersonalFieldsMixin
from kechuang.core.masking import mask_name, mask_phone
from kechuang.demands.forms import KeywordsField, style_form
from kechuang.regions.models import Region

from .models import Achievement


class AchievementForm(MaskedPersonalFieldsMixin, forms.ModelForm):
    masked_fields = {"contact_name": mask_name, "contact_phone": mask_phone}

    keywords = KeywordsField(label="关键词", required=False, help_text="用逗号分隔")

    class Meta:
        model = Achievement
        fields = ("owner_name", "owner_kind", "institution", "title", "abstract", "keywords",
                  "field", "sub_field", "maturity", "ip_type", "ip_number", "transfer_mode",
                  "price", "region", "contact_name", "contact_phone")
        widgets = {"abstract": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["institution"].queryset = Carrier.objects.restrict(user, "view")
        self.fields["region"].queryset = Region.objects.filter(
            kind__in=["district", "subdistrict", "park"])
        self.fields["abstract"].max_length = None
        style_form(self)

    def _post_clean(self):
        pass
