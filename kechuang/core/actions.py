"""POST-only actions on one object (review, status change): form → one service call → redirect.

The object is looked up through ``restrict(user, "change")`` (out of scope answers 404), the
functional permission is checked first (403), and a service's ``ValidationError`` becomes a
message on the object's page; nothing is written when the form or the service refuses.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from .errors import first_messages
from .redirects import redirect_next
from .views import require_perm


def messages_of(exc: ValidationError) -> str:
    return "；".join(first_messages(exc).values())


class ObjectActionView(View):
    model: Any = None
    form_class: Any = None
    permission_action = "change"
    invalid_message = ""  # shown when the form is invalid (empty: no message)
    success_message = "已保存"

    def perform(self, request, obj, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        require_perm(request.user, self.model, self.permission_action)
        obj = get_object_or_404(self.model.objects.restrict(request.user, "change"), pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            if self.invalid_message:
                messages.error(request, self.invalid_message)
            return redirect(obj)
        try:
            self.perform(request, obj, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(request, self.success_message)
        return redirect_next(request, obj.get_absolute_url())
