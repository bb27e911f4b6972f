"""Per-request context (request id, client address, acting user) for audit records.

Set by ``audit.middleware.RequestContextMiddleware`` for web requests and by management
commands for CLI runs; read by ``audit.record``.
"""

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    remote_addr: str = ""
    channel: str = "web"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "kechuang_request_context", default=None
)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=new_request_id(), channel="system")
    return ctx


@contextmanager
def bind(ctx: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
