"""Generic permission matrix: anonymous / no permission / out of region / in region.

Each app describes its pages and endpoints as ``Endpoint`` rows and parametrizes one test over
``endpoints × Audience``; ``check_endpoint`` sends the request, asserts the status and, for every
denied or read request, that the database (the listed models plus change records) is unchanged.
NetBox ``utilities/testing`` and Saleor's authorization matrix are the models for this.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import models

from kechuang.audit.models import ChangeRecord


class Audience(StrEnum):
    ANONYMOUS = "anonymous"
    NO_PERMISSION = "no_permission"
    OUT_OF_REGION = "out_of_region"
    IN_REGION = "in_region"


@dataclass(frozen=True)
class Endpoint:
    """One page or API call. ``url``/``data`` take the test's context namespace."""

    label: str
    method: str
    url: Callable[[Any], str]
    data: Callable[[Any], Any] | None = None
    api: bool = False
    ok: int = 200  # status for a permitted user in region
    object_level: bool = True  # out of region answers 404 (else the list is filtered: ``ok``)
    out_of_region: int | None = None  # override the out-of-region status
    writes: tuple[type[models.Model], ...] = ()  # models that must not change on denial
    multipart: bool = False
    extra: dict[str, int] = field(default_factory=dict)  # audience → status overrides

    def expected(self, audience: Audience) -> int:
        if audience in self.extra:
            return self.extra[audience]
        if audience == Audience.ANONYMOUS:
            return 403 if self.api else 302
        if audience == Audience.NO_PERMISSION:
            return 403
        if audience == Audience.OUT_OF_REGION:
            if self.out_of_region is not None:
                return self.out_of_region
            return 404 if self.object_level else self.ok
        return self.ok

    def __str__(self) -> str:
        return self.label


def db_state(*model_classes: type[models.Model]) -> dict[str, list[dict]]:
    """Every row of the given models plus every change record, for before/after comparison."""
    state = {m._meta.label: list(m.objects.order_by("pk").values())
             for m in model_classes}
    state["audit.ChangeRecord"] = list(ChangeRecord.objects.order_by("pk").values_list("pk",
                                                                                       flat=True))
    return state


def send(client, endpoint: Endpoint, ctx):
    method = endpoint.method.lower()
    url = endpoint.url(ctx)
    data = endpoint.data(ctx) if endpoint.data else None
    if endpoint.api and method in {"post", "put", "patch"}:
        return getattr(client, method)(url, data or {}, content_type="application/json")
    if method in {"put", "patch"}:
        return getattr(client, method)(url, data or {})
    if data is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data)


def check_endpoint(client, endpoint: Endpoint, audience: Audience, ctx):
    """Send ``endpoint`` as ``client`` and assert the matrix outcome; return the response."""
    watched = endpoint.writes
    before = db_state(*watched)
    response = send(client, endpoint, ctx)
    expected = endpoint.expected(audience)
    assert response.status_code == expected, (
        f"{endpoint.label} as {audience}: expected {expected}, got {response.status_code}"
    )
    if audience == Audience.ANONYMOUS and not endpoint.api:
        assert response["Location"].startswith("/accounts/login/")
    denied = response.status_code >= 400 or audience != Audience.IN_REGION
    if denied or endpoint.method.upper() == "GET":
        assert db_state(*watched) == before, f"{endpoint.label} as {audience} changed data"
    return response
