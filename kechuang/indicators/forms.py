"""Forms for the staff-edited tables (shape only; rules in services)."""

from django import forms

from kechuang.regions.models import Region, RegionKind

from .models import DistrictFigure, IndicatorTarget


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


def _code_choices():
    from .catalogue import EXPECTED_CODES, all_indicators

    registered = all_indicators()
    codes = sorted(set(registered) | set(EXPECTED_CODES))
    return [(c, f"{registered[c].name}（{c}）" if c in registered else f"{c}（待登记）")
            for c in codes]


class DistrictFigureForm(forms.ModelForm):
    class Meta:
        model = DistrictFigure
        fields = ("region", "indicator_code", "period_start", "period_end", "value", "source")
        widgets = {"period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(kind=RegionKind.DISTRICT)
        self.fields["indicator_code"] = forms.ChoiceField(label="指标", choices=_code_choices())
        _style(self)


class IndicatorTargetForm(forms.ModelForm):
    class Meta:
        model = IndicatorTarget
        fields = ("indicator_code", "year", "value", "note")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"] = forms.ChoiceField(label="指标", choices=_code_choices())
        _style(self)
