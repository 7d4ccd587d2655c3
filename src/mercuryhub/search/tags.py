"""An entry's tags in the search index: each term an entry is tagged with is one word of its
document, ``tag_token(term id)``, rather than the term's labels and synonyms in six languages
(which made nine tenths of a facility's indexed text, written again for every entry).

A word of a query finds an entry by its tags when it begins a word of one of them: of its
label or of a synonym, in any language, or of those of a narrower term (an entry tagged
"containing mercury" is found by "thermometer"). The review app says which terms a word begins
a word of, broader terms included (``register``); the engines then look for their tokens in the
tags alone, and the ranking index scores a broader term's less than the term's own (an entry
tagged "Mercury lamps" ranks above one tagged "containing mercury" for "fluorescent").

A token starts with a character of Unicode's private use area, which the splitting of a query
into words drops: no word a visitor types matches a tag's token.
"""

from collections.abc import Callable, Iterable

MARK = "\ue000"

# (a word of a query) -> {id of a term an entry tagged with finds it: whether the term itself
# has the word (else a narrower term has it)}.
_terms_matching: Callable[[str], dict[int, bool]] | None = None


def register(function: Callable[[str], dict[int, bool]]) -> None:
    global _terms_matching  # noqa: PLW0603 - one declaration, at start-up
    _terms_matching = function


def tag_token(term_id: int) -> str:
    return f"{MARK}t{term_id}"


def tag_text(term_ids: Iterable[int]) -> str:
    """The tags as an entry's document holds them: their tokens, each once, in order."""
    return " ".join(tag_token(pk) for pk in dict.fromkeys(term_ids))


def tokens_for(word: str) -> list[str]:
    """The tokens of the tags a word of a query finds, in a stable order (none when no app
    declared the terms)."""
    return [token for token, _own in scored_tokens(word)]


def scored_tokens(word: str) -> list[tuple[str, bool]]:
    """``tokens_for`` with, for each, whether its term itself has the word (else a narrower
    term of it has)."""
    if _terms_matching is None:
        return []
    found = _terms_matching(word)
    return [(tag_token(pk), found[pk]) for pk in sorted(found)]
