"""Files at the edges of what an import takes: no rows, control characters, what a dry run says
it would change, text decoded with the wrong encoding, and exports of entries holding a
character no workbook can hold."""

import csv
import io
import json
from importlib import resources
from io import StringIO

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_facility
from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.spreadsheets.exporting import entries_csv, entries_xlsx
from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.text import find_control_character, likely_mis_decoded

pytestmark = pytest.mark.django_db

SHIPPED = resources.files("mercuryhub.catalogue") / "data" / "facilities.csv"
HEADER = ["external_id", "name", "operator", "country", "accepted_wastes", "summary"]


def _write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def _import_shipped():
    with resources.as_file(SHIPPED) as path:
        assert import_entries("facility", path).problems == []


# A file with a header and no rows -------------------------------------------------------------


def _header_only(tmp_path, file_format):
    path = tmp_path / f"empty.{file_format}"
    if file_format == "csv":
        _write_csv(path, [HEADER])
    elif file_format == "xlsx":
        workbook = openpyxl.Workbook()
        workbook.active.append(HEADER)
        workbook.save(path)
    else:
        path.write_text("[]", "utf-8")
    return path


@pytest.mark.parametrize(
    ("file_format", "message"),
    [
        ("csv", "There are no rows to import: the file has only a header"),
        ("xlsx", "There are no rows to import: the file has only a header"),
        ("json", "There are no rows to import: the list is empty"),
    ],
)
def test_a_file_without_rows_is_refused_and_changes_nothing(
    tmp_path, facilities, file_format, message
):
    before = Facility.objects.count()

    report = import_entries("facility", _header_only(tmp_path, file_format))

    assert [str(problem) for problem in report.problems] == [message]
    assert not report.saved
    assert Facility.objects.count() == before


# Control characters -----------------------------------------------------------------------------


def test_a_nul_in_a_cell_is_refused_naming_row_and_column(tmp_path, db):
    rows = [
        HEADER,
        ["plant-1", "Lamp plant", "Batrec Industrie AG", "CHE", "lamps", "Fine."],
        ["plant-2", "Lamp\x00plant", "Batrec Industrie AG", "CHE", "lamps", "Fine."],
        ["plant-3", "Lamp plant 3", "Batrec Industrie AG", "CHE", "lamps\x07", "Fine."],
    ]

    report = import_entries("facility", _write_csv(tmp_path / "nul.csv", rows))

    assert [str(problem) for problem in report.problems] == [
        "Row 3, column name: Contains a control character (NUL at position 5), which is not "
        "allowed",
        "Row 4, column accepted_wastes: Contains a control character (U+0007 at position 6), "
        "which is not allowed",
    ]
    assert Facility.objects.count() == 0


def test_tabs_and_line_breaks_are_allowed_only_in_long_texts(tmp_path, db):
    rows = [
        HEADER,
        ["plant-1", "Lamp plant", "Batrec Industrie AG", "CHE", "lamps", "Crushes.\n\tDistils."],
        ["plant-2", "Lamp\tplant", "Batrec Industrie AG", "CHE", "lamps", "Fine."],
    ]

    report = import_entries("facility", _write_csv(tmp_path / "tabs.csv", rows))

    assert [str(problem) for problem in report.problems] == [
        "Row 3, column name: Contains a control character (a tab at position 5), which is not "
        "allowed; tabs and line breaks belong only in long texts"
    ]
    rows.pop()
    assert import_entries("facility", _write_csv(tmp_path / "tabs.csv", rows)).created == 1
    assert Facility.objects.get().description == "Crushes.\n\tDistils."


def test_a_json_item_with_a_control_character_in_a_list_is_named(tmp_path, db):
    items = [
        {
            "external_id": "plant-1",
            "name": "Lamp plant",
            "operator": "Batrec Industrie AG",
            "country": "CHE",
            "accepted_wastes": ["lamps", "batteries\x1b", "oil\x00gas"],
        }
    ]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items), "utf-8")

    report = import_entries("facility", path)

    assert [str(problem) for problem in report.problems] == [
        "Item 1, column accepted_wastes: Contains a control character (U+001B at position 10), "
        "which is not allowed"
    ]


def test_every_way_in_refuses_control_characters_naming_the_field(db):
    data = {
        "name": "Lamp plant",
        "operator": "Batrec\x00 Industrie AG",
        "country": "CHE\x00",
        "city": "Wim\x0bmis",
        "accepted_wastes": "lamps;batteries\x00",
        "languages": "de\x00",
        "permits": "Swiss permit\r\nEU permit",
    }

    with pytest.raises(InvalidInputError) as refused:
        clean_facility(data)

    assert set(refused.value.errors) == {
        "operator",
        "country",
        "city",
        "accepted_wastes",
        "languages",
    }
    assert refused.value.errors["city"].startswith(
        "Contains a control character (U+000B at position 4)"
    )


def test_the_editing_api_refuses_a_nul_in_a_json_body(client, owner, organization):
    from mercuryhub.accounts.actions import do_create_api_token

    token = do_create_api_token(owner, "test")[1]
    body = {
        "name": "Lamp\x00plant",
        "operator": "batrec-industrie-ag",
        "country": "CHE",
        "accepted_wastes": ["lamps"],
    }

    response = client.post(
        "/api/v1/facilities",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 422
    assert "name" in response.content.decode()
    assert "NUL" in response.content.decode()
    assert not Facility.objects.exists()


def test_the_control_character_check_names_what_it_found():
    assert find_control_character("Almadén", multiline=False) is None
    assert find_control_character("a\x00b", multiline=True) == "NUL at position 2"
    assert find_control_character("a\nb", multiline=True) is None
    assert find_control_character("a\nb", multiline=False) == "a line break at position 2"


# What a dry run says it would change ------------------------------------------------------------


def _changed_shipped(tmp_path, change):
    with resources.as_file(SHIPPED) as path, open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    change(rows)
    return _write_csv(tmp_path / "changed.csv", rows)


def _rename_batrec(rows):
    header = rows[0]
    batrec = next(row for row in rows if row[0] == "batrec-wimmis")
    batrec[header.index("name")] = "Batrec plant at Wimmis"
    batrec[header.index("accepted_wastes")] = "batteries;lamps"
    batrec[header.index("capacity")] = "about 20,000 t a year"


def test_a_dry_run_lists_each_changed_field_with_its_old_and_new_value(tmp_path, db):
    _import_shipped()
    path = _changed_shipped(tmp_path, _rename_batrec)

    report = import_entries("facility", path, dry_run=True)

    assert (report.updated, report.unchanged) == (1, 43)
    assert [(c.row, c.external_id, c.column, c.old, c.new) for c in report.changes] == [
        (2, "batrec-wimmis", "name", "Batrec Wimmis plant", "Batrec plant at Wimmis"),
        (2, "batrec-wimmis", "capacity", "", "about 20,000 t a year"),
        (
            2,
            "batrec-wimmis",
            "accepted_wastes",
            "batteries;combustion-residues;contaminated-soil-sites;lamps;measuring-devices;"
            "oil-gas;spent-catalysts",
            "batteries;lamps",
        ),
    ]
    assert Facility.objects.get(external_id="batrec-wimmis").name == "Batrec Wimmis plant"


def test_the_command_dry_run_prints_what_would_change(tmp_path, db):
    _import_shipped()
    stdout = StringIO()

    call_command(
        "import",
        "facilities",
        str(_changed_shipped(tmp_path, _rename_batrec)),
        "--dry-run",
        stdout=stdout,
    )

    lines = stdout.getvalue().splitlines()
    assert lines[0] == "Facilities: 0 rows would be created, 1 updated, 43 unchanged"
    assert lines[1] == "What would change:"
    assert lines[2] == (
        "Row 2 (batrec-wimmis), column name: 'Batrec Wimmis plant' → 'Batrec plant at Wimmis'"
    )


def test_the_upload_page_shows_what_would_change_before_submitting(signed_in, owner, organization):
    do_save_entry(
        "facility",
        clean_facility(
            {
                "external_id": "bat-1",
                "name": "Batrec lamp line",
                "operator": "batrec-industrie-ag",
                "country": "CHE",
                "accepted_wastes": "lamps",
            }
        ),
        review_state="imported",
        published=True,
    )
    content = "external_id,name,operator,country,accepted_wastes\n"
    content += "bat-1,Batrec tubeworks,batrec-industrie-ag,CHE,lamps\n"
    upload = SimpleUploadedFile("facilities.csv", content.encode(), "text/csv")

    page = signed_in(owner).post("/catalogue/upload/", {"kind": "facility", "file": upload})

    text = page.content.decode()
    assert "What the file changes in entries already in the catalogue" in text
    assert (
        "<tr><td>2</td><td>bat-1</td><td>name</td><td>Batrec lamp line</td>"
        "<td>Batrec tubeworks</td></tr>"
    ) in text


# Text decoded with the wrong encoding -----------------------------------------------------------


def test_mis_decoded_text_is_recognized_with_what_it_meant():
    assert likely_mis_decoded("AlmadÃ©n") == "Almadén"
    assert likely_mis_decoded("DÃ¼rr Dental SE â€“ amalgam") == "Dürr Dental SE – amalgam"
    assert likely_mis_decoded("Almadén") is None
    assert likely_mis_decoded("Ñandú São Paulo 600 °C") is None


def test_an_export_opened_in_the_wrong_encoding_is_not_reimported_silently(tmp_path, db):
    _import_shipped()
    exported = entries_csv("facility", Facility.objects.all())
    # A spreadsheet program reads the UTF-8 file as Windows-1252, then saves it as UTF-8.
    garbled = exported.encode("utf-8").decode("cp1252", errors="replace")
    path = tmp_path / "garbled.csv"
    path.write_text(garbled, "utf-8")
    stdout = StringIO()

    call_command("import", "facilities", str(path), "--dry-run", stdout=stdout)

    names = sorted(Facility.objects.values_list("name", flat=True))
    row = 2 + names.index("Almadén mercury storage and stabilization plant")
    assert (
        f"Warning: Row {row}, column city: 'AlmadÃ©n, Ciudad Real' looks mis-decoded and most "
        "likely reads 'Almadén, Ciudad Real': was the file opened or saved in an encoding other "
        "than UTF-8?"
    ) in stdout.getvalue().splitlines()
    report = import_entries("facility", path)  # imported, but not silently
    assert report.updated > 0
    assert any("column name: 'AlmadÃ©n mercury" in str(warning) for warning in report.warnings)


def test_the_csv_export_starts_with_a_byte_order_mark(client, facilities):
    content = client.get("/catalogue/export/csv/?type=facility").getvalue()

    assert content.startswith(b"\xef\xbb\xbf")
    assert "MAYASA Almadén stabilization plant" in content.decode("utf-8-sig")


# Exports of an entry holding a control character --------------------------------------------


@pytest.fixture
def broken_name(facilities):
    # Stored before the checks existed, or written around them: exports must still work.
    Facility.objects.filter(pk=facilities["batrec"].pk).update(
        name="Batrec\x01 Wimmis plant", description="Recovers\x0c mercury."
    )
    return facilities["batrec"]


def test_the_xlsx_export_leaves_out_characters_a_workbook_cannot_hold(broken_name):
    workbook = openpyxl.load_workbook(io.BytesIO(entries_xlsx("facility", Facility.objects.all())))

    names = [row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "Batrec Wimmis plant" in names


def test_the_publication_leaves_out_characters_a_document_cannot_hold(client, broken_name):
    response = client.get("/catalogue/publication.docx")

    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Batrec Wimmis plant" in text
    assert "Recovers mercury." in text
