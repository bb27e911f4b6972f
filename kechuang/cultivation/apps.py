from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_rules(sender, **kwargs):
    """Data step after ``migrate``: the shipped rule files into ``RuleRow`` (idempotent)."""
    if sender.label != "cultivation":
        return
    from .services import load_builtin_rules

    load_builtin_rules(actor=None)


class CultivationConfig(AppConfig):
    name = "kechuang.cultivation"
    label = "cultivation"
    verbose_name = "企业培育"

    def ready(self) -> None:
        post_migrate.connect(_load_rules, dispatch_uid="kechuang_cultivation_load_rules")
        from kechuang.core import changes

        from .candidates import on_change

        changes.subscribe(on_change)
