"""Who sees which library entries, and what a page or an API item reads of them."""

from django.db.models import Q, QuerySet
from django.http import Http404

from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.library.documents import CONTENT_TYPES, EXTENSIONS
from mercuryhub.library.models import CaseStudy, DocumentFile, Resource
from mercuryhub.review import registry
from mercuryhub.review.models import EntryVersion
from mercuryhub.review.queries import can_edit_entry


def resources_visible_to(user) -> QuerySet[Resource]:
    return registry.get("resource").visible_to(user)


def case_studies_visible_to(user) -> QuerySet[CaseStudy]:
    return registry.get("case_study").visible_to(user)


def with_details(kind_name: str, queryset: QuerySet) -> QuerySet:
    kind = registry.get(kind_name)
    return queryset.select_related(*kind.select_related).prefetch_related(*kind.prefetch_related)


def get_resource_for_user(user, pk: int) -> Resource:
    resource = with_details("resource", resources_visible_to(user)).filter(pk=pk).first()
    if resource is None:
        raise Http404(f"No resource {pk}")
    return resource


def get_case_study_for_user(user, pk: int) -> CaseStudy:
    case_study = with_details("case_study", case_studies_visible_to(user)).filter(pk=pk).first()
    if case_study is None:
        raise Http404(f"No case study {pk}")
    return case_study


def language_versions(user, resource: Resource) -> list[Resource]:
    """The other language versions of a resource that the user may see: those of the same
    original, the original included, in the order of their languages' codes."""
    original_id = resource.language_version_of_id or resource.pk
    found = (
        resources_visible_to(user)
        .filter(Q(pk=original_id) | Q(language_version_of_id=original_id))
        .exclude(pk=resource.pk)
        .prefetch_related("languages")
    )
    others = list(found)
    languages = {
        other.pk: [language.code for language in other.languages.all()] for other in others
    }
    return sorted(others, key=lambda other: (languages[other.pk] or ["~"], other.pk))


def latest(user, limit: int = 12) -> list:
    """The latest published resources and case studies, newest first."""
    resources = list(
        with_details("resource", resources_visible_to(user)).order_by("-created_at")[:limit]
    )
    cases = list(
        with_details("case_study", case_studies_visible_to(user)).order_by("-created_at")[:limit]
    )
    entries = [*resources[:limit], *cases[:limit]]
    entries.sort(key=lambda entry: entry.created_at, reverse=True)
    return entries[:limit]


# Uploaded files -----------------------------------------------------------------------------

_KINDS_WITH_DOCUMENTS = ("resource", "case_study")


def get_document_for_user(user, pk: int) -> DocumentFile:
    """An uploaded file, for whoever may read it: everyone when a published resource or case
    study holds it; else its uploader, the editors of the entries that hold it (in any of their
    versions) and the secretariat's reviewers. Not found for anyone else."""
    document = DocumentFile.objects.filter(pk=pk).first()
    if document is None or not can_read_document(user, document):
        raise Http404(f"No file {pk}")
    return document


def is_public_document(document: DocumentFile) -> bool:
    return any(
        registry.get(name).visible_to(None).filter(document_id=document.pk).exists()
        for name in _KINDS_WITH_DOCUMENTS
    )


def can_read_document(user, document: DocumentFile) -> bool:
    if is_public_document(document):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if document.uploaded_by_id == user.pk or is_reviewer(user):
        return True
    return any(can_edit_entry(user, entry) for entry in _entries_holding(document))


def _entries_holding(document: DocumentFile) -> list:
    entries = []
    for name in _KINDS_WITH_DOCUMENTS:
        model = registry.get(name).model
        in_versions = EntryVersion.objects.filter(
            kind=name, data__document=document.pk
        ).values_list("object_id", flat=True)
        entries += model.objects.filter(Q(document_id=document.pk) | Q(pk__in=in_versions))
    return entries


def served_name(document: DocumentFile) -> str:
    """The name a download takes: the one it was uploaded with, with its type's extension."""
    extension = EXTENSIONS[document.file_type]
    name = document.original_name
    return name if name.lower().endswith(extension) else f"{name}{extension}"


def content_type_of(document: DocumentFile) -> str:
    return CONTENT_TYPES[document.file_type]


def document_data(document: DocumentFile) -> dict:
    """A file as the API and the extraction's progress bar read it."""
    return {
        "id": document.pk,
        "name": document.original_name,
        "type": document.file_type,
        "content_type": content_type_of(document),
        "size": document.size,
        "pages": document.page_count,
        "sha256": document.sha256,
        "extraction": document.extraction,
        "extraction_label": str(document.get_extraction_display()),
        "progress": document.progress,
        "extraction_error": document.extraction_error,
        "url": document.get_absolute_url(),
    }
