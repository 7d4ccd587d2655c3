"""The XForm instance ODK Collect would submit, and back."""

from defusedxml import ElementTree

from mercuryhub.forms.webform.instances import (
    instance_ids,
    instance_xml,
    new_instance_id,
    values_from_instance,
)
from mercuryhub.forms.webform.validation import validate_submission

from .conftest import answers

XFORMS = "{http://www.w3.org/2002/xforms}"


def _shape(element, skip=("meta",)):
    """Tag names of the element tree, namespaces left out, without repeat templates."""
    children = [
        _shape(child, skip)
        for child in element
        if child.tag.rsplit("}", 1)[-1] not in skip
        and "{http://openrosa.org/javarosa}template" not in child.attrib
    ]
    return (element.tag.rsplit("}", 1)[-1], children)


def test_it_writes_the_instance_as_odk_collect_does(site):
    values, _errors = validate_submission(site, answers())
    root = ElementTree.fromstring(instance_xml(site, values, "uuid:6c0ad1e6"))
    assert root.tag == "site"
    assert (root.get("id"), root.get("version")) == ("site_form", "2024-1")
    assert root.findtext("practices") == "whole_ore open_burning"
    assert root.findtext("location") == "6.17 -0.55 0 0"
    assert root.findtext("visited") == "2024-03-27"
    assert root.findtext("processing/retort") == "no"
    assert [h.findtext("head") for h in root.findall("household")] == ["Ama", "Kofi"]
    assert root.find("thanks_note").text is None
    assert root.findtext("meta/instanceID") == "uuid:6c0ad1e6"
    assert root.find("meta/deprecatedID") is None


def test_it_nests_the_elements_as_the_xforms_primary_instance(site, site_form):
    _survey_json, xform = site_form
    model_instance = ElementTree.fromstring(xform).find(f".//{XFORMS}instance")[0]
    values, _errors = validate_submission(site, answers(**{"_count:household": "1"}))
    ours = ElementTree.fromstring(instance_xml(site, values, new_instance_id()))
    theirs = _shape(model_instance)
    assert _shape(ours) == (theirs[0], theirs[1])
    assert ours.get("id") == model_instance.get("id")
    assert ours.get("version") == model_instance.get("version")


def test_it_leaves_out_what_is_not_relevant_and_keeps_unanswered_questions_empty(site):
    values, _errors = validate_submission(site, answers(uses_mercury="no", mercury_kg=""))
    root = ElementTree.fromstring(instance_xml(site, values, "uuid:1"))
    assert root.find("processing") is None
    assert root.find("practices") is None
    assert root.find("mercury_kg") is not None
    assert root.find("mercury_kg").text is None
    assert root.findall("household")[1].find("children_mining") is None


def test_it_names_the_instance_an_edit_replaces(site):
    values, _errors = validate_submission(site, answers())
    xml = instance_xml(site, values, "uuid:new", deprecated_id="uuid:old")
    assert instance_ids(xml) == ("uuid:new", "uuid:old")


def test_it_reads_back_the_values_it_wrote(site):
    values, _errors = validate_submission(site, answers())
    assert values_from_instance(site, instance_xml(site, values, "uuid:1")) == values


def test_it_reads_an_instance_with_odk_collects_namespaces_and_altitude(site):
    xml = (
        '<?xml version=\'1.0\' ?><site id="site_form" version="2024-1" '
        'xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">'
        "<site_name>Kibi</site_name><miners>12</miners><location>6.1 -0.5 230.5 4.0</location>"
        "<household><head>Ama</head><children>two</children></household>"
        "<orx:meta><orx:instanceID>uuid:abc</orx:instanceID></orx:meta></site>"
    )
    values = values_from_instance(site, xml)
    assert values["miners"] == 12
    assert str(values["location"]) == "6.1 -0.5 230.5 4.0"
    assert values["household"] == 1
    assert values["household[0]/children"] == "two"  # kept as written: the web form shows why
    assert instance_ids(xml) == ("uuid:abc", "")
