"""Shared pieces of the list filters (FilterSets of the registry pages, API and exports)."""

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import django_filters
from django import forms
from django.db.models import Q

# Names and titles are at most 200 characters: a longer search text cannot match anything more.
SEARCH_MAX_CHARS = 200


def search_text(value: str, limit: int = SEARCH_MAX_CHARS) -> str:
    """A search box's text as searched: without NUL characters, trimmed, cut to ``limit``.

    A NUL (``\x00``) cannot be typed; it comes with text pasted from a binary file or from a
    client's bug. No record holds one (forms and the API refuse it), so dropping it loses no
    match and searches what the user meant, like the cut to ``limit``. Refusing it instead
    showed Django's message "不允许是用空字符串" (wrong and misspelt) and ignored the search on a
    list page; PostgreSQL refuses the character in a query (a server error)."""
    return value.replace("\x00", "").strip()[:limit]


class SearchField(forms.CharField):
    """A list's free-text box, searched as :func:`search_text` gives it.

    A pasted document (50,000 characters) used to reach the database whole: SQLite refuses a
    LIKE pattern over 50,000 bytes, a server error on every list with rows."""

    def to_python(self, value):
        return search_text(super().to_python(value))

    def prepare_value(self, value):
        # the box shows the text without NUL too (a browser would show U+FFFD for one)
        return value.replace("\x00", "") if isinstance(value, str) else value


class SearchFilter(django_filters.CharFilter):
    """``q`` of a list: a ``CharFilter`` whose text is cut like :class:`SearchField`."""

    field_class = SearchField


class YearFilter(django_filters.NumberFilter):
    """A year box on a date (``published_at__year``). A year no date can have (typed ``-5``,
    ``0`` or twenty nines) matches nothing; it used to fail in the database (a server error)."""

    def filter(self, qs, value):
        if value is not None and not (1 <= value <= 9999):
            return qs.none()
        return super().filter(qs, value)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def text_variants(value: str) -> list[str]:
    """The search text as typed and, when different, its simplified-character half-width form
    (NFKC, OpenCC ``t2s``): "鋰電池" or "ＰＣＢ" typed in the box finds 锂电池 and PCB records."""
    folded = _t2s().convert(unicodedata.normalize("NFKC", value))
    return [value] if folded == value else [value, folded]


def contains_any(fields: Iterable[str], value: str) -> Q:
    """Records whose ``fields`` contain the search text in any of its :func:`text_variants`."""
    q = Q()
    for variant in text_variants(value):
        for name in fields:
            q |= Q(**{f"{name}__icontains": variant})
    return q


def scoped_choice(model, label: str, field_name: str | None = None, action: str = "view"):
    """A list filter on a related row (a broker, an event), offering only the rows the user
    may see (``restrict``). An id outside the scope is refused exactly like an id that does
    not exist (an invalid choice), and the filter form names no row out of scope."""

    def queryset(request):
        return model.objects.restrict(getattr(request, "user", None), action)

    return django_filters.ModelChoiceFilter(field_name=field_name, queryset=queryset,
                                            label=label)
