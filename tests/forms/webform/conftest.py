"""XLSForms built with openpyxl and converted by pyxform, as a form upload converts them."""

from io import BytesIO

import pytest
from openpyxl import Workbook
from pyxform.xls2xform import convert

from mercuryhub.forms.webform.survey import load_survey


def xlsform(survey: list[list], choices: list[list] | None = None, settings: dict | None = None):
    """The converted form: (pyxform's survey JSON, the XForm). The first row of `survey` and of
    `choices` are the column names."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        choice_sheet = workbook.create_sheet("choices")
        for row in choices:
            choice_sheet.append(row)
    settings = {"form_id": "site_form", "version": "2024-1", **(settings or {})}
    settings_sheet = workbook.create_sheet("settings")
    settings_sheet.append(list(settings))
    settings_sheet.append(list(settings.values()))
    content = BytesIO()
    workbook.save(content)
    result = convert(content.getvalue(), file_type=".xlsx", form_name="site")
    return result._pyxform, result.xform


def survey_of(survey: list[list], choices: list[list] | None = None, settings=None):
    return load_survey(xlsform(survey, choices, settings)[0])


# A baseline questionnaire of an artisanal gold mining site, in English and French.
SITE_SURVEY = [
    [
        "type",
        "name",
        "label::English (en)",
        "label::French (fr)",
        "hint::English (en)",
        "hint::French (fr)",
        "required",
        "required_message::English (en)",
        "constraint",
        "constraint_message::English (en)",
        "constraint_message::French (fr)",
        "relevant",
        "calculation",
        "appearance",
    ],
    [
        "text",
        "site_name",
        "Site name",
        "Nom du site",
        "As people call it",
        "Comme on l'appelle",
        "yes",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "integer",
        "miners",
        "Number of miners",
        "Nombre de mineurs",
        "",
        "",
        "yes",
        "Say how many people mine here",
        ". >= 0 and . < 100000",
        "Between 0 and 99999",
        "Entre 0 et 99999",
        "",
        "",
        "",
    ],
    [
        "decimal",
        "mercury_kg",
        "Mercury used per month (kg)",
        "Mercure utilisé par mois (kg)",
        "",
        "",
        "",
        "",
        ". > 0",
        "",
        "",
        "${miners} > 0",
        "",
        "",
    ],
    [
        "date",
        "visited",
        "Date of the visit",
        "Date de la visite",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "select_one yes_no",
        "uses_mercury",
        "Is mercury used?",
        "Utilise-t-on du mercure ?",
        "",
        "",
        "yes",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "select_multiple practices",
        "practices",
        "Practices seen",
        "Pratiques observées",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "selected(${uses_mercury}, 'yes')",
        "",
        "",
    ],
    ["geopoint", "location", "Location", "Emplacement", "", "", "", "", "", "", "", "", "", ""],
    [
        "note",
        "thanks_note",
        "Thank you, ${site_name}",
        "Merci, ${site_name}",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "begin group",
        "processing",
        "Processing",
        "Traitement",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "${uses_mercury} = 'yes'",
        "",
        "field-list",
    ],
    [
        "select_one yes_no",
        "retort",
        "Is a retort used?",
        "Utilise-t-on une cornue ?",
        "",
        "",
        "yes",
        "",
        "",
        "",
        "",
        "",
        "",
        "minimal",
    ],
    [
        "text",
        "burning_place",
        "Where is amalgam burnt?",
        "Où brûle-t-on l'amalgame ?",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "multiline",
    ],
    ["end group", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["begin repeat", "household", "Household", "Ménage", "", "", "", "", "", "", "", "", "", ""],
    [
        "text",
        "head",
        "Head of household",
        "Chef de ménage",
        "",
        "",
        "yes",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    ["integer", "children", "Children", "Enfants", "", "", "", "", ". <= 20", "", "", "", "", ""],
    [
        "integer",
        "children_mining",
        "Children who mine",
        "Enfants qui travaillent à la mine",
        "",
        "",
        "",
        "",
        ". <= ${children}",
        "No more than the children",
        "Pas plus que les enfants",
        "${children} > 0",
        "",
        "",
    ],
    ["end repeat", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    [
        "calculate",
        "household_count",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "count(${household})",
        "",
    ],
    ["calculate", "children_total", "", "", "", "", "", "", "", "", "", "", "sum(${children})", ""],
]
SITE_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::French (fr)"],
    ["yes_no", "yes", "Yes", "Oui"],
    ["yes_no", "no", "No", "Non"],
    ["practices", "whole_ore", "Whole ore amalgamation", "Amalgamation du minerai entier"],
    ["practices", "open_burning", "Open burning of amalgam", "Brûlage de l'amalgame à l'air libre"],
    ["practices", "cyanide", "Cyanide after mercury", "Cyanure après le mercure"],
]
SITE_SETTINGS = {"form_title": "ASGM site", "default_language": "English (en)"}


@pytest.fixture
def site_form():
    """(survey JSON, XForm) of the site questionnaire."""
    return xlsform(SITE_SURVEY, SITE_CHOICES, SITE_SETTINGS)


@pytest.fixture
def site(site_form):
    return load_survey(site_form[0])


def answers(**fields) -> dict:
    """A complete, valid submission of the site questionnaire, with fields replaced."""
    data = {
        "site_name": "Kibi",
        "miners": "120",
        "mercury_kg": "2.5",
        "visited": "2024-03-27",
        "uses_mercury": "yes",
        "practices": ["whole_ore", "open_burning"],
        "location:lat": "6.17",
        "location:lon": "-0.55",
        "processing/retort": "no",
        "processing/burning_place": "At home",
        "_count:household": "2",
        "household[0]/head": "Ama",
        "household[0]/children": "3",
        "household[0]/children_mining": "1",
        "household[1]/head": "Kofi",
        "household[1]/children": "0",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}
