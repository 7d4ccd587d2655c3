"""Control characters in what people send: no database stores NUL in text (PostgreSQL refuses
it, SQLite keeps it and breaks every export), and the other C0 control characters have no place
in a name or a code. Tab and line breaks are allowed in long text only: descriptions,
biographies, permits, messages and reasons.

One check for every way in; the request middleware applies it to query parameters, form fields
and JSON bodies before any view or API route sees them."""

import re
from collections.abc import Iterator

# C0 controls, and the subset that long text may contain (tab, line feed, carriage return:
# browsers send a textarea's line breaks as CR LF).
_ANY_CONTROL = re.compile(r"[\x00-\x1f]")
_CONTROL_IN_LONG_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Fields written as paragraphs, by name (a form prefix such as ``link-`` is ignored).
LONG_TEXT_FIELDS = frozenset({"description", "biography", "permits", "message", "reason"})


def is_long_text(field: str) -> bool:
    return field.rsplit("-", 1)[-1].rsplit(".", 1)[-1] in LONG_TEXT_FIELDS


def control_character(text: str, *, long_text: bool = False) -> str | None:
    """The first control character not allowed in ``text``, or None."""
    found = (_CONTROL_IN_LONG_TEXT if long_text else _ANY_CONTROL).search(text)
    return found.group() if found else None


def describe(character: str) -> str:
    code = f"U+{ord(character):04X}"
    return f"NUL ({code})" if character == "\x00" else code


def problem(field: str, value: str) -> str | None:
    """What is wrong with one field's text, naming the field; None when it is fine."""
    character = control_character(field, long_text=False) or control_character(
        value, long_text=is_long_text(field)
    )
    if character is None:
        return None
    return f"{_printable(field)!r} contains the control character {describe(character)}"


def problems_in_json(value, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, message) for each string in a parsed JSON document that holds a control
    character it may not; paths are dotted, list items numbered (``languages.0``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and control_character(key):
                yield _printable(child), f"{_printable(child)!r} contains a control character"
            else:
                yield from problems_in_json(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from problems_in_json(item, f"{path}.{index}" if path else str(index))
    elif isinstance(value, str):
        message = problem(path or "body", value)
        if message:
            yield path or "body", message


def _printable(name: str) -> str:
    return _ANY_CONTROL.sub("", name)
