"""The answers of a filled-in form: typed values keyed by instance path, read from the web form's
fields and written back into them, and the scope in which expressions read them.

Values are a plain dict: `"site_name": "Kibi"`, `"miners": 12` (int), `"mercury_kg":
Decimal("1.5")`, `"visited": date(…)`, `"practices": ["amalg", "burn"]`, `"location": GeoPoint(…)`,
`"household[1]/name": "Ana"`; a repeat's own path gives its number of instances (`"household": 2`,
`"household[0]/member": 3`). An unanswered question has no key.

The web form names its fields by the same paths. A repeat's number of instances travels in a
hidden `_count:<repeat path>` field; a geopoint is either one field (`"lat lon [alt acc]"`) or
`<path>:lat` and `<path>:lon` (with `<path>:alt` and `<path>:acc` keeping what ODK Collect
recorded); a select_multiple is one key repeated, or one space-separated value."""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from .survey import Question, Survey
from .xpath_values import NodeSet

COUNT_PREFIX = "_count:"
MAX_INSTANCES = 500  # of one repeat, from one submission
_INT_RANGE = (-(2**31), 2**31 - 1)  # ODK's int
_SEGMENT = re.compile(r"^(?P<name>[^/\[\]]+)(?:\[(?P<index>\d+)\])?$")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class GeoPoint(NamedTuple):
    latitude: Decimal
    longitude: Decimal
    altitude: Decimal = Decimal(0)
    accuracy: Decimal = Decimal(0)

    def __str__(self):
        return " ".join(decimal_text(part) for part in self)


def decimal_text(number: Decimal) -> str:
    text = format(number, "f")
    return text if text != "-0" else "0"


def answer_text(value) -> str:
    """A value as ODK writes it in an instance: select_multiple space-separated, dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, list | tuple) and not isinstance(value, GeoPoint):
        return " ".join(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _xpath_value(value):
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, datetime.date):
        return value
    return answer_text(value)


def schema_path(instance_path: str) -> str:
    return re.sub(r"\[\d+\]", "", instance_path)


def repeat_indexes(instance_path: str) -> dict[str, int]:
    """{"household": 1, "household/member": 0} for "household[1]/member[0]/age"."""
    indexes, names = {}, []
    for segment in instance_path.split("/"):
        match = _SEGMENT.match(segment)
        if not match:
            break
        names.append(match["name"])
        if match["index"] is not None:
            indexes["/".join(names)] = int(match["index"])
    return indexes


def instance_paths(survey: Survey, values: dict, question: Question, fixed=None) -> list[str]:
    """The instance paths of a question in every repeat instance, or only in those of `fixed`
    ({repeat path: index}) for the repeats it names."""
    fixed = fixed or {}
    segments = question.path.split("/")
    prefixes = [""]
    for position, segment in enumerate(segments):
        path = "/".join(segments[: position + 1])
        found = [f"{prefix}{segment}" for prefix in prefixes]
        if survey.by_path[path].kind == "repeat" and path != question.path:
            if path in fixed:
                found = [f"{prefix}[{fixed[path]}]" for prefix in found]
            else:
                found = [f"{p}[{index}]" for p in found for index in range(values.get(p, 0))]
        prefixes = [f"{prefix}/" for prefix in found] if position < len(segments) - 1 else found
    return prefixes


class Scope:
    """Where an expression is evaluated: the answers and the instance path of the question (or
    group, or repeat instance) it belongs to. ${name} is looked for in the same repeat instances
    first; in a repeat the scope is not inside, it selects the field in every instance."""

    def __init__(self, survey: Survey, values: dict, path: str):
        self.survey = survey
        self.values = values
        self.path = path
        self.indexes = repeat_indexes(path)

    def value(self, name: str):
        question = self.survey.by_name.get(name)
        if question is None:
            return ""
        fixed = {path: index for path, index in self.indexes.items() if path != question.path}
        paths = instance_paths(self.survey, self.values, question, fixed)
        if question.kind == "repeat":
            return NodeSet("" for path in paths for _index in range(self.values.get(path, 0)))
        found = [_xpath_value(self.values.get(path)) for path in paths]
        if all(repeat in fixed for repeat in question.repeats):
            return found[0] if found else ""
        return NodeSet(found)

    def current(self):
        return _xpath_value(self.values.get(self.path))

    def position(self) -> int:
        last = self.path.rsplit("/", 1)[-1]
        match = _SEGMENT.match(last)
        return int(match["index"]) + 1 if match and match["index"] is not None else 0


# -- reading the web form's fields --------------------------------------------------------------


def getlist(data, key: str) -> list[str]:
    if hasattr(data, "getlist"):
        return [str(value) for value in data.getlist(key)]
    value = data.get(key)
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


def _first(data, key: str) -> str:
    found = getlist(data, key)
    return found[-1].strip() if found else ""


def instance_count(data, repeat_instance_path: str) -> int:
    """How many instances of a repeat the data holds: its `_count:` field, else the highest
    index among its fields."""
    counted = _first(data, COUNT_PREFIX + repeat_instance_path)
    if counted.isdigit():
        return min(int(counted), MAX_INSTANCES)
    pattern = re.compile(re.escape(repeat_instance_path) + r"\[(\d+)\]")
    indexes = [
        int(match[1]) for key in data if (match := pattern.match(key.removeprefix(COUNT_PREFIX)))
    ]
    return min(max(indexes) + 1, MAX_INSTANCES) if indexes else 0


def read_answers(survey: Survey, data) -> tuple[dict, dict]:
    """The typed values of the fields the data holds, and the type errors by instance path."""
    values, errors = {}, {}
    _read(survey.children, "", data, values, errors)
    return values, errors


def _read(children, prefix: str, data, values: dict, errors: dict):
    for question in children:
        path = f"{prefix}{question.name}"
        if question.kind == "group":
            _read(question.children, f"{path}/", data, values, errors)
        elif question.kind == "repeat":
            values[path] = instance_count(data, path)
            for index in range(values[path]):
                _read(question.children, f"{path}[{index}]/", data, values, errors)
        elif question.is_input:
            value, error = read_answer(question, data, path)
            if error:
                errors[path] = error
            elif value is not None:
                values[path] = value


def read_answer(question: Question, data, path: str):
    """(value, None), (None, None) when unanswered, or (None, the message of a type error)."""
    if question.kind == "geopoint":
        return _read_geopoint(data, path)
    if question.kind == "select_multiple":
        chosen = [name for item in getlist(data, path) for name in item.split()]
        if not chosen:
            return None, None
        if set(chosen) - question.choice_names():
            return None, _("Choose only among the answers offered.")
        return [choice.name for choice in question.choices if choice.name in chosen], None
    return parse_answer(question, _first(data, path))


def parse_answer(question: Question, text: str):
    text = text.strip()
    if not text:
        return None, None
    if question.kind == "integer":
        if not _INTEGER.fullmatch(text):
            return None, _("Enter a whole number.")
        number = int(text)
        if not _INT_RANGE[0] <= number <= _INT_RANGE[1]:
            return None, _("Enter a whole number between %(least)d and %(most)d.") % {
                "least": _INT_RANGE[0],
                "most": _INT_RANGE[1],
            }
        return number, None
    if question.kind == "decimal":
        number = _decimal(text)
        return (number, None) if number is not None else (None, _("Enter a number."))
    if question.kind == "date":
        try:
            if not _DATE.fullmatch(text):
                raise ValueError(text)
            return datetime.date.fromisoformat(text), None
        except ValueError:
            return None, _("Enter a date as year-month-day, for example 2024-03-27.")
    if question.kind == "select_one" and text not in question.choice_names():
        return None, _("Choose one of the answers offered.")
    return text, None


def _decimal(text: str) -> Decimal | None:
    if "," in text and "." not in text:
        text = text.replace(",", ".", 1)  # a decimal comma, as French or Russian write it
    if not _DECIMAL.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _read_geopoint(data, path: str):
    whole = _first(data, path).split()
    parts = whole or [_first(data, f"{path}:{part}") for part in ("lat", "lon", "alt", "acc")]
    return parse_geopoint(parts)


def parse_geopoint(parts: list[str]):
    """(GeoPoint, None) from "lat lon [alt acc]" split, (None, None) or (None, a message)."""
    if not any(parts):
        return None, None
    if len(parts) < 2 or not parts[0] or not parts[1]:
        return None, _("Enter both the latitude and the longitude.")
    numbers = [_decimal(part) if part else Decimal(0) for part in parts[:4]]
    if any(number is None for number in numbers):
        return None, _("Enter the latitude and the longitude as numbers in degrees.")
    point = GeoPoint(*numbers)
    if not -90 <= point.latitude <= 90:
        return None, _("The latitude must be between -90 and 90.")
    if not -180 <= point.longitude <= 180:
        return None, _("The longitude must be between -180 and 180.")
    return point, None


# -- writing them back --------------------------------------------------------------------------


def form_data(survey: Survey, values: dict) -> MultiValueDict:
    """The web form's fields holding the values, to edit a submission."""
    data = MultiValueDict()
    _write(survey.children, "", values, data)
    return data


def _write(children, prefix: str, values: dict, data: MultiValueDict):
    for question in children:
        path = f"{prefix}{question.name}"
        value = values.get(path)
        if question.kind == "group":
            _write(question.children, f"{path}/", values, data)
        elif question.kind == "repeat":
            data[COUNT_PREFIX + path] = str(value or 0)
            for index in range(value or 0):
                _write(question.children, f"{path}[{index}]/", values, data)
        elif value is None or not question.is_input:
            continue
        elif question.kind == "select_multiple":
            data.setlist(path, list(value))
        elif question.kind == "geopoint":
            for part, number in zip(("lat", "lon", "alt", "acc"), value, strict=True):
                data[f"{path}:{part}"] = decimal_text(number)
        else:
            data[path] = answer_text(value)


def initial_data(survey: Survey) -> MultiValueDict:
    """The fields of a new form: the questions' defaults, one instance of each repeat."""
    data = MultiValueDict()
    initial_fields(survey.children, "", data)
    return data


def initial_fields(children, prefix: str, data: MultiValueDict):
    """Adds the fields of new questions under the prefix: defaults, one instance per repeat."""
    for question in children:
        path = f"{prefix}{question.name}"
        if question.kind == "group":
            initial_fields(question.children, f"{path}/", data)
        elif question.kind == "repeat":
            data[COUNT_PREFIX + path] = "1"
            initial_fields(question.children, f"{path}[0]/", data)
        elif question.default and question.kind == "select_multiple":
            data.setlist(path, question.default.split())
        elif question.default:
            data[path] = question.default
