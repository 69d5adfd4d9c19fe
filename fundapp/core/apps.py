from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fundapp.core"
    label = "core"
