"""From quantities to solutions: for each waste Ghana's inventory counts mercury in, the published
facilities that accept it, nearest Ghana first, on a map; and a need posted once in the solution
exchange by the inventory's team."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_facility
from mercuryhub.exchange.models import Need
from mercuryhub.inventory.models import InventoryNeed
from mercuryhub.inventory.vocabulary import categories
from mercuryhub.review import actions as review
from mercuryhub.taxonomy.models import Country, Term
from tests.catalogue.conftest import make_facility
from tests.conftest import make_user

# external_id, name, operator, country, city, lat, lon, status, wastes, technologies, description
LAMP_FACILITIES = [
    ("wimmis", "Batrec Wimmis plant", "Batrec Industrie AG", "CHE", "Wimmis", 46.676, 7.638,
     "operating", "lamps;measuring-devices", "thermal-recovery", "Distils mercury."),
    ("lagos", "Lagos lamp plant", "Lagos Recyclers", "NGA", "Lagos", 6.45, 3.39,
     "operating", "lamps", "lamp-processing", "Crushes lamps."),
    ("tema", "Tema lamp recovery", "Tema Recycling", "GHA", "Tema", 5.67, -0.01,
     "operating", "lamps", "lamp-processing", "Recovers lamps."),
    ("kumasi", "Kumasi closed lamp yard", "Kumasi Yard", "GHA", "Kumasi", 6.69, -1.62,
     "closed", "lamps", "", "Closed in 2020."),
]  # fmt: skip


@pytest.fixture
def lamp_facilities(db):
    made = {row[0]: make_facility(*row) for row in LAMP_FACILITIES}
    # A facility not yet published is no solution to offer.
    unpublished = {
        "name": "Accra unpublished lamp line",
        "operator": "Accra Lamps",
        "country": "GHA",
        "latitude": 5.6,
        "longitude": -0.19,
        "accepted_wastes": "lamps",
    }
    do_save_entry("facility", clean_facility(unpublished), review_state="draft", published=False)
    return made


def _published(inventory, team_lead, reviewer):
    inventory = review.do_submit_entry("inventory", team_lead, inventory)
    return review.do_validate_entry("inventory", reviewer, inventory)


def _section(page: str, code: str) -> str:
    found = re.search(rf'<section [^>]*id="waste-{code}".*?</section>', page, re.S)
    assert found, f"no section for {code}"
    return found.group(0)


def _facility_names(section: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a href="[^"]+" dir="auto">([^<]+)</a>', section)


def _map_data(page: str) -> dict:
    found = re.search(
        r'<script id="solutions-map-data" type="application/json">(.*?)</script>', page
    )
    return json.loads(found.group(1))


def test_the_facilities_for_a_waste_come_nearest_the_inventorys_country_first(
    client, inventory, team_lead, lamp_facilities
):
    client.force_login(team_lead)
    page = client.get(f"/inventory/{inventory.pk}/solutions/").text
    lamps = _section(page, "lamps")
    # Tema is in Ghana, Lagos next door, Wimmis in Switzerland; the closed yard and the
    # unpublished line are left out.
    assert _facility_names(lamps) == [
        "Tema lamp recovery",
        "Lagos lamp plant",
        "Batrec Wimmis plant",
    ]
    distances = [float(v) for v in re.findall(r'class="solution-distance" value="([\d.]+)"', lamps)]
    assert distances == sorted(distances) and distances[-1] > 4000
    assert "Kumasi" not in page and "Accra unpublished" not in page
    assert lamps.count("In another country</span>") == 2
    assert "Lamp crushing and separation" in lamps  # the facility's treatment
    assert "10–30</bdi> kg a year" in lamps


def test_the_wastes_come_most_mercury_first_and_one_without_facility_says_so(
    client, inventory, team_lead, lamp_facilities
):
    client.force_login(team_lead)
    page = client.get(f"/inventory/{inventory.pk}/solutions/").text
    headings = re.findall(r'<h2 id="waste-([\w-]+)-heading">', page)
    # Thermometers 75–225 kg, batteries 160 kg, lamps 10–30 kg.
    assert headings == ["measuring-devices", "batteries", "lamps"]
    batteries = _section(page, "batteries")
    assert "No published facility accepts this waste yet." in batteries
    assert "<table" not in batteries
    assert _facility_names(_section(page, "measuring-devices")) == ["Batrec Wimmis plant"]


def test_the_map_shows_the_facilities_of_each_waste_around_the_countrys_centre(
    client, inventory, team_lead, lamp_facilities
):
    client.force_login(team_lead)
    page = client.get(f"/inventory/{inventory.pk}/solutions/").text
    assert "data-grouped-map" in page and "catalogue/map" in page
    data = _map_data(page)
    ghana = Country.objects.get(iso3="GHA")
    assert data["origin"] == {"lat": ghana.latitude, "lon": ghana.longitude}
    groups = {group["code"]: group for group in data["groups"]}
    assert list(groups) == ["measuring-devices", "batteries", "lamps"]
    assert groups["lamps"]["label"] == "Mercury lamps"
    assert [f["name"] for f in groups["lamps"]["facilities"]] == [
        "Tema lamp recovery",
        "Lagos lamp plant",
        "Batrec Wimmis plant",
    ]
    tema = groups["lamps"]["facilities"][0]
    assert (tema["lat"], tema["lon"], tema["transboundary"]) == (5.67, -0.01, False)
    assert tema["url"] == lamp_facilities["tema"].get_absolute_url()
    assert groups["batteries"]["facilities"] == []


def test_the_page_asks_a_fixed_number_of_queries_however_many_facilities(
    client, inventory, team_lead, lamp_facilities
):
    client.force_login(team_lead)
    address = f"/inventory/{inventory.pk}/solutions/"
    client.get(address)
    with CaptureQueriesContext(connection) as before:
        client.get(address)
    for number in range(6):
        make_facility(
            f"extra-{number}", f"Extra lamp plant {number}", "Extra Ltd", "TGO", "Lomé",
            6.1 + number / 10, 1.2, "operating", "lamps", "lamp-processing", "",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        page = client.get(address).text
    assert "Extra lamp plant 5" in page
    assert len(after.captured_queries) <= len(before.captured_queries)


def test_an_editor_posts_a_need_for_a_waste_once(client, inventory, team_lead, lamp_facilities):
    client.force_login(team_lead)
    address = f"/inventory/{inventory.pk}/solutions/lamps/need/"
    assert client.get(address).status_code == 405  # a change is a POST
    response = client.post(address, follow=True)
    assert response.redirect_chain[-1][0] == f"/inventory/{inventory.pk}/solutions/#waste-lamps"
    need = Need.objects.get()
    assert "is posted in the solution exchange" in response.text
    assert need.name == "Mercury lamps from Ghana: treatment or disposal"
    assert "10–30 kg of mercury a year in Ghana (2024)" in need.description
    assert f"/inventory/{inventory.pk}/" in need.description
    assert need.country_id == "GHA" and need.organization.slug == inventory.organization.slug
    assert [t.code for t in need.waste_categories.all()] == ["lamps"]
    assert sorted(t.code for t in need.phases.all()) == ["disposal", "treatment"]
    assert need.published and need.owner == team_lead  # an editor's need is published at once

    lamps = _section(response.text, "lamps")
    assert "Need posted" in lamps and f'href="/exchange/needs/{need.pk}/"' in lamps
    assert "Post a need" not in lamps
    assert "Post a need" in _section(response.text, "batteries")

    again = client.post(address, follow=True)
    assert "A need is already posted for this waste." in again.text
    assert Need.objects.count() == 1 and InventoryNeed.objects.count() == 1


def test_a_need_is_written_in_the_language_of_the_person_posting_it(client, inventory, team_lead):
    client.force_login(team_lead)
    client.post(f"/fr/inventory/{inventory.pk}/solutions/measuring-devices/need/")
    need = Need.objects.get()
    assert need.content_language == "fr"
    assert (
        need.name
        == "Dispositifs de mesure contenant du mercure (Ghana) : traitement ou élimination"
    )


def test_no_need_is_posted_for_a_waste_the_inventory_does_not_count(client, inventory, team_lead):
    client.force_login(team_lead)
    response = client.post(f"/inventory/{inventory.pk}/solutions/dental-amalgam/need/", follow=True)
    assert "The inventory counts no mercury in this waste category" in response.text
    assert not Need.objects.exists()


def test_only_the_inventorys_editors_post_needs(client, inventory, team_lead, reviewer):
    inventory = _published(inventory, team_lead, reviewer)
    address = f"/inventory/{inventory.pk}/solutions/lamps/need/"
    anonymous = client.post(address)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    for person in (make_user("stranger@elsewhere.example"), reviewer):
        client.force_login(person)
        assert client.post(address).status_code == 403
        page = client.get(f"/inventory/{inventory.pk}/solutions/").text
        assert "Post a need" not in page
    assert not Need.objects.exists()


def test_the_public_reads_the_solutions_of_published_inventories_only(
    client, inventory, team_lead, reviewer, lamp_facilities
):
    address = f"/inventory/{inventory.pk}/solutions/"
    assert client.get(address).status_code == 404
    client.force_login(make_user("stranger@elsewhere.example"))
    assert client.get(address).status_code == 404
    client.logout()

    inventory = _published(inventory, team_lead, reviewer)
    # The team removes the thermometers after publication: the public still reads them.
    from mercuryhub.inventory.actions import do_remove_line

    do_remove_line(team_lead, inventory, 3, base_version=inventory.version)
    page = client.get(address).text
    assert re.findall(r'<h2 id="waste-([\w-]+)-heading">', page) == [
        "measuring-devices",
        "batteries",
        "lamps",
    ]
    assert "Post a need" not in page
    client.force_login(team_lead)
    team_page = client.get(address).text
    assert "measuring-devices-heading" not in team_page


def test_a_posted_need_shows_to_the_public_once_published(
    client, inventory, team_lead, reviewer, lamp_facilities
):
    inventory = _published(inventory, team_lead, reviewer)
    client.force_login(team_lead)
    client.post(f"/inventory/{inventory.pk}/solutions/lamps/need/")
    need = Need.objects.get()
    client.logout()
    lamps = _section(client.get(f"/inventory/{inventory.pk}/solutions/").text, "lamps")
    assert "Need posted" in lamps and f'href="/exchange/needs/{need.pk}/"' in lamps


def test_an_inventory_without_waste_says_the_facilities_come_with_its_lines(
    client, inventory, team_lead
):
    from mercuryhub.inventory.actions import do_replace_lines

    do_replace_lines(team_lead, inventory, [], base_version=inventory.version)
    client.force_login(team_lead)
    page = client.get(f"/inventory/{inventory.pk}/solutions/").text
    assert "The inventory counts no mercury in a waste category yet" in page
    assert "data-grouped-map" not in page


def test_every_waste_an_inventory_category_names_is_a_waste_the_catalogue_accepts(db):
    named = {c.waste_category for c in categories().values() if c.waste_category}
    accepted = set(
        Term.objects.filter(vocabulary__name="waste_categories").values_list("code", flat=True)
    )
    assert named and named <= accepted


def test_the_inventory_page_leads_to_its_solutions(client, inventory, team_lead):
    client.force_login(team_lead)
    page = client.get(f"/inventory/{inventory.pk}/").text
    assert f'href="/inventory/{inventory.pk}/solutions/"' in page
