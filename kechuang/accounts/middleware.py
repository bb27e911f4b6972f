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

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

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
