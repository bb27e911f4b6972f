"""``RestrictedQuerySet.restrict(user, action)``: the one row-level permission chokepoint.

A user sees rows of a model only with the functional permission
``<app>.<action>_<model>`` and only within the data scope of their roles
(``accounts.scope.scope_q``). Pages, API, exports, search, reports and the CLI all call it.
"""

from django.db import models


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        opts = self.model._meta
        if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
            return self.none()
        from kechuang.accounts.scope import scope_q

        q = scope_q(user, self.model)
        if not q:
            return self
        return self.filter(q)
