"""A filled-in form as the XForm instance ODK Collect submits, and back.

The root element is the survey's name with its `id` and `version`; groups are nested elements, a
repeat one element per instance, a question that is not relevant left out (as ODK Collect leaves
it out), an unanswered one an empty element; select_multiple answers are space-separated,
geopoints "lat lon alt acc", dates ISO 8601; `meta/instanceID` ends the instance, with
`meta/deprecatedID` naming the instance an edit replaces."""

import uuid
import xml.etree.ElementTree as ET  # noqa: S405 - used to write XML only; reading uses defusedxml

from defusedxml import ElementTree as SafeET

from .answers import answer_text, parse_answer, parse_geopoint
from .survey import Survey
from .validation import relevant_values

_NAMESPACES = {
    "xmlns:jr": "http://openrosa.org/javarosa",
    "xmlns:orx": "http://openrosa.org/xforms",
}


def new_instance_id() -> str:
    return f"uuid:{uuid.uuid4()}"


def instance_xml(
    survey: Survey, values: dict, instance_id: str, deprecated_id: str | None = None
) -> str:
    """The XForm instance of the values (as `validate_submission` gives them)."""
    values, hidden = relevant_values(survey, values)
    attributes = {"id": survey.id_string}
    if survey.version:
        attributes["version"] = survey.version
    attributes.update(_NAMESPACES)
    root = ET.Element(survey.name, attributes)
    _write(root, survey.children, "", values, set(hidden))
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "instanceID").text = _uuid(instance_id)
    if deprecated_id:
        ET.SubElement(meta, "deprecatedID").text = _uuid(deprecated_id)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _uuid(identifier: str) -> str:
    return identifier if identifier.startswith("uuid:") else f"uuid:{identifier}"


def _write(parent, children, prefix: str, values: dict, hidden: set[str]):
    for question in children:
        path = f"{prefix}{question.name}"
        if question.kind == "repeat":
            for index in range(values.get(path, 0)):
                instance = f"{path}[{index}]"
                if instance not in hidden:
                    element = ET.SubElement(parent, question.name)
                    _write(element, question.children, f"{instance}/", values, hidden)
            continue
        if path in hidden:
            continue
        element = ET.SubElement(parent, question.name)
        if question.kind == "group":
            _write(element, question.children, f"{path}/", values, hidden)
        elif path in values:
            element.text = answer_text(values[path])


def values_from_instance(survey: Survey, xml: str | bytes) -> dict:
    """The values of a submitted instance, to edit it in the web form. An answer that does not
    fit its question's type is kept as its text (the web form then shows the error)."""
    root = SafeET.fromstring(xml)
    values = {}
    _read(root, survey.children, "", values)
    return values


def instance_ids(xml: str | bytes) -> tuple[str, str]:
    """The instance's meta/instanceID and meta/deprecatedID ("" when absent)."""
    root = SafeET.fromstring(xml)
    found = {"instanceID": "", "deprecatedID": ""}
    for meta in _children(root, "meta"):
        for element in meta:
            if _local(element.tag) in found:
                found[_local(element.tag)] = (element.text or "").strip()
    return found["instanceID"], found["deprecatedID"]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _read(element, children, prefix: str, values: dict):
    for question in children:
        path = f"{prefix}{question.name}"
        found = _children(element, question.name)
        if question.kind == "repeat":
            values[path] = len(found)
            for index, instance in enumerate(found):
                _read(instance, question.children, f"{path}[{index}]/", values)
        elif not found:
            continue
        elif question.kind == "group":
            _read(found[0], question.children, f"{path}/", values)
        elif text := (found[0].text or "").strip():
            values[path] = _typed(question, text)


def _typed(question, text: str):
    if question.kind == "select_multiple":
        return text.split()
    if question.kind == "geopoint":
        point, error = parse_geopoint(text.split())
        return text if error else point
    value, error = parse_answer(question, text)
    return text if error or value is None else value
