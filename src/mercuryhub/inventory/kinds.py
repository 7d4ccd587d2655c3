"""The mercury waste inventory, described once for the review layer's registry: its drafts,
versions, validation, history, comparison and search come from the review layer. The
organization that prepares it keeps it (its editors draft and submit it); the secretariat
validates it before it is published, as the quantities feed comparisons and the search for
facilities. Registered in ``InventoryConfig.ready``."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from mercuryhub.catalogue.kinds import DocumentKind
from mercuryhub.inventory import fields as inventory_fields
from mercuryhub.inventory.models import Inventory
from mercuryhub.inventory.vocabulary import categories
from mercuryhub.review.registry import VersionField
from mercuryhub.review.translations import TranslatedField


class InventoryKind(DocumentKind):
    organization_refusal = "Only editors of {name} can draft inventories for it"

    name = "inventory"
    model = Inventory
    label = gettext_lazy("Mercury waste inventory")
    label_plural = gettext_lazy("Mercury waste inventories")
    organization_field = "organization"
    queue_country_field = "country"
    detail_url_name = "inventory-detail"
    edit_url_name = "inventory-edit"
    hit_template = "inventory/_hit.html"
    description_field = "summary"
    select_related = ("country", "organization")
    prefetch_related = ("lines",)
    # An inventory counts one year; the next year's is a new inventory, not a reconfirmation.
    in_update_campaigns = False
    on_topic_pages = False
    translated_fields = (
        TranslatedField("name", max_length=300),
        TranslatedField("summary", multiline=True),
    )
    fields = (
        VersionField("name", gettext_lazy("Title")),
        VersionField("summary", gettext_lazy("Summary")),
        VersionField("country", gettext_lazy("Country"), "countries"),
        VersionField("organization", gettext_lazy("Prepared by"), "organization"),
        VersionField("year", gettext_lazy("Year")),
        VersionField("population", gettext_lazy("Population")),
        VersionField("lines", gettext_lazy("Lines"), "rows"),
    )

    def edit_url(self, entry) -> str:
        return reverse(self.edit_url_name, args=[entry.pk])

    def visible_to(self, user):
        return Inventory.objects.filter(published=True)

    check = staticmethod(inventory_fields.clean_inventory)
    data_of = staticmethod(inventory_fields.inventory_data)
    stored_of = staticmethod(inventory_fields.stored_data)

    def search_texts(self, entry) -> list[str]:
        known = categories()
        lines = [line.category for line in entry.lines.all() if line.category in known]
        return [entry.country.name, str(entry.year), *(known[code].label for code in lines)]

    def save(self, checked, *, instance=None, user=None, **state):
        from mercuryhub.inventory.actions import do_save_inventory

        return do_save_inventory(checked, instance=instance, user=user, **state)


KIND = InventoryKind()
