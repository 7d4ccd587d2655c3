import pytest

from mercuryhub.search import engine, ranking_search
from mercuryhub.search.engine import Document, do_index, do_unindex, ranked
from mercuryhub.taxonomy.models import Term
from tests.conftest import only_on

pytestmark = pytest.mark.usefixtures("search_engine")


@pytest.fixture
def documents():
    """Twelve entries matching "retort": three by their title, nine by their tags (a term of
    roasting and retorting) or body only, some of whose bodies repeat the word far more often
    than the titles do."""
    retorting = (Term.objects.get(code="thermal-recovery").pk,)
    do_index(
        [
            Document("facility", 1, "Kalo retort works", body="A plant."),
            Document("facility", 2, "Retort and kiln centre", tags=retorting),
            Document("expert", 3, "Retorts for small mines", body="Training."),
            *[
                Document(
                    "facility",
                    10 + i,
                    f"Plant number {i}",
                    tags=retorting if i % 2 else (),
                    body="retort " * (i + 1),
                )
                for i in range(9)
            ],
            Document("facility", 30, "Kiln without the word"),
        ]
    )


@pytest.mark.usefixtures("documents")
def test_entries_whose_title_matches_come_first_with_the_higher_scores():
    rows, total = ranked("retort", ["facility", "expert"], limit=20)
    assert total == 12
    assert {object_id for _kind, object_id, _score in rows[:3]} == {1, 2, 3}
    scores = [score for _kind, _id, score in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 1 for score in scores[:3])
    assert all(0 < score < 1 for score in scores[3:])


# Every indexed id: a restriction that keeps everything must rank exactly as none.
EVERYTHING = {
    "facility": ("SELECT %s UNION SELECT %s" + " UNION SELECT %s" * 10, [1, 2, *range(10, 19), 30]),
    "expert": ("SELECT %s", [3]),
}


@pytest.mark.usefixtures("documents")
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7])
@pytest.mark.parametrize("within", [None, EVERYTHING], ids=["unrestricted", "restricted"])
def test_pages_cut_anywhere_join_up_into_the_whole_list(size, within):
    whole, total = ranked("retort", ["facility", "expert"], limit=100)
    assert ranked("retort", ["facility", "expert"], within=within, limit=100) == (whole, total)
    pages, offset = [], 0
    while True:
        rows, page_total = ranked(
            "retort", ["facility", "expert"], within=within, limit=size, offset=offset
        )
        assert page_total == total == 12
        if not rows:
            break
        pages.extend(rows)
        offset += size
    assert pages == whole


@pytest.mark.usefixtures("documents")
@pytest.mark.parametrize("offset", [3, 12, 40])
@pytest.mark.parametrize("within", [None, EVERYTHING], ids=["unrestricted", "restricted"])
def test_a_page_at_or_past_the_end_still_counts_the_matches(offset, within):
    rows, total = ranked("retort", ["facility", "expert"], within=within, limit=5, offset=offset)
    assert total == 12
    assert len(rows) == max(0, min(5, 12 - offset))


@pytest.mark.usefixtures("documents")
def test_kinds_restrict_what_is_found():
    rows, total = ranked("retort", ["expert"])
    assert (rows[0][:2], total) == (("expert", 3), 1)
    rows, total = ranked("retort", ["facility"], limit=100)
    assert total == 11
    assert {kind for kind, _id, _score in rows} == {"facility"}


@pytest.mark.usefixtures("documents")
@pytest.mark.parametrize("kinds", [["facility", "expert"], ["facility", "offering", "expert"]])
def test_the_name_of_a_kind_is_not_a_word_of_every_entry_of_that_kind(kinds):
    assert ranked("facility", kinds) == ([], 0)
    assert ranked("expert", kinds) == ([], 0)
    assert ranked("retort", kinds)[1] == 12


@pytest.mark.usefixtures("documents")
def test_every_word_must_match_but_one_in_the_title_puts_an_entry_first():
    rows, total = ranked("kiln retort", ["facility", "expert"])
    assert total == 1
    assert rows[0][:2] == ("facility", 2)
    rows, total = ranked("plant retort", ["facility"], limit=100)
    assert total == 10  # the nine numbered plants, and "Kalo retort works" whose body is "A plant."
    assert rows[0][1] in {1, *range(10, 19)}


@pytest.mark.usefixtures("documents")
def test_restrictions_apply_in_both_groups_and_to_the_count():
    within = {"facility": ("SELECT %s UNION SELECT %s UNION SELECT %s", [2, 11, 12])}
    rows, total = ranked("retort", ["facility"], within=within, limit=2)
    assert total == 3
    assert rows[0][:2] == ("facility", 2)
    rest, _total = ranked("retort", ["facility"], within=within, limit=2, offset=2)
    assert {object_id for _kind, object_id, _score in rows[1:] + rest} == {11, 12}


@pytest.mark.usefixtures("documents")
def test_an_unindexed_entry_is_no_longer_found():
    do_unindex("facility", [1, 2])
    rows, total = ranked("retort", ["facility", "expert"], limit=100)
    assert total == 10
    assert rows[0][:2] == ("expert", 3)
    # The ranking index holds them no more either (its counts; None with the tables alone).
    counted = engine.facet_counts("retort", ["facility", "expert"], [])
    assert counted is None or counted[0] == {"facility": 9, "expert": 1}


@pytest.mark.usefixtures("documents")
def test_a_search_asked_again_is_answered_from_what_it_found_until_the_index_changes(
    search_engine, monkeypatch
):
    if search_engine != "ranking index":
        pytest.skip("What searches found is kept with the ranking index's searcher")
    kinds = ["facility", "expert"]
    first = ranked("retort", kinds, limit=5)
    counts = engine.facet_counts("retort", kinds, [])
    asked = []
    top = ranking_search.Search._top

    def top_asked(self, *args):
        asked.append(args)
        return top(self, *args)

    monkeypatch.setattr(ranking_search.Search, "_top", top_asked)
    assert ranked("retort", kinds, limit=5) == first
    assert engine.facet_counts("retort", kinds, []) == counts
    assert asked == []  # the same questions, the index unchanged
    ranked("retort", ["facility"], limit=5)  # another question
    assert asked  # asked of the index

    do_unindex("facility", [1, 2])  # the index changes: what was found is not kept
    rows, total = ranked("retort", kinds, limit=5)
    assert total == 10
    assert rows[0][:2] == ("expert", 3)
    assert engine.facet_counts("retort", kinds, [])[0] == {"facility": 9, "expert": 1}


@pytest.mark.usefixtures("documents")
def test_rows_left_behind_by_emptied_tables_are_dropped():
    from django.core.management import call_command

    from mercuryhub.search.models import SearchEntry

    SearchEntry.objects.all().delete()  # as flush does, around the index
    call_command("migrate", verbosity=0)  # post_migrate, which flush also sends
    assert ranked("retort", ["facility", "expert"]) == ([], 0)
    do_index([Document("facility", 99, "Retort again")])
    assert ranked("retort", ["facility"])[1] == 1


def test_a_kind_no_app_registered_is_refused():
    with pytest.raises(ValueError, match="register_kinds"):
        do_index([Document("leaflet", 1, "Retort leaflet")])


# The text of attached files: searched beside the record's own, ranked after it.


@pytest.fixture
def attached(documents):
    """Beside the twelve: two entries found by "retort" only in their attached text, one with it
    in its title too."""
    do_index(
        [
            Document("facility", 40, "Furnace manual", attachment="retort " * 50 + "kiln"),
            Document("expert", 41, "Amalgam notes", body="kiln", attachment="One retort."),
            Document("facility", 42, "Retort guide", attachment="The retort handbook."),
        ]
    )


WITH_ATTACHED = {
    "facility": (
        "SELECT %s" + " UNION SELECT %s" * 13,
        [1, 2, *range(10, 19), 30, 40, 42],
    ),
    "expert": ("SELECT %s UNION SELECT %s", [3, 41]),
}


@pytest.mark.usefixtures("attached")
def test_words_found_only_in_attached_text_rank_after_the_records_own_text():
    rows, total = ranked("retort", ["facility", "expert"], limit=100)
    assert total == 15
    assert {object_id for _kind, object_id, _score in rows[:4]} == {1, 2, 3, 42}
    assert {object_id for _kind, object_id, _score in rows[-2:]} == {40, 41}
    scores = [score for _kind, _id, score in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(0.5 <= score < 1 for score in scores[4:13])
    assert all(0 <= score < 0.5 for score in scores[13:])
    assert [object_id for _kind, object_id, _score in rows[-2:]] == [41, 40]  # newest first


@pytest.mark.usefixtures("attached")
@pytest.mark.parametrize("size", [1, 2, 4, 6, 13, 14])
@pytest.mark.parametrize("within", [None, WITH_ATTACHED], ids=["unrestricted", "restricted"])
def test_pages_cut_anywhere_join_up_across_the_attached_text(size, within):
    whole, total = ranked("retort", ["facility", "expert"], limit=100)
    assert ranked("retort", ["facility", "expert"], within=within, limit=100) == (whole, total)
    pages, offset = [], 0
    while True:
        rows, page_total = ranked(
            "retort", ["facility", "expert"], within=within, limit=size, offset=offset
        )
        assert page_total == total == 15
        if not rows:
            break
        pages.extend(rows)
        offset += size
    assert pages == whole


@pytest.mark.usefixtures("attached")
def test_every_word_may_be_in_the_record_or_in_its_attached_text():
    rows, total = ranked("kiln retort", ["facility", "expert"])
    assert total == 3  # Retort and kiln centre; the manual (both attached); the notes (one each)
    assert rows[0][:2] == ("facility", 2)
    assert {object_id for _kind, object_id, _score in rows[1:]} == {40, 41}
    assert ranked("handbook", ["expert"]) == ([], 0)
    assert [row[:2] for row in ranked("handbook", ["facility"])[0]] == [("facility", 42)]
    assert engine.matches("kiln retort", ["facility", "expert"], cap=10) == {
        "facility": [2, 40],
        "expert": [41],
    }


@pytest.mark.usefixtures("attached")
def test_attached_text_replaced_or_unindexed_is_no_longer_found():
    do_index([Document("facility", 42, "Retort guide", attachment="A new edition.")])
    assert ranked("handbook", ["facility"]) == ([], 0)
    assert ranked("edition", ["facility"])[1] == 1
    do_unindex("facility", [40, 42])
    assert ranked("edition", ["facility"]) == ([], 0)
    assert ranked("retort", ["facility", "expert"], limit=100)[1] == 13


@only_on("postgresql", "The index of the titles' words is PostgreSQL's (SQLite has a title column)")
@pytest.mark.usefixtures("documents")
def test_on_postgresql_the_title_group_is_found_through_the_index_of_the_titles_words():
    """The title group tests the title's words (the vector's weight A) as the migration indexes
    them: an index finds it, rather than a test of the weights of every match's whole vector.
    Should the two expressions part, the index would no longer serve and this fails."""
    from django.db import connection, transaction

    search = engine._PostgresqlSearch(["retort"], ["facility", "expert"], {})
    source, _params = search._source(engine.TITLE)
    tested = search._TESTED["title"]
    assert f"{tested} @@ to_tsquery" in source
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: let the plan show it
        title_words = f"{tested} @@ to_tsquery('simple', %s)"
        cursor.execute(
            f"EXPLAIN SELECT e.id FROM search_searchentry e WHERE {title_words}",  # noqa: S608 - the search's own
            [search.queries["title"]],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_title_words" in plan, plan
