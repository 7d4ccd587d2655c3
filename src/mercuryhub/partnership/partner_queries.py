"""The partners of the Global Mercury Partnership as the public sees them: organizations flagged
as partners, filtered by Partnership area, region or country, stakeholder type, working group
and text; their counts, their places on the map (one point per country) and their CSV rows."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from mercuryhub.accounts.models import Organization
from mercuryhub.accounts.queries import search_organizations
from mercuryhub.partnership.models import GroupMembership, WorkingGroup
from mercuryhub.taxonomy.models import Country
from mercuryhub.taxonomy.queries import terms_of
from mercuryhub.taxonomy.regions import region_label


@dataclass(frozen=True)
class PartnerFilters:
    area: str = ""
    region: str = ""
    country: str = ""
    stakeholder_type: str = ""
    group: str = ""
    text: str = ""

    @classmethod
    def from_query(cls, query) -> "PartnerFilters":
        def one(name, length=100):
            return (query.get(name) or "").strip()[:length]

        return cls(
            area=one("area"),
            region=one("region"),
            country=one("country").upper(),
            stakeholder_type=one("type"),
            group=one("group"),
            text=one("q", 200),
        )

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def partners_visible_to(user) -> QuerySet[Organization]:
    return search_organizations(user, "").filter(is_partner=True)


def filtered_partners(user, filters: PartnerFilters) -> QuerySet[Organization]:
    partners = search_organizations(user, filters.text).filter(is_partner=True)
    if filters.area:
        partners = partners.filter(partnership_areas__code=filters.area)
    if filters.region:
        partners = partners.filter(
            Q(country__region=filters.region) | Q(country__subregion=filters.region)
        )
    if filters.country:
        partners = partners.filter(country_id=filters.country)
    if filters.stakeholder_type:
        partners = partners.filter(stakeholder_type__code=filters.stakeholder_type)
    if filters.group:
        partners = partners.filter(
            group_memberships__group__term__code=filters.group,
            group_memberships__state=GroupMembership.State.MEMBER,
        )
    return partners.distinct().prefetch_related(
        Prefetch(
            "group_memberships",
            queryset=GroupMembership.objects.filter(
                state=GroupMembership.State.MEMBER
            ).select_related("group__term"),
            to_attr="member_of",
        )
    )


@dataclass
class Choice:
    value: str
    label: str
    count: int


def filter_choices(user) -> dict[str, list[Choice]]:
    """The values each filter offers, with how many partners have each (over all partners)."""
    partners = partners_visible_to(user).order_by()
    areas = dict(
        partners.values_list("partnership_areas__code").annotate(n=Count("pk", distinct=True))
    )
    types = dict(partners.values_list("stakeholder_type__code").annotate(n=Count("pk")))
    countries = dict(partners.values_list("country_id").annotate(n=Count("pk")))
    regions: dict[str, int] = {}
    places = Country.objects.filter(pk__in=countries)
    for country in places:
        regions[country.region] = regions.get(country.region, 0) + countries[country.pk]
    groups = dict(
        GroupMembership.objects.filter(
            state=GroupMembership.State.MEMBER, organization__in=partners
        )
        .values_list("group__term__code")
        .annotate(n=Count("organization", distinct=True))
    )
    return {
        "area": [
            Choice(term.code, term.localized_label, areas.get(term.code, 0))
            for term in terms_of("partnership_areas")
        ],
        "type": [
            Choice(term.code, term.localized_label, types.get(term.code, 0))
            for term in terms_of("stakeholder_types")
            if term.code in types
        ],
        "region": sorted(
            (Choice(name, region_label(name), count) for name, count in regions.items() if name),
            key=lambda choice: choice.label,
        ),
        "country": sorted(
            (Choice(c.pk, c.localized_name, countries[c.pk]) for c in places),
            key=lambda choice: choice.label,
        ),
        "group": [
            Choice(group.term.code, group.term.localized_label, groups.get(group.term.code, 0))
            for group in WorkingGroup.objects.select_related("term")
        ],
    }


def partner_map_points(partners: QuerySet[Organization]) -> list[dict]:
    """One point per country of the partners given, with how many there are."""
    counts = dict(
        partners.order_by().values_list("country_id").annotate(n=Count("pk", distinct=True))
    )
    return [
        {
            "iso3": country.pk,
            "name": country.localized_name,
            "lat": country.latitude,
            "lon": country.longitude,
            "count": counts[country.pk],
            "url": f"{reverse('partnership-partner-list')}?country={country.pk}",
        }
        for country in Country.objects.filter(pk__in=counts, latitude__isnull=False)
    ]


CSV_HEADER = [
    "name",
    "stakeholder_type",
    "country",
    "region",
    "partnership_areas",
    "working_groups",
    "joined_partnership_on",
    "website",
    "url",
]


def partner_csv_rows(partners: QuerySet[Organization], address) -> list[list]:
    """The partners as CSV rows (codes and English names, as in the other exports);
    ``address(path)`` makes a page's full address."""
    return [
        [
            partner.name,
            partner.stakeholder_type.code,
            partner.country_id,
            partner.country.region,
            "; ".join(area.code for area in partner.partnership_areas.all()),
            "; ".join(membership.group.term.code for membership in partner.member_of),
            partner.joined_partnership_on.isoformat() if partner.joined_partnership_on else "",
            partner.website,
            address(partner.get_absolute_url()),
        ]
        for partner in partners
    ]
