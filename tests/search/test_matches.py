"""The entries each word of the searches matches, kept by a worker (search/ranking_index.py,
``Matches``): a search's count is read off them once its words were asked before at the
index's state, and is the count its matches give."""

import pytest

from mercuryhub.search import ranking_index, ranking_search
from mercuryhub.search.engine import Document, do_index, do_unindex, ranked
from mercuryhub.search.kept import Matched, Matches
from mercuryhub.search.ranking_index import SCHEMA

pytestmark = pytest.mark.usefixtures("search_engine")

KINDS = ["facility", "expert", "offering"]


@pytest.fixture
def documents(search_engine, settings):
    """300 entries: "lamp" in 200 (most: their matches are kept as those it misses), "kiln" in
    60, "retort" in 2 (too few to keep: fewer than 1 %); a third are experts, some offerings."""
    if search_engine != "ranking index":
        pytest.skip("Searches' words are kept with the ranking index's searcher")
    settings.SEARCH_FOUND_KEPT = 0  # each search asks the index: the words' matches count
    do_index(
        [
            Document(
                ("facility", "expert", "offering", "facility")[i % 4],
                i,
                " ".join(
                    ["Centre"]
                    + (["lamps"] if i % 3 else [])
                    + (["kiln"] if i % 5 == 0 else [])
                    + (["retort"] if i in (1, 7) else [])
                ),
                body="lamp" if i % 3 == 0 and i % 2 else "",
            )
            for i in range(300)
        ]
    )


def held(word):
    """What the worker keeps of the entries the word matches at the index's present state."""
    key = ranking_search.Search(None, [word], KINDS, indexed=set()).word(word)
    return ranking_index.reading().found.matches.held(key)


def expected(words, kinds):
    """The entries of the fixture holding every word, counted by hand."""
    kinds_of = ("facility", "expert", "offering", "facility")
    holds = {
        "lamp": lambda i: i % 3 or i % 2,
        "kiln": lambda i: i % 5 == 0,
        "retort": lambda i: i in (1, 7),
        "centre": lambda i: True,
    }
    return sum(
        1 for i in range(300) if kinds_of[i % 4] in kinds and all(holds[word](i) for word in words)
    )


def not_expected(self):
    raise AssertionError("The count went through the matches")


SEARCHES = [
    ["lamp"],
    ["kiln"],
    ["lamp", "kiln"],
    ["retort"],
    ["retort", "centre"],
    ["centre", "lamp"],
    ["centre", "kiln", "lamp"],
]


@pytest.mark.usefixtures("documents")
@pytest.mark.parametrize("kinds", [KINDS, ["facility", "expert"], ["expert", "offering"]])
def test_counts_read_off_the_words_kept_are_the_counts_of_the_matches(kinds, monkeypatch):
    assert ranked("kiln", kinds, limit=1)[1] == expected(["kiln"], kinds)
    assert held("kiln") is None  # asked once: counted through the matches
    for words in SEARCHES:  # each word asked again: its matches are kept and read
        assert ranked(" ".join(words), kinds, limit=1)[1] == expected(words, kinds)
    assert held("lamp").inverted  # most entries hold it
    assert not held("kiln").inverted
    assert held("retort").bits is None  # too few to keep

    monkeypatch.setattr(ranking_search.Search, "every_match", property(not_expected))
    for words in SEARCHES:
        if "retort" not in words:  # a word too rare to keep is counted with its few matches
            assert ranked(" ".join(words), kinds, limit=1)[1] == expected(words, kinds)


@pytest.mark.usefixtures("documents")
def test_a_change_to_the_index_is_counted_at_once_reading_again_only_the_entries_changed(
    monkeypatch,
):
    def counts():
        return [ranked(words, KINDS, limit=1)[1] for words in ("lamp kiln", "lamp", "kiln")]

    assert counts() == counts() == [50, 250, 60]
    assert ranked("centre lamp", KINDS, limit=1)[1] == ranked("centre", KINDS, limit=1)[1] - 50
    read = []
    read_again = Matched.read_again

    def read_again_counted(self, searcher, query, changed, schema):
        read.append(len(changed))
        return read_again(self, searcher, query, changed, schema)

    monkeypatch.setattr(Matched, "read_again", read_again_counted)
    # From now on no count goes through the matches: the words' are carried and read again.
    monkeypatch.setattr(ranking_search.Search, "every_match", property(not_expected))
    do_index([Document("expert", 1000, "Lamp and kiln")])
    assert counts() == [51, 251, 61]
    assert read == [1, 1, 1]  # lamp, kiln and the kinds, each for the one entry changed
    do_unindex("facility", [20, 40])  # each with both words
    assert counts() == [49, 249, 59]
    do_index([Document("facility", 20, "Kiln alone")])  # back, without the lamp
    assert counts() == [49, 249, 60]
    do_index([Document("offering", 1001, "Lamp")])  # a word not asked since: carried twice
    assert ranked("centre lamp", KINDS, limit=1)[1] == 248
    # centre: the five entries changed since it was asked; lamp and the kinds: the last one
    assert sorted(read[-3:]) == [1, 1, 5]


@pytest.mark.usefixtures("documents")
def test_nothing_is_kept_when_no_megabyte_may_be(settings):
    settings.SEARCH_MATCHES_KEPT_MB = 0
    for _asked in range(3):
        assert ranked("lamp kiln", KINDS, limit=1)[1] == 50
    assert held("lamp") is None


class Query:
    """A query the searcher goes through (counted: how many times its matches were read)."""

    def __init__(self, words):
        self.words, self.times = words, 0

    def __call__(self):
        self.times += 1
        return ranking_search.Search(
            ranking_index.reading().searcher, self.words, KINDS, indexed=set(KINDS)
        ).every_match


@pytest.mark.usefixtures("documents")
def test_at_most_so_many_megabytes_are_kept_the_least_recently_asked_forgotten_first(
    settings, monkeypatch
):
    settings.SEARCH_MATCHES_KEPT_MB = 1
    monkeypatch.setattr(Matched, "size", 400 * 1024)  # two fit in a megabyte, not three
    matches, searcher = Matches(SCHEMA), ranking_index.reading().searcher
    queries = {word: Query([word]) for word in ("lamp", "kiln", "centre")}

    def ask(word):
        return matches.get(word, searcher, queries[word])

    assert ask("lamp") is None and queries["lamp"].times == 0  # asked once: not kept
    assert ask("lamp").inverted and ask("lamp").inverted
    assert queries["lamp"].times == 1  # read once, then kept
    ask("kiln"), ask("kiln"), ask("lamp")  # kiln kept; lamp the most recently asked
    ask("centre"), ask("centre")  # a third: kiln, the least recently asked, is forgotten
    assert (queries["lamp"].times, queries["kiln"].times, queries["centre"].times) == (1, 1, 1)
    ask("lamp"), ask("centre")
    assert (queries["lamp"].times, queries["centre"].times) == (1, 1)
    assert ask("kiln") is None  # forgotten: asked as if for the first time
    assert ask("kiln") is not None and queries["kiln"].times == 2
