"""The project's URLs and API views, for tests that must cover every page or endpoint."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _route(pattern) -> str | None:
    """``^demands/(?P<pk>[^/.]+)/$`` → ``demands/{pk}/``; None for format-suffix variants."""
    text = str(pattern)
    if "format" in text:
        return None
    text = _GROUP.sub(lambda m: "{%s}" % m.group(1), text)  # noqa: UP031
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{%s}" % m.group(1), text)  # noqa: UP031
    return text.lstrip("^").rstrip("$").replace("\\", "")


def _walk(patterns, prefix: str):
    for p in patterns:
        route = _route(p.pattern)
        if route is None:
            continue
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern):
            yield prefix + route, p.callback


def url_paths() -> list[str]:
    """Every path the project serves, a path argument as ``{name}`` (``/demands/{pk}/``)."""
    return [path for path, _view in _walk(get_resolver().url_patterns, "/")]


def api_views() -> list[tuple[str, object]]:
    """``(path, view function)`` for every URL under ``/api/`` (``/api/demands/demands/{pk}/``);
    a view function of DRF carries ``cls``, ``initkwargs`` and, for a viewset, ``actions``."""
    return [(path, view) for path, view in _walk(get_resolver().url_patterns, "/")
            if path.startswith("/api/") and hasattr(view, "cls")]
