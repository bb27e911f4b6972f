"""Request context (request id) and the operation log."""

import time

from kechuang.core import context

from .models import OperationLog

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


class RequestContextMiddleware:
    """Gives every request an id (honouring a sane ``X-Request-ID``) bound for audit records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        valid = incoming.isalnum() and 8 <= len(incoming) <= 64
        rid = incoming if valid else context.new_request_id()
        request.request_id = rid
        with context.bind(context.RequestContext(request_id=rid, remote_addr=client_ip(request))):
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


def log_operation(request, response, *, started: float, succeeded: bool | None = None,
                  message: str = "") -> OperationLog:
    """Write the 操作日志 row of ``request`` answered with ``response``.

    ``started`` is a ``time.monotonic()`` reading taken when handling began; ``succeeded``
    defaults to "status below 400"; ``message`` says why, for requests refused by a
    middleware before they reach the view (e.g. the forced password change).
    """
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    return OperationLog.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        request_id=getattr(request, "request_id", ""),
        method=request.method,
        path=request.path[:500],
        status=response.status_code,
        remote_addr=client_ip(request),
        duration_ms=int((time.monotonic() - started) * 1000),
        succeeded=response.status_code < 400 if succeeded is None else succeeded,
        message=message[:255],
    )


class OperationLogMiddleware:
    """Writes one 操作日志 row for every write request and every export download."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        is_export = request.method == "GET" and (
            "/export" in request.path or request.GET.get("export")
        )
        if request.method not in SAFE_METHODS or is_export:
            log_operation(request, response, started=started)
        return response
