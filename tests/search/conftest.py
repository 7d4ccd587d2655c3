import pytest

from mercuryhub.search import engine
from tests.conftest import SEARCH_ENGINES, choose_search_engine


@pytest.fixture(params=SEARCH_ENGINES)
def search_engine(request, settings, monkeypatch):
    """The test against SQLite's tables (PostgreSQL's vector) and against the ranking index,
    which must then answer every search (modules use it with ``usefixtures``)."""
    if choose_search_engine(request.param, settings):

        def not_expected(*args, **kwargs):
            raise AssertionError("The database answered a search the ranking index should")

        monkeypatch.setattr(engine._SqliteSearch, "page", not_expected)
        monkeypatch.setattr(engine._PostgresqlSearch, "page", not_expected)
    return request.param
