"""An inventory as spreadsheets: the workbook in the Toolkit's layout (the inventory, its lines,
the results, the figures to check), the lines as CSV, each the version the person reads (the
public never a draft), and the blank template with its lists; LibreOffice opens the workbook."""

import csv
import io

import openpyxl
import pytest

from mercuryhub.inventory.vocabulary import categories
from mercuryhub.inventory.workbook import line_columns
from mercuryhub.review import actions as review
from tests.conftest import make_user
from tests.inventory.conftest import cfl_line
from tests.libreoffice import convert, needs_libreoffice

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PATHWAYS = ["air", "water", "land", "products", "general_waste", "sector_treatment"]


def _book(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _by_column(sheet) -> list[dict]:
    header, *rows = _rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _published(inventory, team_lead, reviewer):
    inventory = review.do_submit_entry("inventory", team_lead, inventory)
    return review.do_validate_entry("inventory", reviewer, inventory)


def test_the_workbook_has_the_toolkit_sheets_in_order(client, team_lead, inventory):
    client.force_login(team_lead)
    response = client.get(f"/inventory/{inventory.pk}/inventory.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == ('attachment; filename="inventory-GHA-2024-v1.xlsx"')
    book = _book(response)
    assert book.sheetnames == ["Inventory", "Lines", "Results", "Flags", "Read me", "Lists"]
    assert book.active.title == "Inventory"


def test_the_inventory_sheet_names_country_year_population_state_version_and_sets(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    sheet = _book(client.get(f"/inventory/{inventory.pk}/inventory.xlsx"))["Inventory"]
    values = {row[0]: row[1] for row in _rows(sheet)}
    assert values["Mercury waste inventory"] == "Mercury waste inventory of Ghana, 2024"
    assert values["Country"] == "Ghana (GHA)"
    assert values["Year"] == 2024
    assert values["Population"] == 30000000
    assert values["Prepared by"] == "Environmental Protection Agency of Ghana"
    assert values["Status"] == "Draft"
    assert values["Version"] == "1, the latest"
    assert values["Factor set example-set"] == "Example factor set. MercuryHub tests. 2026"
    assert values["Address"] == f"http://testserver/inventory/{inventory.pk}/"


def test_the_lines_sheet_shows_each_lines_factor_and_shares_with_their_origin(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    sheet = _book(client.get(f"/inventory/{inventory.pk}/inventory.xlsx"))["Lines"]
    assert [cell.value for cell in sheet[1]] == line_columns()
    lamps, batteries, thermometers = _by_column(sheet)
    assert lamps == {
        "group": "Mercury-added products",
        "category": "lamps-compact-fluorescent",
        "category_label": "Compact fluorescent lamps (CFL)",
        "activity": 2000000,
        "activity_unit": "item",
        "factor_set": None,
        "input_low": 5,
        "input_high": 15,
        "input_unit": "mg/item",
        "input_origin": "national",
        "air": 0.05,
        "water": 0,
        "land": 0,
        "products": 0,
        "general_waste": 0.95,
        "sector_treatment": 0,
        "distribution_origin": "national",
        "justification": "Survey of the lamp importers, 2023",
        "note": None,
    }
    # The battery line cites the example set: its factor and shares are the set's.
    assert [batteries[name] for name in ("factor_set", "input_low", "input_high")] == [
        "example-set",
        320,
        320,
    ]
    assert (batteries["input_unit"], batteries["input_origin"]) == ("kg/t", "example-set")
    assert [batteries[code] for code in PATHWAYS] == [0, 0, 0, 0, 0.9, 0.1]
    assert batteries["distribution_origin"] == "example-set"
    assert thermometers["activity_unit"] == "1000 items"
    assert sheet.freeze_panes == "D2"


def test_the_lines_sheet_offers_the_lists_of_codes(client, team_lead, inventory):
    client.force_login(team_lead)
    book = _book(client.get(f"/inventory/{inventory.pk}/inventory.xlsx"))
    lists = {
        str(validation.sqref).split(":")[0].rstrip("0123456789"): validation.formula1
        for validation in book["Lines"].data_validations.dataValidation
        if validation.type == "list"
    }
    columns = {
        name: openpyxl.utils.get_column_letter(i) for i, name in enumerate(line_columns(), 1)
    }
    assert lists[columns["category"]] == "Lists!$A$2:$A$23"
    categories_listed = [row[0] for row in _rows(book["Lists"])[1:] if row[0]]
    assert categories_listed == list(categories())
    assert set(lists) == {
        columns[name]
        for name in (
            "category",
            "activity_unit",
            "factor_set",
            "input_unit",
            "input_origin",
            "distribution_origin",
        )
    }


def test_the_results_sheet_gives_the_ranges_by_category_pathway_and_waste_category(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    rows = _rows(_book(client.get(f"/inventory/{inventory.pk}/inventory.xlsx"))["Results"])
    assert rows[0][0] == "Mercury by source category and pathway (kg a year)"
    header = rows[1]
    assert header[:4] == [
        "category",
        "Source category",
        "Input, low (kg/y)",
        "Input, high (kg/y)",
    ]
    assert header[4:6] == ["Air, low (kg/y)", "Air, high (kg/y)"]
    by_category = {row[0]: row[2:4] for row in rows[2:5]}
    assert by_category == {
        "lamps-compact-fluorescent": [10, 30],
        "batteries-mercury-oxide": [160, 160],
        "thermometers-medical": [75, 225],
    }
    total = rows[5]
    assert total[1] == "Total"
    assert total[2:] == [245, 415, 8, 24, 22.5, 67.5, 0, 0, 0, 0, 198.5, 307.5, 16, 16]
    waste_title = next(i for i, row in enumerate(rows) if row[0] and "waste category" in row[0])
    by_waste = {row[1]: row[2:4] for row in rows[waste_title + 2 :] if row[0]}
    assert by_waste == {
        "Mercury lamps": [10, 30],
        "Mercury batteries": [160, 160],
        "Mercury measuring devices": [75, 225],
    }


def test_the_flags_sheet_lists_the_figures_to_check(client, team_lead, agency, example_factors):
    from mercuryhub.inventory import actions
    from tests.inventory.conftest import content

    # 200 million lamps for 30 million people: more than the 5 a head the check allows.
    inventory = actions.do_create_inventory(
        team_lead, content(lines=[cfl_line(activity="200000000")])
    )
    client.force_login(team_lead)
    rows = _rows(_book(client.get(f"/inventory/{inventory.pk}/inventory.xlsx"))["Flags"])
    assert rows[0] == ["Line", "category", "Source category", "Check", "Figure to check"]
    assert rows[1][:4] == [
        1,
        "lamps-compact-fluorescent",
        "Compact fluorescent lamps (CFL)",
        "per-inhabitant",
    ]
    assert "per inhabitant" in rows[1][4]


def test_an_inventory_without_flags_says_so(client, team_lead, inventory):
    client.force_login(team_lead)
    rows = _rows(_book(client.get(f"/inventory/{inventory.pk}/inventory.xlsx"))["Flags"])
    assert rows[1][0] == "No figure to check."


def test_the_workbook_is_in_the_readers_language_but_its_columns_are_codes(
    client, team_lead, inventory
):
    client.force_login(team_lead)
    book = _book(client.get(f"/fr/inventory/{inventory.pk}/inventory.xlsx"))
    values = {row[0]: row[1] for row in _rows(book["Inventory"])}
    assert values["Pays"] == "Ghana (GHA)"
    assert [cell.value for cell in book["Lines"][1]] == line_columns()
    assert book["Lines"]["C2"].value == "Lampes fluorescentes compactes (LFC)"


def test_the_csv_holds_the_lines_in_the_sheets_columns(client, team_lead, inventory):
    client.force_login(team_lead)
    response = client.get(f"/inventory/{inventory.pk}/inventory.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="inventory-GHA-2024-v1.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == line_columns()
    first = dict(zip(header, rows[0], strict=True))
    assert (first["category"], first["activity"], first["input_low"], first["air"]) == (
        "lamps-compact-fluorescent",
        "2000000",
        "5",
        "0.05",
    )
    assert [row[1] for row in rows] == [
        "lamps-compact-fluorescent",
        "batteries-mercury-oxide",
        "thermometers-medical",
    ]


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_a_draft_is_not_exported_to_the_public_or_to_other_organizations(
    client, inventory, extension
):
    assert client.get(f"/inventory/{inventory.pk}/inventory.{extension}").status_code == 404
    client.force_login(make_user("someone@elsewhere.example"))
    assert client.get(f"/inventory/{inventory.pk}/inventory.{extension}").status_code == 404


def test_the_secretariat_exports_the_draft_it_reviews(client, reviewer, inventory):
    client.force_login(reviewer)
    book = _book(client.get(f"/inventory/{inventory.pk}/inventory.xlsx"))
    assert len(_by_column(book["Lines"])) == 3


def test_the_public_exports_the_published_version_not_the_later_changes(
    client, team_lead, reviewer, inventory
):
    from mercuryhub.inventory import actions

    inventory = _published(inventory, team_lead, reviewer)
    actions.do_remove_line(team_lead, inventory, 1, base_version=inventory.version)
    public = _book(client.get(f"/inventory/{inventory.pk}/inventory.xlsx"))
    assert len(_by_column(public["Lines"])) == 3
    values = {row[0]: row[1] for row in _rows(public["Inventory"])}
    assert (values["Status"], values["Version"]) == ("Published", "1, the published version")
    client.force_login(team_lead)
    team = _book(client.get(f"/inventory/{inventory.pk}/inventory.xlsx"))
    assert len(_by_column(team["Lines"])) == 2
    values = {row[0]: row[1] for row in _rows(team["Inventory"])}
    assert values["Status"] == "Published, with changes under review"


def test_the_template_has_a_row_per_source_category_the_lists_and_a_read_me(client):
    response = client.get("/inventory/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = _book(response)
    assert book.sheetnames == ["Read me", "Lines", "Lists"]
    assert [cell.value for cell in book["Lines"][1]] == line_columns()
    lines = _by_column(book["Lines"])
    assert [line["category"] for line in lines] == list(categories())
    assert lines[0]["group"] == "Mercury-added products"
    assert lines[-1]["group"] == "Waste incineration, disposal and wastewater"
    assert all(line["activity"] is None for line in lines)
    assert book["Lines"].data_validations.dataValidation
    read_me = " ".join(str(row[0]) for row in _rows(book["Read me"]) if row[0])
    assert "justification" in read_me and "input_origin" in read_me


@needs_libreoffice
def test_libreoffice_opens_the_workbook_and_keeps_its_lines_and_lists(
    client, team_lead, inventory, tmp_path
):
    client.force_login(team_lead)
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(client.get(f"/inventory/{inventory.pk}/inventory.xlsx").content)
    saved = convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames == ["Inventory", "Lines", "Results", "Flags", "Read me", "Lists"]
    lines = [line for line in _by_column(book["Lines"]) if line["category"]]
    assert [line["category"] for line in lines] == [
        "lamps-compact-fluorescent",
        "batteries-mercury-oxide",
        "thermometers-medical",
    ]
    assert lines[1]["input_low"] == 320
    assert any(v.type == "list" for v in book["Lines"].data_validations.dataValidation)
