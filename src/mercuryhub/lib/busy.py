"""A database too busy to take a write: SQLite while a long import holds its lock, PostgreSQL while
one holds the search change log's (search/ranking_index.py, lock_changes). Such a request
is answered 503 with Retry-After, never 500 (core.middleware.database_busy_response for pages and
devices, lib.api's error handler for the API): nothing of it was saved."""

from django.conf import settings
from django.core.cache.backends import db as db_cache
from django.db import OperationalError, connections, router
from django.utils import translation

# PostgreSQL's codes for a lock not obtained within lock_timeout, and for the transaction it
# chose to end when two waited for each other (a writer holding the search change log's lock
# and another holding a row the first then wants).
REFUSED_LOCKS = {"55P03", "40P01"}


def database_busy(exception) -> bool:
    """Whether the error is the database refusing a write it could not lock in time."""
    if not isinstance(exception, OperationalError):
        return False
    if getattr(exception.__cause__, "sqlstate", None) in REFUSED_LOCKS:  # PostgreSQL
        return True
    message = str(exception).lower()
    return "locked" in message or "busy" in message


def busy_message() -> str:
    return translation.gettext(
        "MercuryHub is busy saving a large change. Nothing of your request was saved; "
        "please try again in a few seconds."
    )


def retry_after() -> int:
    """How many seconds to wait before trying again (the Retry-After header)."""
    return settings.DATABASE_BUSY_RETRY_AFTER


class DatabaseCache(db_cache.DatabaseCache):
    """Django's database cache, except that a write the database is too busy to take raises
    (and so answers 503) instead of failing silently: a rate limit that cannot count would
    otherwise refuse the request as if the limit were reached (a sign-in answered 429)."""

    def _base_set(self, mode, key, value, timeout=db_cache.DEFAULT_TIMEOUT):
        refused = []

        def watch(execute, sql, params, many, context):
            try:
                return execute(sql, params, many, context)
            except OperationalError as error:
                if database_busy(error):
                    refused.append(error)
                raise

        database = router.db_for_write(self.cache_model_class)
        with connections[database].execute_wrapper(watch):
            stored = super()._base_set(mode, key, value, timeout)
        if refused:
            raise refused[0]
        return stored
