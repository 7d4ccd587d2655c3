"""The library's two kinds of entry, described once for the review layer's registry: resources
and case studies. Drafts, submission, validation, versions, revert, reconfirmation, campaigns and
search come from the review layer, as for the catalogue's kinds. Registered in
``LibraryConfig.ready``."""

from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.catalogue.fields import normalized
from mercuryhub.catalogue.kinds import KeptByPersonOrOrganizationKind
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library import fields, queries
from mercuryhub.library.actions import do_copy_judgements
from mercuryhub.library.models import CaseStudy, CriterionJudgement, Resource
from mercuryhub.review.errors import WorkflowError
from mercuryhub.review.models import ReviewState
from mercuryhub.review.registry import VersionField
from mercuryhub.review.translations import DEFAULT_LANGUAGE, TranslatedField


def _field(name, label, shows="text", choices=()):
    return VersionField(name, label, shows, tuple(choices))


_TITLE = _field("name", gettext_lazy("Title"))
_SUMMARY = _field("description", gettext_lazy("Summary"))
_TAGS = (
    _field("languages", gettext_lazy("Languages"), "languages"),
    _field("audiences", gettext_lazy("Audiences"), "terms:audiences"),
    _field("waste_categories", gettext_lazy("Waste categories"), "terms:waste_categories"),
    _field("phases", gettext_lazy("Management phases"), "terms:management_phases"),
    _field("support_types", gettext_lazy("Types of support"), "terms:support_types"),
    _field("nap_elements", gettext_lazy("NAP elements"), "terms:nap_elements"),
    _field("partnership_areas", gettext_lazy("Partnership areas"), "terms:partnership_areas"),
)
_PUBLICATION = (
    _field("publisher", gettext_lazy("Publisher")),
    _field("year", gettext_lazy("Year")),
    _field("url", gettext_lazy("Address")),
    _field("document", gettext_lazy("Uploaded file"), "document"),
    _field("licence", gettext_lazy("Licence")),
)
_END = (
    _field("organization", gettext_lazy("Organization keeping it current"), "organization"),
    _field("external_id", gettext_lazy("External identifier")),
)
_PREFETCH = tuple(name for name, _v in fields.TAGS) + ("languages",)
# The vocabularies whose labels and synonyms the search document holds.
_SEARCHED_TAGS = ("waste_categories", "phases", "support_types", "nap_elements", "audiences")


class LibraryKind(KeptByPersonOrOrganizationKind):
    """What resources and case studies share: kept by a partner organization or by the person
    who added them, tagged with the vocabularies, saved through the catalogue's save."""

    organization_field = "organization"
    owner_field = "owner"
    # A hit shows the languages and audiences; its snippet may show the waste categories.
    hit_prefetch_related = ("languages", "audiences", "waste_categories")
    edit_url_name = "catalogue-entry-edit"
    hit_template = "library/_hit.html"
    translated_fields = (
        TranslatedField("name", max_length=300),
        TranslatedField("description", multiline=True),
    )
    term_fields = {"waste": "waste_categories", "phase": "phases"}
    tag_fields = ("waste_categories", "phases", "support_types", "nap_elements", "audiences")
    clean_function = None
    data_function = None

    def visible_to(self, user):
        return self.model.objects.filter(published=True)

    def clean(self, data: dict):
        return self.clean_with_translations(data, type(self).clean_function)

    def serialize(self, entry) -> dict:
        return {**type(self).data_function(entry), **self.translation_data(entry)}

    def stored(self, checked) -> dict:
        own, languages = self.without_translations(checked)
        own = fields.stored_data(own)
        return {
            **normalized(self.name, own, fields.LIST_FIELDS),
            **self.stored_translations(languages),
        }

    def normalized(self, data: dict) -> dict:
        return {
            "content_language": DEFAULT_LANGUAGE,
            **normalized(self.name, data, fields.LIST_FIELDS),
        }

    def prepare_draft(self, user, checked) -> None:
        super().prepare_draft(user, checked)
        self._check_document(user, checked, None)

    def check_edit(self, user, current: dict, checked) -> None:
        self._check_document(user, checked, current.get("document"))

    def _check_document(self, user, checked, current_id) -> None:
        """An entry takes a file its editor uploaded (or one it already holds): another
        person's file, not yet public, must not become readable by being attached."""
        document = checked.values.get("document")
        if document is None or document.pk == current_id:
            return
        if document.uploaded_by_id != getattr(user, "pk", None) and not is_reviewer(user):
            raise InvalidInputError(
                {"document": f"File {document.pk} was uploaded by someone else; upload it yourself"}
            )

    def after_draft(self, user, entry) -> None:
        if user is not None and entry.owner_id is None:
            type(entry).objects.filter(pk=entry.pk).update(owner=user)
            entry.owner = user

    def tagged_with(self, term_ids):
        condition = Q()
        for name in self.tag_fields:
            condition |= Q(**{f"{name}__in": term_ids})
        return self.model.objects.filter(condition).distinct()

    def search_texts(self, entry) -> list[str]:
        return self.texts(entry)

    def search_attachment(self, entry) -> str:
        return entry.document.text if entry.document is not None else ""

    def texts(self, entry) -> list[str]:
        return [entry.publisher]


class ResourceKind(LibraryKind):
    name = "resource"
    model = Resource
    label = gettext_lazy("Resource")
    label_plural = gettext_lazy("Resources")
    detail_url_name = "library-resource-detail"
    clean_function = staticmethod(fields.clean_resource)
    data_function = staticmethod(fields.resource_data)
    select_related = ("kind", "document", "organization", "language_version_of")
    hit_select_related = ("kind",)  # not the document: its extracted text is long
    prefetch_related = _PREFETCH
    queue_country_field = "organization__country"
    country_field = "organization__country"
    fields = (
        _TITLE,
        _field("kind", gettext_lazy("Kind of resource"), "terms:resource_kinds"),
        _SUMMARY,
        *_PUBLICATION,
        _field("language_version_of", gettext_lazy("Language version of"), "resource"),
        _field("transcript", gettext_lazy("Transcript or detailed summary")),
        *_TAGS,
        *_END,
    )

    def texts(self, entry) -> list[str]:
        return [entry.kind.label, *super().texts(entry), entry.transcript]


class CaseStudyKind(LibraryKind):
    name = "case_study"
    model = CaseStudy
    label = gettext_lazy("Case study")
    label_plural = gettext_lazy("Case studies")
    detail_url_name = "library-case-study-detail"
    clean_function = staticmethod(fields.clean_case_study)
    data_function = staticmethod(fields.case_study_data)
    select_related = ("country", "document", "organization")
    hit_select_related = ("country",)
    prefetch_related = _PREFETCH
    fields = (
        _TITLE,
        _SUMMARY,
        _field("country", gettext_lazy("Country"), "countries"),
        _field("place", gettext_lazy("Place")),
        _field("period", gettext_lazy("Period")),
        _field("context_socioeconomic", gettext_lazy("Socio-economic context")),
        _field("context_technical", gettext_lazy("Technical context")),
        _field("context_political", gettext_lazy("Political and legal context")),
        _field("actions", gettext_lazy("What was done")),
        _field("results", gettext_lazy("Results, with figures")),
        _field("success_factors", gettext_lazy("Success factors")),
        _field("challenges", gettext_lazy("Challenges")),
        _field("lessons_learned", gettext_lazy("Lessons learned")),
        _field("source", gettext_lazy("Source")),
        *_PUBLICATION,
        *_TAGS,
        *_END,
    )

    def check_before_validation(self, entry) -> None:
        """Every published criterion needs a judgement of the version under review."""
        missing = queries.unjudged_criteria(entry)
        if missing:
            raise WorkflowError(
                gettext(
                    "Judge this version on every published criterion before validating it. "
                    "Not judged yet: %(criteria)s."
                )
                % {"criteria": "; ".join(criterion.localized_label for criterion in missing)}
            )

    def after_revert(self, entry, number, user) -> None:
        do_copy_judgements(entry, number)

    def review_extension(self, entry, user):
        """The criteria, each with its form and the judgement of the version under review."""
        judged = {j.criterion_id: j for j in queries.judgements_of(entry, entry.version)}
        earlier = queries.earlier_judgements(entry)
        rows = [
            (criterion, judged.get(criterion.pk), earlier.get(criterion.pk))
            for criterion in queries.active_criteria()
        ]
        return (
            "library/_review_criteria.html",
            {
                "rows": rows,
                "version": entry.version,
                "missing": sum(1 for _criterion, judgement, _earlier in rows if judgement is None),
                "choices": CriterionJudgement.Judgement.choices,
                "open": entry.review_state == ReviewState.SUBMITTED,
            },
        )

    def texts(self, entry) -> list[str]:
        own = [getattr(entry, name) for name in fields.CASE_STUDY_TEXTS]
        return [*own, entry.place, entry.country.name, *super().texts(entry)]


KINDS = (ResourceKind(), CaseStudyKind())
