"""The words of a text as search sees them: case and accents folded, compatibility forms
decomposed, each ideograph a word of its own. Documents are indexed, and queries matched, by
these words on every engine."""

import re
import unicodedata
from functools import lru_cache

WORD = re.compile(r"[^\W_]+", re.UNICODE)  # as the engines split words: "_" separates
_MAX_WORDS = 12


# Chinese (and Japanese kanji) is written without spaces between words, which the engines' word
# splitting needs: each ideograph is indexed and searched as a word of its own, so that "处理"
# finds "灯管处理线" (every character of the query, in any order, as for the words of a query).
_IDEOGRAPH_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def is_ideograph(text: str) -> bool:
    return len(text) == 1 and _IDEOGRAPH_RUN.fullmatch(text) is not None


def _spaced(run: re.Match) -> str:
    return " " + "  ".join(run.group()) + " "


def segmented(text: str) -> str:
    """The text with a space around each ideograph."""
    text = text or ""
    if text.isascii():
        return text
    return SEPARATOR.join(_segmented_part(part) for part in text.split(SEPARATOR))


class _Unmarked(dict):
    """For ``str.translate``: a combining mark (an accent, once decomposed) is dropped, any
    other character kept; each character is looked at once, then remembered. Every document
    indexed goes through this, so the work is done by ``translate`` rather than a loop."""

    def __missing__(self, code: int):
        self[code] = value = None if unicodedata.combining(chr(code)) else code
        return value


_UNMARKED = _Unmarked()


def normalize(text: str) -> str:
    """Case- and accent-folded text: "Montréal" and "MONTREAL" both become "montreal"."""
    text = text or ""
    if text.isascii():  # nothing to decompose, and casefold is lower
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_UNMARKED).casefold()


def words(text: str) -> list[str]:
    if not text:
        return []
    return [word for part in text.split(SEPARATOR) for word in _part_words(part)]


def word_text(text: str) -> str:
    """``" ".join(words(text))``, each part's words joined once (what the ranking index takes)."""
    if not text:
        return ""
    return " ".join(joined for part in text.split(SEPARATOR) if (joined := _part_text(part)))


# Documents join the names of an entry's terms and places, in six languages, with this: the
# same names come back in entry after entry, so each part's words are worked out once. Splitting
# there changes nothing (the separator is no part of a word, nor does it change next to one).
SEPARATOR = " · "
_REMEMBERED_PART = 200  # characters; longer parts (an entry's own description) are not kept


def _remembered(function):
    remembered = lru_cache(maxsize=20_000)(function)

    def by_part(part: str):
        return remembered(part) if len(part) <= _REMEMBERED_PART else function(part)

    return by_part


@_remembered
def _part_words(part: str) -> tuple[str, ...]:
    return tuple(WORD.findall(normalize(_segmented_part(part))))


@_remembered
def _part_text(part: str) -> str:
    return " ".join(_part_words(part))


@_remembered
def _segmented_part(part: str) -> str:
    return part if part.isascii() else _IDEOGRAPH_RUN.sub(_spaced, part)


def query_words(query: str) -> list[str]:
    """The words of a query, without duplicates, at most twelve."""
    return list(dict.fromkeys(words(query)))[:_MAX_WORDS]
