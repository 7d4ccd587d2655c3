"""An entry's tags in the search index: each term an entry is tagged with is one word of its
document, ``tag_token(term id)``, rather than the term's labels and synonyms in six languages
(which made nine tenths of a facility's indexed text, written again for every entry).

A word of a query finds an entry by its tags when it begins a word of one of them: of its
label or of a synonym, in any language, or of those of a narrower term (an entry tagged
"containing mercury" is found by "thermometer"). The taxonomy app says which terms a word
begins a word of, broader terms included (``register``); the engines then look for their
tokens in the tags alone. A token starts with a character of Unicode's private use area, which
the splitting of a query into words drops: no word a visitor types matches a tag's token.
"""

from collections.abc import Callable, Iterable

MARK = "\ue000"

# (a word of a query) -> the ids of the terms an entry tagged with finds it.
_terms_matching: Callable[[str], Iterable[int]] | None = None


def register(function: Callable[[str], Iterable[int]]) -> None:
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
    if _terms_matching is None:
        return []
    return [tag_token(pk) for pk in sorted(_terms_matching(word))]
