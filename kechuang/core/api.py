"""API base classes: permission by model action, restricted querysets, service-backed writes."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from .api_permissions import ACTIONS, ModelActionPermission


class RestrictedModelViewSet(viewsets.ModelViewSet):
    """Lists and objects through ``restrict``; writes through the subclass's services."""

    model = None

    @classmethod
    def as_view(cls, *args, **kwargs):
        view = super().as_view(*args, **kwargs)
        # DRF authenticates API clients itself and answers 401/403 instead of a login redirect.
        view.login_required = False
        return view

    def get_queryset(self):
        action = ACTIONS.get(self.request.method, "view")
        return self.model.objects.restrict(self.request.user, action)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors":
                                                                     exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您没有此操作的权限")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("记录不存在或不在您的数据权限范围内")
    return drf_exception_handler(exc, context)


__all__ = ["ModelActionPermission", "RestrictedModelViewSet", "exception_handler"]
