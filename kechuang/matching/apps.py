from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "kechuang.matching"
    label = "matching"
    verbose_name = "供需匹配"
