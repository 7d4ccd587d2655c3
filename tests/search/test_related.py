"""Entries related to a need's text (search/related.py), found by the ranking index where it can
answer and by the database's own index otherwise: both find the same entries with the same
scores, on the starter data and the labelled needs of the matching engine's evaluation."""

import io
from pathlib import Path

import pytest

from mercuryhub.core.starter import load_starter_data
from mercuryhub.exchange import matching
from mercuryhub.exchange.evaluation import read_cases
from mercuryhub.exchange.profiles import profile_from_data
from mercuryhub.search import ranking_index, related

CASES = Path(__file__).parents[1] / "exchange" / "evaluation_needs.json"


@pytest.mark.django_db(transaction=True)
def test_the_ranking_index_relates_the_same_entries_as_the_database(settings):
    load_starter_data(io.StringIO(), verbosity=0)
    kinds = [source.kind for source in matching.sources()]
    texts = [profile_from_data(case["need"]).text for case in read_cases(CASES)]
    texts += ["separators", "amalgam separator", "lampes fluorescentes", "nothing-like-this"]
    compared = 0
    for text in texts:
        settings.SEARCH_RANKING_INDEX = False
        by_database = related.related(text, kinds, limit=50, ignore=matching._stopwords())
        settings.SEARCH_RANKING_INDEX = True
        assert ranking_index.searcher() is not None  # the index answers, not the database
        by_index = related.related(text, kinds, limit=50, ignore=matching._stopwords())
        scores, searched = by_database
        assert by_index[1] == searched, text
        assert list(by_index[0]) == list(scores), text  # the same entries, best first
        assert list(by_index[0].values()) == pytest.approx(list(scores.values())), text
        compared += bool(scores)
    assert compared >= 30  # most texts relate to some entries
