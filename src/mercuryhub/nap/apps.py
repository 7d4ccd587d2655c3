"""ASGM National Action Plans: the plan builder checked against Annex C, peer review,
assistance requests, and NAPs around the world."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NapConfig(AppConfig):
    name = "mercuryhub.nap"
    label = "nap"
    verbose_name = _("National Action Plans")

    def ready(self):
        from mercuryhub.nap.kinds import KIND
        from mercuryhub.review import registry

        registry.register(KIND)
