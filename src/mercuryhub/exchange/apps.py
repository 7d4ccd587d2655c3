from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "mercuryhub.exchange"
    label = "exchange"
    verbose_name = _("Solution exchange")

    def ready(self):
        from mercuryhub.exchange.sources import register_sources

        register_sources()
