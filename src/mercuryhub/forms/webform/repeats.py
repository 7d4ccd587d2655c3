"""The "Add another" and "Remove" buttons of repeats, which work without JavaScript: they submit
the form with `_add=<repeat path>` or `_remove=<instance path>`, and the page is shown again with
one instance more or less (the following instances renumbered)."""

import re

from django.utils.datastructures import MultiValueDict

from .answers import COUNT_PREFIX, MAX_INSTANCES, getlist, initial_fields, instance_count
from .answers import schema_path as _schema_path
from .survey import Survey

ADD = "_add"
REMOVE = "_remove"


def apply_repeat_button(survey: Survey, data) -> tuple[MultiValueDict, str | None]:
    """The form's fields after the repeat button it was sent with, and the instance path to show
    (the instance added, or the repeat an instance was removed from); the fields unchanged and
    None when no such button was pressed."""
    fields = MultiValueDict()
    for key in data:
        if key not in (ADD, REMOVE):
            fields.setlist(key, getlist(data, key))
    added = _pressed(data, ADD)
    removed = _pressed(data, REMOVE)
    if added and _is_repeat(survey, added):
        return _add(survey, fields, added)
    match = re.fullmatch(r"(?P<repeat>.+)\[(?P<index>\d+)\]", removed or "")
    if match and _is_repeat(survey, match["repeat"]):
        return _remove(fields, match["repeat"], int(match["index"]))
    return fields, None


def _pressed(data, name: str) -> str:
    found = getlist(data, name)
    return found[-1].strip() if found else ""


def _is_repeat(survey: Survey, path: str) -> bool:
    question = survey.by_path.get(_schema_path(path))
    return question is not None and question.kind == "repeat"


def _add(survey: Survey, fields: MultiValueDict, repeat: str):
    count = instance_count(fields, repeat)
    if count >= MAX_INSTANCES:
        return fields, None
    fields[COUNT_PREFIX + repeat] = str(count + 1)
    question = survey.by_path[_schema_path(repeat)]
    initial_fields(question.children, f"{repeat}[{count}]/", fields)
    return fields, f"{repeat}[{count}]"


def _remove(fields: MultiValueDict, repeat: str, index: int):
    count = instance_count(fields, repeat)
    if index >= count:
        return fields, None
    pattern = re.compile(re.escape(repeat) + r"\[(\d+)\](.*)", re.DOTALL)
    kept = MultiValueDict()
    for key, items in fields.lists():
        counted = key.startswith(COUNT_PREFIX)
        bare = key.removeprefix(COUNT_PREFIX)
        match = pattern.fullmatch(bare)
        if match and int(match[1]) == index:
            continue
        if match and int(match[1]) > index:
            bare = f"{repeat}[{int(match[1]) - 1}]{match[2]}"
        kept.setlist(COUNT_PREFIX + bare if counted else bare, items)
    kept[COUNT_PREFIX + repeat] = str(count - 1)
    return kept, repeat
