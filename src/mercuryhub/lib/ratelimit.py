"""Counting what someone does within a time window, in the cache shared by the server's
processes: the one way the platform limits how often a thing may be done (messages to experts,
link requests, match previews)."""

from django.core.cache import cache


def count_within(key: str, seconds: int) -> int:
    """Count one more under ``key`` and return the count within the window of ``seconds`` that
    began with the first."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1
