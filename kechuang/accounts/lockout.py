"""Read and clear django-axes login-failure lockouts (the database handler's records)."""

from collections.abc import Iterable

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.utils import timezone


def active_attempts():
    """Failure records that currently lock their username out."""
    qs = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = get_cool_off()
    if cool_off is not None:
        qs = qs.filter(attempt_time__gte=timezone.now() - cool_off)
    return qs


def locked_out(usernames: Iterable[str]) -> set[str]:
    """Which of ``usernames`` axes currently locks out (failure limit reached, not cooled off)."""
    names = list(usernames)
    if not names:
        return set()
    return set(active_attempts().filter(username__in=names)
               .values_list("username", flat=True))


def is_locked_out(username: str) -> bool:
    return bool(locked_out([username]))


def clear(username: str) -> int:
    """Reset axes' failure records of ``username`` (all IP addresses); return how many."""
    return reset(username=username)
