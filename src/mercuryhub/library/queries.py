"""Who sees which library entries, and what a page or an API item reads of them."""

from django.db.models import Q, QuerySet
from django.http import Http404

from mercuryhub.library.models import CaseStudy, Resource
from mercuryhub.review import registry


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
