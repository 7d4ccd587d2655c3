"""The entries each word of the searches matches, kept by a worker while the ranking index
(search/ranking_index.py) stays at one state: a search made of words asked before is counted
off their sets of bits rather than by going through its matches."""

import functools
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import tantivy
from django.conf import settings


@dataclass(frozen=True)
class Matched:
    """The entries a query matches at one state of the index, as a set of bits (one per
    ``SearchEntry`` id); ``inverted``: the entries it does not match (those of a word most
    entries hold are fewer to read). ``bits`` None: the query matches too few entries to be
    worth keeping (counting through them is as quick as reading the bits)."""

    bits: int | None
    inverted: bool = False

    @property
    def size(self) -> int:  # in bytes, about
        return 64 + (self.bits.bit_length() // 8 if self.bits else 0)


def matched_count(matched: list[Matched], every_entry: int) -> int:
    """How many entries every one of the queries matches, of the ``every_entry`` the index
    holds (read off their sets of bits: no entry is gone through)."""
    held = [m.bits for m in matched if not m.inverted]
    left_out = [m.bits for m in matched if m.inverted]
    if not held:
        return every_entry - functools.reduce(operator.or_, left_out, 0).bit_count()
    bits = functools.reduce(operator.and_, held)
    for not_matched in left_out:
        bits &= ~not_matched
    return bits.bit_count()


class Matches:
    """The entries each word of the searches matches (``Matched``), kept by the process while
    the index stays at one state (a ``Found``'s), so that the count of a search made of words
    asked before is read off their sets of bits rather than by going through every match: at a
    million entries a word of the domain matches hundreds of thousands, and a count through
    them takes tens of milliseconds. A word's matches are kept the second time a search asks
    for it at that state (the first time its search counts as before: a word never asked
    again costs nothing more), at most ``SEARCH_MATCHES_KEPT_MB`` in all (a bit per entry of
    the index for each word), the least recently asked forgotten first."""

    ASKED = 10_000  # the words asked once remembered at most (the most recent)

    def __init__(self):
        self._kept: OrderedDict = OrderedDict()  # key -> Matched
        self._asked: OrderedDict = OrderedDict()  # keys asked once
        self._bytes = 0
        self._lock = threading.Lock()

    def held(self, key) -> Matched | None:
        """What is kept for ``key``, if anything (not an asking)."""
        with self._lock:
            return self._kept.get(key)

    def get(self, key, searcher: tantivy.Searcher, query: Callable) -> Matched | None:
        """The entries ``query()`` (what ``key`` names) matches, or None when it was not asked
        before or may not be kept (the caller counts as before)."""
        most = settings.SEARCH_MATCHES_KEPT_MB * 2**20
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
            if not most or key not in self._asked:
                self._asked[key] = True
                while len(self._asked) > self.ASKED:
                    self._asked.popitem(last=False)
                return None
        matched = _matched(searcher, query())
        if matched.size > most:
            return None
        with self._lock:
            self._asked.pop(key, None)
            if key not in self._kept:
                self._kept[key] = matched
                self._bytes += matched.size
            while self._bytes > most:
                _key, forgotten = self._kept.popitem(last=False)
                self._bytes -= forgotten.size
        return matched


# A query matching fewer than this share of the index's entries is not kept: counting its
# matches with the others' goes through its own few (the index starts from the rarest).
_KEPT_FROM = 0.01


def _matched(searcher: tantivy.Searcher, query) -> Matched:
    every_entry = searcher.num_docs
    count = searcher.search(query, 1, count=True).count
    if count < _KEPT_FROM * every_entry:
        return Matched(None)
    inverted = count > every_entry / 2
    if inverted:
        Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806 - the library's names
        query = Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, query)])
        count = every_entry - count
    bits = bytearray()
    if count:
        found = searcher.search(
            query, count, count=False, order_by_field="entry", order=tantivy.Order.Desc
        ).hits
        bits = bytearray(found[0][0] // 8 + 1)  # the highest id first
        for entry, _address in found:
            bits[entry >> 3] |= 1 << (entry & 7)
    return Matched(int.from_bytes(bits, "little"), inverted)
