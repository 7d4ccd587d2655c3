"""Reading reference data once while thousands of rows are checked (an import): within
``cached_lookups()``, ``cached(key, load)`` loads each thing once and hands the same answer
back; outside it, ``load`` runs every time, as a single form or API call needs."""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_cache: ContextVar[dict | None] = ContextVar("mercuryhub_lookups", default=None)


@contextmanager
def cached_lookups():
    """Remember what ``cached`` loads until the block ends. Only for blocks that write nothing
    the lookups read: what is created meanwhile is not seen."""
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def caching() -> bool:
    """Whether ``cached`` remembers what it loads here (within ``cached_lookups``): a check of
    one record then reads only what it names, a check of thousands the whole table once."""
    return _cache.get() is not None


def cached(key, load: Callable[[], T]) -> T:
    cache = _cache.get()
    if cache is None:
        return load()
    if key not in cache:
        cache[key] = load()
    return cache[key]


def remember(key, value) -> None:
    """Within ``cached_lookups``: ``cached(key, ...)`` hands ``value`` back without loading it
    (what many rows name, looked up together beforehand); outside it, nothing."""
    cache = _cache.get()
    if cache is not None:
        cache[key] = value
