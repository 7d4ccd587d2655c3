"""The ASGM pages with the worked example (conftest's ``sites``: Mobale estimated at
3 kg of gold a year × 4 / 10 / 50 = 12 / 30 / 150 kg of mercury, Kalimbi reporting 4.5 kg a month
= 54 kg a year, Lugushwa mercury-free with nothing known of gold): the countries, the national
overview with its filters and map data, a site's page, and who may merge, split and set ratios."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from mercuryhub.asgm.models import Site
from mercuryhub.asgm.queries import shown_location
from mercuryhub.taxonomy.models import Country
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """The text of each table's cells, row by row, by the table's caption."""

    def __init__(self):
        super().__init__()
        self.tables, self._caption, self._rows, self._cell, self._in = {}, None, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in = "caption"
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in {"td", "th"} and self._rows is not None:
            self._cell, self._in = [], "cell"

    def handle_endtag(self, tag):
        if tag == "table" and self._rows is not None:
            self.tables[self._caption.strip()] = [row for row in self._rows if row]
            self._rows = None
        elif tag == "caption":
            self._in = None
        elif tag in {"td", "th"} and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell, self._in = None, None

    def handle_data(self, data):
        if self._in == "caption":
            self._caption += data
        elif self._in == "cell":
            self._cell.append(data)


def tables(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def text(response) -> str:
    """The page's text as read: tags, scripts and styles left out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    page = re.sub(r"</?(?:bdi|q|span|a|strong|time)\b[^>]*>", "", page)  # inline: no space
    words = re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))
    return re.sub(r"\( ", "(", re.sub(r" ([).,:;])", r"\1", words)).strip()


def mobale():
    return Site.objects.get(code="A")


# The countries ------------------------------------------------------------------------------


def test_the_country_list_gives_each_country_s_sites_miners_and_mercury(client, sites):
    response = client.get("/asgm/")

    congo = Country.objects.get(iso3="COD").localized_name
    assert tables(response)["Countries with mining sites"][1:] == [
        [congo, "3", "1,050", "84 (66–204)"]
    ]
    assert 'href="/asgm/COD/"' in response.content.decode()


def test_the_navigation_leads_to_the_asgm_pages(client, db):
    response = client.get("/")

    assert 'href="/asgm/"' in response.content.decode()


# The national overview ----------------------------------------------------------------------


def test_the_overview_gives_the_totals_with_ranges_and_how_mercury_is_known(client, sites):
    response = client.get("/asgm/COD/")

    page = text(response)
    for figure in ("Sites 3", "Miners 1,050", "Women 120", "Children 15"):
        assert figure in page
    assert "Gold produced (kg a year) 3" in page
    assert "Mercury used (kg a year) 84 (66–204)" in page
    assert tables(response)["Mercury used, kg a year: how it is known"][1:] == [
        ["Reported by the sites", "54", "54", "54"],
        ["Estimated from gold production", "12", "30", "150"],
        ["Total", "66", "84", "204"],
    ]


def test_the_overview_says_how_many_sites_have_each_figure(client, sites):
    response = client.get("/asgm/COD/")

    quality = tables(response)["How many sites have each figure"]
    assert quality[1:] == [
        ["Mercury use reported", "1", "33 %"],
        ["Mercury use estimated from gold production", "1", "33 %"],
        ["Mercury use unknown", "1", "33 %"],
        ["No coordinates", "0", "0 %"],
        ["Number of miners missing", "1", "33 %"],
        ["Gold production missing", "2", "67 %"],
        ["Practice not known", "0", "0 %"],
    ]


def test_the_overview_tabulates_areas_practices_and_worst_practices(client, sites):
    response = client.get("/asgm/COD/")

    found = tables(response)
    by_area = found["Sites and mercury use by administrative area"]
    assert [row[:3] + row[6:] for row in by_area[1:]] == [
        ["Kalehe", "1", "200", "54", "1 / 0 / 0"],
        ["Mwenga", "2", "850", "30 (12–150)", "0 / 1 / 1"],
    ]
    by_practice = {row[0]: (row[1], row[6]) for row in found["Sites and mercury use by practice"]}
    assert by_practice["Whole ore amalgamation"] == ("1", "30 (12–150)")
    assert by_practice["Amalgamation of concentrates"] == ("1", "54")
    assert by_practice["Mercury-free processing"] == ("1", "0")
    worst = found["Sites showing each worst practice of Annex C 1(b)"]
    assert [row[:2] for row in worst[1:]] == [
        ["Whole ore amalgamation", "1"],
        ["Open burning of amalgam", "1"],
        ["Burning of amalgam in residential areas", "1"],
        ["Cyanide leaching of mercury-contaminated tailings", "0"],
    ]


def test_each_chart_s_table_carries_the_figures_it_draws(client, sites):
    page = client.get("/asgm/COD/").content.decode()

    assert page.count('data-chart="range"') == 2 and page.count('data-chart="sites"') == 1
    assert 'data-low="12.000" data-typical="30.000" data-high="150.000"' in page


def test_numbers_are_written_as_the_reader_s_language_writes_them(client, sites):
    response = client.get("/fr/asgm/COD/")

    assert "Mineurs 1\xa0050" in text(response)


def test_filters_narrow_the_figures_the_tables_and_the_map(client, sites):
    response = client.get("/asgm/COD/", {"admin_area": "Mwenga", "practice": ""})
    points = client.get("/asgm/COD/sites.json", {"admin_area": "Mwenga"}).json()["sites"]

    assert "Totals of the sites chosen" in text(response)
    assert "Sites 2" in text(response)
    assert [row[0] for row in tables(response)["The sites on the map"][1:]] == [
        "Lugushwa",
        "Mobale",
    ]
    assert sorted(point[8] for point in points) == ["Lugushwa", "Mobale"]
    burning = client.get("/asgm/COD/sites.json", {"worst_practice": "open-burning"}).json()
    assert [point[4] for point in burning["sites"]] == [
        ["whole-ore-amalgamation", "open-burning", "residential-burning"]
    ]


def test_the_list_of_sites_goes_page_by_page_in_the_order_of_areas_and_names(
    client, sites, monkeypatch
):
    monkeypatch.setattr("mercuryhub.asgm.views.SITES_PAGE_SIZE", 2)

    def listed(page):
        response = client.get("/asgm/COD/", {"page": page} if page else {})
        return [row[0] for row in tables(response)["The sites on the map"][1:]], text(response)

    first, page = listed(None)
    second, last_page = listed(2)
    assert first == ["Kalimbi", "Lugushwa"] and second == ["Mobale"]
    assert "3 sites" in page and "Page 1 of 2" in page and "Page 2 of 2" in last_page


def test_the_area_filter_offers_every_area_of_the_country_filtered_or_not(client, sites):
    def offered(query):
        page = client.get("/asgm/COD/", query).content.decode()
        select = re.search(r'<select[^>]*name="admin_area".*?</select>', page, re.S).group()
        return re.findall(r'<option value="([^"]*)"', select)

    assert offered({}) == ["", "Kalehe", "Mwenga"]
    assert offered({"practice": "mercury-free"}) == ["", "Kalehe", "Mwenga"]


def test_a_filter_that_cannot_be_understood_is_named_and_nothing_is_counted(client, sites):
    response = client.get(
        "/asgm/COD/",
        {"admin_area": "Atlantis", "worst_practice": "burning", "since": "2025-13-01"},
    )

    assert response.status_code == 400
    page = text(response)
    assert "Administrative area: No site of this country is in the area Atlantis." in page
    assert "Worst practice: burning is not one of the four worst practices of Annex C." in page
    assert "Observed since: Enter a date as year-month-day, e.g. 2025-01-31." in page
    assert 'aria-invalid="true"' in response.content.decode()
    assert "Totals" not in page
    map_data = client.get("/asgm/COD/sites.json", {"practice": "gold-panning"})
    assert map_data.status_code == 400
    assert "practice" in map_data.json()["errors"]


def test_a_period_that_ends_before_it_starts_is_refused(client, sites):
    response = client.get("/asgm/COD/", {"since": "2025-06-01", "until": "2025-01-01"})

    assert response.status_code == 400
    assert "Observed until: The end of the period comes before its start." in text(response)


def test_the_public_map_gets_coordinates_rounded_and_the_project_s_people_exact(
    client, sites, reviewer, viewer
):
    def located(user):
        client.logout()
        if user:
            client.force_login(user)
        points = client.get("/asgm/COD/sites.json").json()["sites"]
        return {point[8]: tuple(point[1:4]) for point in points}["Mobale"]

    assert located(None) == (-3.1, 28.2, 0)
    assert located(make_user("olga.outsider@example.org")) == (-3.1, 28.2, 0)
    assert located(viewer) == (-3.0617, 28.1833, 1)
    assert located(reviewer) == (-3.0617, 28.1833, 1)


def test_each_site_keeps_the_coordinates_the_public_sees_for_the_map(sites):
    for site in Site.objects.select_related("project"):
        latitude, longitude, _exact = shown_location(site, set())
        assert (site.public_latitude, site.public_longitude) == (latitude, longitude)
    mobale = Site.objects.get(name="Mobale")
    assert (mobale.public_latitude, mobale.public_longitude) == (-3.1, 28.2)


def test_above_the_limit_the_map_gets_the_sites_counted_in_cells(client, sites, settings):
    settings.ASGM_MAP_POINTS_LIMIT = 2

    country = client.get("/asgm/COD/sites.json").json()
    world = client.get("/asgm/COD/sites.json", {"bbox": "-80,-170,80,170", "zoom": "0"}).json()

    assert "sites" not in country and country["in_view"] == 3
    assert sum(cell[2] for cell in country["cells"]) == 3
    # One cell of 80° at zoom 0, at the mean of the public (rounded) coordinates; Mobale shows
    # whole ore amalgamation, open and residential burning (bits 0, 1, 2), the others none.
    assert world == {"cells": [[-2.8333, 28.3, 3, [[0, 2], [7, 1]]]], "in_view": 3}


def test_the_map_s_bounds_select_by_the_coordinates_the_person_sees(client, sites, viewer):
    around_rounded = {"bbox": "-3.15,28.15,-3.05,28.25", "zoom": "10"}
    around_exact_only = {"bbox": "-3.07,28.18,-3.05,28.19", "zoom": "12"}

    def names(query):
        return [point[8] for point in client.get("/asgm/COD/sites.json", query).json()["sites"]]

    assert names(around_rounded) == ["Mobale"]
    assert names(around_exact_only) == []  # the exact place is not told by narrowing the bounds
    client.force_login(viewer)
    assert names(around_exact_only) == ["Mobale"]


def test_map_bounds_that_cannot_be_understood_are_refused(client, sites):
    response = client.get("/asgm/COD/sites.json", {"bbox": "north", "zoom": "3"})
    reversed_bounds = client.get("/asgm/COD/sites.json", {"bbox": "5,10,-5,20", "zoom": "3"})

    assert response.status_code == reversed_bounds.status_code == 400
    assert "bbox" in response.json()["errors"]
    refused = reversed_bounds.json()["errors"]["bbox"]
    assert refused == ["The map's bounds or zoom are out of range."]


def test_an_unknown_country_is_not_found_and_a_lowercase_code_leads_to_the_overview(client, db):
    assert client.get("/asgm/XYZ/").status_code == 404
    assert client.get("/asgm/cod/").url == "/asgm/COD/"


def test_a_country_without_sites_says_so(client, db):
    response = client.get("/asgm/GHA/")

    assert response.status_code == 200
    assert "No site of this country has been recorded yet." in text(response)


def test_the_overview_and_its_map_data_take_a_few_queries_whatever_the_sites(
    client, sites, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        client.get("/asgm/COD/")
    with django_assert_max_num_queries(4):
        client.get("/asgm/COD/sites.json")


# A site's page ------------------------------------------------------------------------------


def test_a_site_page_shows_each_worst_practice_with_the_answer_that_showed_it(client, sites):
    response = client.get(f"/asgm/sites/{mobale().pk}/")

    page = text(response)
    assert "Whole ore amalgamation Annex C 1(b)(i)" in page
    assert "Shown by the answer “Whole ore” to “What is amalgamated?”" in page
    assert "Shown by the answer “In the open air” to “Where is amalgam burned?”" in page
    assert "Shown by the answer “In homes” to “Where is amalgam burned?”" in page
    assert "Burning of amalgam in residential areas Annex C 1(b)(iii)" in page


def test_a_site_page_gives_the_estimate_with_its_ratio_and_source(client, sites):
    response = client.get(f"/asgm/sites/{mobale().pk}/")

    page = text(response)
    assert "30 kg a year" in page and "12–150" in page
    assert "Estimated from the site's gold production (3 kg a year)" in page
    assert tables(response)["The estimate, low, typical and high"][1:] == [
        ["kg of mercury per kg of gold", "4", "10", "50"],
        ["kg of mercury a year", "12", "30", "150"],
    ]
    assert "The platform's default ratio." in page and "Telmer, Artisanal Gold Council" in page


def test_a_site_page_shows_a_reported_use_and_the_answers(client, sites):
    response = client.get(f"/asgm/sites/{Site.objects.get(code='B').pk}/")

    page = text(response)
    assert "54 kg a year" in page and "Reported" in page
    assert "Mercury used per month (kg) 4.5" in page
    assert "Are retorts used? Never" in page


def test_the_public_sees_a_site_s_location_rounded_and_the_project_s_people_exact(
    client, sites, reviewer
):
    address = f"/asgm/sites/{mobale().pk}/"

    public = client.get(address).content.decode()
    client.force_login(reviewer)
    manager = client.get(address).content.decode()

    assert 'data-lat="-3.1" data-lon="28.2"' in public and "-3.0617" not in public
    assert "Rounded to 0.1°" in public
    assert 'data-lat="-3.0617" data-lon="28.1833"' in manager


def test_observations_link_to_their_submission_for_those_who_may_read_it(
    client, sites, reviewer, collector
):
    address = f"/asgm/sites/{mobale().pk}/"
    submission = mobale().observations.get().submission
    link = f"/projects/kamituga/forms/asgm_site_baseline/submissions/{submission.instance_id}/"

    assert link not in client.get(address).content.decode()
    client.force_login(collector)  # a data collector reads only the submissions they sent
    assert link not in client.get(address).content.decode()
    client.force_login(reviewer)
    assert link in client.get(address).content.decode()


def test_a_merged_site_leads_to_the_site_it_joined(client, sites, reviewer):
    from mercuryhub.asgm.actions import do_merge_sites

    site, kalimbi = mobale(), Site.objects.get(code="B")
    do_merge_sites(reviewer, site, [kalimbi])

    response = client.get(f"/asgm/sites/{kalimbi.pk}/")

    assert response.url == f"/asgm/sites/{site.pk}/"


# Merging and splitting: the project's managers ----------------------------------------------


def test_a_manager_merges_a_site_into_another_from_its_page(client, sites, reviewer):
    kalimbi, lugushwa = Site.objects.get(code="B"), Site.objects.get(code="C")
    client.force_login(reviewer)

    form = client.get(f"/asgm/sites/{lugushwa.pk}/").content.decode()
    response = client.post(f"/asgm/sites/{lugushwa.pk}/merge/", {"sites": [mobale().pk]})

    assert "Merge sites into this one" in form and f'value="{mobale().pk}"' in form
    assert response.status_code == 302
    assert mobale().merged_into == lugushwa
    assert Site.objects.get(pk=kalimbi.pk).merged_into is None
    assert lugushwa.observations.count() == 2


def test_merging_without_a_choice_is_answered_with_a_message(client, sites, reviewer):
    client.force_login(reviewer)

    response = client.post(f"/asgm/sites/{mobale().pk}/merge/", {})

    assert response.status_code == 400
    assert "Choose at least one other site to merge." in text(response)


def test_only_the_project_s_managers_see_and_use_merge_and_split(client, sites, collector):
    address = f"/asgm/sites/{mobale().pk}/"
    other = Site.objects.get(code="C").pk

    assert "Manage the site" not in text(client.get(address))
    assert client.post(address + "merge/", {"sites": [other]}).url.startswith("/accounts/login/")
    client.force_login(collector)
    assert "Manage the site" not in text(client.get(address))
    assert client.post(address + "merge/", {"sites": [other]}).status_code == 403
    assert client.post(address + "split/", {"observations": [1]}).status_code == 403
    assert mobale().merged_into is None


def test_a_manager_splits_observations_off_into_a_new_site(client, approve, ratios, reviewer):
    first = approve(site_code="K1", site_name="Kamituga", miners="100")
    approve(site_code="K1", site_name="Kamituga", miners="300")
    site = Site.objects.get(code="K1")
    moving = first.asgm_observation
    client.force_login(reviewer)

    form = client.get(f"/asgm/sites/{site.pk}/").content.decode()
    response = client.post(f"/asgm/sites/{site.pk}/split/", {"observations": [moving.pk]})

    assert "Split the site" in form
    new = Site.objects.exclude(pk=site.pk).get(name="Kamituga")
    assert response.url == f"/asgm/sites/{new.pk}/"
    assert (Site.objects.get(pk=site.pk).miners, new.miners) == (300, 100)


# National ratios: the secretariat -----------------------------------------------------------


def test_the_secretariat_sets_a_national_ratio_and_the_estimates_follow(client, sites, reviewer):
    client.force_login(reviewer)

    response = client.post(
        "/asgm/COD/ratios/",
        {
            "practice": "whole-ore-amalgamation",
            "low": "1",
            "typical": "2",
            "high": "3",
            "source": "Étude nationale sur l'orpaillage, 2024",
        },
    )

    assert response.url == "/asgm/COD/#ratios"
    page = client.get("/asgm/COD/")
    assert ["Estimated from gold production", "3", "6", "9"] in tables(page)[
        "Mercury used, kg a year: how it is known"
    ]
    assert "National study" in text(page) and "Étude nationale sur l'orpaillage" in text(page)
    assert "A national ratio of" in text(client.get(f"/asgm/sites/{mobale().pk}/"))


def test_a_ratio_out_of_order_is_refused_with_a_message(client, sites, reviewer):
    client.force_login(reviewer)

    response = client.post(
        "/asgm/COD/ratios/",
        {"practice": "whole-ore-amalgamation", "low": "5", "typical": "2", "high": "3"},
    )

    assert response.status_code == 400
    page = text(response)
    assert "The ratios must go from low to typical to high." in page
    assert "This field is required." in page
    assert mobale().mercury_typical_kg_per_year == 30


def test_only_the_secretariat_sees_and_uses_the_ratio_form(client, sites, collector):
    data = {"practice": "mercury-free", "low": "0", "typical": "0", "high": "0", "source": "x"}

    assert "Set a national ratio" not in text(client.get("/asgm/COD/"))
    assert client.post("/asgm/COD/ratios/", data).url.startswith("/accounts/login/")
    client.force_login(collector)
    assert "Set a national ratio" not in text(client.get("/asgm/COD/"))
    assert client.post("/asgm/COD/ratios/", data).status_code == 403
