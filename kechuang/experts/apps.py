from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "kechuang.experts"
    label = "experts"
    verbose_name = "专家与人才"
