from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    # post_migrate fires once per app; permissions of every app exist after the last one.
    last = [c for c in apps.get_app_configs()
            if c.name.startswith("kechuang.") and c.models_module is not None][-1]
    if sender.label == last.label:
        from .roles import sync_roles

        sync_roles()


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        # Framework plumbing: keep the built-in roles in step with the models' permissions.
        post_migrate.connect(_sync_roles, dispatch_uid="kechuang_sync_roles")
        from . import checks  # noqa: F401  (registers the 三员分立 system check)
