"""The one search across the platform: facilities, offerings, experts, organizations, resources
and case studies together, grouped by type with a count per type; organizations kept in step in
the index as they are created and changed."""

from io import StringIO

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mercuryhub.accounts.actions import do_update_organization
from mercuryhub.catalogue.queries import Filters, facets, ranking, search
from mercuryhub.catalogue.queries.visibility import BRIEF_DETAILS, brief_entries, hit_entries
from mercuryhub.search.models import SearchEntry
from mercuryhub.taxonomy.actions import do_mark_reference_changed


def _types(results):
    return sorted({hit.kind for hit in results.hits})


def test_organizations_are_indexed_as_they_are_created_and_changed(organization, owner):
    everywhere = Filters(q="Batrec", everywhere=True)
    assert [hit.entry for hit in search(AnonymousUser(), everywhere).hits] == [organization]
    do_update_organization(owner, organization, {"description": "Recycles quicksilverish lamps"})
    found = search(AnonymousUser(), Filters(q="quicksilverish", everywhere=True))
    assert [hit.entry for hit in found.hits] == [organization]
    assert "<mark>quicksilverish</mark>" in found.hits[0].snippet


def test_the_catalogue_lists_keep_to_the_catalogue(organization):
    assert search(AnonymousUser(), Filters(q="Batrec")).total == 0


def test_one_search_finds_every_type(organization, resources, case_study):
    results = search(AnonymousUser(), Filters(q="inventories", everywhere=True))
    assert _types(results) == ["resource"]
    results = search(AnonymousUser(), Filters(q="health", everywhere=True))
    assert _types(results) == ["case_study", "resource"]
    results = search(AnonymousUser(), Filters(q="batrec", kinds=("organization",)))
    assert [hit.entry for hit in results.hits] == [organization]


def test_the_type_facet_counts_each_type(organization, resources, case_study):
    found = facets(AnonymousUser(), Filters(q="health", everywhere=True))
    types = {value.value: value.count for value in found[0].values}
    assert types == {"facility": 0, "offering": 0, "expert": 0, "case_study": 1, "resource": 1}


def test_a_facet_a_type_lacks_leaves_it_out(organization, resources):
    results = search(AnonymousUser(), Filters(everywhere=True, waste=("lamps",)))
    assert [hit.entry for hit in results.hits] == [resources["guide"]]
    results = search(AnonymousUser(), Filters(everywhere=True, country=("CHE",)))
    assert [hit.entry for hit in results.hits] == [organization]
    results = search(AnonymousUser(), Filters(everywhere=True, sort="confirmed"))
    assert results.total == 4


def test_the_search_page_groups_types_with_their_counts(client, organization, resources):
    html = client.get("/catalogue/search/", {"q": "retorts"}).content.decode()
    assert resources["video"].name in html
    assert 'name="type" value="resource"' in html
    html = client.get("/catalogue/search/", {"q": "batrec"}).content.decode()
    assert "hit-organization" in html and organization.get_absolute_url() in html
    assert 'name="type" value="organization"' in html
    html = client.get("/catalogue/search/", {"q": "batrec", "type": "organization"}).content
    assert b"1 result" in html


def test_the_search_api_covers_every_type(client, organization, resources, case_study):
    body = client.get("/api/v1/search", {"q": "batrec", "type": "organization"}).json()
    assert [(item["type"], item["id"], item["country"]) for item in body["items"]] == [
        ("organization", organization.pk, "CHE")
    ]
    body = client.get("/api/v1/search", {"q": "thermometer", "type": "case_study"}).json()
    assert [(item["type"], item["id"], item["year"]) for item in body["items"]] == [
        ("case_study", case_study.pk, 2018)
    ]
    body = client.get("/api/v1/search", {"q": "retorts", "type": "resource"}).json()
    assert body["items"][0]["languages"] == ["fr"]


def test_the_search_api_names_the_types_it_knows(client):
    response = client.get("/api/v1/search", {"q": "mercury", "type": "planet"})
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert message == (
        "Unknown type 'planet'; use facility, offering, expert, organization, resource, "
        "case_study, need, nap, inventory, workplan, review_report, event, project"
    )


def test_reindex_puts_organizations_back(organization):
    SearchEntry.objects.filter(kind="organization").delete()
    out = StringIO()
    call_command("reindex", "organization", stdout=out)
    assert "organization: 1 indexed of 1" in out.getvalue()
    assert search(AnonymousUser(), Filters(q="Batrec", everywhere=True)).total == 1


def test_an_export_of_a_type_without_a_layout_is_refused(client, organization):
    response = client.get("/catalogue/export/csv/", {"type": "organization"})
    assert response.status_code == 400
    assert "No export of &#x27;organization&#x27;" in response.content.decode()


def test_a_search_reads_its_hits_with_what_they_show_only(
    client, organization, resources, case_study
):
    """Each type found costs one statement for its entries, one per relation its hit shows and
    one for the reference data's change mark (not every relation of the entry's page, nor a
    resource's document text); the terms are read once after the reference data changed, then
    kept by the process."""
    do_mark_reference_changed()  # as any change to a term or country does
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/search", {"q": "health"})
    with CaptureQueriesContext(connection) as statements:
        body = client.get("/api/v1/search", {"q": "health"}).json()
    assert {item["type"] for item in body["items"]} == {"resource", "case_study"}
    read = [query["sql"] for query in statements.captured_queries]
    assert not [sql for sql in read if "library_documentfile" in sql]
    # The search's own statements (up to six), then per type its entries, the links to their
    # languages and those to their waste categories, and the change mark.
    assert len(read) <= 6 + 2 * 3 + 1, "\n".join(sql[:150] for sql in read)
    read_first = [query["sql"] for query in first.captured_queries]
    assert len([sql for sql in read_first if 'FROM "taxonomy_term"' in sql]) == 1, read_first
    assert not [sql for sql in read if 'FROM "taxonomy_term"' in sql], read


SEARCHED = ["health", "retorts", "batrec", "inventories", "lamps", "thermometer", "kofi", "e"]


def test_the_search_apis_items_are_those_of_the_entries_read_whole(
    client, tagged_world, resources, case_study, monkeypatch
):
    """The search API reads only what its items show (``brief_entries``): the same items, for
    every type, as from the entries read whole (``hit_entries``, the search page's)."""

    def items():
        return [
            client.get("/api/v1/search", {"q": q, "limit": 100}).json()["items"] for q in SEARCHED
        ]

    brief = items()
    monkeypatch.setattr(ranking, "brief_entries", hit_entries)
    assert items() == brief
    found = {item["type"] for page in brief for item in page}
    assert found >= {"facility", "offering", "expert", "organization", "resource", "case_study"}
    resource = next(item for page in brief for item in page if item["type"] == "resource")
    assert resource["languages"] and resource["kind"]["label"]


def test_brief_entries_are_those_the_index_holds_and_read_nothing_more(
    tagged_world, resources, django_assert_num_queries
):
    guide = tagged_world["guide"]
    found = brief_entries("resource", None, [guide.pk, resources["video"].pk])
    assert set(found) == {guide.pk, resources["video"].pk}
    SearchEntry.objects.filter(kind="resource", object_id=guide.pk).delete()  # as a withdrawal
    found = brief_entries("resource", None, [guide.pk, resources["video"].pk])
    assert set(found) == {resources["video"].pk}
    entry = found[resources["video"].pk]
    with django_assert_num_queries(0):
        shown = [entry.name, entry.description, entry.transcript, entry.get_absolute_url()]
        shown += [getattr(entry, name, None) for name in BRIEF_DETAILS if name != "languages"]
        shown += [entry.languages.all(), entry.waste_categories.all()]
    assert entry.name == resources["video"].name and entry.transcript
    assert [language.code for language in shown[-2]] == list(
        resources["video"].languages.values_list("code", flat=True)
    )
