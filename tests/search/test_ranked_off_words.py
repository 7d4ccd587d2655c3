"""The title and record groups of a search made of words asked before, ranked off what each
worker keeps of those words (search/kept.py, ``Ranked``): the same entries, the same scores and
the same counts as the ranking index gives by scoring each match; entries of equal scores by
entry; a search answered one way at the index's state keeps that way for its other pages."""

import random

import numpy as np
import pytest

from mercuryhub.search import kept, ranking_index, ranking_search
from mercuryhub.search.engine import _KINDS, Document, do_index, do_unindex, ranked
from mercuryhub.search.groups import RECORD, TITLE
from mercuryhub.search.kept import Matched, Ranked
from mercuryhub.search.models import SearchEntry

pytestmark = pytest.mark.usefixtures("search_engine")

WORDS = ["lamp", "kiln", "retort", "sludge", "amalgam"]
KIND_OF = ("facility", "expert", "offering", "facility")


@pytest.fixture
def documents(search_engine, settings):
    """400 entries of a few words each, in their titles and bodies, of three kinds."""
    if search_engine != "ranking index":
        pytest.skip("Searches' words are kept with the ranking index's searcher")
    settings.SEARCH_FOUND_KEPT = 0  # each search asks anew: its words' are what it reads
    rng = random.Random(3)
    do_index(
        [
            Document(
                KIND_OF[i % 4],
                i,
                " ".join(rng.sample([*WORDS, "Centre", "Works", "Plant"], k=rng.randint(1, 3))),
                body=" ".join(rng.choice([*WORDS, "storage", "site"]) for _ in range(i % 13)),
            )
            for i in range(400)
        ]
    )


def index_ranked(words: list[str], kinds: list[str], group: str) -> list[tuple[int, float]]:
    """Every entry of the group with its score, as the index ranks them (scoring each)."""
    search = ranking_search.Search(
        ranking_index.reading().searcher, words, kinds, indexed=_KINDS, found=None
    )
    return search._top(group, 1000, 0)


def kept_ranked(words, kinds, group, *, most=1000, offset=0):
    """The same off the words the worker keeps (None: not kept)."""
    reading = ranking_index.reading()
    search = ranking_search.Search(
        reading.searcher, words, kinds, indexed=_KINDS, found=reading.found
    )
    found = search._ranked(group, most)
    return None if found is None else (found[0], found[1][offset:])


def same(kept_entries, index_entries):
    """The same entries with the same scores (to the float's precision), in the order of their
    scores: entries of equal scores by entry."""
    assert sorted(e for e, _s in kept_entries) == sorted(e for e, _s in index_entries)
    scores = dict(index_entries)
    for entry, score in kept_entries:
        assert score == pytest.approx(scores[entry], rel=1e-5)
    keys = [(-score, entry) for entry, score in kept_entries]
    assert keys == sorted(keys)


SEARCHES = [["lamp"], ["kiln", "retort"], ["sludge", "lamp", "amalgam"], ["retort", "centre"]]
KINDS = [sorted(_KINDS), ["facility", "expert"], ["offering"]]


@pytest.mark.usefixtures("documents")
@pytest.mark.parametrize("kinds", KINDS)
def test_the_groups_ranked_off_the_kept_words_are_those_the_index_ranks(kinds):
    for words in SEARCHES:
        assert kept_ranked(words, kinds, TITLE) is None  # each word asked once: not kept
    for words in SEARCHES:
        for group in (TITLE, RECORD):
            count, entries = kept_ranked(words, kinds, group)
            expected = index_ranked(words, kinds, group)
            assert count == len(expected) and len(entries) == count
            same(entries, expected)
    # A page within: the same entries as the whole list holds there.
    count, every = kept_ranked(["lamp", "sludge"], kinds, TITLE)
    assert kept_ranked(["lamp", "sludge"], kinds, TITLE, most=15, offset=5)[1] == every[5:15]


@pytest.mark.usefixtures("documents")
def test_the_search_api_page_is_the_index_s_once_the_words_are_kept(monkeypatch):
    first = ranked("sludge lamp", sorted(_KINDS), limit=10)  # the index ranks it
    ranked("sludge", sorted(_KINDS), limit=10), ranked("lamp", sorted(_KINDS), limit=10)
    # Kept now: the index is not asked to rank nor to count.
    monkeypatch.setattr(ranking_search.Search, "queries", property(not_expected))
    monkeypatch.setattr(ranking_search.Search, "every_match", property(not_expected))
    again = ranked("sludge lamp", sorted(_KINDS), limit=10)
    assert again[1] == first[1]
    assert [score for _k, _i, score in again[0]] == pytest.approx(
        [score for _k, _i, score in first[0]], rel=1e-6
    )


def not_expected(*args, **kwargs):
    raise AssertionError("Not expected here")


@pytest.mark.usefixtures("documents")
def test_a_change_is_read_again_for_the_entries_changed_with_the_index_s_statistics():
    words = ["kiln", "lamp"]
    kept_ranked(words, sorted(_KINDS), TITLE), kept_ranked(words, sorted(_KINDS), TITLE)
    assert kept_ranked(words, sorted(_KINDS), TITLE) is not None
    do_index([Document("expert", 1000, "Kiln lamp kiln", body="lamp")])
    do_unindex("facility", [0, 4, 8])
    do_index([Document("facility", 12, "Plant", body="kiln lamp")])  # out of the title group
    count, entries = kept_ranked(words, sorted(_KINDS), TITLE)
    expected = index_ranked(words, sorted(_KINDS), TITLE)
    # The same entries; the one changed scored as the index scores it now, the others as the
    # index did (how many entries hold each word moved a little).
    assert count == len(expected) and {e for e, _s in entries} == {e for e, _s in expected}
    added = SearchEntry.objects.get(kind="expert", object_id=1000).pk
    assert dict(entries)[added] == pytest.approx(dict(expected)[added], rel=1e-5)
    for entry, score in entries:
        assert score == pytest.approx(dict(expected)[entry], rel=0.02)
    record = dict(kept_ranked(words, sorted(_KINDS), RECORD)[1])
    assert set(record) == {e for e, _s in index_ranked(words, sorted(_KINDS), RECORD)}


@pytest.mark.usefixtures("documents")
def test_a_search_answered_by_the_index_keeps_its_order_for_its_other_pages(settings, monkeypatch):
    settings.SEARCH_FOUND_KEPT = 100_000
    first = ranked("retort kiln", sorted(_KINDS), limit=5)  # by the index: words asked once
    ranked("retort", sorted(_KINDS), limit=5), ranked("kiln", sorted(_KINDS), limit=5)
    monkeypatch.setattr(ranking_search, "ranked", not_expected)
    # Its words are kept now, but its next pages come from the index as its first did.
    second = ranked("retort kiln", sorted(_KINDS), limit=5, offset=5)
    assert not {key[:2] for key in first[0]} & {key[:2] for key in second[0]}
    monkeypatch.undo()
    settings.SEARCH_FOUND_KEPT = 100_000
    asked = []
    monkeypatch.setattr(
        ranking_search, "ranked", lambda *a, **k: asked.append(1) or kept.ranked(*a, **k)
    )
    ranked("kiln retort amalgam", sorted(_KINDS), limit=5)  # words not yet kept: amalgam
    ranked("amalgam", sorted(_KINDS), limit=5)
    ranked("kiln retort", sorted(_KINDS), limit=5)  # a question not asked before: off the words
    assert asked


def ranked_by_hand(words, kinds, *, in_title, most):
    """``kept.ranked`` done entry by entry."""
    size = max(len(w.codes) for w in words)
    found = []
    for entry in range(size):
        scores = [w.table[w.codes[entry]] if entry < len(w.codes) else None for w in words]
        if any(s is None or w.codes[entry] == 0 for s, w in zip(scores, words, strict=True)):
            continue
        titled = any(
            entry < len(w.codes) and np.unpackbits(w.title, bitorder="little")[entry] for w in words
        )
        if titled != in_title:
            continue
        if kinds is not None:
            bit = (kinds.bits >> entry) & 1
            if bit == kinds.inverted:
                continue
        found.append((entry, float(np.float32(sum(np.float32(s) for s in scores)))))
    found.sort(key=lambda item: (-item[1], item[0]))
    return len(found), found[:most]


def test_ranked_counts_and_orders_as_done_by_hand():
    rng = np.random.default_rng(7)

    def word(size):
        held = np.flatnonzero(rng.random(size) < 0.6)
        values = rng.integers(1, 6, len(held)).astype(np.float32)  # few values: many ties
        titled = held[rng.random(len(held)) < 0.3]
        return Ranked(*kept._coded(size, held, values), kept._bits_of(size, titled))

    words = [word(300), word(280), word(310)]  # read at states of different sizes
    kinds = [
        None,
        Matched(sum(1 << e for e in range(310) if rng.random() < 0.5)),
        Matched(sum(1 << e for e in range(0, 310, 3)), inverted=True),
    ]
    for held in kinds:
        for in_title in (True, False):
            for most in (0, 1, 7, 40, 1000):
                assert kept.ranked(words[:2], held, in_title=in_title, most=most) == (
                    ranked_by_hand(words[:2], held, in_title=in_title, most=most)
                )
                assert kept.ranked(words, held, in_title=in_title, most=most) == (
                    ranked_by_hand(words, held, in_title=in_title, most=most)
                )


def test_the_bits_set_are_read_in_order_whichever_bytes_hold_them():
    rng = np.random.default_rng(3)
    for share in (0.0, 0.001, 0.3, 1.0):
        held = np.flatnonzero(rng.random(2001) < share)
        bits = kept._bits_of(2001, held)
        assert kept._set_bits(bits).tolist() == held.tolist()
        assert kept._bits(held) == sum(1 << int(entry) for entry in held)


@pytest.fixture
def ranking_index_only(search_engine):
    if search_engine != "ranking index":
        pytest.skip("Searches' words are kept with the ranking index's searcher")


@pytest.mark.usefixtures("ranking_index_only")
def test_a_word_asked_again_of_an_empty_index_finds_nothing():
    for words in ("lamp", "lamp", "lamp kiln", "lamp kiln"):
        assert ranked(words, sorted(_KINDS)) == ([], 0)


@pytest.mark.usefixtures("ranking_index_only")
def test_a_word_is_read_afresh_when_the_words_scored_for_its_prefix_are_others(settings):
    """A prefix scores its 50 most frequent words; one becoming more frequent than another
    changes which are scored, for the entries that did not change too."""
    settings.SEARCH_FOUND_KEPT = 0
    do_index(
        [Document("facility", i, f"Works zqw{i // 2:02d}") for i in range(120)]
        + [Document("expert", i, "Centre") for i in range(60)]
    )
    for _asked in range(2):
        kept_ranked(["zq"], sorted(_KINDS), TITLE)
    do_index([Document("facility", 500, "Works zqw59")])  # zqw59 among the most frequent now
    count, entries = kept_ranked(["zq"], sorted(_KINDS), TITLE)
    expected = index_ranked(["zq"], sorted(_KINDS), TITLE)
    same(entries, expected)
    assert {score for _e, score in entries} != {0.0}


@pytest.mark.usefixtures("documents")
def test_a_word_read_again_beyond_so_many_changes_is_read_afresh(monkeypatch):
    monkeypatch.setattr(kept.Matches, "CARRIED", 2)
    words = ["kiln", "lamp"]
    for _asked in range(2):
        kept_ranked(words, sorted(_KINDS), TITLE)
    for object_id in (1001, 1002, 1003):  # three entries read again, one at a time
        do_index([Document("expert", object_id, "Kiln lamp")])
        kept_ranked(words, sorted(_KINDS), TITLE)
    count, entries = kept_ranked(words, sorted(_KINDS), TITLE)
    expected = index_ranked(words, sorted(_KINDS), TITLE)
    assert count == len(expected)
    for entry, score in entries:  # every entry scored with the index's present statistics
        assert score == pytest.approx(dict(expected)[entry], rel=1e-6)


@pytest.mark.usefixtures("documents")
def test_a_search_ranked_off_its_words_keeps_that_way_when_a_word_is_forgotten(
    settings, monkeypatch
):
    settings.SEARCH_FOUND_KEPT = 100_000
    for words in ("kiln", "kiln", "lamp", "lamp"):
        ranked(words, sorted(_KINDS), limit=5)
    first = ranked("kiln lamp", sorted(_KINDS), limit=5)  # off the words
    ranking_index.reading().found.matches._kept.values.clear()  # forgotten (memory's bound)
    asked = []
    monkeypatch.setattr(
        ranking_search, "ranked", lambda *a, **k: asked.append(1) or kept.ranked(*a, **k)
    )
    second = ranked("kiln lamp", sorted(_KINDS), limit=5, offset=5)
    assert asked  # read again and ranked off them, as the first page was
    assert not {key[:2] for key in first[0]} & {key[:2] for key in second[0]}
