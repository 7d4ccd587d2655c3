"""A submitted instance's XML, read safely (defusedxml: no DTD, no entity, no external
reference): its form id and version from the root, its instanceID and deprecatedID from meta,
and its answers flattened by path."""

import hashlib
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from mercuryhub.lib.errors import InvalidInputError

FIELD = "xml_submission_file"


@dataclass
class Instance:
    xml: str
    sha256: str
    xml_form_id: str
    version: str
    instance_id: str
    deprecated_id: str
    data: dict


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == name), None)


def _flatten(element: Element, prefix: str, data: dict) -> None:
    """Leaves by path (``group/question``); a repeated element's answers are numbered from 1
    (``household[2]/name``)."""
    seen: dict[str, int] = {}
    for child in element:
        name = _local(child.tag)
        seen[name] = seen.get(name, 0) + 1
    counts: dict[str, int] = {}
    for child in element:
        name = _local(child.tag)
        counts[name] = counts.get(name, 0) + 1
        step = f"{name}[{counts[name]}]" if seen[name] > 1 else name
        path = f"{prefix}/{step}" if prefix else step
        if len(child):
            _flatten(child, path, data)
        else:
            data[path] = (child.text or "").strip()


def parse_instance(content: bytes) -> Instance:
    """The instance, or ``InvalidInputError`` on ``xml_submission_file`` saying what is wrong."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInputError({FIELD: _("The submission's XML is not UTF-8 text.")}) from error
    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise InvalidInputError(
            {FIELD: _("The submission's XML declares a DTD or entities, which are refused.")}
        ) from error
    except (ParseError, ValueError) as error:
        raise InvalidInputError(
            {FIELD: _("The submission is not well-formed XML: %(error)s") % {"error": error}}
        ) from error
    xml_form_id = root.get("id", "").strip()
    if not xml_form_id:
        raise InvalidInputError(
            {FIELD: _("The instance's root element has no id (the form's id).")}
        )
    meta = _child(root, "meta")
    instance_id = (getattr(_child(meta, "instanceID"), "text", None) or "").strip()
    if not instance_id:
        raise InvalidInputError({FIELD: _("The instance has no meta/instanceID.")})
    data: dict = {}
    _flatten(root, "", data)
    return Instance(
        xml=text,
        sha256=hashlib.sha256(content).hexdigest(),
        xml_form_id=xml_form_id,
        version=root.get("version", "").strip(),
        instance_id=instance_id,
        deprecated_id=(getattr(_child(meta, "deprecatedID"), "text", None) or "").strip(),
        data=data,
    )
