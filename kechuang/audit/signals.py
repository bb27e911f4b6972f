"""Login log plumbing: Django's auth signals and axes' lockout signal → LoginLog rows."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kechuang.core import context

from .models import LoginEvent, LoginLog


def _log(request, username: str, event: str, succeeded: bool) -> None:
    meta = getattr(request, "META", {}) if request is not None else {}
    LoginLog.objects.create(
        username=(username or "")[:150],
        event=event,
        succeeded=succeeded,
        remote_addr=meta.get("REMOTE_ADDR", "")[:64],
        user_agent=meta.get("HTTP_USER_AGENT", "")[:255],
        request_id=context.current().request_id,
    )


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    _log(request, user.get_username(), LoginEvent.LOGIN, True)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _log(request, user.get_username(), LoginEvent.LOGOUT, True)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    _log(request, credentials.get("username", ""), LoginEvent.FAILED, False)


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, **kwargs):
    _log(request, username or "", LoginEvent.LOCKED, False)
