"""Memoised widget rendering for filter forms.

A filter form re-renders the same selects (region, industry, certification, …) on every list
request; each option goes through a template include, which made the form the largest part
of a list page's cost. ``memo_renderer(renderer)`` wraps a form renderer so that a widget
template is rendered once per distinct widget context (name, value, attributes, choices —
all of it is in the key) and the HTML is reused afterwards. Output is identical.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.utils.functional import Promise
from django.utils.translation import get_language

_MAX = 2048
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()
_SCALARS = (str, int, float, bool, type(None))


def _freeze(value):
    if isinstance(value, str):
        return value
    if isinstance(value, _SCALARS):
        return (type(value).__name__, value)
    if isinstance(value, dict):
        return ("d", tuple((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return ("l", tuple(_freeze(v) for v in value))
    if isinstance(value, Promise):
        return str(value)
    # Model choice values and other objects: templates only ever print them.
    return (type(value).__name__, str(value))


class _MemoRenderer:
    def __init__(self, base):
        self.base = base

    def __getattr__(self, name):
        return getattr(self.base, name)

    def render(self, template_name, context, request=None):
        if request is not None or len(context) != 1 or "widget" not in context:
            return self.base.render(template_name, context, request=request)
        key = (type(self.base), template_name, get_language(), _freeze(context["widget"]))
        html = _cache.get(key)
        if html is None:
            html = self.base.render(template_name, context)
            with _lock:
                _cache[key] = html
                if len(_cache) > _MAX:
                    _cache.popitem(last=False)
        return html


def memo_renderer(renderer):
    return renderer if isinstance(renderer, _MemoRenderer) else _MemoRenderer(renderer)
