from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mercuryhub.catalogue.models import (
    EntryVersion,
    Expert,
    Facility,
    Offering,
    ReviewDecision,
    ReviewDigest,
    UpdateCampaign,
)

_REVIEW = (
    "Review",
    {
        "fields": [
            "review_state",
            "published",
            "version",
            "published_version",
            "submitted_at",
            "submitted_by",
            "validated_at",
            "validated_by",
            "return_reason",
            "last_confirmed_at",
        ]
    },
)
_READ_ONLY = [
    "version",
    "published_version",
    "submitted_at",
    "submitted_by",
    "validated_at",
    "validated_by",
    "created_at",
    "updated_at",
]


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "operator",
        "country",
        "status",
        "review_state",
        "published",
        "last_confirmed_at",
    ]
    list_filter = ["status", "review_state", "published", "country__region", "accepted_wastes"]
    search_fields = ["name", "external_id", "city", "operator__name", "description"]
    autocomplete_fields = ["operator", "country"]
    filter_horizontal = ["accepted_wastes", "phases", "technologies", "languages"]
    readonly_fields = _READ_ONLY
    list_select_related = ["operator", "country"]


@admin.register(Offering)
class OfferingAdmin(SimpleHistoryAdmin):
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
    readonly_fields = _READ_ONLY
    list_select_related = ["provider"]


@admin.register(Expert)
class ExpertAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "organization",
        "country",
        "consent_to_publication",
        "review_state",
        "published",
    ]
    list_filter = ["consent_to_publication", "review_state", "published", "country__region"]
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
    readonly_fields = _READ_ONLY
    list_select_related = ["organization", "country"]


class _ReadOnly(admin.ModelAdmin):
    """Versions and decisions are the record of what happened: readable, never editable."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EntryVersion)
class EntryVersionAdmin(_ReadOnly):
    list_display = ["kind", "object_id", "number", "note", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["object_id", "note", "created_by__email"]


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(_ReadOnly):
    list_display = ["kind", "object_id", "version", "action", "made_by", "made_at"]
    list_filter = ["kind", "action"]
    search_fields = ["object_id", "reason", "made_by__email"]


@admin.register(UpdateCampaign)
class UpdateCampaignAdmin(_ReadOnly):
    list_display = ["name", "year", "opened_at", "deadline", "closed_at"]
    search_fields = ["name", "message"]


@admin.register(ReviewDigest)
class ReviewDigestAdmin(_ReadOnly):
    list_display = ["sent_at"]
