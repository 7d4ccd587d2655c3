from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mercuryhub.core"
    label = "core"
    verbose_name = "MercuryHub"
