import pytest
from django.contrib.auth.models import AnonymousUser

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_facility
from mercuryhub.catalogue.queries import Filters, search
from mercuryhub.review.actions import do_delete_entry

pytestmark = pytest.mark.django_db


def _names(results):
    return [hit.entry.name for hit in results.hits]


def test_a_synonym_of_a_waste_category_finds_the_facilities_accepting_it(facilities):
    results = search(AnonymousUser(), Filters(q="thermometer"))
    assert _names(results)[0] == "Batrec Wimmis plant"
    assert search(AnonymousUser(), Filters(q="CFL")).total == 2  # lamps: Batrec and Montevideo


def test_the_name_ranks_above_the_description(facilities):
    results = search(AnonymousUser(), Filters(q="chlor-alkali"))
    assert _names(results)[0] == "Santos chlor-alkali residue landfill"


def test_it_matches_prefixes_and_ignores_case_and_accents(facilities):
    assert _names(search(AnonymousUser(), Filters(q="ALMADEN"))) == [
        "MAYASA Almadén stabilization plant"
    ]
    # The name's own word first; then Batrec, which accepts lamps ("lámpara" in Spanish).
    assert _names(search(AnonymousUser(), Filters(q="lampar"))) == [
        "Planta de lámparas Montevideo",
        "Batrec Wimmis plant",
    ]
    assert _names(search(AnonymousUser(), Filters(q="stabiliz cinnab"))) == [
        "MAYASA Almadén stabilization plant"
    ]


def test_it_corrects_a_typo_in_a_name(facilities):
    results = search(AnonymousUser(), Filters(q="Batrek"))
    assert results.corrected_query == "batrec"
    assert _names(results) == ["Batrec Wimmis plant"]


@pytest.mark.usefixtures("facilities")
def test_the_snippet_highlights_the_matched_words_safely():
    do_save_entry(
        "facility",
        clean_facility(
            {
                "external_id": "xss",
                "name": "<script>alert(1)</script> works",
                "operator": "X",
                "country": "FRA",
                "accepted_wastes": "lamps",
                "description": "Uses a <b>quenchtower</b> for mercury.",
            }
        ),
        review_state="imported",
        published=True,
    )
    [hit] = search(AnonymousUser(), Filters(q="quenchtower")).hits
    assert hit.snippet == "Uses a &lt;b&gt;<mark>quenchtower</mark>&lt;/b&gt; for mercury."


def test_search_drops_what_is_deleted_or_unpublished(facilities):
    do_delete_entry(facilities["mayasa"])
    assert search(AnonymousUser(), Filters(q="Almaden")).total == 0
    econ = facilities["econ"]
    do_save_entry(
        "facility",
        clean_facility(
            {
                "external_id": "econ",
                "name": econ.name,
                "operator": "econ industries",
                "country": "DEU",
                "accepted_wastes": "chlor-alkali",
            }
        ),
        instance=econ,
        published=False,
    )
    assert search(AnonymousUser(), Filters(q="econ")).total == 0


def test_filters_narrow_the_ranked_results(facilities):
    results = search(AnonymousUser(), Filters(q="chlor", country=("ESP",)))
    assert _names(results) == ["MAYASA Almadén stabilization plant"]
    results = search(AnonymousUser(), Filters(q="chlor", region="Europe"))
    assert sorted(_names(results)) == [
        "MAYASA Almadén stabilization plant",
        "econ mobile vacuum thermal desorption",
    ]


def test_a_parent_waste_category_includes_its_children(facilities):
    results = search(AnonymousUser(), Filters(waste=("containing",), sort="name"))
    assert _names(results) == ["Batrec Wimmis plant", "Planta de lámparas Montevideo"]


def test_sorting_by_distance_puts_the_nearest_first(facilities):
    results = search(AnonymousUser(), Filters(sort="distance", lat=-32.5, lon=-55.8))
    assert _names(results)[:2] == [
        "Planta de lámparas Montevideo",
        "Santos chlor-alkali residue landfill",
    ]
    distances = [hit.distance_km for hit in results.hits]
    assert distances == sorted(distances)
    assert round(distances[0]) == 269


def test_entries_not_confirmed_for_a_year_can_be_left_out(client, facilities):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    for key, days in (("batrec", 30), ("econ", 400)):
        facilities[key].last_confirmed_at = today - timedelta(days=days)
        facilities[key].save()
    results = search(AnonymousUser(), Filters(confirmed=True, sort="name"))
    assert _names(results) == ["Batrec Wimmis plant"]
    body = client.get("/api/v1/facilities", {"confirmed": "true"}).json()
    assert [item["name"] for item in body["items"]] == ["Batrec Wimmis plant"]
    page = client.get("/catalogue/search/", {"confirmed": "1"}).content.decode()
    assert 'name="confirmed" value="1" checked' in page


def _indexed_and_visible():
    from mercuryhub.catalogue import queries
    from mercuryhub.search.models import SearchEntry

    indexed = {
        kind: set(SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True))
        for kind in queries.KINDS
    }
    visible = {
        kind: set(queries.visible(kind, AnonymousUser()).values_list("pk", flat=True))
        for kind in queries.KINDS
    }
    return indexed, visible


def test_the_index_holds_exactly_what_visitors_may_see(facilities, expert, offering):
    """Unfiltered search counts straight from the index, trusting this."""
    from mercuryhub.catalogue.fields import clean_expert

    indexed, visible = _indexed_and_visible()
    assert indexed == visible
    assert visible["expert"] == {expert.pk} and visible["offering"] == {offering.pk}

    do_save_entry(
        "expert",
        clean_expert(
            {
                "external_id": "expert-ana",
                "name": expert.name,
                "email": expert.email,
                "country": "URY",
                "consent_to_publication": "no",
            }
        ),
        instance=expert,
        published=True,
    )
    do_delete_entry(facilities["mayasa"])
    do_save_entry(
        "facility",
        clean_facility(
            {
                "external_id": "draft",
                "name": "Unpublished Zorbulax works",
                "operator": "Nobody yet",
                "country": "URY",
                "accepted_wastes": "lamps",
            }
        ),
        published=False,
    )
    indexed, visible = _indexed_and_visible()
    assert indexed == visible
    assert visible["expert"] == set()
    assert facilities["mayasa"].pk not in visible["facility"]
    assert search(AnonymousUser(), Filters(q="zorbulax")).total == 0


def test_the_filters_are_checked_against_the_kept_reference_records(django_assert_num_queries):
    """Countries and languages are checked against those the process keeps: a search naming
    none reads nothing to check its filters, one naming them reads the records once."""
    from django.http import QueryDict

    from mercuryhub.catalogue.queries import parse_filters
    from mercuryhub.lib.errors import InvalidInputError
    from mercuryhub.taxonomy.actions import do_mark_reference_changed
    from mercuryhub.taxonomy.queries import end_request, start_request

    with django_assert_num_queries(0):
        assert parse_filters(QueryDict("q=lamps")).q == "lamps"
    do_mark_reference_changed()
    parse_filters(QueryDict("country=gha&language=FR"))
    start_request()  # as a request does: its first use of kept records reads the change mark
    try:
        with django_assert_num_queries(1):
            found = parse_filters(QueryDict("country=gha&language=FR"))
    finally:
        end_request()
    assert (found.country, found.language) == (("GHA",), ("fr",))
    with pytest.raises(InvalidInputError) as refused:
        parse_filters(QueryDict("country=XXX&language=xx&language=zz"))
    assert refused.value.errors == {
        "country": "Unknown country code 'XXX'; use ISO 3166-1 alpha-3",
        "language": "Unknown language code xx, zz; use ISO 639-1",
    }
