from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "mercuryhub.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue of technologies and services")
