"""Checks of text as people send it: characters no page, database or document can hold, and
text that was decoded with the wrong encoding on its way here. One check for every way in: the
request middleware applies it to addresses, query parameters, form fields and JSON bodies before
any view or API route sees them, the catalogue's field checks and the importers to what they
read."""

import re
import unicodedata
from collections.abc import Iterator

# Fields written as paragraphs, by name (a form prefix such as ``link-`` is ignored): the only
# ones whose text may hold tabs and line breaks; and the texts of a mapping of them (a National
# Action Plan's ``sections``: Markdown by section code).
LONG_TEXT_FIELDS = frozenset(
    {"description", "summary", "biography", "permits", "message", "reason", "text"}
    # A workplan's activities (one a line) and expected outputs, a review report's texts, an
    # endorsement's comment.
    | {"activities", "output", "outputs", "challenges", "lessons_learned", "comment"}
)
LONG_TEXT_MAPPINGS = frozenset({"sections"})

# The longest text each kind of field takes, through the API and the web forms alike; a field
# stored in a column of fixed length (a model's CharField) takes that length instead.
# A code, a slug, a reference to something by name, a date written out: no more than a line.
SHORT_TEXT_MAX_LENGTH = 300
# A description, a biography, a summary, a comment, a note: about 3,000 words.
LONG_TEXT_MAX_LENGTH = 20_000
# The text of a document: a plan's section (Markdown), a video's transcript.
DOCUMENT_TEXT_MAX_LENGTH = 200_000
DOCUMENT_TEXT_FIELDS = frozenset({"transcript", "sections"})


def is_long_text(field: str) -> bool:
    name = field.rsplit("-", 1)[-1]
    parent, _, last = name.rpartition(".")
    return last in LONG_TEXT_FIELDS or parent in LONG_TEXT_MAPPINGS


# Characters of Unicode's categories Cc (control: U+0000-U+001F, U+007F-U+009F) and Cs (lone
# surrogates). Tab and line breaks belong in long texts (descriptions, biographies); every other
# control character (NUL above all, which PostgreSQL cannot store) is refused everywhere.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _first_control_character(text: str, *, multiline: bool) -> tuple[int, str] | None:
    """The first character ``text`` may not hold: a control character (tabs and line breaks
    allowed when ``multiline``), or a lone surrogate (``"\\ud800"`` escaped in JSON), which is
    half of a character no encoding can write."""
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(text)
    return None if found is None else (found.start() + 1, found.group())


def find_control_character(text: str, *, multiline: bool) -> str | None:
    """A description of the first control character in ``text`` ("NUL at position 4"), or None
    when there is none. Tabs and line breaks are allowed when ``multiline``."""
    found = _first_control_character(text, multiline=multiline)
    return f"{_name(found[1])} at position {found[0]}" if found else None


def field_problem(field: str, value: str) -> str | None:
    """What is wrong with one field's text, naming the field; None when it is fine."""
    found = _first_control_character(field, multiline=False) or _first_control_character(
        value, multiline=is_long_text(field)
    )
    if found is None:
        return None
    character = found[1]
    code = f"U+{ord(character):04X}"
    name = without_control_characters(field, multiline=False)
    if unicodedata.category(character) == "Cs":
        return f"{name!r} contains a lone surrogate {code}, which is not a character"
    shown = f"NUL ({code})" if character == "\x00" else code
    return f"{name!r} contains the control character {shown}"


def json_problems(value, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, message) for each string in a parsed JSON document that holds a control
    character it may not; paths are dotted, list items numbered (``languages.0``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _first_control_character(key, multiline=False):
                shown = without_control_characters(child, multiline=False)
                yield shown, f"{shown!r} contains a control character"
            else:
                yield from json_problems(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_problems(item, f"{path}.{index}" if path else str(index))
    elif isinstance(value, str):
        message = field_problem(path or "body", value)
        if message:
            yield path or "body", message


def has_control_character(text: str) -> bool:
    return _first_control_character(text, multiline=False) is not None


def control_character_message(text: str, *, multiline: bool) -> str | None:
    """What to tell a person whose text holds a control character, or None."""
    found = find_control_character(text, multiline=multiline)
    if found is None:
        return None
    where = "" if multiline else "; tabs and line breaks belong only in long texts"
    return f"Contains a control character ({found}), which is not allowed{where}"


def without_control_characters(text: str, *, multiline: bool = True) -> str:
    """The text with every control character that is not allowed (and every lone surrogate)
    taken out: what exports do with a text that should never have been stored."""
    return (_CONTROL_MULTILINE if multiline else _CONTROL).sub("", text)


_NAMES = {"\x00": "NUL", "\t": "a tab", "\n": "a line break", "\r": "a carriage return"}


def _name(character: str) -> str:
    return _NAMES.get(character, f"U+{ord(character):04X}")


# The first byte of a UTF-8 sequence, read as Windows-1252, is a letter from "Â" to "ô"; the
# bytes after it come out as the characters Windows-1252 gives 0x80 to 0xBF ("©", "€", "™"…).
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u203a\u20ac\u2122"
)
_MIS_DECODED = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]+")


def likely_mis_decoded(text: str) -> str | None:
    """What ``text`` most likely said before its UTF-8 bytes were read as Windows-1252 or Latin-1
    ("Almadén" for "AlmadÃ©n"), or None when it looks right."""
    repaired = _MIS_DECODED.sub(_repair, text)
    return repaired if repaired != text else None


def _repair(match: re.Match) -> str:
    sequence = match.group()
    for encoding in ("cp1252", "latin-1"):
        try:
            return sequence.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return sequence
