from django.contrib import admin

from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.review.admin import ReviewedEntryAdmin
from mercuryhub.taxonomy.admin import NamedValuesListFilter


@admin.register(Facility)
class FacilityAdmin(ReviewedEntryAdmin):
    list_display = [
        "name",
        "operator",
        "country",
        "status",
        "review_state",
        "published",
        "last_confirmed_at",
    ]
    list_filter = [
        "status",
        "review_state",
        "published",
        ("country__region", NamedValuesListFilter),
        "accepted_wastes",
    ]
    search_fields = ["name", "external_id", "city", "operator__name", "description"]
    autocomplete_fields = ["operator", "country"]
    filter_horizontal = ["accepted_wastes", "phases", "technologies", "languages"]
    list_select_related = ["operator", "country"]


@admin.register(Offering)
class OfferingAdmin(ReviewedEntryAdmin):
    list_display = ["name", "provider", "kind", "review_state", "published", "last_confirmed_at"]
    list_filter = ["kind", "review_state", "published"]
    search_fields = ["name", "external_id", "provider__name", "description"]
    autocomplete_fields = ["provider"]
    filter_horizontal = [
        "waste_categories",
        "phases",
        "technologies",
        "support_types",
        "countries_served",
        "languages",
        "facilities",
    ]
    list_select_related = ["provider"]


@admin.register(Expert)
class ExpertAdmin(ReviewedEntryAdmin):
    list_display = [
        "name",
        "organization",
        "country",
        "consent_to_publication",
        "review_state",
        "published",
    ]
    list_filter = [
        "consent_to_publication",
        "review_state",
        "published",
        ("country__region", NamedValuesListFilter),
    ]
    search_fields = ["name", "external_id", "email", "organization__name", "description"]
    autocomplete_fields = ["organization", "country", "user"]
    filter_horizontal = [
        "languages",
        "waste_categories",
        "phases",
        "support_types",
        "nap_elements",
        "countries_of_experience",
    ]
    list_select_related = ["organization", "country"]
