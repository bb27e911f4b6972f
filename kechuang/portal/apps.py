from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kechuang.portal"
    label = "portal"
    verbose_name = "门户"
