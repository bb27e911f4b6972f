from django import forms

from kechuang.achievements.choices import Maturity, TransferMode
from kechuang.achievements.techfields import TechField
from kechuang.demands.forms import style_form
from kechuang.regions.models import Region

from .choices import Decision, DeclineReason
from .services import MatchFilters


class MatchFilterForm(forms.Form):
    field = forms.ChoiceField(label="技术领域", required=False,
                              choices=[("", "全部领域"), *TechField.choices])
    region = forms.ModelChoiceField(label="区域", required=False, queryset=Region.objects.none(),
                                    empty_label="全部区域")
    min_maturity = forms.ChoiceField(label="成熟度不低于", required=False,
                                     choices=[("", "不限"), *Maturity.choices])
    transfer_mode = forms.MultipleChoiceField(label="转化方式", required=False,
                                              choices=TransferMode.choices,
                                              widget=forms.CheckboxSelectMultiple)
    service_mode = forms.ChoiceField(label="服务方式", required=False,
                                     choices=[("", "不限"), ("onsite", "可现场服务"),
                                              ("remote", "可远程服务")])
    available_on = forms.DateField(label="可服务日期", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.exclude(kind="city")
        style_form(self)

    def to_filters(self) -> MatchFilters:
        """The valid filters; an invalid one is left out (and listed by :meth:`ignored`), the
        others still apply."""
        self.is_valid()
        d = getattr(self, "cleaned_data", {})
        return MatchFilters(field=d.get("field", ""), region=d.get("region"),
                            min_maturity=d.get("min_maturity", ""),
                            transfer_modes=list(d.get("transfer_mode") or ()),
                            service_mode=d.get("service_mode", ""),
                            available_on=d.get("available_on"))

    def ignored(self) -> list[str]:
        """"label：reason" of each filter value that was not understood (e.g. a bad date)."""
        if not self.is_bound:
            return []
        return [f"{self.fields[name].label}：{'；'.join(errors)}"
                for name, errors in self.errors.items() if name in self.fields]


class RespondForm(forms.Form):
    target_kind = forms.CharField(max_length=20)
    target_id = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=Decision.choices)
    reason = forms.ChoiceField(choices=[("", "—"), *DeclineReason.choices], required=False)
    note = forms.CharField(max_length=255, required=False)
    score = forms.FloatField(required=False)
    rank = forms.IntegerField(required=False, min_value=0)
