"""Projects, described once for the review layer's registry: drafts, versions, validation,
history, campaigns and search come from the review layer. A project is kept by the editors of the
organization that ran it, or by the secretariat. Registered in ``registrations.py``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from mercuryhub.accounts.queries import can_edit_organization, is_reviewer
from mercuryhub.catalogue.fields import normalized
from mercuryhub.catalogue.kinds import DocumentKind
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.partnership import project_fields
from mercuryhub.partnership.models import Project
from mercuryhub.review.registry import VersionField
from mercuryhub.review.translations import TranslatedField
from mercuryhub.search.engine import Document
from mercuryhub.search.words import SEPARATOR


def _field(name, label, shows="text", choices=()):
    return VersionField(name, label, shows, tuple(choices))


class ProjectKind(DocumentKind):
    name = "project"
    model = Project
    label = gettext_lazy("Project")
    label_plural = gettext_lazy("Projects")
    organization_field = "organization"
    # A project runs in several countries; the reviewers' queue and campaigns count it by its
    # organization's.
    country_field = "organization__country"
    queue_country_field = "organization__country"
    detail_url_name = "partnership-project-detail"
    edit_url_name = "catalogue-entry-edit"
    hit_template = "partnership/_project_hit.html"
    description_field = "summary"
    select_related = ("organization",)
    prefetch_related = (
        "countries",
        "partners",
        "waste_categories",
        "partnership_areas",
        "case_studies",
    )
    term_fields = {"waste": "waste_categories"}
    translated_fields = (
        TranslatedField("name", max_length=300),
        TranslatedField("summary", multiline=True),
        TranslatedField("lessons_learned", multiline=True),
    )
    fields = (
        _field("name", gettext_lazy("Title")),
        _field("summary", gettext_lazy("Summary")),
        _field("organization", gettext_lazy("Organization keeping it current"), "organization"),
        _field("countries", gettext_lazy("Countries"), "countries"),
        _field("funder", gettext_lazy("Funder")),
        _field("first_year", gettext_lazy("First year")),
        _field("last_year", gettext_lazy("Last year")),
        _field("status", gettext_lazy("Status"), "choice", Project.Status.choices),
        _field("budget", gettext_lazy("Budget")),
        _field("budget_currency", gettext_lazy("Currency")),
        _field("partners", gettext_lazy("Partners")),
        _field("waste_categories", gettext_lazy("Waste categories"), "terms:waste_categories"),
        _field("partnership_areas", gettext_lazy("Partnership areas"), "terms:partnership_areas"),
        _field("case_studies", gettext_lazy("Case studies")),
        _field("lessons_learned", gettext_lazy("Lessons learned")),
        _field("website", gettext_lazy("Website")),
        _field("latitude", gettext_lazy("Latitude")),
        _field("longitude", gettext_lazy("Longitude")),
        _field("external_id", gettext_lazy("External identifier")),
    )

    check = staticmethod(project_fields.clean_project)
    data_of = staticmethod(project_fields.project_data)
    stored_of = staticmethod(project_fields.stored_data)

    def visible_to(self, user):
        return Project.objects.filter(published=True)

    def normalized(self, data: dict) -> dict:
        return super().normalized(normalized(self.name, data, project_fields.LIST_FIELDS))

    def check_organization(self, user, checked) -> None:
        """The organization's editors keep its projects; the secretariat keeps any."""
        organization = checked.values.get("organization")
        if checked.operator_name:
            raise InvalidInputError(
                {"organization": f"Unknown organization {checked.operator_name!r}; register it"}
            )
        if organization is None:
            raise InvalidInputError({"organization": "A value is required"})
        if not (can_edit_organization(user, organization) or is_reviewer(user)):
            raise PermissionDenied(
                f"Only editors of {organization.name} or the secretariat can keep its projects"
            )

    def search_document(self, entry, context) -> Document:
        """The title in every language; the waste categories and partnership areas as its tags
        (search/tags.py); the summary and lessons in every language, the funder, the countries
        and the organizations in the body."""
        texts = [entry.translations.get(language, {}) for language in sorted(entry.translations)]
        names = [entry.name, *(text.get("name", "") for text in texts)]
        tags = [*entry.waste_categories.all(), *entry.partnership_areas.all()]
        body = [
            entry.summary,
            *(text.get("summary", "") for text in texts),
            entry.lessons_learned,
            *(text.get("lessons_learned", "") for text in texts),
            entry.funder,
            entry.organization.name,
            *(organization.name for organization in entry.partners.all()),
            *(country.name for country in entry.countries.all()),
        ]
        return Document(
            kind=self.name,
            object_id=entry.pk,
            title=SEPARATOR.join(dict.fromkeys(name for name in names if name)),
            tags=tuple(term.pk for term in tags),
            body=SEPARATOR.join(p for p in body if p),
        )


KIND = ProjectKind()
