"""The values of the XPath subset and its functions: XPath 1.0's conversions between strings,
numbers, booleans and node-sets, with dates as days since 1970 as ODK counts them, and the
functions XLSForms use (selected(), count-selected(), regex(), round(), sum(), today()…)."""

import datetime
import math
import re
import uuid
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone


class NodeSet(tuple):
    """The values of the nodes a reference selects: the instances of a repeat, or one field in
    every instance of a repeat the evaluation is not inside."""


# -- conversions (XPath 1.0, with dates as days since 1970 as ODK counts them) -----------------

_EPOCH = datetime.date(1970, 1, 1)
_NUMBER = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_string(value) -> str:
    if isinstance(value, NodeSet):
        return to_string(value[0]) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_number(value) -> float:
    if isinstance(value, NodeSet):
        return to_number(value[0]) if value else math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return (value - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)).total_seconds() / 86400
    if isinstance(value, datetime.date):
        return float((value - _EPOCH).days)
    text = str(value)
    if _NUMBER.fullmatch(text):
        return float(text)
    if _ISO_DATE.match(text.strip()):
        return to_number(to_date(text))
    return math.nan


def to_boolean(value) -> bool:
    if isinstance(value, NodeSet):
        return bool(value)
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return bool(value)


def to_date(value):
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float):
        return _EPOCH + datetime.timedelta(days=math.floor(value)) if math.isfinite(value) else ""
    text = to_string(value).strip()
    try:
        if "T" in text:
            return datetime.datetime.fromisoformat(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        return ""


# -- functions -----------------------------------------------------------------------------------


def _selected(answer, choice) -> bool:
    return to_string(choice).strip() in to_string(answer).split()


def _selected_at(answer, index):
    chosen = to_string(answer).split()
    number = to_number(index)
    return chosen[int(number)] if math.isfinite(number) and 0 <= number < len(chosen) else ""


def _regex(text, pattern) -> bool:
    try:
        return re.search(to_string(pattern), to_string(text)) is not None
    except re.error:
        return False


def _coalesce(first, second):
    return first if to_string(first) != "" else second


def _int(value) -> float:
    number = to_number(value)
    return float(math.trunc(number)) if math.isfinite(number) else number


def _round(value, digits=0.0) -> float:
    number, places = to_number(value), to_number(digits)
    if not (math.isfinite(number) and math.isfinite(places)):
        return number
    try:
        exponent = Decimal(1).scaleb(-int(places))
        return float(Decimal(repr(number)).quantize(exponent, rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return number


def _numbers(values) -> list[float]:
    nodes = []
    for value in values:
        nodes.extend(value if isinstance(value, NodeSet) else (value,))
    return [to_number(node) for node in nodes]


def _sum(nodes) -> float:
    return float(math.fsum(_numbers((nodes,)))) if isinstance(nodes, NodeSet) else to_number(nodes)


def _extreme(choose):
    def extreme(*values):
        numbers = _numbers(values)
        if not numbers or any(math.isnan(number) for number in numbers):
            return math.nan
        return choose(numbers)

    return extreme


def _count(nodes) -> float:
    return float(len(nodes)) if isinstance(nodes, NodeSet) else float(to_string(nodes) != "")


def _join(separator, *values) -> str:
    nodes = []
    for value in values:
        nodes.extend(value if isinstance(value, NodeSet) else (value,))
    return to_string(separator).join(to_string(node) for node in nodes)


def _substr(text, start, end=None) -> str:
    text = to_string(text)
    first = to_number(start)
    last = len(text) if end is None else to_number(end)
    if not (math.isfinite(first) and math.isfinite(last)):
        return ""
    return text[max(0, int(first)) : max(0, int(last))]


def _today():
    return timezone.localdate()


def _now():
    return timezone.now()


# name: (least arguments, most arguments or None for any number, implementation)
FUNCTIONS = {
    "selected": (2, 2, _selected),
    "selected-at": (2, 2, _selected_at),
    "count-selected": (1, 1, lambda answer: float(len(to_string(answer).split()))),
    "string-length": (1, 1, lambda text: float(len(to_string(text)))),
    "regex": (2, 2, _regex),
    "contains": (2, 2, lambda text, part: to_string(part) in to_string(text)),
    "starts-with": (2, 2, lambda text, part: to_string(text).startswith(to_string(part))),
    "ends-with": (2, 2, lambda text, part: to_string(text).endswith(to_string(part))),
    "substr": (2, 3, _substr),
    "concat": (0, None, lambda *parts: "".join(to_string(part) for part in parts)),
    "join": (2, None, _join),
    "not": (1, 1, lambda value: not to_boolean(value)),
    "true": (0, 0, lambda: True),
    "false": (0, 0, lambda: False),
    "boolean": (1, 1, to_boolean),
    "string": (1, 1, to_string),
    "number": (1, 1, to_number),
    "int": (1, 1, _int),
    "round": (1, 2, _round),
    "floor": (
        1,
        1,
        lambda value: float(math.floor(n)) if math.isfinite(n := to_number(value)) else n,
    ),
    "ceiling": (
        1,
        1,
        lambda value: float(math.ceil(n)) if math.isfinite(n := to_number(value)) else n,
    ),
    "abs": (1, 1, lambda value: abs(to_number(value))),
    "pow": (2, 2, lambda base, power: _power(to_number(base), to_number(power))),
    "coalesce": (2, 2, _coalesce),
    "once": (1, 1, lambda value: value),
    "count": (1, 1, _count),
    "sum": (1, 1, _sum),
    "min": (1, None, _extreme(min)),
    "max": (1, None, _extreme(max)),
    "today": (0, 0, _today),
    "now": (0, 0, _now),
    "date": (1, 1, to_date),
    "uuid": (0, 0, lambda: str(uuid.uuid4())),
}


def _power(base: float, power: float) -> float:
    try:
        return math.pow(base, power)
    except (OverflowError, ValueError):
        return math.nan
