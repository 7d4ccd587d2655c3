"""Excerpts of search hits with the query's words marked (``search.text``): the words marked are
those the engines matched, a word of the text beginning with a word of the query, case and
accents folded, whatever the script."""

import random
import re

import pytest

from mercuryhub.search.text import highlight, matched_spans
from mercuryhub.search.words import normalize, query_words

TEXTS = [
    "Batrec Industrie AG recovers mercury from LAMPS, lamp-posts and lampe_s.",
    "Crushes fluorescent tubes (T8/T5) and CFL; 2,000 t/y of Hg-bearing waste. Re-lamping.",
    "Montréal recycles MONTREAL's lamps; Straße, İstanbul and ﬁltration.",
    "Переработка ртутьсодержащих ламп — Ёлки, mercury ламп",
    "معالجة النفايات الزئبقية مَعالِجَة lamps",
    "灯管处理线 處理 lamps",
    "",
]
QUERIES = [
    "lamp",
    "LAMPS mercury",
    "re",
    "t",
    "2",
    "hg bearing",
    "montreal strasse istanbul filtration",
    "ламп ёлки",
    "معالجة",
    "处理",
    "s",
    "cfl tubes crushes",
    "nothing-here",
]


def _word_by_word(text, terms):
    """The words beginning with a term, each word folded as the engines fold it."""
    return [
        match.span()
        for match in re.finditer(r"[^\W_]+", text)
        if normalize(match.group()).startswith(terms)
    ]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("query", QUERIES)
def test_the_words_marked_are_those_beginning_with_a_word_of_the_query(text, query):
    terms = tuple(query_words(query))
    assert matched_spans(text, terms) == _word_by_word(text, terms)


def test_generated_ascii_texts_mark_the_same_words_as_word_by_word():
    chance = random.Random(7)  # noqa: S311 - test data
    alphabet = "aAbBlLmMpPsS01 _-.,;'()\n"
    for _ in range(400):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 60)))
        query = " ".join(
            "".join(chance.choice("ablmps01") for _ in range(chance.randint(1, 3)))
            for _ in range(chance.randint(1, 3))
        )
        terms = tuple(query_words(query))
        assert matched_spans(text, terms) == _word_by_word(text, terms), (text, query)


def test_an_excerpt_marks_each_matched_word_and_escapes_the_rest():
    assert highlight("Uses <b>LAMPS</b> & lamp-posts.", "lamp") == (
        "Uses &lt;b&gt;<mark>LAMPS</mark>&lt;/b&gt; &amp; <mark>lamp</mark>-posts."
    )
    marked = "<mark>Montréal</mark> recycles lamps"
    assert highlight("Montréal recycles lamps", "montreal") == marked
    assert highlight("Nothing to see", "lamp") is None
    assert highlight("", "lamp") is None
