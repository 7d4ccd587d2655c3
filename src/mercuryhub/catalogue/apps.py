from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "mercuryhub.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue of technologies and services")

    def ready(self):
        from mercuryhub.catalogue.kinds import KINDS
        from mercuryhub.catalogue.queries.facets import facet_values
        from mercuryhub.review import registry
        from mercuryhub.search import engine

        for kind in KINDS:
            registry.register(kind)
        engine.register_facets(facet_values)
