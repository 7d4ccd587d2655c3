"""What the search shows and suggests beside its results: corrections of misspelt words from the
words of indexed titles, and excerpts with the query's words marked. Words are the engine's
(``words.query_words``), so that what is marked is what was matched."""

import html
import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from mercuryhub.search.models import SearchWord
from mercuryhub.search.words import WORD, normalize, query_words


def corrected_query(query: str) -> str | None:
    """The query with misspelt words replaced by the closest words of indexed titles, or None
    when no word needed correcting ("batrek" → "batrec")."""
    terms = query_words(query)
    changed, corrected = False, []
    for term in terms:
        if len(term) < 4 or SearchWord.objects.filter(word__startswith=term).exists():
            corrected.append(term)
            continue
        candidates = list(
            SearchWord.objects.filter(
                initial=term[0], length__gte=len(term) - 2, length__lte=len(term) + 2
            ).values_list("word", flat=True)
        )
        best = process.extractOne(term, candidates, scorer=fuzz.ratio, score_cutoff=70)
        if best is None:
            corrected.append(term)
        else:
            corrected.append(best[0])
            changed = True
    return " ".join(corrected) if changed else None


# Showing matches ---------------------------------------------------------------------------


def highlight(text: str, query: str, *, length: int = 180) -> str | None:
    """An HTML-safe excerpt of ``text`` around the query's words, each wrapped in <mark>; None when
    no word of the query occurs in the text."""
    terms = query_words(query)
    if not text or not terms:
        return None
    spans = matched_spans(text, tuple(terms))
    if not spans:
        return None
    start = max(0, spans[0][0] - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + length)
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        pieces.append(html.escape(text[cursor:span_start]))
        pieces.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(html.escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(pieces) + suffix


def matched_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the words of ``text`` that begin with one of ``terms`` (a query's words) are. In
    text and terms of ASCII letters, folding is lower case, so one expression finds them rather
    than a look at every word."""
    if not terms:
        return []
    if text.isascii() and all(term.isascii() for term in terms):
        return [match.span() for match in _beginning_with(terms).finditer(text)]
    return [
        (match.start(), match.end())
        for match in WORD.finditer(text)
        if normalize(match.group()).startswith(terms)
    ]


@lru_cache(maxsize=256)
def _beginning_with(terms: tuple[str, ...]) -> re.Pattern:
    """A word (as ``WORD`` finds them) beginning with one of ``terms``, in any case."""
    either = "|".join(re.escape(term) for term in terms)
    return re.compile(rf"(?<![^\W_])(?:{either})[^\W_]*", re.IGNORECASE)
