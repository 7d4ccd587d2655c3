import importlib
import random
import re

import pytest
from django.contrib.auth.models import AnonymousUser

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_facility, clean_offering
from mercuryhub.catalogue.queries import Filters, facets
from mercuryhub.taxonomy.actions import do_save_term
from mercuryhub.taxonomy.models import Term
from tests.catalogue.conftest import FACILITIES, make_facility

pytestmark = pytest.mark.django_db
# The module (the package's name "facets" is its function).
counting = importlib.import_module("mercuryhub.catalogue.queries.facets")


def _database_must_not_count(monkeypatch):
    def not_expected(*args, **kwargs):
        raise AssertionError("the database counted what the ranking index should")

    monkeypatch.setattr(counting._DatabaseCounts, "__init__", not_expected)


def _counts(user, filters, name):
    facet = next(f for f in facets(user, filters) if f.name == name)
    return {value.value: value.count for value in facet.values}


def test_the_waste_tree_counts_each_facility_once_under_its_parent(facilities):
    counts = _counts(AnonymousUser(), Filters(), "waste")
    assert counts["containing"] == 2  # Batrec (three kinds) and Montevideo
    assert counts["lamps"] == 2
    assert counts["contaminated"] == 3


def test_counts_reflect_the_other_active_filters(facilities, expert):
    filters = Filters(waste=("chlor-alkali",))
    assert _counts(AnonymousUser(), filters, "country") == {"DEU": 1, "ESP": 1, "BRA": 1}
    assert _counts(AnonymousUser(), filters, "status") == {"operating": 2, "closed": 1}
    # The waste facet ignores its own filter, so other categories stay selectable.
    assert _counts(AnonymousUser(), filters, "waste")["lamps"] == 3  # two facilities, one expert
    assert _counts(AnonymousUser(), Filters(country=("URY",)), "type") == {
        "facility": 1,
        "offering": 0,
        "expert": 1,
    }


def test_the_search_page_shows_facets_and_keeps_filters_in_the_url(
    client, facilities, django_assert_max_num_queries
):
    # (one of them asks whether the ranking index can count: here, inside the test's
    # transaction, the database counts)
    with django_assert_max_num_queries(41):
        response = client.get("/catalogue/search/", {"q": "chlor", "country": "ESP"})
    page = response.content.decode()
    assert "1 result" in page
    assert 'name="country" value="ESP" checked' in page
    assert "MAYASA Almadén stabilization plant" in page
    assert "/catalogue/export/csv/?q=chlor&amp;country=ESP" in page


def test_regions_and_sub_regions_count_facilities_and_experts(facilities, expert):
    counts = _counts(AnonymousUser(), Filters(), "region")
    assert counts["Europe"] == 3
    assert counts["Americas"] == 3  # Montevideo, Santos and the Uruguayan expert
    assert counts["Latin America and the Caribbean"] == 3
    narrowed = _counts(AnonymousUser(), Filters(waste=("chlor-alkali",)), "region")
    assert narrowed == {
        "Americas": 1,
        "Latin America and the Caribbean": 1,
        "Europe": 2,
        "Southern Europe": 1,
        "Western Europe": 1,
    }


def test_a_large_result_set_shows_first_and_asks_for_its_filter_counts(
    client, facilities, monkeypatch
):
    from mercuryhub.catalogue import views

    monkeypatch.setattr(views, "FACETS_INLINE_UP_TO", 1)
    params = {"q": "chlor", "waste": "chlor-alkali", "region": "Europe"}
    page = client.get("/catalogue/search/", params).content.decode()
    assert "2 results" in page
    assert 'class="count"' not in page  # no counts yet
    panel_url = "/catalogue/search/facets/?q=chlor&amp;waste=chlor-alkali&amp;region=Europe"
    assert f'data-facets-url="{panel_url}"' in page
    # The choices travel with the form until the panel arrives.
    assert '<input type="hidden" name="waste" value="chlor-alkali">' in page
    assert '<input type="hidden" name="region" value="Europe">' in page
    assert "facets=all" in page  # without JavaScript, a link to the page with the counts

    panel = client.get("/catalogue/search/facets/", params).content.decode()
    assert 'name="waste" value="chlor-alkali" checked' in panel
    assert 'name="country" value="ESP"' in panel
    assert "<html" not in panel

    page = client.get("/catalogue/search/", {**params, "facets": "all"}).content.decode()
    assert 'name="waste" value="chlor-alkali" checked' in page
    assert "catalogue/search/facets" not in page


def test_each_filter_in_force_is_a_link_to_the_same_search_without_it(client, facilities):
    params = {"q": "chlor", "country": ["ESP", "DEU"], "status": "operating", "validated": "1"}
    page = client.get("/catalogue/search/", params).content.decode()
    chips = re.findall(r'<a class="chip" href="([^"]*)" data-filter-chip>(.*?)</a>', page)
    assert [(href, re.sub(r"<[^>]+>", "", text)) for href, text in chips] == [
        ("?q=chlor&amp;country=DEU&amp;status=operating&amp;validated=1", _chip("Country: Spain")),
        (
            "?q=chlor&amp;country=ESP&amp;status=operating&amp;validated=1",
            _chip("Country: Germany"),
        ),
        (
            "?q=chlor&amp;country=ESP&amp;country=DEU&amp;validated=1",
            _chip("Facility status: Operating"),
        ),
        (
            "?q=chlor&amp;country=ESP&amp;country=DEU&amp;status=operating",
            _chip("Review: Validated by the secretariat only"),
        ),
    ]
    assert 'id="filters-toggle" href="#filters-panel"' in page
    assert ">Filters (4)\n</a>" in page


def _chip(label: str) -> str:
    """A chip's text: what its link says to a screen reader, and the × drawn beside it."""
    return f"Remove filter: {label}×"


def test_without_filters_there_are_no_chips_and_the_button_says_filters(client, facilities):
    page = client.get("/catalogue/search/", {"q": "chlor"}).content.decode()
    assert "data-filter-chip" not in page
    assert ">Filters\n</a>" in page


def test_a_small_result_set_shows_its_counts_at_once(client, facilities):
    page = client.get("/catalogue/search/", {"q": "chlor"}).content.decode()
    assert 'class="count"' in page
    assert "catalogue/search/facets" not in page


def test_the_filter_panel_names_a_bad_filter(client):
    response = client.get("/catalogue/search/facets/", {"waste": "nonsense"})
    assert response.status_code == 400
    assert "waste" in response.content.decode()


@pytest.mark.parametrize(
    "filters",
    [
        Filters(q="mercury"),
        Filters(q="chlor", waste=("chlor-alkali",)),
        Filters(q="lamp", region="Europe"),
        Filters(q="lamp", kinds=("expert",)),
        Filters(q="nothing-matches-this"),
    ],
)
def test_facets_count_the_same_from_looked_up_matches_as_from_the_index(
    facilities, expert, offering, filters, monkeypatch
):
    from mercuryhub.catalogue import queries

    def counts():
        return [
            (f.name, [(v.value, v.count, v.selected) for v in f.values])
            for f in facets(AnonymousUser(), filters)
        ]

    looked_up = counts()
    monkeypatch.setattr(queries, "FACET_MATCHES_LOOKED_UP", 0)  # every statement matches itself
    assert counts() == looked_up
    assert any(count for _name, values in looked_up for _v, count, _s in values) == (
        filters.q != "nothing-matches-this"
    )


# A row of FACILITIES by field name.
FIELDS = (
    "external_id",
    "name",
    "operator",
    "country",
    "city",
    "latitude",
    "longitude",
    "status",
    "accepted_wastes",
    "technologies",
    "description",
)


# The ranking index counts as the database does --------------------------------------------

COMPARED = [
    Filters(q="plant"),
    Filters(q="mercury"),
    Filters(q="lamp"),
    Filters(q="chlor", waste=("chlor-alkali",)),
    Filters(q="plant", waste=("containing",)),  # a broader term: its narrower terms' entries
    Filters(q="plant", waste=("lamps", "chlor-alkali")),
    Filters(q="plant", country=("ESP", "URY")),
    Filters(q="lamp", country=("KEN",)),  # an offering serving Kenya, nothing located there
    Filters(q="mercury", kinds=("expert",)),
    Filters(q="lamp", kinds=("facility", "offering")),
    Filters(q="plant", status=("operating", "planned"), language=("es",)),
    Filters(q="plant", technology=("thermal-recovery",), waste=("lamps",), country=("CHE",)),
    Filters(q="counts", language=("en",)),
    Filters(q="nothing-matches-this"),
    Filters(q="mercury", everywhere=True),
]


@pytest.fixture
def varied(facilities, expert, offering):
    """Facilities with drawn wastes, countries, statuses and languages, and an offering
    serving countries, beside the named entries."""
    rng = random.Random(17)
    wastes = ["lamps", "batteries", "chlor-alkali", "dental-amalgam", "measuring-devices"]
    for i in range(24):
        make_facility(
            f"drawn-{i}",
            f"Drawn plant {i} for {rng.choice(['mercury', 'lamp', 'chlor'])} waste",
            f"Operator {i % 5}",
            rng.choice(["CHE", "ESP", "URY", "KEN", "GHA"]),
            "Town",
            1.0 + i,
            2.0 + i,
            rng.choice(["operating", "planned", "closed"]),
            ";".join(rng.sample(wastes, rng.randint(1, 3))),
            rng.choice(["", "thermal-recovery", "lamp-processing"]),
            "A plant drawn for the counts.",
            languages=";".join(rng.sample(["en", "es", "fr"], rng.randint(0, 2))),
        )
    data = {
        "external_id": "served",
        "name": "Mobile lamp crusher",
        "provider": "Crusher Co",
        "provider_country": "KEN",
        "kind": "equipment",
        "waste_categories": "lamps",
        "countries_served": "KEN;GHA",
        "languages": "en;fr",
        "description": "Crushes lamps where they are collected, with mercury capture.",
    }
    do_save_entry("offering", clean_offering(data), review_state="imported", published=True)


def _all_counts(filters):
    return [
        (facet.name, [(v.value, v.count, v.selected) for v in facet.values])
        for facet in facets(AnonymousUser(), filters)
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("varied")
def test_the_ranking_index_counts_every_facet_as_the_database_does(settings, monkeypatch):
    counted = {}
    for filters in COMPARED:
        settings.SEARCH_RANKING_INDEX = False
        counted[filters] = _all_counts(filters)
        settings.SEARCH_RANKING_INDEX = True
        with monkeypatch.context() as patched:
            _database_must_not_count(patched)
            assert _all_counts(filters) == counted[filters], filters

    def total(filters):
        return sum(count for _name, values in counted[filters] for _v, count, _s in values)

    assert total(Filters(q="nothing-matches-this")) == 0
    assert all(total(filters) for filters in COMPARED if filters.q != "nothing-matches-this")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("varied")
def test_filters_the_ranking_index_cannot_apply_are_counted_by_the_database(settings):
    settings.SEARCH_RANKING_INDEX = True
    # Without words the results are the records the person may see, which the index (the
    # public ones) may not all hold; a region, the review filters: not in the index.
    for filters in (
        Filters(),
        Filters(q="-"),
        Filters(waste=("lamps",)),
        Filters(q="plant", region="Europe"),
        Filters(q="plant", validated=True),
        Filters(q="plant", confirmed=True),
    ):
        assert isinstance(counting.counts_for(AnonymousUser(), filters), counting._DatabaseCounts)
    assert isinstance(
        counting.counts_for(AnonymousUser(), Filters(q="plant")), counting._IndexCounts
    )


@pytest.mark.django_db(transaction=True)
def test_an_entry_changed_is_counted_under_its_new_values(facilities, settings, monkeypatch):
    settings.SEARCH_RANKING_INDEX = True
    _database_must_not_count(monkeypatch)
    landfill = Filters(q="landfill")  # Santos
    assert _counts(AnonymousUser(), landfill, "status") == {"closed": 1}
    assert _counts(AnonymousUser(), landfill, "waste") == {"contaminated": 1, "chlor-alkali": 1}
    row = next(row for row in FACILITIES if row[0] == "santos")
    edited = dict(zip(FIELDS, row, strict=True), status="operating", accepted_wastes="lamps")
    do_save_entry("facility", clean_facility(edited), instance=facilities["santos"])
    assert _counts(AnonymousUser(), landfill, "status") == {"operating": 1}
    assert _counts(AnonymousUser(), landfill, "waste") == {"containing": 1, "lamps": 1}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("varied")
def test_a_broader_term_moved_counts_the_entries_under_their_new_broader_terms(
    settings, monkeypatch
):
    containing = Term.objects.get(vocabulary__name="waste_categories", code="containing")
    containing.parent = Term.objects.get(vocabulary__name="waste_categories", code="consisting")
    do_save_term(containing, ["parent"])  # "lamps" and its siblings are now under "consisting"
    settings.SEARCH_RANKING_INDEX = False
    chosen = Filters(q="plant", waste=("consisting",))
    expected = _all_counts(chosen)
    assert dict(expected)["type"]
    settings.SEARCH_RANKING_INDEX = True
    _database_must_not_count(monkeypatch)
    assert _all_counts(chosen) == expected
    assert _counts(AnonymousUser(), Filters(q="plant"), "waste")["consisting"] > 0


def test_a_vocabulary_change_reaches_every_field_a_facet_counts(offering, expert):
    """The entries a term's change reindexes include those tagged in any field a facet counts
    (an offering's or an expert's phases, not only the tags their pages show)."""
    from mercuryhub.review import registry

    storage = Term.objects.get(vocabulary__name="management_phases", code="storage")
    expert.phases.add(storage)
    offering.phases.add(storage)
    for kind, entry in (("expert", expert), ("offering", offering)):
        assert entry in registry.get(kind).tagged_with({storage.pk}), kind
