"""Figures read from every published entry (a list's filter counts, the map's cells of the
whole world), kept in the cache while the published entries are unchanged.

The key holds what was asked, the interface language and the state of the search index's
change log: each publication, withdrawal or change of a published entry is one change, a full
reindex a new generation. Any of them gives new keys, so what is kept is never older than the
entries the pages show. Inside a transaction, whose own changes may be uncommitted, the figures
are read afresh, and so they are with the ranking index turned off (``SEARCH_RANKING_INDEX``),
whose change log then counts no changes."""

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import OperationalError, connection
from django.utils.translation import get_language

from mercuryhub.lib.busy import database_busy
from mercuryhub.search import ranking_index

# How long figures are kept: any change gives new keys (see above); this only bounds how long
# the figures of questions nobody asks again stay in the cache.
KEPT_SECONDS = 24 * 3600

Result = TypeVar("Result")


def while_unchanged(name: str, asked: list, compute: Callable[[], Result]) -> Result:
    """``compute()``, from the cache when the same ``asked`` (JSON: filters, an area, the
    reference data's mark when labels or term trees enter the result) was answered since the
    last change to the published entries."""
    if connection.in_atomic_block or not ranking_index.enabled():
        return compute()
    state = ranking_index.database_state()
    question = [*asked, get_language(), state.token, state.change]
    key = f"{name}:" + hashlib.sha256(json.dumps(question).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        try:
            cache.set(key, found, KEPT_SECONDS)
        except OperationalError as error:  # a long import holds the database: kept next time
            if not database_busy(error):
                raise
    return found
