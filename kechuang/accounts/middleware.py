"""Session lifetime: the idle timeout and the absolute lifetime (等保 session management).

The idle timeout is ``SESSION_COOKIE_AGE``. Instead of saving the session on every request
(``SESSION_SAVE_EVERY_REQUEST``, one database write per page view), the session records when
it was last seen and is saved at most once per ``SESSION_TOUCH_SECONDS``; each save moves the
stored expiry to now + ``SESSION_COOKIE_AGE``. A session therefore expires between
``SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS`` and ``SESSION_COOKIE_AGE`` after the last
request: never later than the configured idle timeout. The middleware also checks both limits
itself, so an expiry does not depend on the session store purging old rows.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from kechuang.audit.middleware import log_operation

SESSION_STARTED_KEY = "kc_session_started"
SESSION_SEEN_KEY = "kc_session_seen"


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = session.get(SESSION_STARTED_KEY)
            seen = session.get(SESSION_SEEN_KEY)
            if (started is not None and now - started > settings.SESSION_ABSOLUTE_SECONDS) or (
                seen is not None and now - seen > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                return redirect(settings.LOGIN_URL)
            if started is None:
                session[SESSION_STARTED_KEY] = now
            if seen is None or now - seen >= settings.SESSION_TOUCH_SECONDS:
                session[SESSION_SEEN_KEY] = now  # modified: saved with a fresh expiry
        return self.get_response(request)


FORCED_CHANGE_MESSAGE = "密码已过期或须首次修改，请先修改密码后再继续操作"
# The 操作日志 ``message`` of a request refused until the password is changed.
BLOCKED_LOG_MESSAGE = "已拦截：须先修改密码"


def password_change_required(user) -> bool:
    """True if ``user`` must change the password first: flagged by an administrator, or the
    password is older than ``PASSWORD_MAX_AGE_DAYS`` (never changed: counted from
    ``date_joined``)."""
    if user.must_change_password:
        return True
    changed = user.password_changed_at or user.date_joined
    return timezone.now() - changed > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


class PasswordChangeRequiredMiddleware:
    """Forced password change (等保 AUTH-1): until the password is changed, a logged-in user
    reaches only the change page, logout and static files; pages redirect to the change page,
    API calls get a 403 JSON message. The change page itself says why.

    A refused request never reaches ``OperationLogMiddleware`` (it sits further in), so it is
    logged here: one 操作日志 row, not successful, ``BLOCKED_LOG_MESSAGE``. Allowed requests
    (the change page, logout, static files) are left to the normal logging."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._allowed(request.path) \
                and password_change_required(user):
            if request.path.startswith("/api/"):
                response = JsonResponse({"detail": FORCED_CHANGE_MESSAGE}, status=403)
            else:
                response = redirect("accounts:password_change")
            log_operation(request, response, started=started, succeeded=False,
                          message=BLOCKED_LOG_MESSAGE)
            return response
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        return path in (reverse("accounts:password_change"), reverse("accounts:logout")) or \
            path.startswith(settings.STATIC_URL)
