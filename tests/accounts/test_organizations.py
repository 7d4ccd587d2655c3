import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser

from mercuryhub.accounts.models import Membership, Organization
from mercuryhub.accounts.queries import can_edit_organization, is_administrator, is_reviewer
from mercuryhub.catalogue.queries import Filters, search
from tests.conftest import make_owner

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Ministry of Environment of Uruguay",
    "stakeholder_type": "government",
    "country": "URY",
}


def test_the_creator_of_an_organization_becomes_its_editor(signed_in, outsider):
    response = signed_in(outsider).post("/organizations/new/", NEW)
    organization = Organization.objects.get(name=NEW["name"])
    assert response.url == f"/organizations/{organization.slug}/"
    assert organization.memberships.get().role == Membership.Role.EDITOR
    assert organization.country.iso3 == "URY"


def test_an_unknown_country_code_gets_a_message_and_creates_nothing(owner, client):
    token = _token(owner)
    response = client.post(
        "/api/v1/organizations",
        {**NEW, "country": "XYZ"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "country",
            "message": "Unknown country code 'XYZ'; use ISO 3166-1 alpha-3, e.g. URY",
        }
    ]
    assert not Organization.objects.filter(name=NEW["name"]).exists()


def test_an_unknown_stakeholder_type_names_the_known_ones(owner, client):
    response = client.post(
        "/api/v1/organizations",
        {**NEW, "stakeholder_type": "ministry"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {_token(owner)}",
    )
    error = response.json()["errors"][0]
    assert error["field"] == "stakeholder_type"
    assert "Unknown code 'ministry'; known codes are: government, igo" in error["message"]


def test_the_web_form_shows_the_field_errors(signed_in, outsider):
    response = signed_in(outsider).post("/organizations/new/", {**NEW, "website": "not a url"})
    assert "is not a web address" in response.content.decode()
    assert not Organization.objects.filter(name=NEW["name"]).exists()


def test_roles(owner, member, outsider, reviewer, administrator, organization):
    anonymous = AnonymousUser()
    personas = (owner, member, outsider, reviewer, administrator, anonymous)
    assert [can_edit_organization(u, organization) for u in personas] == [
        True,
        False,
        False,
        False,
        True,
        False,
    ]
    assert [is_reviewer(u) for u in (owner, reviewer, administrator, anonymous)] == [
        False,
        True,
        True,
        False,
    ]
    assert [is_administrator(u) for u in (reviewer, administrator)] == [False, True]
    assert (reviewer.is_staff, reviewer.is_superuser) == (True, False)
    assert (administrator.is_staff, administrator.is_superuser) == (True, True)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("outsider", 403),
        ("reviewer", 403),
        ("owner", 302),
        ("administrator", 302),
    ],
)
def test_who_may_edit_an_organization_on_the_web(
    request, client, organization, member, outsider, persona, status
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.post(
        f"/organizations/{organization.slug}/edit/",
        {"name": "Renamed", "stakeholder_type": "private-sector", "country": "CHE"},
    )
    assert response.status_code == status
    organization.refresh_from_db()
    expected = "Renamed" if persona in {"owner", "administrator"} else "Batrec Industrie AG"
    assert organization.name == expected
    if persona == "anonymous":
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("member", 403),
        ("outsider", 403),
        ("owner", 403),
        ("reviewer", 200),
        ("administrator", 200),
    ],
)
def test_only_the_secretariat_records_partnership_status(
    request, client, organization, member, outsider, persona, status
):
    headers = {}
    if persona != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {_token(request.getfixturevalue(persona))}"
    response = client.patch(
        f"/api/v1/organizations/{organization.slug}",
        {"is_partner": False},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == status
    organization.refresh_from_db()
    assert organization.is_partner is (status != 200)


def test_the_api_lists_and_filters_organizations(client, organization, outsider):
    body = client.get("/api/v1/organizations?partner=true").json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "slug": "batrec-industrie-ag",
        "name": "Batrec Industrie AG",
        "stakeholder_type": "private-sector",
        "country": "CHE",
        "country_name": "Switzerland",
        "website": "https://www.batrec.ch",
        "description": "",
        "is_partner": True,
        "partnership_areas": ["waste-management"],
        "joined_partnership_on": None,
        "url": "/organizations/batrec-industrie-ag/",
    }
    assert client.get("/api/v1/organizations?country=FRA").json()["count"] == 1
    assert client.get("/api/v1/organizations/nowhere").status_code == 404


def test_the_organization_pages_show_the_partner_badge(
    client, organization, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = client.get("/organizations/").content.decode()
    assert "Batrec Industrie AG" in page
    assert "Partner" in page
    detail = client.get(f"/organizations/{organization.slug}/").content.decode()
    assert "Reducing mercury" not in detail
    assert "Partner of the Global Mercury Partnership" in detail


def _token(user):
    from mercuryhub.accounts.actions import do_create_api_token

    return do_create_api_token(user, "test")[1]


def _admin_form_values(page: str) -> dict:
    """The values a change form in the administration would send as it stands."""
    values, select = {}, None

    class Form(HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal select
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and name != "csrfmiddlewaretoken":
                if attrs.get("type") in {"checkbox", "radio"}:
                    if "checked" in attrs:
                        values[name] = attrs.get("value", "on")
                elif attrs.get("type") not in {"submit", "button", "file"}:
                    values[name] = attrs.get("value", "")
            elif tag == "select":
                select = name
            elif tag == "option" and select and "selected" in attrs:
                values[select] = attrs.get("value", "")
            elif tag == "textarea" and name:
                values[name] = ""

        def handle_endtag(self, tag):
            nonlocal select
            if tag == "select":
                select = None

    Form().feed(page)
    return values


def test_an_organization_changed_in_the_administration_is_searched_as_changed(
    client, administrator, organization
):
    """The administration saves through the action that tells search: what it changes is
    found at once."""
    client.force_login(administrator)
    address = f"/admin/accounts/organization/{organization.pk}/change/"
    data = _admin_form_values(client.get(address).content.decode())
    data.update(name="Quecksilber Rückgewinnung Wimmis", description=organization.description)
    response = client.post(address, data)
    errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert response.status_code == 302, errors
    everywhere = Filters(q="Rückgewinnung", everywhere=True)
    hits = search(AnonymousUser(), everywhere).hits
    assert [(hit.kind, hit.entry.pk) for hit in hits] == [("organization", organization.pk)]


def test_organizations_are_found_by_name_whatever_its_case_many_in_one_statement(
    django_assert_num_queries,
):
    """How imported rows name operators: the known organizations are found by name (case and
    surrounding spaces aside, accented names included) in one statement, the others created
    once each, found in search at once."""
    from mercuryhub.accounts.actions import do_find_or_create_organizations
    from mercuryhub.accounts.queries import name_key, organizations_named
    from mercuryhub.taxonomy.models import Country

    switzerland = Country.objects.get(iso3="CHE")
    known = [
        do_find_or_create_organizations([{"name": name, "country": switzerland}], user=None)[
            name_key(name)
        ]
        for name in ("Batrec Industrie AG", "Société Générale de Récupération")
    ]
    asked = ["  BATREC industrie ag ", "Société Générale de Récupération", "Nobody Known Ltd"]
    with django_assert_num_queries(1):
        found = organizations_named(asked)
    assert found == {name_key(asked[0]): known[0], name_key(asked[1]): known[1]}

    wanted = [
        {"name": name, "country": switzerland}
        for name in ("Batrec Industrie AG", "Lamp Recyclers Ltd", "LAMP RECYCLERS LTD")
    ]
    organizations = do_find_or_create_organizations(wanted, user=None)
    assert organizations[name_key("batrec industrie ag")] == known[0]
    created = organizations[name_key("Lamp Recyclers Ltd")]
    assert Organization.objects.filter(name__iexact="lamp recyclers ltd").count() == 1
    assert created.name == "Lamp Recyclers Ltd"
    assert created.stakeholder_type.code == "private-sector"
    hits = search(AnonymousUser(), Filters(q="recyclers", everywhere=True)).hits
    assert [(hit.kind, hit.entry.pk) for hit in hits] == [("organization", created.pk)]


def test_organizations_created_together_get_distinct_slugs_and_a_history_each():
    """Names an import creates at once may share a slug with a known organization and with each
    other: each gets the next free number, as if created one after the other, and a creation
    record in its history attributed to the person importing."""
    from mercuryhub.accounts.actions import do_find_or_create_organizations
    from mercuryhub.accounts.queries import name_key
    from mercuryhub.taxonomy.models import Country, Term

    switzerland = Country.objects.get(iso3="CHE")
    owner = make_owner()
    do_find_or_create_organizations([{"name": "Lamp Recyclers", "country": switzerland}], user=None)
    ngo = Term.objects.get(vocabulary__name="stakeholder_types", code="ngo")
    wanted = [
        {"name": "Lamp Recyclers!", "country": switzerland},
        {"name": "Lamp-Recyclers", "country": switzerland, "stakeholder_type": ngo},
        {"name": "Mercury Free Schools", "country": switzerland},
    ]

    made = do_find_or_create_organizations(wanted, user=owner)

    slugs = [made[name_key(item["name"])].slug for item in wanted]
    assert slugs == ["lamp-recyclers-2", "lamp-recyclers-3", "mercury-free-schools"]
    assert [made[name_key(item["name"])].stakeholder_type.code for item in wanted] == [
        "private-sector",
        "ngo",
        "private-sector",
    ]
    for item in wanted:
        organization = Organization.objects.get(pk=made[name_key(item["name"])].pk)
        assert organization.name == item["name"] and organization.created_at is not None
        records = list(organization.history.all())
        assert [(r.history_type, r.history_user_id, r.slug) for r in records] == [
            ("+", owner.pk, organization.slug)
        ]
