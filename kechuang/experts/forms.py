from django import forms

from kechuang.achievements.techfields import TechField
from kechuang.core.emails import EMAIL_MESSAGE
from kechuang.core.forms import MaskedPersonalFieldsMixin
from kechuang.core.masking import mask_email, mask_id_number, mask_phone
from kechuang.demands.forms import KeywordsField, style_form
from kechuang.regions.models import Region

from .choices import TalentProgramme
from .models import Expert


class ExpertForm(MaskedPersonalFieldsMixin, forms.ModelForm):
    masked_fields = {
        "phone": mask_phone,
        "email": mask_email,
        "id_number": mask_id_number,
    }

    fields = forms.MultipleChoiceField(label="技术领域", choices=TechField.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)
    talent_programmes = forms.MultipleChoiceField(
        label="人才计划入选", choices=TalentProgramme.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    languages = KeywordsField(label="工作语言", required=False, help_text="用逗号分隔")

    class Meta:
        model = Expert
        fields = ("kind", "name", "organisation", "title", "country", "languages", "fields",
                  "specialties", "bio", "availability_from", "availability_until",
                  "service_mode", "talent_programmes", "phone", "email", "id_number", "region")
        widgets = {f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                   for f in ("availability_from", "availability_until")}
        error_messages = {"email": {"invalid": EMAIL_MESSAGE}}

    def __init__(self, *args, user=None, self_service=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(
            kind__in=["district", "subdistrict", "park"])
        if self_service:
            for name in ("kind", "talent_programmes", "id_number", "region"):
                self.fields.pop(name)
        style_form(self)

    def _post_clean(self):
        pass
