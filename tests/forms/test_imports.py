"""Importing a form's submissions exported by KoBoToolbox and ODK Central: the instances stored as
ODK Collect would have sent them, duplicates skipped, conflicts and bad cells reported by row
and column, nothing stored unless the whole file is right."""

import io

import pytest
from defusedxml.ElementTree import fromstring
from openpyxl import Workbook

from mercuryhub.forms import actions
from mercuryhub.forms.models import Submission
from mercuryhub.lib.errors import InvalidInputError
from tests.forms.test_xlsform_upload import xlsform

pytestmark = pytest.mark.django_db

SURVEY = [
    ["type", "name", "label", "relevant"],
    ["begin_group", "site", "Site", ""],
    ["text", "name", "Name", ""],
    ["geopoint", "location", "Location", ""],
    ["end_group", "", "", ""],
    ["integer", "miners", "Miners", ""],
    ["date", "visited", "Visited on", ""],
    ["select_multiple methods", "methods", "Methods", ""],
    ["select_one yes_no", "retort", "Retort used?", ""],
]
CHOICES = [
    ["list_name", "name", "label"],
    ["methods", "gravity", "Gravity"],
    ["methods", "amalgamation", "Amalgamation"],
    ["methods", "cyanidation", "Cyanidation"],
    ["yes_no", "yes", "Yes"],
    ["yes_no", "no", "No"],
]
SETTINGS = [["form_id", "version", "form_title"], ["site_visit", "3", "Site visit"]]

KOBO = (
    "start;end;site/name;site/location;_site/location_latitude;_site/location_longitude;"
    "_site/location_altitude;_site/location_precision;miners;visited;methods;methods/gravity;"
    "methods/amalgamation;methods/cyanidation;retort;meta/instanceID;_id;_uuid;"
    "_submission_time;_validation_status;_notes;_status;_submitted_by;__version__;_tags;_index\n"
    ";;Kamituga;-3.06 28.18 950 5;-3.06;28.18;950;5;120;2024-03-27;gravity amalgamation;1;1;0;"
    "yes;uuid:kobo-1;101;kobo-1;2024-03-28T09:15:02;;;submitted_via_web;;vX;;1\n"
    ";;Lugushwa;;;;;;45;2024-04-02;cyanidation;0;0;1;no;uuid:kobo-2;102;kobo-2;"
    "2024-04-03T10:00:00;;;submitted_via_web;;vX;;2\n"
)
CENTRAL = (
    "SubmissionDate,site-name,site-location-Latitude,site-location-Longitude,"
    "site-location-Altitude,site-location-Accuracy,miners,visited,methods,retort,"
    "meta-instanceID,KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,"
    "Status,ReviewState,DeviceID,Edits,FormVersion\n"
    "2024-05-01T08:30:00.000Z,Kamituga,-3.06,28.18,950,5,120,2024-03-27,gravity amalgamation,"
    "yes,uuid:central-1,uuid:central-1,5,Field team 1,0,0,,approved,collect:abc,0,3\n"
)


@pytest.fixture
def site_form(project, reviewer):
    upload = xlsform(SURVEY, choices=CHOICES, settings=SETTINGS)
    return actions.do_publish_xlsform(reviewer, project, upload.name, upload.read()).form


def _import(reviewer, form, text, *, name="export.csv", dry_run=False):
    content = text.encode("utf-8") if isinstance(text, str) else text
    return actions.do_import_submissions(reviewer, form, content, name, dry_run=dry_run)


def _answers(submission) -> dict:
    return {path: value for path, value in submission.data.items() if path != "meta/instanceID"}


def test_a_kobotoolbox_csv_export_becomes_submissions_as_odk_collect_sends_them(
    reviewer, site_form
):
    report = _import(reviewer, site_form, KOBO)
    assert report.summary() | {"ignored_columns": []} == {
        "rows_read": 2,
        "to_create": 2,
        "created": 2,
        "duplicates": 0,
        "conflicts": [],
        "errors": [],
        "ignored_columns": [],
        "dry_run": False,
    }
    kamituga = Submission.objects.get(instance_id="uuid:kobo-1")
    assert _answers(kamituga) == {
        "site/name": "Kamituga",
        "site/location": "-3.06 28.18 950 5",
        "miners": "120",
        "visited": "2024-03-27",
        "methods": "gravity amalgamation",
        "retort": "yes",
    }
    root = fromstring(kamituga.xml)
    assert root.get("id") == "site_visit"
    assert root.get("version") == "3"
    assert kamituga.form_version == site_form.current_version
    assert kamituga.received_at.isoformat().startswith("2024-03-28T09:15:02")
    lugushwa = Submission.objects.get(instance_id="uuid:kobo-2")
    assert lugushwa.data["methods"] == "cyanidation"
    assert lugushwa.data["site/location"] == ""


def test_select_multiple_answers_are_read_from_their_zero_one_columns_alone(reviewer, site_form):
    export = "_uuid,site/name,methods/gravity,methods/amalgamation,methods/cyanidation\n"
    export += "k-3,Mukungwe,1,0,1\n"
    _import(reviewer, site_form, export)
    assert Submission.objects.get(instance_id="uuid:k-3").data["methods"] == "gravity cyanidation"


def test_an_odk_central_csv_export_becomes_submissions(reviewer, site_form):
    report = _import(reviewer, site_form, CENTRAL)
    assert report.created == 1
    submission = Submission.objects.get(instance_id="uuid:central-1")
    assert submission.data["site/location"] == "-3.06 28.18 950 5"
    assert submission.data["methods"] == "gravity amalgamation"
    assert submission.device_id == "collect:abc"
    # Central's review state is not carried over: the import waits for review here.
    assert submission.review_state == Submission.ReviewState.RECEIVED
    assert report.ignored_columns == []


def test_a_kobotoolbox_xlsx_export_is_read_from_its_first_sheet(reviewer, site_form):
    book = Workbook()
    sheet = book.active
    sheet.append(["site/name", "miners", "visited", "methods", "_uuid", "_submission_time"])
    sheet.append(["Kamituga", 120, "2024-03-27", "gravity", "x-1", "2024-03-28T09:15:02"])
    content = io.BytesIO()
    book.save(content)
    report = _import(reviewer, site_form, content.getvalue(), name="kobo.xlsx")
    assert report.created == 1
    assert Submission.objects.get(instance_id="uuid:x-1").data["miners"] == "120"


def test_importing_the_same_export_again_skips_every_row_as_a_duplicate(reviewer, site_form):
    _import(reviewer, site_form, KOBO)
    again = _import(reviewer, site_form, KOBO)
    assert (again.rows_read, again.created, len(again.duplicates)) == (2, 0, 2)
    assert Submission.objects.count() == 2


def test_a_row_whose_instance_is_stored_with_other_answers_is_a_conflict_and_nothing_is_stored(
    reviewer, site_form
):
    _import(reviewer, site_form, KOBO)
    changed = KOBO.replace(";120;", ";121;").replace("kobo-2", "kobo-9")
    report = _import(reviewer, site_form, changed)
    assert report.created == 0
    assert report.summary()["conflicts"] == [
        "Row 2, column instanceID: The instanceID uuid:kobo-1 is stored already with other "
        "answers: it is not overwritten."
    ]
    assert Submission.objects.get(instance_id="uuid:kobo-1").data["miners"] == "120"
    assert not Submission.objects.filter(instance_id="uuid:kobo-9").exists()


def test_bad_cells_are_named_by_row_and_column_and_nothing_is_stored(reviewer, site_form):
    export = (
        "_uuid,site/name,miners,visited,methods,retort\n"
        "a-1,Kamituga,120,2024-03-27,gravity,yes\n"
        "a-2,Lugushwa,many,2024-03-27,gravity,yes\n"
        "a-3,Mukungwe,3,27/03/2024,gravity,maybe\n"
        ",Twangiza,3,2024-03-27,panning,yes\n"
    )
    report = _import(reviewer, site_form, export)
    assert report.summary()["errors"] == [
        "Row 3, column miners: Enter a whole number.",
        "Row 4, column visited: Enter a date as year-month-day, for example 2024-03-27.",
        "Row 4, column retort: Choose one of the answers offered.",
        "Row 5, column _uuid: The row has no instanceID.",
    ]
    assert report.created == 0
    assert not Submission.objects.exists()


def test_an_unknown_choice_of_a_select_multiple_is_an_error(reviewer, site_form):
    report = _import(reviewer, site_form, "_uuid,methods\nb-1,gravity panning\n")
    assert report.summary()["errors"] == [
        "Row 2, column methods: Choose only among the answers offered."
    ]


def test_a_dry_run_reports_what_an_import_would_do_and_stores_nothing(reviewer, site_form):
    _import(reviewer, site_form, KOBO.split("\n", 2)[0] + "\n" + KOBO.split("\n")[1] + "\n")
    report = _import(reviewer, site_form, KOBO, dry_run=True)
    assert report.summary() | {"ignored_columns": []} == {
        "rows_read": 2,
        "to_create": 1,
        "created": 0,
        "duplicates": 1,
        "conflicts": [],
        "errors": [],
        "ignored_columns": [],
        "dry_run": True,
    }
    assert Submission.objects.count() == 1


def test_a_file_without_an_instance_id_column_is_refused(reviewer, site_form):
    report = _import(reviewer, site_form, "site/name,miners\nKamituga,3\n")
    assert report.summary()["errors"][0].startswith("The file has no instanceID column")
    assert not Submission.objects.exists()


def test_columns_of_repeats_and_unknown_questions_are_reported_as_ignored(reviewer, project):
    survey = [
        ["type", "name", "label"],
        ["text", "village", "Village"],
        ["begin_repeat", "household", "Household"],
        ["text", "head", "Head"],
        ["end_repeat", "", ""],
    ]
    settings = [["form_id", "version"], ["census", "1"]]
    upload = xlsform(survey, settings=settings)
    form = actions.do_publish_xlsform(reviewer, project, upload.name, upload.read()).form
    report = _import(reviewer, form, "_uuid,village,household,household/head,colour\nc-1,Kibi,,,\n")
    assert report.created == 1
    assert report.ignored_columns == ["household", "household/head", "colour"]


def test_a_data_collector_may_not_import(collector, site_form):
    with pytest.raises(actions.PermissionDenied):
        _import(collector, site_form, KOBO)


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(reviewer, site_form):
    with pytest.raises(InvalidInputError) as raised:
        _import(reviewer, site_form, b"PK\x03\x04 not really a workbook", name="x.xlsx")
    assert raised.value.errors == {"file": "The file is neither a CSV file nor an XLSX workbook."}


CENSUS = [
    ["type", "name", "label"],
    ["text", "village", "Village"],
    ["begin_repeat", "household", "Household"],
    ["text", "head", "Head"],
    ["integer", "miners", "Miners"],
    ["begin_repeat", "member", "Member"],
    ["text", "member_name", "Name"],
    ["end_repeat", "", ""],
    ["end_repeat", "", ""],
]


@pytest.fixture
def census_form(project, reviewer):
    upload = xlsform(CENSUS, settings=[["form_id", "version"], ["census", "1"]])
    return actions.do_publish_xlsform(reviewer, project, upload.name, upload.read()).form


def _zip(files: dict) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _households(submission) -> list:
    """The instance's households as ODK Collect would have sent them: (head, miners, members)."""
    root = fromstring(submission.xml)
    return [
        (
            household.findtext("head"),
            household.findtext("miners"),
            [member.findtext("member_name") for member in household.findall("member")],
        )
        for household in root.findall("household")
    ]


def test_an_odk_central_csv_zip_brings_the_instances_of_its_repeats(reviewer, census_form):
    content = _zip(
        {
            "census.csv": "SubmissionDate,village,meta-instanceID,KEY\n"
            "2024-05-01T08:30:00.000Z,Kibi,uuid:c-1,uuid:c-1\n"
            "2024-05-01T09:00:00.000Z,Tarkwa,uuid:c-2,uuid:c-2\n",
            "census-household.csv": "head,miners,PARENT_KEY,KEY\n"
            "Ama,3,uuid:c-1,uuid:c-1/household[1]\n"
            "Kofi,1,uuid:c-1,uuid:c-1/household[2]\n"
            "Esi,2,uuid:c-2,uuid:c-2/household[1]\n",
            "census-member.csv": "member_name,PARENT_KEY,KEY\n"
            "Yaw,uuid:c-1/household[1],uuid:c-1/household[1]/member[1]\n"
            "Abena,uuid:c-1/household[1],uuid:c-1/household[1]/member[2]\n"
            "Kwame,uuid:c-2/household[1],uuid:c-2/household[1]/member[1]\n",
        }
    )
    report = _import(reviewer, census_form, content, name="census.csv.zip")
    assert report.summary()["errors"] == [] and report.created == 2
    assert report.ignored_columns == []
    first, second = Submission.objects.order_by("instance_id")
    assert _households(first) == [("Ama", "3", ["Yaw", "Abena"]), ("Kofi", "1", [])]
    assert _households(second) == [("Esi", "2", ["Kwame"])]
    # the same zip again: duplicates, nothing stored twice
    again = _import(reviewer, census_form, content, name="census.csv.zip")
    assert (again.created, len(again.duplicates)) == (0, 2)


def test_a_kobotoolbox_xlsx_brings_the_instances_of_its_repeat_sheets(reviewer, census_form):
    book = Workbook()
    main = book.active
    main.title = "census"
    main.append(["village", "_uuid", "_index"])
    main.append(["Kibi", "k-1", 1])
    households = book.create_sheet("household")
    households.append(
        [
            "household/head",
            "household/miners",
            "_index",
            "_parent_index",
            "_parent_table_name",
            "_submission__uuid",
        ]
    )
    households.append(["Ama", 3, 1, 1, "census", "k-1"])
    households.append(["Kofi", 1, 2, 1, "census", "k-1"])
    members = book.create_sheet("member")
    members.append(
        ["household/member/member_name", "_index", "_parent_index", "_parent_table_name"]
    )
    members.append(["Yaw", 1, 2, "household"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(reviewer, census_form, buffer.getvalue(), name="census.xlsx")
    assert report.summary()["errors"] == [] and report.created == 1
    assert _households(Submission.objects.get()) == [("Ama", "3", []), ("Kofi", "1", ["Yaw"])]


def test_a_table_that_names_no_repeat_of_the_form_is_refused_and_nothing_stored(
    reviewer, census_form
):
    content = _zip(
        {
            "census.csv": "village,KEY\nKibi,uuid:c-1\n",
            "census-pets.csv": "name,PARENT_KEY,KEY\nRex,uuid:c-1,uuid:c-1/pets[1]\n",
        }
    )
    report = _import(reviewer, census_form, content, name="census.csv.zip")
    assert report.summary()["errors"] == ["No repeat of the form is named pets."]
    assert not Submission.objects.exists()
