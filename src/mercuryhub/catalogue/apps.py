from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "mercuryhub.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue of technologies and services")

    def ready(self):
        from mercuryhub.catalogue.kinds import KINDS
        from mercuryhub.review import registry

        for kind in KINDS:
            registry.register(kind)
