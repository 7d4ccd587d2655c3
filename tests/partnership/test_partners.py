"""The partners of the Global Mercury Partnership: the date they joined (recorded by the
secretariat), the public list with its filters, pages and counts, the map by country, the CSV
download, and the Partnership's landing page."""

import csv
import io
import json
import re

import pytest

from mercuryhub.accounts.models import Organization
from mercuryhub.partnership import group_actions
from mercuryhub.taxonomy.models import Country, Term

pytestmark = pytest.mark.django_db


def _map_points(content: str) -> list[dict]:
    found = re.search(
        r'<script id="partner-map-points" type="application/json">(.*?)</script>', content
    )
    return json.loads(found.group(1))


def test_the_secretariat_records_when_a_partner_joined_and_the_page_shows_it(
    signed_in, reviewer, organization
):
    response = signed_in(reviewer).post(
        "/organizations/batrec-industrie-ag/partnership/",
        {
            "is_partner": "on",
            "partnership_areas": ["waste-management"],
            "joined_partnership_on": "2012-05-03",
        },
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.joined_partnership_on.isoformat() == "2012-05-03"
    page = signed_in(reviewer).get("/organizations/batrec-industrie-ag/").content.decode()
    assert "<dt>Joined the Partnership on</dt><dd>May 3, 2012</dd>" in page
    form = signed_in(reviewer).get("/organizations/batrec-industrie-ag/partnership/")
    assert 'value="2012-05-03"' in form.content.decode()


def test_the_list_shows_partners_only_with_their_areas_and_groups(
    client, reviewer, organization, outsider, ghana_partner, working_groups
):
    membership = group_actions.do_request_group_membership(
        organization.memberships.get().user, working_groups["wg2"], organization
    )
    group_actions.do_decide_group_membership(reviewer, membership, approve=True)

    page = client.get("/partnership/partners/").content.decode()

    assert "2 partners · 2 countries" in page
    assert "Batrec Industrie AG" in page and "Mercury-Free Ghana" in page
    assert "Elsewhere Recycling" not in page  # not a partner
    assert '<a class="tag" href="/partnership/groups/wg2/">WG2</a>' in page
    assert sorted((p["iso3"], p["count"]) for p in _map_points(page)) == [("CHE", 1), ("GHA", 1)]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("area=waste-management", ["Batrec Industrie AG"]),
        ("region=Africa", ["Mercury-Free Ghana"]),
        ("region=Western Europe", ["Batrec Industrie AG"]),
        ("country=gha", ["Mercury-Free Ghana"]),
        ("type=ngo", ["Mercury-Free Ghana"]),
        ("group=wg1", ["Batrec Industrie AG"]),
        ("q=batrec", ["Batrec Industrie AG"]),
        ("q=nowhere", []),
    ],
)
def test_each_filter_narrows_the_list_the_map_and_the_csv(
    client, reviewer, organization, ghana_partner, working_groups, query, found
):
    membership = group_actions.do_request_group_membership(
        organization.memberships.get().user, working_groups["wg1"], organization
    )
    group_actions.do_decide_group_membership(reviewer, membership, approve=True)

    page = client.get(f"/partnership/partners/?{query}").content.decode()
    download = client.get(f"/partnership/partners.csv?{query}")

    listed = re.findall(r'<th scope="row"><a href="[^"]+"><bdi>([^<]+)</bdi></a></th>', page)
    assert listed == found
    assert len(_map_points(page)) == len(found)
    rows = list(
        csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig")))
    )
    assert [row["name"] for row in rows] == found


def test_the_csv_gives_each_partners_facts(client, reviewer, organization, ghana_partner):
    response = client.get("/partnership/partners.csv?country=GHA")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="mercuryhub-partners.csv"' in response["Content-Disposition"]
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert rows == [
        {
            "name": "Mercury-Free Ghana",
            "stakeholder_type": "ngo",
            "country": "GHA",
            "region": "Africa",
            "partnership_areas": "",
            "working_groups": "",
            "joined_partnership_on": "2019-11-20",
            "website": "",
            "url": "http://testserver/organizations/mercury-free-ghana/",
        }
    ]


def test_the_list_comes_in_pages_with_a_steady_number_of_queries(
    client, django_assert_max_num_queries
):
    ngo = Term.objects.get(vocabulary__name="stakeholder_types", code="ngo")
    kenya = Country.objects.get(pk="KEN")
    Organization.objects.bulk_create(
        Organization(
            name=f"Partner {number:02}",
            slug=f"partner-{number:02}",
            stakeholder_type=ngo,
            country=kenya,
            is_partner=True,
        )
        for number in range(30)
    )

    with django_assert_max_num_queries(14):
        first = client.get("/partnership/partners/").content.decode()
    second = client.get("/partnership/partners/?type=ngo&page=2").content.decode()

    assert "30 partners · 1 country" in first
    assert "Page 1 of 2 (30 results)" in first
    assert "Partner 24" in first and "Partner 25" not in first
    assert "Partner 25" in second and "Partner 29" in second
    assert 'href="?type=ngo&amp;page=1"' in second


def test_the_landing_page_counts_partners_and_links_every_part(
    client, organization, working_groups
):
    page = client.get("/partnership/").content.decode()

    assert "<dt>Partners</dt><dd>1</dd>" in page
    for address in (
        "/partnership/partners/",
        "/partnership/groups/",
        "/partnership/events/",
        "/partnership/projects/",
        "/partnership/groups/wg3/",
    ):
        assert f'href="{address}"' in page
    assert 'href="/partnership/" aria-current="page">Partnership</a>' in page


@pytest.mark.parametrize(("persona", "status"), [("owner", 403), ("reviewer", 200)])
def test_only_the_secretariat_records_the_joining_date_through_the_api(
    request, client, organization, persona, status
):
    from mercuryhub.accounts.actions import do_create_api_token

    token = do_create_api_token(request.getfixturevalue(persona), "t")[1]
    response = client.patch(
        f"/api/v1/organizations/{organization.slug}",
        {"joined_partnership_on": "2015-09-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == status
    organization.refresh_from_db()
    assert (organization.joined_partnership_on is not None) is (status == 200)
    if status == 200:
        assert response.json()["joined_partnership_on"] == "2015-09-01"
