"""System check: no account holds two of the three separated administrator roles (三员分立)."""

from django.core.checks import Error, register
from django.db import DatabaseError


@register("security")
def separated_administrators(app_configs=None, **kwargs):
    from .choices import SEPARATED_ADMIN_ROLES
    from .models import User
    from .services import separated_conflict

    errors = []
    try:
        users = User.objects.filter(groups__role__code__in=SEPARATED_ADMIN_ROLES).distinct()
        for user in users.prefetch_related("groups__role"):
            codes = {g.role.code for g in user.groups.all() if hasattr(g, "role")}
            message = separated_conflict(codes)
            if message:
                errors.append(Error(f"{user.username}: {message}", id="accounts.E001"))
    except DatabaseError:
        return []  # before migrate: nothing to check yet
    return errors
