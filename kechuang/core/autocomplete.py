"""Server-side autocomplete for large foreign-key pickers (htmx, no third-party JS).

An app registers a ``Source`` in its ``autocomplete.py`` module; the form field uses
``kechuang.core.widgets.AutocompleteSelect(source name)`` with a queryset restricted to the
user's scope, so the chosen id is validated on the server against the same scope. The
endpoint ``/autocomplete/<name>/?q=…`` answers at most ``Source.limit`` matches, read through
``Source.queryset(user)`` (``restrict``), as an HTML fragment for the widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.module_loading import autodiscover_modules
from django.views import View

MAX_QUERY = 64


@dataclass(frozen=True)
class Source:
    name: str
    permission: str  # functional permission needed to search
    queryset: Callable[[Any], QuerySet]  # user -> the rows the user may pick (restricted)
    search: Callable[[str], Q]  # text -> filter
    label: Callable[[Any], str]  # object -> text shown in the list and the input
    ordering: tuple[str, ...] = ("pk",)
    only: tuple[str, ...] = ()  # fields ``label`` needs (``QuerySet.only``)
    limit: int = 20
    placeholder: str = "输入关键字搜索"


_sources: dict[str, Source] = {}


def register(source: Source) -> Source:
    _sources[source.name] = source
    return source


def get_source(name: str) -> Source:
    if name not in _sources:
        autodiscover_modules("autocomplete")
    try:
        return _sources[name]
    except KeyError as exc:
        raise LookupError(f"unknown autocomplete source {name!r}") from exc


def search(source: Source, user, text: str) -> tuple[list[tuple[Any, str]], bool]:
    """``([(pk, label), …], more)``: the first ``limit`` matches in ``user``'s scope."""
    from .filtering import search_text

    qs = source.queryset(user)
    text = search_text(text, MAX_QUERY)
    if text:
        qs = qs.filter(source.search(text))
    if source.only:
        qs = qs.only(*source.only)
    rows = list(qs.order_by(*source.ordering)[:source.limit + 1])
    return [(obj.pk, source.label(obj)) for obj in rows[:source.limit]], len(rows) > source.limit


class AutocompleteView(View):
    def get(self, request, name):
        try:
            source = get_source(name)
        except LookupError as exc:
            raise Http404 from exc
        if not request.user.has_perm(source.permission):
            raise PermissionDenied("您没有此操作的权限")
        results, more = search(source, request.user, request.GET.get("q", ""))
        return render(request, "core/widgets/autocomplete_results.html", {
            "results": results, "more": more, "limit": source.limit})
