from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "kechuang.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from .db_triggers import ensure_sqlite_triggers

        post_migrate.connect(ensure_sqlite_triggers, sender=self,
                             dispatch_uid="kechuang.core.ensure_sqlite_triggers")
