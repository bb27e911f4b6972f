"""Forms handle shape only; rules live in services/validation."""

from django import forms
from django.db.models import Q

from kechuang.core.widgets import use_autocomplete

from .models import Case, TechContract, Visit


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, forms.CheckboxInput):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, forms.Select):
            w.attrs.setdefault("class", "form-select")
        else:
            w.attrs.setdefault("class", "form-control")


_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(forms.ModelForm):
    """The phone-friendly 走访 form: a broker picks from their own portfolio."""

    class Meta:
        model = Visit
        fields = ("enterprise", "visited_on", "kind", "people_met", "problems_found", "summary",
                  "follow_up", "follow_up_due")
        widgets = {"visited_on": _DATE, "follow_up_due": _DATE,
                   "problems_found": forms.Textarea(attrs={"rows": 3}),
                   "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from kechuang.enterprises.models import Enterprise

        self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, "view")
        use_autocomplete(self.fields["enterprise"], "enterprises")
        _style(self)

    def _post_clean(self):
        pass


class TechContractForm(forms.ModelForm):
    class Meta:
        model = TechContract
        fields = ("registration_number", "title", "kind", "enterprise", "seller", "amount",
                  "signed_on", "registered_on", "case", "event", "achievement", "broker")
        widgets = {"signed_on": _DATE, "registered_on": _DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from kechuang.achievements.choices import VISIBLE_STATUSES
        from kechuang.achievements.models import Achievement
        from kechuang.enterprises.models import Enterprise

        from .models import Broker, Event

        self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, "view")
        use_autocomplete(self.fields["enterprise"], "enterprises")
        self.fields["case"].queryset = Case.objects.restrict(user, "change")
        self.fields["event"].queryset = Event.objects.restrict(user, "view")
        # published achievements (the portal's) and those in the user's own scope
        self.fields["achievement"].queryset = Achievement.objects.filter(
            Q(status__in=VISIBLE_STATUSES)
            | Q(pk__in=Achievement.objects.restrict(user, "view").values("pk")))
        self.fields["broker"].queryset = Broker.objects.restrict(user, "view")
        _style(self)

    def _post_clean(self):
        pass


class CaseOpenForm(forms.Form):
    demand = forms.ModelChoiceField(queryset=None, label="技术需求")
    opened_on = forms.DateField(label="立案日期", widget=_DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from kechuang.demands.models import TechDemand

        self.fields["demand"].queryset = TechDemand.objects.restrict(user, "view")
        _style(self)
