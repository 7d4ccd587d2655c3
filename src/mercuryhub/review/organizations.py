"""Organizations in the one search index. They are not entries that go through review, but
people look for them as they look for facilities or resources: each is indexed with its name, its
stakeholder type and Partnership areas, its country and description, kept in step as accounts
announces each creation and change (accounts itself knows nothing of search).

``ORGANIZATIONS`` reads like a registered kind where search needs one (visibility, details,
facets, the hit template), so that search pages treat organizations as one more type."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from mercuryhub.accounts.models import Organization
from mercuryhub.search.engine import Document, do_drop_orphans, do_index, register_kinds
from mercuryhub.search.words import SEPARATOR

NAME = "organization"


class OrganizationSearch:
    name = NAME
    model = Organization
    label = gettext_lazy("Organization")
    label_plural = gettext_lazy("Organizations")
    term_fields: dict[str, str] = {}
    translated_fields = ()
    select_related = ("country", "stakeholder_type")
    prefetch_related = ("partnership_areas",)
    hit_select_related = ("country", "stakeholder_type")
    hit_prefetch_related = ()
    hit_template = "catalogue/_hit_organization.html"

    def visible_to(self, user) -> QuerySet[Organization]:
        """Every organization has a public page."""
        return Organization.objects.all()

    def search_document(self, organization) -> Document:
        areas = [term.pk for term in organization.partnership_areas.all()]
        return Document(
            kind=NAME,
            object_id=organization.pk,
            title=organization.name,
            tags=(organization.stakeholder_type_id, *areas),
            body=SEPARATOR.join(
                part for part in (organization.description, organization.country.name) if part
            ),
        )

    def detail_url(self, organization) -> str:
        return organization.get_absolute_url()


ORGANIZATIONS = OrganizationSearch()
register_kinds(NAME)


def do_index_organizations(organizations) -> int:
    """Put the organizations (their latest names and descriptions) in the search index."""
    ids = [organization.pk for organization in organizations]
    loaded = (
        Organization.objects.filter(pk__in=ids)
        .select_related(*ORGANIZATIONS.select_related)
        .prefetch_related(*ORGANIZATIONS.prefetch_related)
    )
    return do_index(ORGANIZATIONS.search_document(organization) for organization in loaded)


def do_reindex_organizations(*, batch_size: int = 2000, progress=None) -> int:
    """Rebuild the index of every organization, in batches; ``progress(done)`` after each."""
    do_drop_orphans()
    total, last = 0, 0
    while True:
        ids = list(
            Organization.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return total
        total += do_index_organizations(Organization(pk=pk) for pk in ids)
        last = ids[-1]
        if progress:
            progress(total)
