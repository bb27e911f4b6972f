from django.apps import AppConfig


class AchievementsConfig(AppConfig):
    name = "kechuang.achievements"
    label = "achievements"
    verbose_name = "科技成果"
