"""Small hand-made sets of submissions, received as devices send them: the WMA needs
questionnaire answered by four organizations, and a mining-site form with numbers, a
geopoint and a repeat."""

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook

from mercuryhub.forms import actions
from mercuryhub.forms.analysis import survey_of
from mercuryhub.forms.webform.answers import GeoPoint
from mercuryhub.forms.webform.instances import instance_xml, new_instance_id

# stakeholder type, waste categories of concern
NEEDS = [
    ("government", ["lamps", "batteries"]),
    ("government", ["lamps"]),
    ("ngo", ["lamps", "dental-amalgam"]),
    ("private-sector", []),
]


def submit(project, form, values: dict, **who):
    xml = instance_xml(survey_of(form), values, new_instance_id()).encode()
    return actions.do_receive_submission(project, xml, **who)[0]


def needs_submissions(project, form, app_user):
    submissions = []
    for stakeholder, wastes in NEEDS:
        values = {"stakeholder_type": stakeholder, "organization": f"{stakeholder} office"}
        if wastes:
            values["waste_categories"] = wastes
        submissions.append(submit(project, form, values, app_user=app_user))
    return submissions


SITE_SURVEY = [
    ["type", "name", "label::English (en)", "label::French (fr)"],
    ["text", "site_name", "Site name", "Nom du site"],
    ["integer", "miners", "Number of miners", "Nombre de mineurs"],
    ["geopoint", "location", "Location", "Position"],
    ["select_one yes_no", "retort", "Is a retort used?", "Utilise-t-on une cornue ?"],
    ["begin repeat", "household", "Household", "Ménage"],
    ["text", "head", "Head of household", "Chef de ménage"],
    ["integer", "children", "Children", "Enfants"],
    ["end repeat", "", "", ""],
]
SITE_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::French (fr)"],
    ["yes_no", "yes", "Yes", "Oui"],
    ["yes_no", "no", "No", "Non"],
]


def xlsform(survey: list, choices: list, form_id: str, title: str) -> bytes:
    workbook = Workbook()
    workbook.active.title = "survey"
    for row in survey:
        workbook.active.append(row)
    sheet = workbook.create_sheet("choices")
    for row in choices:
        sheet.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "version", "form_title", "default_language"])
    settings.append([form_id, "1", title, "English (en)"])
    content = BytesIO()
    workbook.save(content)
    return content.getvalue()


def site_xlsform() -> bytes:
    return xlsform(SITE_SURVEY, SITE_CHOICES, "mining_site", "Mining site")


# site name, miners, (lat, lon), retort, households [(head, children)]
SITES = [
    ("Kibi", 120, ("6.17", "-0.55"), "yes", [("Ama", 3), ("Kofi", 0)]),
    ("Tarkwa", 80, ("5.30", "-1.99"), "no", [("Esi", 2)]),
    ("Obuasi", 40, None, "no", []),
]


def site_submissions(project, form, **who):
    submissions = []
    for name, miners, point, retort, households in SITES:
        values = {"site_name": name, "miners": miners, "retort": retort}
        if point:
            values["location"] = GeoPoint(*map(Decimal, point))
        values["household"] = len(households)
        for index, (head, children) in enumerate(households):
            values[f"household[{index}]/head"] = head
            values[f"household[{index}]/children"] = children
        submissions.append(submit(project, form, values, **who))
    return submissions
