"""Form widgets shared by the apps (templates in ``core/templates/core/widgets/``, where
Django's default form renderer finds them)."""

from django import forms
from django.urls import reverse

from .autocomplete import get_source


class AutocompleteSelect(forms.Widget):
    """A search box that asks the server for matches (``core.autocomplete``) instead of
    listing every choice; posts the chosen primary key like a ``Select``.

    Use it on a ``ModelChoiceField`` whose queryset is the user's restricted queryset: the
    field then rejects an id outside the scope. Only the selected row is read to render.
    """

    template_name = "core/widgets/autocomplete.html"

    def __init__(self, source: str, attrs=None):
        super().__init__(attrs)
        self.source = source
        self.choices = ()

    def selected_label(self, value) -> str:
        if value in (None, ""):
            return ""
        source = get_source(self.source)
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return str(value)
        try:
            obj = queryset.filter(pk=value).first()
        except (TypeError, ValueError):
            return ""
        return source.label(obj) if obj is not None else ""

    def format_value(self, value):
        if hasattr(value, "pk"):
            value = value.pk
        return "" if value is None else str(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        source = get_source(self.source)
        context["widget"].update({
            "url": reverse("core:autocomplete", args=[self.source]),
            "label": self.selected_label(context["widget"]["value"]),
            "placeholder": source.placeholder,
        })
        return context


def use_autocomplete(field: forms.ModelChoiceField, source: str) -> None:
    """Switch ``field`` to an ``AutocompleteSelect`` (keeps its queryset and CSS class)."""
    widget = AutocompleteSelect(source, attrs={
        k: v for k, v in field.widget.attrs.items() if k != "class"})
    widget.choices = field.choices
    widget.is_required = field.widget.is_required
    field.widget = widget
