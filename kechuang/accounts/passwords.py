"""Password history (等保 AUTH-1): refuse the last ``PASSWORD_HISTORY_COUNT`` passwords."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.hashers import check_password
from django.db import transaction

from .models import PasswordHistory, User

REUSED_MESSAGE = "新密码不能与最近{count}次使用过的密码相同"


def recent_hashes(user: User) -> list[str]:
    """The current hash and the previous ones, ``PASSWORD_HISTORY_COUNT`` in total."""
    count = settings.PASSWORD_HISTORY_COUNT
    hashes = list(PasswordHistory.objects.filter(user=user)
                  .values_list("password", flat=True)[:count])
    if user.password and user.password not in hashes:
        hashes = [user.password, *hashes[:count - 1]]
    return hashes


def is_reused(user: User, raw_password: str) -> bool:
    return any(check_password(raw_password, encoded) for encoded in recent_hashes(user))


@transaction.atomic
def remember(user: User) -> PasswordHistory:
    """Record ``user``'s current hash (call after every password set through the product) and
    delete the user's rows beyond the newest ``PASSWORD_HISTORY_COUNT``: ``recent_hashes``
    never reads them."""
    row = PasswordHistory.objects.create(user=user, password=user.password)
    rows = PasswordHistory.objects.filter(user=user)
    keep = list(rows.values_list("pk", flat=True)[:settings.PASSWORD_HISTORY_COUNT])
    rows.exclude(pk__in=keep).delete()
    return row


def remember_current(user: User) -> None:
    """Record the current hash unless it is already the latest row (passwords set before
    the history existed, or by the demo loader / test factories)."""
    latest = PasswordHistory.objects.filter(user=user).values_list("password", flat=True).first()
    if user.password and latest != user.password:
        remember(user)


class HistoryPasswordChangeForm(PasswordChangeForm):
    """Django's change form plus the history check (on ``new_password2``, like the validators)."""

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password2")
        if password and "new_password2" not in self.errors and is_reused(self.user, password):
            self.add_error("new_password2", forms.ValidationError(
                REUSED_MESSAGE.format(count=settings.PASSWORD_HISTORY_COUNT),
                code="password_reused"))
        return cleaned
