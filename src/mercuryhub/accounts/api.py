from datetime import date

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from mercuryhub.accounts import actions, queries
from mercuryhub.accounts.auth import token_auth
from mercuryhub.accounts.models import Organization
from mercuryhub.lib.api import ERROR_RESPONSES, Pagination, limit_texts

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    slug: str
    name: str
    stakeholder_type: str
    country: str
    country_name: str
    website: str
    description: str
    is_partner: bool
    partnership_areas: list[str]
    joined_partnership_on: date | None
    url: str


class OrganizationIn(Schema):
    name: str
    stakeholder_type: str
    country: str
    website: str = ""
    description: str = ""
    is_partner: bool = False
    partnership_areas: list[str] = []
    joined_partnership_on: date | None = None


class OrganizationPatch(Schema):
    name: str | None = None
    stakeholder_type: str | None = None
    country: str | None = None
    website: str | None = None
    description: str | None = None
    is_partner: bool | None = None
    partnership_areas: list[str] | None = None
    joined_partnership_on: date | None = None


for _schema in (OrganizationIn, OrganizationPatch):
    limit_texts(_schema, Organization)


class MeOut(Schema):
    email: str
    name: str
    role: str
    organizations: list[dict]


def _organization_out(organization) -> dict:
    return {
        "slug": organization.slug,
        "name": organization.name,
        "stakeholder_type": organization.stakeholder_type.code,
        "country": organization.country_id,
        "country_name": organization.country.name,
        "website": organization.website,
        "description": organization.description,
        "is_partner": organization.is_partner,
        "partnership_areas": [area.code for area in organization.partnership_areas.all()],
        "joined_partnership_on": organization.joined_partnership_on,
        "url": organization.get_absolute_url(),
    }


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], **ERROR_RESPONSES},
    summary="List organizations",
)
@paginate(Pagination)
def list_organizations(
    request, country: str | None = None, partner: bool | None = None, q: str | None = None
):
    organizations = queries.search_organizations(request.user, q or "")
    if country:
        organizations = organizations.filter(country_id=country.upper())
    if partner is not None:
        organizations = organizations.filter(is_partner=partner)
    return [_organization_out(organization) for organization in organizations]


@router.get(
    "/organizations/{slug}",
    response={200: OrganizationOut, **ERROR_RESPONSES},
    summary="One organization",
)
def get_organization(request, slug: str):
    return _organization_out(queries.get_organization_for_user(request.user, slug))


@router.post(
    "/organizations",
    response={201: OrganizationOut, **ERROR_RESPONSES},
    auth=token_auth,
    summary="Create an organization (you become its editor)",
)
def create_organization(request, payload: OrganizationIn):
    organization = actions.do_create_organization(request.auth, payload.dict())
    return Status(201, _organization_out(organization))


@router.patch(
    "/organizations/{slug}",
    response={200: OrganizationOut, **ERROR_RESPONSES},
    auth=token_auth,
    summary="Change an organization (its editors; partnership status: the secretariat)",
)
def update_organization(request, slug: str, payload: OrganizationPatch):
    organization = queries.get_organization_for_user(request.auth, slug)
    actions.do_update_organization(request.auth, organization, payload.dict(exclude_unset=True))
    return _organization_out(queries.get_organization_for_user(request.auth, slug))


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, auth=token_auth, tags=["account"])
def get_current_user(request):
    user = request.auth
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organizations": [
            {"slug": m.organization.slug, "name": m.organization.name, "role": m.role}
            for m in user.memberships.select_related("organization")
        ],
    }
