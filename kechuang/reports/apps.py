from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kechuang.reports"
    label = "reports"
    verbose_name = "报告"
