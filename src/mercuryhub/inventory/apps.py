"""National mercury waste inventories in the UNEP Toolkit's way: quantities by source category,
cited factor sets, results per pathway, and the facilities that accept each waste."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "mercuryhub.inventory"
    label = "inventory"
    verbose_name = _("Mercury waste inventories")

    def ready(self):
        from mercuryhub.inventory.kinds import KIND
        from mercuryhub.review import registry

        registry.register(KIND)
