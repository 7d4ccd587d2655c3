"""A visitor opens a country's ASGM national overview: the map clusters the sites and hides a
worst practice's layer when asked, and the charts are drawn from the tables under them."""

import pytest

from mercuryhub.accounts.models import User
from mercuryhub.asgm.models import Site
from tests.asgm.conftest import WORKED_EXAMPLE, record_sites, spread_sites
from tests.conftest import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def asgm_sites(live_site, settings):
    """The worked example and twenty sites spread over five territories of South Kivu."""
    settings.FORMS_ODK_VALIDATE = False
    reviewer = make_user("rita.reviewer@unep.example", User.Role.REVIEWER)
    record_sites(reviewer, WORKED_EXAMPLE + spread_sites(20))
    return list(Site.objects.all())


ON_MAP = """() => {
  const lone = document.querySelectorAll("#asgm-map path.asgm-marker").length;
  const clusters = Array.from(document.querySelectorAll("#asgm-map .marker-cluster span"));
  return lone + clusters.reduce((sum, span) => sum + parseInt(span.textContent, 10), 0);
}"""


def _on_map(page, count: int) -> int:
    """Sites drawn, lone markers plus the counts of the clusters, once the map has settled
    on ``count`` (while it zooms, the clusters of both zoom levels are drawn)."""
    page.wait_for_function(f"({ON_MAP})() === {count}")
    page.wait_for_timeout(300)
    return page.evaluate(ON_MAP)


def test_the_map_clusters_the_sites_and_a_worst_practice_layer_can_be_hidden(
    page, live_site, asgm_sites
):
    with_worst = [site for site in asgm_sites if site.worst_practices]
    # A site with several worst practices is in each of their layers.
    other_than_cyanide = [
        site
        for site in with_worst
        if any(item["code"] != "cyanide-on-mercury-tailings" for item in site.worst_practices)
    ]
    page.goto(live_site.url + "/asgm/COD/")
    page.wait_for_selector("#asgm-map[data-markers='23']")
    page.wait_for_selector(".leaflet-basemap-pane canvas")

    assert page.locator("#asgm-map-status").inner_text() == "23 sites on the map"
    assert page.locator("#asgm-map .marker-cluster").count() >= 1
    assert _on_map(page, 23) == 23

    page.get_by_label("No worst practice reported").uncheck()
    page.wait_for_selector(f"#asgm-map[data-markers='{len(with_worst)}']")
    assert _on_map(page, len(with_worst)) == len(with_worst) < 23

    cyanide = "Cyanide leaching of mercury-contaminated tailings"
    page.get_by_label(cyanide).uncheck()
    page.wait_for_selector(f"#asgm-map[data-markers='{len(other_than_cyanide)}']")
    assert _on_map(page, len(other_than_cyanide)) == len(other_than_cyanide) < len(with_worst)

    page.get_by_label("No worst practice reported").check()
    page.get_by_label(cyanide).check()
    page.wait_for_selector("#asgm-map[data-markers='23']")


def test_a_country_with_more_sites_than_the_map_takes_gets_them_counted_in_cells(
    page, live_site, asgm_sites, settings
):
    settings.ASGM_MAP_POINTS_LIMIT = 5
    with_worst = [site for site in asgm_sites if site.worst_practices]
    page.goto(live_site.url + "/asgm/COD/")
    page.wait_for_selector("#asgm-map[data-ready='1'][data-markers='23']")

    assert page.locator("#asgm-map path.asgm-marker").count() == 0  # cells, not sites
    assert page.locator("#asgm-map-status").inner_text() == "23 sites on the map"
    assert _on_map(page, 23) == 23

    page.get_by_label("No worst practice reported").uncheck()
    page.wait_for_selector(f"#asgm-map[data-markers='{len(with_worst)}']")
    assert _on_map(page, len(with_worst)) == len(with_worst) < 23


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_charts_are_drawn_from_the_tables_under_them(browser, live_site, asgm_sites, language):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language)
    page = context.new_page()
    page.set_default_timeout(15_000)
    prefix = "/ar" if language == "ar" else ""
    try:
        page.goto(live_site.url + prefix + "/asgm/COD/")
        for heading in ("#areas-heading", "#practices-heading", "#worst-heading"):
            page.locator(heading).scroll_into_view_if_needed()
        page.wait_for_function("document.querySelectorAll('.asgm-chart canvas').length === 3")
        charts = page.evaluate(
            """() => Array.from(document.querySelectorAll('.asgm-chart canvas')).map(canvas => {
                const chart = Chart.getChart(canvas);
                return {
                  labels: chart.data.labels,
                  data: chart.data.datasets.map(set => set.data),
                  reversed: chart.options.scales.x.reverse,
                  height: canvas.height,
                };
            })"""
        )
        typical = page.evaluate(
            """() => Array.from(document.querySelectorAll('table[data-chart=range] [data-typical]'))
                .map(cell => parseFloat(cell.dataset.typical))"""
        )
        rows = page.evaluate(
            """() => Array.from(document.querySelectorAll('table[data-chart]')).map(table =>
                Array.from(table.tBodies[0].rows).map(row => row.cells[0].textContent.trim()))"""
        )
    finally:
        context.close()

    by_area, by_practice, by_worst = charts
    assert [chart["labels"] for chart in charts] == rows
    assert sorted(by_area["labels"]) == ["Fizi", "Kalehe", "Mwenga", "Shabunda", "Walungu"]
    assert by_area["data"][1] + by_practice["data"][1] == typical
    assert all(low <= high for low, high in by_area["data"][0])
    assert len(by_worst["data"]) == 1 and sum(by_worst["data"][0]) > 0
    assert all(chart["height"] > 100 for chart in charts)
    assert {chart["reversed"] for chart in charts} == {language == "ar"}
