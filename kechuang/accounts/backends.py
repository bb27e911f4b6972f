"""Authentication backend: Django's ModelBackend that also refuses locked accounts."""

from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """``is_locked`` (set by the 安全管理员) blocks login like ``is_active`` does.

    ``get_user`` goes through ``user_can_authenticate`` too, so the open sessions of a
    locked account stop authenticating on their next request.
    """

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "is_locked", False)
