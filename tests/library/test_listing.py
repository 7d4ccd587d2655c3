"""The library's list of resources: filters with counts, sorts, the training materials view, and
the API lists that read the same filters."""

import pytest

from mercuryhub.accounts.actions import do_create_api_token


@pytest.fixture
def get_json(client):
    def get(path, **params):
        response = client.get(path, params)
        return response.status_code, response.json()

    return get


def test_the_list_shows_published_resources_with_counts(client, resources):
    response = client.get("/library/resources/")
    assert response.status_code == 200
    html = response.content.decode()
    for resource in resources.values():
        assert resource.name in html
    assert 'name="audience" value="miners"' in html
    assert 'name="kind" value="training"' in html
    assert "3 results" in html


def test_the_list_filters_by_audience_and_language(client, resources):
    html = client.get("/library/resources/", {"audience": "health-workers"}).content.decode()
    assert resources["training"].name in html
    assert resources["guide"].name not in html
    html = client.get("/library/resources/", {"language": "fr"}).content.decode()
    assert resources["guide"].name in html and resources["video"].name in html
    assert resources["training"].name not in html


def test_the_training_view_lists_training_materials_and_videos(client, resources):
    html = client.get("/library/resources/?kind=training&kind=video").content.decode()
    assert "<h1>Training materials</h1>" in html
    assert resources["training"].name in html and resources["video"].name in html
    assert resources["guide"].name not in html
    assert (
        "/library/resources/?kind=training&amp;kind=video"
        in client.get("/library/").content.decode()
    )


def test_the_list_sorts_by_newest_and_title(client, resources):
    html = client.get("/library/resources/", {"sort": "newest"}).content.decode()
    order = [html.index(resources[name].name) for name in ("training", "video", "guide")]
    assert order == sorted(order)
    html = client.get("/library/resources/", {"sort": "title"}).content.decode()
    order = [html.index(resources[name].name) for name in ("guide", "video", "training")]
    assert order == sorted(order)


def test_the_list_names_a_bad_filter(client, resources):
    response = client.get("/library/resources/", {"audience": "aliens", "year_from": "soon"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown audience code &#x27;aliens&#x27;" in html
    assert "&#x27;soon&#x27; is not a year" in html


def test_a_word_only_in_a_transcript_finds_the_video(client, resources, get_json):
    html = client.get("/library/resources/", {"q": "zorbatrap"}).content.decode()
    assert resources["video"].name in html and "<mark>zorbatrap</mark>" in html
    status, body = get_json("/api/v1/resources", q="zorbatrap")
    assert status == 200
    assert [item["id"] for item in body["items"]] == [resources["video"].pk]
    status, body = get_json("/api/v1/search", q="zorbatrap")
    assert [(item["type"], item["id"]) for item in body["items"]] == [
        ("resource", resources["video"].pk)
    ]
    assert body["items"][0]["kind"] == {"code": "video", "label": "Video"}


def test_the_api_lists_resources_with_the_same_filters(resources, get_json):
    status, body = get_json("/api/v1/resources", audience="miners")
    assert status == 200
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == resources["video"].pk
    assert item["kind"] == {"code": "video", "label": "Video"}
    assert item["audiences"] == [{"code": "miners", "label": "Artisanal and small-scale miners"}]
    assert item["transcript"].startswith("The miner heats")
    assert item["url"] == f"/library/resources/{resources['video'].pk}/"
    _status, body = get_json("/api/v1/resources", year_from=2020, year_to=2021)
    assert [item["id"] for item in body["items"]] == [resources["video"].pk]
    _status, body = get_json("/api/v1/resources", kind="training,video", sort="title", limit=1)
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [resources["video"].pk]
    _status, body = get_json(
        "/api/v1/resources", kind="training,video", sort="title", limit=1, offset=1
    )
    assert [item["id"] for item in body["items"]] == [resources["training"].pk]


def test_the_api_names_a_bad_filter(resources, get_json):
    status, body = get_json("/api/v1/resources", language="xx")
    assert status == 422
    assert "Unknown language code xx" in body["errors"][0]["message"]


def test_the_api_gives_one_resource_and_case_study(resources, case_study, get_json):
    status, body = get_json(f"/api/v1/resources/{resources['guide'].pk}")
    assert status == 200
    assert body["name"] == resources["guide"].name
    assert body["languages"] == ["en", "fr"]
    status, _body = get_json("/api/v1/resources/999999")
    assert status == 404
    status, body = get_json("/api/v1/case-studies", audience="health-workers")
    assert [item["id"] for item in body["items"]] == [case_study.pk]
    assert body["items"][0]["country"] == "URY"
    status, body = get_json(f"/api/v1/case-studies/{case_study.pk}")
    assert body["name"] == case_study.name


def test_a_resource_is_created_through_the_api(client, owner, organization):
    token = do_create_api_token(owner, "test")[1]
    response = client.post(
        "/api/v1/resources",
        {
            "name": "Mercury-free dental amalgam factsheet",
            "kind": "factsheet",
            "url": "https://example.org/dental",
            "audiences": ["practitioners"],
            "organization": organization.slug,
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["data"]["audiences"] == ["practitioners"]
    assert body["data"]["kind"] == "factsheet"


def test_export_writes_the_resources_in_their_layout(resources, tmp_path):
    import csv

    from django.core.management import call_command
    from openpyxl import load_workbook

    call_command("export", "resources", "-o", str(tmp_path / "r.csv"), verbosity=0)
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8-sig")))
    assert sorted(row["title"] for row in rows) == sorted(r.name for r in resources.values())
    video = next(row for row in rows if row["kind"] == "video")
    assert "zorbatrap" in video["transcript"]
    call_command(
        "export", "resources", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"), verbosity=0
    )
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert sheet.max_row == 4


def test_a_broader_waste_category_counts_the_resources_of_its_narrower_ones(resources):
    from django.contrib.auth.models import AnonymousUser

    from mercuryhub.library import listing

    found = listing.facets("resource", AnonymousUser(), listing.LibraryFilters())
    waste = {
        value.value: value.count
        for facet in found
        if facet.name == "waste"
        for value in facet.values
    }
    assert waste == {"containing": 1, "lamps": 1}
    filters = listing.LibraryFilters(waste=("containing",))
    assert listing.page("resource", AnonymousUser(), filters).entries == [resources["guide"]]


def test_export_writes_the_case_studies_in_their_import_layout(case_study, tmp_path):
    import csv

    from django.core.management import call_command

    type(case_study).objects.filter(pk=case_study.pk).update(external_id="montevideo-exchange")
    path = tmp_path / "c.csv"
    call_command("export", "case_studies", "-o", str(path), verbosity=0)
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert [(row["title"], row["country"]) for row in rows] == [
        ("Thermometer exchange in Montevideo hospitals", "URY")
    ]
    # The file goes back in through the importer, onto the same entry.
    call_command("import", "case_studies", str(path), verbosity=0)
    assert list(type(case_study).objects.values_list("pk", flat=True)) == [case_study.pk]


@pytest.mark.django_db(transaction=True)
def test_the_filter_counts_are_kept_until_the_library_or_its_terms_change():
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mercuryhub.library import listing
    from mercuryhub.taxonomy.actions import do_save_term
    from mercuryhub.taxonomy.models import Term
    from tests.library.conftest import make_resource

    def audiences():
        with CaptureQueriesContext(connection) as run:
            found = listing.facets("resource", AnonymousUser(), listing.parse_library_filters({}))
        counted = sum("COUNT(" in query["sql"] for query in run.captured_queries)
        audience = next(facet for facet in found if facet.name == "audience")
        return {value.label: value.count for value in audience.values}, counted

    make_resource(name="Retorts", kind="video", url="https://example.org/r", audiences="miners")
    first, counted = audiences()
    assert first == {"Artisanal and small-scale miners": 1}
    assert counted >= 8  # a statement per filter
    again, counted = audiences()
    assert again == first and counted == 0  # kept: no statement counts
    everything = listing.parse_library_filters({})
    assert listing.page("resource", AnonymousUser(), everything).total == 1  # kept likewise

    # A new publication gives new counts at once.
    make_resource(name="Burning", kind="video", url="https://example.org/b", audiences="miners")
    counts, counted = audiences()
    assert counts == {"Artisanal and small-scale miners": 2} and counted >= 8
    assert listing.page("resource", AnonymousUser(), everything).total == 2

    # So does a change to a term: its new name.
    miners = Term.objects.get(vocabulary__name="audiences", code="miners")
    miners.label = "Miners in artisanal gold mining"
    do_save_term(miners, ["label"])
    counts, _counted = audiences()
    assert counts == {"Miners in artisanal gold mining": 2}


@pytest.mark.parametrize("sort", ["relevance", "newest", "title"])
def test_a_page_of_the_list_reads_its_entries_in_order_without_sorting_them_all(resources, sort):
    # A million resources sorted for each page would take a second; each order has its index.
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mercuryhub.library import listing

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's plans depend on its statistics; SQLite's plan is fixed here")
    filters = listing.parse_library_filters({"sort": sort})
    with CaptureQueriesContext(connection) as run:
        found = listing.page("resource", AnonymousUser(), filters, limit=2)
    assert len(found.entries) == 2 and found.total == 3
    (statement,) = [
        q["sql"]
        for q in run.captured_queries
        if q["sql"].startswith('SELECT "library_resource"."id" AS "pk" FROM')
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}")
        plan = [row[-1] for row in cursor.fetchall()]
    assert not any("TEMP B-TREE" in step for step in plan), plan


def test_the_counts_of_every_published_resource_leave_out_drafts(resources, owner):
    # Without other filters, each filter's counts are every resource's less the unpublished
    # ones; each count is what choosing its value lists.
    from django.contrib.auth.models import AnonymousUser

    from mercuryhub.library import listing
    from mercuryhub.review.actions import do_create_draft

    anonymous, everything = AnonymousUser(), listing.LibraryFilters()

    def counts():
        return {
            facet.name: {value.value: value.count for value in facet.values}
            for facet in listing._facets("resource", anonymous, everything)
        }

    before = counts()
    assert before["audience"] == {"policymakers": 1, "health-workers": 1, "miners": 1}
    assert before["waste"] == {"containing": 1, "lamps": 1}  # the broader term counted once
    draft = {
        "name": "A draft on lamps",
        "kind": "video",
        "url": "https://example.org/draft",
        "languages": ["fr"],
        "audiences": ["miners"],
        "waste_categories": ["lamps"],
    }
    do_create_draft("resource", owner, draft)
    assert counts() == before
    for name, values in before.items():
        for value, count in values.items():
            chosen = listing.parse_library_filters({name: value})
            assert listing.page("resource", anonymous, chosen).total == count, (name, value)


def test_the_library_shows_exactly_its_published_entries():
    # The filter counts of every published entry are every entry's less the unpublished ones
    # (listing._counted): they hold while the library shows exactly its published entries.
    from mercuryhub.review import registry

    for name in ("resource", "case_study"):
        kind = registry.get(name)
        shown = kind.visible_to(None).query
        assert str(shown) == str(kind.model.objects.filter(published=True).query), name
