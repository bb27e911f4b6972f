from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "kechuang.brokerage"
    label = "brokerage"
    verbose_name = "科技经纪与服务"
