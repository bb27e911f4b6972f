"""Shared pieces of the list filters (FilterSets of the registry pages, API and exports)."""

import django_filters
from django import forms

# Names and titles are at most 200 characters: a longer search text cannot match anything more.
SEARCH_MAX_CHARS = 200


class SearchField(forms.CharField):
    """A list's free-text box; whatever is pasted into it is cut to ``SEARCH_MAX_CHARS``.

    A pasted document (50,000 characters) used to reach the database whole: SQLite refuses a
    LIKE pattern over 50,000 bytes, a server error on every list with rows."""

    def to_python(self, value):
        return super().to_python(value)[:SEARCH_MAX_CHARS]


class SearchFilter(django_filters.CharFilter):
    """``q`` of a list: a ``CharFilter`` whose text is cut like :class:`SearchField`."""

    field_class = SearchField
