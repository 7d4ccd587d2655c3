from django.contrib import admin

from mercuryhub.exchange.models import Need
from mercuryhub.review.admin import ReviewedEntryAdmin
from mercuryhub.taxonomy.admin import NamedValuesListFilter


@admin.register(Need)
class NeedAdmin(ReviewedEntryAdmin):
    """A need's content is corrected through the review layer; where it stands in the exchange
    is changed by its owner (exchange.actions) and only shown here."""

    list_display = ["name", "country", "state", "visibility", "review_state", "published"]
    list_filter = [
        "state",
        "visibility",
        "review_state",
        "published",
        "funding_status",
        ("country__region", NamedValuesListFilter),
    ]
    search_fields = ["name", "description", "owner__email"]
    autocomplete_fields = ["organization", "owner", "country"]
    filter_horizontal = ["waste_categories", "phases", "support_types", "languages"]
    list_select_related = ["country"]
    readonly_fields = [
        *ReviewedEntryAdmin.readonly_fields,
        "state",
        "in_contact_at",
        "matched_at",
        "closed_at",
        "closed_by",
        "outcome",
    ]
