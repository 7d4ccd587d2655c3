"""Who sees which library entries, and what a page or an API item reads of them."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404

from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.library.documents import CONTENT_TYPES, EXTENSIONS
from mercuryhub.library.models import (
    CaseStudy,
    CriterionJudgement,
    DocumentFile,
    Resource,
    ValidationCriterion,
)
from mercuryhub.review import registry
from mercuryhub.review.models import EntryVersion
from mercuryhub.review.queries import can_edit_entry
from mercuryhub.search.engine import match_sql
from mercuryhub.taxonomy.models import Country, Term
from mercuryhub.taxonomy.queries import attach_references, countries, term_with_descendants


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
    """The latest published resources and case studies, newest first, with what the library's
    home shows of them (their name, year and a resource's kind)."""
    resources = attach_references(
        list(resources_visible_to(user).order_by("-created_at")[:limit]), ["kind"]
    )
    cases = list(case_studies_visible_to(user).order_by("-created_at")[:limit])
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


# The validation criteria of case studies and the reviewers' judgements --------------------


def active_criteria() -> QuerySet[ValidationCriterion]:
    """The published criteria, in their order."""
    return ValidationCriterion.objects.filter(active=True)


def judgements_of(case_study: CaseStudy, version: int | None) -> list[CriterionJudgement]:
    """The judgements of one version of a case study, in the criteria's order."""
    if version is None:
        return []
    return list(
        CriterionJudgement.objects.filter(case_study=case_study, version=version).select_related(
            "criterion", "judged_by"
        )
    )


def earlier_judgements(case_study: CaseStudy) -> dict[int, CriterionJudgement]:
    """The latest judgement of an earlier version on each criterion, by criterion id: what the
    reviewer judged before the case study changed."""
    earlier = CriterionJudgement.objects.filter(
        case_study=case_study, version__lt=case_study.version
    ).order_by("version")
    return {judgement.criterion_id: judgement for judgement in earlier}


def unjudged_criteria(case_study: CaseStudy) -> list[ValidationCriterion]:
    """The active criteria that the case study's current version has no judgement on."""
    judged = CriterionJudgement.objects.filter(
        case_study=case_study, version=case_study.version
    ).values("criterion_id")
    return list(active_criteria().exclude(pk__in=judged))


def published_judgements(case_study: CaseStudy) -> dict | None:
    """What the public page says of the published version's validation: the judgements
    grouped by outcome, who judged and when; None when it was not judged (imported)."""
    judgements = judgements_of(case_study, case_study.published_version)
    if not judgements:
        return None
    last = max(judgements, key=lambda judgement: judgement.judged_at)
    groups = {value: [] for value in CriterionJudgement.Judgement.values}
    for judgement in judgements:
        groups[judgement.judgement].append(judgement)
    return {
        "met": groups["met"],
        "not_met": groups["not_met"],
        "not_applicable": groups["not_applicable"],
        # The reviewer's name only: never an e-mail address on a public page.
        "reviewer_name": getattr(case_study.validated_by or last.judged_by, "name", ""),
        "judged_on": case_study.validated_at or last.judged_at,
    }


# The list of case studies, by circumstance ------------------------------------------------


@dataclass(frozen=True)
class CaseStudyFilters:
    q: str = ""
    country: Country | None = None
    region: str = ""
    waste: Term | None = None
    phase: Term | None = None
    nap: Term | None = None
    met: tuple[ValidationCriterion, ...] = ()
    validated: bool = False

    @property
    def any(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def _published_judgements(**conditions) -> Exists:
    return Exists(
        CriterionJudgement.objects.filter(
            case_study=OuterRef("pk"), version=OuterRef("published_version"), **conditions
        )
    )


def _count_of_judgements(**conditions) -> Coalesce:
    counted = (
        CriterionJudgement.objects.filter(
            case_study=OuterRef("pk"), version=OuterRef("published_version"), **conditions
        )
        .order_by()
        .values("case_study")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def search_case_studies(user, filters: CaseStudyFilters) -> QuerySet[CaseStudy]:
    """The case studies the user may see that answer every filter, with the number of criteria
    their published version met (``criteria_met``) and was judged on (``criteria_judged``)."""
    found = case_studies_visible_to(user)
    sql = match_sql(filters.q, "case_study") if filters.q else None
    if sql is not None:
        found = found.filter(pk__in=RawSQL(*sql))  # noqa: S611 - parameters bound
    if filters.country is not None:
        found = found.filter(country=filters.country)
    if filters.region:
        found = found.filter(country__in=countries(filters.region))
    for field, term in (
        ("waste_categories", filters.waste),
        ("phases", filters.phase),
        ("nap_elements", filters.nap),
    ):
        if term is not None:
            tagged = CaseStudy.objects.filter(
                **{f"{field}__in": term_with_descendants(term)}
            ).values("pk")
            found = found.filter(pk__in=tagged)
    if filters.validated:
        found = found.filter(_published_judgements())
    for criterion in filters.met:
        found = found.filter(_published_judgements(criterion=criterion, judgement="met"))
    return (
        with_details("case_study", found)
        .annotate(
            criteria_met=_count_of_judgements(judgement="met"),
            criteria_judged=_count_of_judgements(),
        )
        .order_by(F("year").desc(nulls_last=True), "name", "pk")
    )
