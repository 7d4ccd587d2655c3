"""An entry's tags in the index are tokens of their terms (search/tags.py): a word of a query finds
the entries tagged with a term one of whose words, in any language, it begins, or with a broader
term of it, on every engine; no word a visitor types matches a token."""

import pytest

from mercuryhub.review.indexing import terms_tagged_for
from mercuryhub.search import tags
from mercuryhub.search.engine import Document, do_index, matches, ranked
from mercuryhub.search.models import SearchEntry
from mercuryhub.taxonomy.models import Term

pytestmark = pytest.mark.usefixtures("search_engine")


def _term(code):
    return Term.objects.get(code=code)


@pytest.fixture
def tagged():
    """A facility tagged "containing mercury" (the broad waste category), one tagged "Mercury
    lamps" (narrower), one tagged with roasting and retorting, one with no tag."""
    containing, lamps, retorting = _term("containing"), _term("lamps"), _term("thermal-recovery")
    do_index(
        [
            Document("facility", 1, "Alpha works", tags=(containing.pk,)),
            Document("facility", 2, "Bravo works", tags=(lamps.pk,)),
            Document("facility", 3, "Charlie works", tags=(retorting.pk,), body="A kiln."),
            Document("facility", 4, "Delta works", body="Nothing tagged."),
        ]
    )
    return {"containing": containing, "lamps": lamps, "retorting": retorting}


def _found(query):
    rows, total = ranked(query, ["facility"], limit=50)
    assert total == len(rows)
    return {object_id for _kind, object_id, _score in rows}


@pytest.mark.usefixtures("tagged")
def test_a_word_of_a_term_finds_its_entries_and_those_of_its_broader_terms():
    # "fluorescent" is a synonym of Mercury lamps, under "containing mercury".
    assert _found("fluorescent") == {1, 2}
    assert _found("fluoresc") == {1, 2}  # a word begun
    assert _found("retorting") == {3}
    assert _found("retort kiln") == {3}  # one word in the tags, one in the body
    assert _found("retort delta") == set()


@pytest.mark.usefixtures("tagged")
@pytest.mark.parametrize(
    "query", ["lampes", "lámparas", "лампы", "灯", "المصابيح"], ids=["fr", "es", "ru", "zh", "ar"]
)
def test_the_terms_words_in_every_language_find_their_entries(query):
    assert _found(query) == {1, 2}


def test_no_word_typed_matches_a_tags_token(tagged):
    token = tags.tag_token(tagged["lamps"].pk)
    typed = token.removeprefix(tags.MARK)  # "t5": the token without its mark
    do_index([Document("facility", 9, "Echo works", body=f"Model {typed} lamps")])
    assert _found(typed) == {9}
    assert SearchEntry.objects.get(object_id=2).tags == token


def test_a_synonym_saved_finds_the_entries_without_reindexing(tagged):
    assert _found("quecksilberlampe") == set()
    lamps = tagged["lamps"]
    lamps.synonyms = [*lamps.synonyms, "Quecksilberlampe"]
    lamps.save()  # a new reference mark, and no entry indexed again
    assert _found("quecksilberlampe") == {1, 2}
    assert matches("quecksilberlampe", ["facility"], cap=10) == {"facility": [1, 2]}


def test_a_word_finds_the_terms_holding_it_and_their_broader_terms():
    containing, lamps = _term("containing"), _term("lamps")
    found = terms_tagged_for("fluorescent")
    assert found[lamps.pk] is True  # holds the word itself
    assert found[containing.pk] is False  # through Mercury lamps, a narrower term
    assert lamps.pk not in terms_tagged_for("zzzz")
    assert set(terms_tagged_for("")) >= {containing.pk, lamps.pk}  # every word begins with ""


def test_the_ranking_index_ranks_a_terms_own_tag_above_a_broader_ones(search_engine):
    if search_engine != "ranking index":
        pytest.skip("The database's indexes weigh every tag of an entry alike")
    containing, lamps = _term("containing"), _term("lamps")
    do_index(
        [
            Document("facility", 1, "Alpha works", tags=(containing.pk,)),
            Document("facility", 2, "Bravo works", tags=(lamps.pk,)),
        ]
    )
    rows, _total = ranked("fluorescent", ["facility"], limit=10)
    assert [object_id for _kind, object_id, _score in rows] == [2, 1]
    assert rows[0][2] > rows[1][2]
