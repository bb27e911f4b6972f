"""API permission class (kept apart from views to avoid an import cycle in DRF settings)."""

from rest_framework import permissions

ACTIONS = {
    "GET": "view", "HEAD": "view", "OPTIONS": "view",
    "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete",
}


def model_action(request, view) -> str:
    """The model action a request needs: the view's ``model_action`` (a custom ``@action``
    such as answering a push is a POST that changes a row, not an ``add``), else by method."""
    return getattr(view, "model_action", None) or ACTIONS.get(request.method, "view")


class ModelActionPermission(permissions.BasePermission):
    """``<app>.<action>_<model>`` for the request method; anonymous users get 401/403."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        queryset = getattr(view, "queryset", None)
        model = getattr(view, "model", None) or (queryset.model if queryset is not None
                                                 else None)
        if model is None:
            return True
        action = model_action(request, view)
        opts = model._meta
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
