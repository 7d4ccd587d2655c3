"""Importing an inventory's lines from a spreadsheet: an export imported again changes nothing,
an edited one is checked (what would change, nothing saved) then saved as one version, in
either mode; the template filled in; each kind of problem named by sheet, row and column with
nothing saved; a change saved meanwhile refused; and only the inventory's team may import."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mercuryhub.inventory import actions
from mercuryhub.inventory.workbook import line_columns
from mercuryhub.review import actions as review
from mercuryhub.review.models import EntryVersion
from mercuryhub.review.queries import latest_data
from tests.conftest import make_user
from tests.inventory.conftest import thermometer_line
from tests.libreoffice import convert, needs_libreoffice

pytestmark = pytest.mark.django_db
COLUMNS = line_columns()


def _export(client, inventory) -> bytes:
    return client.get(f"/inventory/{inventory.pk}/inventory.xlsx").content


def _edited(content: bytes, changes: dict | None = None, *, drop=(), add=()) -> bytes:
    """The workbook with cells of the lines sheet changed ({(row, column): value}), rows
    deleted (numbers, from the bottom up) and rows added (dicts by column)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Lines"]
    for (row, column), value in (changes or {}).items():
        sheet.cell(row=row, column=COLUMNS.index(column) + 1, value=value)
    for row in sorted(drop, reverse=True):
        sheet.delete_rows(row)
    for values in add:
        sheet.append([values.get(name) for name in COLUMNS])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _post(client, inventory, content, *, name="inventory.xlsx", mode="by-category"):
    upload = SimpleUploadedFile(name, content)
    return client.post(f"/inventory/{inventory.pk}/import/", {"file": upload, "mode": mode})


def _confirm(client, inventory, response):
    token = response.context["confirm_form"]["rows"].value()
    return client.post(f"/inventory/{inventory.pk}/import/", {"rows": token})


def _versions(inventory) -> int:
    return EntryVersion.objects.filter(kind="inventory", object_id=inventory.pk).count()


def _lines(inventory) -> list[dict]:
    return latest_data("inventory", inventory)["lines"]


def _problems(response) -> list[str]:
    return [str(problem) for problem in response.context["report"].problems]


# -- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["replace", "by-category"])
def test_an_export_imported_again_gives_the_same_lines(client, team_lead, inventory, mode):
    client.force_login(team_lead)
    before = _lines(inventory)
    response = _post(client, inventory, _export(client, inventory), mode=mode)
    report = response.context["report"]
    assert report.ok, report.problems
    assert (report.changes, report.unchanged) == ([], 3)
    assert "The file changes nothing in the inventory" in response.content.decode()
    assert "confirm_form" not in response.context
    assert _lines(inventory) == before
    assert _versions(inventory) == 1


def test_the_csv_export_imported_again_gives_the_same_lines(client, team_lead, inventory):
    client.force_login(team_lead)
    content = b"".join(client.get(f"/inventory/{inventory.pk}/inventory.csv").streaming_content)
    response = _post(client, inventory, content, name="lines.csv", mode="replace")
    assert response.context["report"].ok, response.context["report"].problems
    assert response.context["report"].unchanged == 3
    assert response.context["report"].changes == []


@needs_libreoffice
def test_a_workbook_saved_again_by_libreoffice_imports_the_same_lines(
    client, team_lead, inventory, tmp_path
):
    client.force_login(team_lead)
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(_export(client, inventory))
    saved = convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path)
    response = _post(client, inventory, saved.read_bytes(), mode="replace")
    assert response.context["report"].ok, response.context["report"].problems
    assert response.context["report"].changes == []


def test_an_edited_export_is_checked_then_saved_as_one_version(client, team_lead, inventory):
    client.force_login(team_lead)
    before = _lines(inventory)
    content = _edited(_export(client, inventory), {(2, "activity"): 2500000})
    response = _post(client, inventory, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "What the import would change" in page
    assert "1 line changed" in page and "2 lines as they were" in page
    (change,) = response.context["report"].changes
    assert (change.category, change.what, change.row) == ("lamps-compact-fluorescent", "changed", 2)
    assert change.fields == (("activity", "2000000", "2500000"),)
    assert "245–415 kg a year now, 247.5–422.5 kg a year after" in re.sub("<[^>]+>", "", page)
    assert _versions(inventory) == 1 and _lines(inventory) == before  # the dry run saved nothing

    response = _confirm(client, inventory, response)
    assert response.status_code == 302
    assert response["Location"] == f"/inventory/{inventory.pk}/edit/"
    assert _versions(inventory) == 2
    after = _lines(inventory)
    assert after[0] == {**before[0], "activity": "2500000"}
    assert after[1:] == before[1:]


def test_by_category_the_file_updates_and_adds_and_the_other_lines_stay(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    tubes = {
        "category": "lamps-fluorescent-tubes",
        "activity": 30,
        "activity_unit": "1000 items",
        "input_low": 10,
        "input_high": 20,
        "input_unit": "mg/item",
        "general_waste": 1,
        "justification": "Importers' survey, 2024",
    }
    content = _edited(_export(client, inventory), {(4, "note"): "Procurement only"}, drop=[2, 3])
    content = _edited(content, add=[tubes])
    response = _post(client, inventory, content)
    report = response.context["report"]
    assert [(c.category, c.what, c.row) for c in report.changes] == [
        ("thermometers-medical", "changed", 2),
        ("lamps-fluorescent-tubes", "added", 3),
    ]
    _confirm(client, inventory, response)
    lines = _lines(inventory)
    assert [line["category"] for line in lines] == [
        "lamps-compact-fluorescent",
        "batteries-mercury-oxide",
        "thermometers-medical",
        "lamps-fluorescent-tubes",
    ]
    assert lines[2]["note"] == "Procurement only"
    assert lines[3]["input_low"] == "10" and lines[3]["distribution"]["general_waste"] == "1"


def test_replacing_removes_the_lines_the_file_does_not_have(client, team_lead, inventory):
    client.force_login(team_lead)
    content = _edited(_export(client, inventory), drop=[2, 3])
    response = _post(client, inventory, content, mode="replace")
    report = response.context["report"]
    assert [(c.category, c.what) for c in report.changes] == [
        ("lamps-compact-fluorescent", "removed"),
        ("batteries-mercury-oxide", "removed"),
    ]
    assert "2 lines removed" in response.content.decode()
    _confirm(client, inventory, response)
    assert [line["category"] for line in _lines(inventory)] == ["thermometers-medical"]


def test_a_factor_other_than_the_sets_becomes_national_and_needs_its_justification(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    content = _edited(_export(client, inventory), {(3, "input_low"): 300, (3, "input_high"): 340})
    response = _post(client, inventory, content)
    assert _problems(response) == [
        "Lines row 3, justification: Say where the national factor comes from (a measurement, "
        "a study, a national report): a factor without a source cannot be checked"
    ]
    content = _edited(content, {(3, "justification"): "Importers' declarations, 2024"})
    response = _post(client, inventory, content)
    _confirm(client, inventory, response)
    batteries = _lines(inventory)[1]
    assert (batteries["factor_set"], batteries["input_low"], batteries["input_high"]) == (
        "example-set",
        "300",
        "340",
    )
    assert batteries["distribution"] == {}  # the shares are still the set's


def test_the_template_filled_in_brings_its_lines_and_leaves_out_the_empty_rows(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    template = client.get("/inventory/template.xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(template))
    rows = {row[1].value: row[0].row for row in book["Lines"].iter_rows(min_row=2)}
    content = _edited(
        template,
        {
            (rows["thermometers-medical"], "activity"): 120,
            (rows["thermometers-medical"], "factor_set"): "example-set",
            (rows["sphygmomanometers"], "activity"): 2000,
            (rows["sphygmomanometers"], "input_low"): 50,
            (rows["sphygmomanometers"], "input_unit"): "g/item",
            (rows["sphygmomanometers"], "sector_treatment"): 1,
            (rows["sphygmomanometers"], "justification"): "Health ministry's records, 2024",
        },
    )
    response = _post(client, inventory, content)
    report = response.context["report"]
    assert report.ok, report.problems
    assert len(report.rows.left_out) == 20
    assert "20 rows without an activity were left out" in response.content.decode()
    assert [(c.category, c.what) for c in report.changes] == [
        ("thermometers-medical", "changed"),
        ("sphygmomanometers", "added"),
    ]
    _confirm(client, inventory, response)
    thermometers = _lines(inventory)[2]
    assert (thermometers["activity"], thermometers["factor_set"], thermometers["input_low"]) == (
        "120",
        "example-set",
        None,
    )


# -- problems -------------------------------------------------------------------------------------


def test_each_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_saved(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    content = _edited(
        _export(client, inventory),
        {
            (2, "activity_unit"): "kg",
            (3, "activity"): "many",
            (4, "air"): 0.5,
        },
        add=[
            {"category": "lamps-neon", "activity": 3, "activity_unit": "item"},
            {"category": "thermometers-medical", "activity": 1, "activity_unit": "item"},
            {"category": "sphygmomanometers", "activity_unit": "item", "factor_set": "example-set"},
        ],
    )
    response = _post(client, inventory, content, mode="replace")
    problems = _problems(response)
    assert problems == [
        "Lines row 2, activity_unit: Compact fluorescent lamps (CFL) is counted as a number of "
        "items: 'kg' is not a unit of it; use item, 1000 items",
        "Lines row 3, activity: 'many' is not a number; write it as 1200 or 0.025",
        "Lines row 4: The shares add up to 1.4; they must add up to 1 (the whole of the mercury "
        "input)",
        "Lines row 5, category: Unknown source category 'lamps-neon'; use one of: "
        + problems[3].split("use one of: ")[1],
        "Lines row 6, category: thermometers-medical is already on row 4: a source category "
        "has one line",
        "Lines row 7: give how the mercury input leaves over the pathways (air, water, land, "
        "products, general_waste, sector_treatment), shares adding up to 1, with its "
        "justification",
        "Lines row 7, activity: Give the activity of the year (0 where there is none)",
        "Lines row 7, factor_set: example-set has no factor for Sphygmomanometers "
        "(blood-pressure gauges); enter a national input factor with its justification, or "
        "leave the factor set empty",
    ]
    page = response.content.decode()
    assert "8 problems found. Nothing has been saved" in page
    assert "Sheet <bdi>Lines</bdi>, row 2" in page
    assert "column <bdi>activity_unit</bdi>" in page
    assert "confirm_form" not in response.context
    assert _versions(inventory) == 1


def test_a_source_category_on_two_rows_is_refused_even_when_both_are_right(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    content = _export(client, inventory)
    again = {"category": "batteries-mercury-oxide", "activity": 600, "activity_unit": "kg"}
    response = _post(
        client, inventory, _edited(content, add=[{**again, "factor_set": "example-set"}])
    )
    assert _problems(response) == [
        "Lines row 5, category: batteries-mercury-oxide is already on row 3: a source category "
        "has one line"
    ]
    assert "confirm_form" not in response.context
    assert _versions(inventory) == 1


def test_unknown_and_missing_columns_are_named(client, team_lead, inventory):
    client.force_login(team_lead)
    book = openpyxl.Workbook()
    book.active.title = "Lines"
    book.active.append(["category", "amount", "activity_unit"])
    book.active.append(["dental-amalgam", "3", "t"])
    output = io.BytesIO()
    book.save(output)
    response = _post(client, inventory, output.getvalue())
    assert _problems(response) == [
        "Lines row 1: The sheet has no column activity; the columns are: " + ", ".join(COLUMNS),
        "Lines row 1, amount: Unknown column; the columns are: " + ", ".join(COLUMNS),
    ]


def test_too_many_rows_are_refused(client, team_lead, inventory):
    client.force_login(team_lead)
    rows = [{"category": "dental-amalgam", "activity": 1, "activity_unit": "t"}] * 201
    response = _post(client, inventory, _edited(_export(client, inventory), add=rows))
    assert "Lines: At most 200 rows (this sheet has 204)" in _problems(response)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lines.xlsx", b"category,activity\ndental-amalgam,3\n", "but it is a plain text file"),
        ("lines.csv", b"", "empty"),
        ("lines.pdf", b"%PDF-1.4\n", "Upload an .xlsx or .csv file"),
        ("lines.xlsx", b"PK\x03\x04 broken archive", "damaged"),
        ("lines.csv", b"what,amount\nlamps,3\n", "This one has no column category"),
    ],
)
def test_a_file_that_is_no_lines_sheet_is_refused(
    client, team_lead, inventory, name, content, message
):
    client.force_login(team_lead)
    response = _post(client, inventory, content, name=name)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert _versions(inventory) == 1


def test_a_workbook_without_a_lines_sheet_is_refused(client, team_lead, inventory):
    client.force_login(team_lead)
    book = openpyxl.Workbook()
    book.active.title = "Step 3"
    book.active.append(["category", "activity"])
    output = io.BytesIO()
    book.save(output)
    response = _post(client, inventory, output.getvalue())
    assert "The file has no sheet named “Lines”" in " ".join(
        response.context["form"].errors["file"]
    )


def test_the_other_sheets_are_not_read(client, team_lead, inventory):
    client.force_login(team_lead)
    book = openpyxl.load_workbook(io.BytesIO(_export(client, inventory)))
    book["Results"].insert_cols(2)  # a header with a column without a name
    output = io.BytesIO()
    book.save(output)
    response = _post(client, inventory, output.getvalue())
    assert response.context["report"].ok


# -- the confirmation -----------------------------------------------------------------------------


def test_a_change_saved_meanwhile_refuses_the_import_and_nothing_is_imported(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    content = _edited(_export(client, inventory), {(2, "activity"): 2500000})
    response = _post(client, inventory, content)
    actions.do_save_line(team_lead, inventory, 3, thermometer_line(activity="90"), base_version=1)
    response = _confirm(client, inventory, response)
    assert response.status_code == 409
    assert "Someone saved the inventory since you checked the file" in response.content.decode()
    lines = _lines(inventory)
    assert (lines[0]["activity"], lines[2]["activity"]) == ("2000000", "90")
    assert _versions(inventory) == 2


def test_an_altered_or_anothers_confirmation_is_refused(client, team_lead, agency, inventory):
    from mercuryhub.accounts.actions import do_set_membership

    client.force_login(team_lead)
    content = _edited(_export(client, inventory), {(2, "activity"): 2500000})
    token = _post(client, inventory, content).context["confirm_form"]["rows"].value()
    response = client.post(f"/inventory/{inventory.pk}/import/", {"rows": token[:-2] + "xx"})
    assert response.status_code == 400
    assert "The checked file has expired or was altered" in response.content.decode()
    colleague = make_user("kofi.inventory@epa.example")
    do_set_membership(team_lead, agency, colleague, "editor")
    client.force_login(colleague)
    response = client.post(f"/inventory/{inventory.pk}/import/", {"rows": token})
    assert response.status_code == 400
    assert _versions(inventory) == 1


# -- who may import -------------------------------------------------------------------------------


def test_only_the_inventorys_team_may_import(client, team_lead, reviewer, inventory):
    content = b"category,activity\n"
    stranger = make_user("someone@elsewhere.example")
    response = client.get(f"/inventory/{inventory.pk}/import/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(stranger)
    assert _post(client, inventory, content, name="l.csv").status_code == 404
    client.force_login(reviewer)
    assert _post(client, inventory, content, name="l.csv").status_code == 403
    published = review.do_validate_entry(
        "inventory", reviewer, review.do_submit_entry("inventory", team_lead, inventory)
    )
    client.force_login(stranger)
    assert _post(client, published, content, name="l.csv").status_code == 403
    assert _versions(inventory) == 1


def test_the_editor_offers_the_downloads_and_the_upload(client, team_lead, inventory):
    client.force_login(team_lead)
    page = client.get(f"/inventory/{inventory.pk}/edit/").content.decode()
    assert f'action="/inventory/{inventory.pk}/import/"' in page
    assert 'enctype="multipart/form-data"' in page
    assert f'href="/inventory/{inventory.pk}/inventory.xlsx"' in page
    assert f'href="/inventory/{inventory.pk}/inventory.csv"' in page
    assert 'href="/inventory/template.xlsx"' in page
    detail = client.get(f"/inventory/{inventory.pk}/").content.decode()
    assert f'href="/inventory/{inventory.pk}/inventory.xlsx"' in detail
