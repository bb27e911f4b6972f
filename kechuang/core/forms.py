"""Form helpers shared by the registries."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, QueryDict
from django.utils.text import normalize_newlines


def submitted_data(request: HttpRequest) -> QueryDict:
    """``request.POST`` with line breaks as the records store them (LF). Browsers send a
    textarea's line breaks as CRLF; the API, the importers and the demo store LF, so an edit
    form saved as shown would otherwise change every multi-line text it holds (and record
    that change in the history)."""
    data = request.POST.copy()
    for key, values in data.lists():
        if any("\r" in v for v in values):
            data.setlist(key, [normalize_newlines(v) for v in values])
    return data


class MaskedPersonalFieldsMixin:
    """Edit forms show stored personal data masked, as the pages do (``138****5678``): the
    clear value reaches the browser only through a detail page's logged 查看明文. A field
    submitted exactly as shown keeps the stored value; a typed value (or an emptied field)
    replaces it. Put the mixin before ``forms.ModelForm``; ``masked_fields`` maps a field name
    to its mask function (``kechuang.core.masking``)."""

    masked_fields: dict[str, Callable[[str | None], str]] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name, mask in self.masked_fields.items():
                value = getattr(self.instance, name, None)
                if name in self.fields and value:
                    self.initial[name] = mask(value)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            for name, mask in self.masked_fields.items():
                stored = getattr(self.instance, name, None)
                if stored and name in cleaned and cleaned[name] == mask(stored):
                    cleaned[name] = stored
        return cleaned
