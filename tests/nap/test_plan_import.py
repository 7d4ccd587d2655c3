"""Importing an existing plan's objectives and actions from a spreadsheet: the template, an XLSX
and a CSV imported as one version, a dry run that saves nothing, bad rows named by sheet, row and
column with nothing saved, and files refused for what they are."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mercuryhub.review.models import EntryVersion
from mercuryhub.review.queries import latest_data

pytestmark = pytest.mark.django_db
OBJ = "objectives"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

OBJECTIVE_HEADER = ["element", "indicator", "baseline", "target", "year"]
ACTION_HEADER = [
    "element",
    "activity",
    "responsible_body",
    "partners",
    "start",
    "end",
    "budget",
    "currency",
    "funding_source",
    "worst_practices",
]
OBJECTIVES = [
    ["a", "Mercury used in ASGM (t a year)", "45", "20", 2031],
    ["a", "Miners trained", "0", "5000", 2029],
]
ACTIONS = [
    [
        "b",
        "Retort training",
        "Minerals Commission",
        "UNIDO",
        "2027-01-01",
        "2028-06-30",
        120000,
        "USD",
        "GEF",
        "open-burning; residential-burning",
    ],
    ["k", "Mid-term review", "EPA", "", "2029-01-01", "2029-03-31", "", "", "", ""],
]


def _xlsx(objectives=OBJECTIVES, actions=ACTIONS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "objectives"
    for row in [OBJECTIVE_HEADER, *objectives]:
        sheet.append(row)
    sheet = book.create_sheet("actions")
    for row in [ACTION_HEADER, *actions]:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _post(client, plan, name, content, mode="replace"):
    upload = SimpleUploadedFile(name, content)
    return client.post(f"/nap/plans/{plan.pk}/import/", {"file": upload, "mode": mode})


def _confirm(client, plan, response):
    token = response.context["confirm_form"]["rows"].value()
    return client.post(f"/nap/plans/{plan.pk}/import/", {"rows": token})


def _versions(plan) -> int:
    return EntryVersion.objects.filter(kind="nap", object_id=plan.pk).count()


def test_a_workbook_is_checked_then_imported_as_one_version(client, plan, team_lead):
    client.force_login(team_lead)
    response = _post(client, plan, "ghana-nap.xlsx", _xlsx())
    assert response.status_code == 200
    page = response.content.decode()
    assert "What the file would import" in page
    assert "Retort training" in page and "Miners trained" in page
    assert _versions(plan) == 1  # the dry run saved nothing

    response = _confirm(client, plan, response)
    assert response.status_code == 302
    assert response["Location"] == f"/nap/plans/{plan.pk}/builder/"
    data = latest_data("nap", plan)
    assert _versions(plan) == 2
    objectives = [(o["indicator"], o["baseline"], o["target"], o["year"]) for o in data[OBJ]]
    assert objectives == [
        ("Mercury used in ASGM (t a year)", "45", "20", 2031),
        ("Miners trained", "0", "5000", 2029),
    ]
    first, second = data["actions"]
    assert first == {
        "element": "b",
        "activity": "Retort training",
        "responsible_body": "Minerals Commission",
        "partners": "UNIDO",
        "start": "2027-01-01",
        "end": "2028-06-30",
        "budget": "120000.00",
        "currency": "USD",
        "funding_source": "GEF",
        "worst_practices": ["open-burning", "residential-burning"],
    }
    assert (second["activity"], second["budget"], second["worst_practices"]) == (
        "Mid-term review",
        None,
        [],
    )


def test_appended_rows_come_after_the_plans_own(client, plan, team_lead):
    client.force_login(team_lead)
    before = latest_data("nap", plan)
    response = _post(client, plan, "more.xlsx", _xlsx(), mode="append")
    _confirm(client, plan, response)
    data = latest_data("nap", plan)
    assert len(data["actions"]) == len(before["actions"]) + 2
    assert data["actions"][: len(before["actions"])] == before["actions"]
    assert data["objectives"][-1]["indicator"] == "Miners trained"


def test_a_csv_of_actions_replaces_the_actions_only(client, plan, team_lead):
    client.force_login(team_lead)
    before = latest_data("nap", plan)
    text = io.StringIO()
    csv.writer(text).writerows([ACTION_HEADER, *ACTIONS])
    response = _post(client, plan, "actions.csv", text.getvalue().encode())
    assert response.context["report"].ok
    _confirm(client, plan, response)
    data = latest_data("nap", plan)
    assert [a["activity"] for a in data["actions"]] == ["Retort training", "Mid-term review"]
    assert data["objectives"] == before["objectives"]


def test_bad_rows_are_named_by_sheet_row_and_column_and_nothing_is_saved(client, plan, team_lead):
    client.force_login(team_lead)
    bad_actions = [
        ACTIONS[0],
        ACTIONS[1],
        ["b", "Buy retorts", "EPA", "", "2028-05-01", "2027-01-31", 10, "USD", "", ""],
        ["z", "Unknown element", "EPA", "", "", "", 5, "", "", "boiling"],
    ]
    bad_objectives = [["a", "Mercury", "45", "20", "next year"]]
    response = _post(client, plan, "bad.xlsx", _xlsx(bad_objectives, bad_actions))

    problems = [str(problem) for problem in response.context["report"].problems]
    assert problems == [
        "actions row 4, end: The end (2027-01-31) is before the start (2028-05-01)",
        "actions row 5, currency: Give the budget's currency (an ISO 4217 code: USD, XOF…)",
        "actions row 5, element: Unknown element 'z'; use one of: a, b, c, d, e, f, g, h, i, j, "
        "k, additional",
        "actions row 5, worst_practices: Unknown worst practices 'boiling'; use: "
        "whole-ore-amalgamation, open-burning, residential-burning, "
        "cyanide-on-mercury-tailings",
        "objectives row 2, year: 'next year' is not a year; write it as 2030",
    ]
    page = response.content.decode()
    assert "5 problems found. Nothing has been saved" in page
    assert "confirm_form" not in response.context
    assert _versions(plan) == 1


def test_unknown_columns_are_named(client, plan, team_lead):
    client.force_login(team_lead)
    book = openpyxl.Workbook()
    book.active.title = "actions"
    book.active.append(["element", "activity", "cost"])
    book.active.append(["b", "Retorts", "12"])
    output = io.BytesIO()
    book.save(output)
    response = _post(client, plan, "odd.xlsx", output.getvalue())
    assert [str(p) for p in response.context["report"].problems] == [
        "actions row 1, cost: Unknown column; the columns are: " + ", ".join(ACTION_HEADER)
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.xlsx", b"element,indicator\na,Mercury\n", "but it is a plain text file"),
        ("plan.csv", b"", "empty"),
        ("plan.pdf", b"%PDF-1.4\n", "Upload an .xlsx or .csv file"),
        ("plan.xlsx", b"PK\x03\x04 broken archive", "damaged"),
    ],
)
def test_a_disguised_or_broken_file_is_refused(client, plan, team_lead, name, content, message):
    client.force_login(team_lead)
    response = _post(client, plan, name, content)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors
    assert _versions(plan) == 1


def test_a_workbook_named_csv_is_refused(client, plan, team_lead):
    client.force_login(team_lead)
    response = _post(client, plan, "plan.csv", _xlsx())
    errors = " ".join(response.context["form"].errors["file"])
    assert "This file is named “plan.csv” but it is a Excel (XLSX) file" in errors


def test_an_oversized_file_is_refused(client, plan, team_lead):
    client.force_login(team_lead)
    response = _post(client, plan, "big.csv", b"element,indicator\n" + b"a,x\n" * 600_000)
    assert "the largest spreadsheet accepted is 2.0" in " ".join(
        response.context["form"].errors["file"]
    )


def test_the_template_has_the_columns_an_example_and_the_codes(client, plan, team_lead):
    client.force_login(team_lead)
    response = client.get(f"/nap/plans/{plan.pk}/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["objectives", "actions", "codes"]
    assert [c.value for c in book["objectives"][1]] == OBJECTIVE_HEADER
    assert [c.value for c in book["actions"][1]] == ACTION_HEADER
    assert book["actions"].max_row == 2
    codes = {(row[0].value, row[1].value) for row in book["codes"].iter_rows(min_row=2)}
    assert ("element", "k") in codes and ("worst_practices", "open-burning") in codes


def test_the_template_imported_as_it_is_gives_its_example_rows(client, plan, team_lead):
    client.force_login(team_lead)
    template = b"".join(client.get(f"/nap/plans/{plan.pk}/import/template.xlsx").streaming_content)
    response = _post(client, plan, "template.xlsx", template)
    assert response.context["report"].ok, response.context["report"].problems
