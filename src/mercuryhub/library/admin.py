from django.contrib import admin

from mercuryhub.library.models import CaseStudy, DocumentFile, Resource
from mercuryhub.review.admin import ReviewedEntryAdmin
from mercuryhub.taxonomy.admin import NamedValuesListFilter

_TAGS = [
    "languages",
    "audiences",
    "waste_categories",
    "phases",
    "support_types",
    "nap_elements",
    "partnership_areas",
]


@admin.register(Resource)
class ResourceAdmin(ReviewedEntryAdmin):
    list_display = ["name", "kind", "publisher", "year", "review_state", "published"]
    list_filter = ["kind", "review_state", "published", "audiences"]
    search_fields = ["name", "external_id", "publisher", "description"]
    autocomplete_fields = ["organization", "owner", "language_version_of"]
    raw_id_fields = ["document"]
    filter_horizontal = _TAGS
    list_select_related = ["kind"]


@admin.register(CaseStudy)
class CaseStudyAdmin(ReviewedEntryAdmin):
    list_display = ["name", "country", "period", "review_state", "published"]
    list_filter = ["review_state", "published", ("country__region", NamedValuesListFilter)]
    search_fields = ["name", "external_id", "place", "description", "lessons_learned"]
    autocomplete_fields = ["organization", "owner", "country"]
    raw_id_fields = ["document"]
    filter_horizontal = _TAGS
    list_select_related = ["country"]


@admin.register(DocumentFile)
class DocumentFileAdmin(admin.ModelAdmin):
    """Uploaded files are immutable: the administration shows them and their extraction."""

    list_display = ["original_name", "file_type", "size", "page_count", "extraction", "uploaded_at"]
    list_filter = ["file_type", "extraction"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = [field.name for field in DocumentFile._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
