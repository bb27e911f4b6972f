from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "kechuang.matching"
    label = "matching"
    verbose_name = "供需匹配"

    def ready(self) -> None:
        from kechuang.core import changes

        from . import sync

        changes.subscribe(sync.on_record_changed)
