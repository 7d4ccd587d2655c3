"""Importing catalogue spreadsheets: the shipped facilities, CSV, XLSX and JSON files, the
`mercuryhub import` command and the starter data that `mercuryhub serve` loads."""

import csv
import json
from datetime import date
from importlib import resources
from io import StringIO

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError

from mercuryhub.accounts.models import Organization
from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.catalogue.queries import Filters, search
from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.review.models import ReviewState

pytestmark = pytest.mark.django_db

SHIPPED = resources.files("mercuryhub.catalogue") / "data" / "facilities.csv"


def _shipped_rows() -> list[list[str]]:
    with resources.as_file(SHIPPED) as path, open(path, encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def _write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def _counts():
    return (Facility.objects.count(), Organization.objects.count())


def _import_shipped(**options):
    with resources.as_file(SHIPPED) as path:
        return import_entries("facility", path, **options)


# The shipped facilities ---------------------------------------------------------------------


def test_it_imports_the_44_shipped_facilities_published_and_searchable():
    report = _import_shipped()

    assert report.problems == []
    assert (report.created, report.updated, report.unchanged) == (44, 0, 0)
    assert str(report) == "44 created, 0 updated, 0 unchanged"
    assert Facility.objects.filter(published=True, review_state=ReviewState.IMPORTED).count() == 44
    batrec = Facility.objects.get(external_id="batrec-wimmis")
    assert batrec.operator.name == "Batrec Industrie AG"
    assert batrec.country_id == "CHE"
    assert (batrec.latitude, batrec.longitude) == (46.676, 7.638)
    assert batrec.description.startswith("Recovers mercury from batteries")
    assert batrec.source_checked_on == date(2026, 11, 22)
    assert batrec.last_confirmed_at is None  # public sources confirm nothing
    assert {t.code for t in batrec.accepted_wastes.all()} >= {"batteries", "lamps"}
    found = search(AnonymousUser(), Filters(q="Batrec"))
    assert "Batrec Wimmis plant" in [hit.entry.name for hit in found.hits]


def test_importing_the_same_file_again_creates_nothing_and_changes_nothing():
    _import_shipped()
    organizations = Organization.objects.count()
    history = Facility.history.count()

    report = _import_shipped()

    assert (report.created, report.updated, report.unchanged) == (0, 0, 44)
    assert Facility.objects.count() == 44
    assert Organization.objects.count() == organizations
    assert Facility.history.count() == history


def test_a_changed_row_updates_its_entry_instead_of_adding_another(tmp_path):
    rows = _shipped_rows()[:5]
    import_entries("facility", _write_csv(tmp_path / "first.csv", rows))
    rows[1][8] = "closed"  # Batrec's status
    rows[1][1] = "Batrec Wimmis recycling plant"

    report = import_entries("facility", _write_csv(tmp_path / "changed.csv", rows))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    batrec = Facility.objects.get(external_id="batrec-wimmis")
    assert (batrec.name, batrec.status) == ("Batrec Wimmis recycling plant", "closed")
    assert Facility.objects.count() == 4
    assert search(AnonymousUser(), Filters(q="recycling Wimmis")).total == 1


def test_a_column_left_out_of_the_file_keeps_what_the_entry_has(tmp_path):
    import_entries("facility", _write_csv(tmp_path / "first.csv", _shipped_rows()[:4]))
    Facility.objects.filter(external_id="nomura-kansai").update(permits="ISO 14001")
    rows = [["external_id", "name", "operator", "country", "accepted_wastes", "last_confirmed"]]
    rows.append(
        ["nomura-kansai", "Nomura Kohsan Kansai plant", "Nomura Kohsan Co. Ltd", "JPN", "lamps"]
        + ["2025-03-01"]
    )

    report = import_entries("facility", _write_csv(tmp_path / "short.csv", rows))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    kansai = Facility.objects.get(external_id="nomura-kansai")
    assert kansai.permits == "ISO 14001"
    assert kansai.city == "Osaka prefecture"
    assert kansai.last_confirmed_at == date(2025, 3, 1)


def test_a_dry_run_saves_nothing_and_says_what_would_happen():
    before = _counts()

    report = _import_shipped(dry_run=True)

    assert report.counts() == "44 rows would be created, 0 updated, 0 unchanged"
    assert report.problems == []
    assert _counts() == before


# Refusals -----------------------------------------------------------------------------------


def test_an_unknown_column_is_refused_before_any_row_is_read(tmp_path):
    rows = _shipped_rows()
    rows[0][12] = "capcity"
    rows[2][5] = "123"  # a bad row, not reported: the header is wrong
    before = _counts()

    report = import_entries("facility", _write_csv(tmp_path / "header.csv", rows))

    assert [str(problem) for problem in report.problems] == [
        "Row 1, column capcity: Unknown column for facilities; the columns are: external_id, "
        "name, operator, country, city, latitude, longitude, coordinates_precision, status, "
        "accepted_wastes, technologies, phases, capacity, website, source, summary, "
        "capacity_tonnes_per_year, permits, accepts_foreign_waste, languages, contact_route, "
        "source_checked_on, last_confirmed, content_language, name_en, name_fr, name_es, "
        "name_ru, name_zh, name_ar, description_en, description_fr, description_es, "
        "description_ru, description_zh, description_ar"
    ]
    assert _counts() == before


def test_a_missing_required_column_is_named(tmp_path):
    rows = [[cell for i, cell in enumerate(row) if i != 2] for row in _shipped_rows()]

    report = import_entries("facility", _write_csv(tmp_path / "no-operator.csv", rows))

    assert [str(p) for p in report.problems] == [
        "Row 1, column operator: This required column is missing"
    ]


def test_a_bad_coordinate_on_row_3_is_named_and_nothing_is_saved(tmp_path):
    rows = _shipped_rows()
    rows[2][5] = "123"  # the second facility, on row 3 of the spreadsheet
    rows.append(["new-one", "New plant", "A brand new operator", "FRA", "", "", "", "", ""])
    rows[-1] += ["lamps", "", "", "", "", "", ""]
    before = _counts()

    report = import_entries("facility", _write_csv(tmp_path / "latitude.csv", rows))

    assert [str(p) for p in report.problems] == [
        "Row 3, column latitude: '123' is out of range (-90 to 90)"
    ]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert _counts() == before
    assert not Organization.objects.filter(name="A brand new operator").exists()


def test_an_unknown_waste_code_is_named_with_the_known_codes(tmp_path):
    rows = _shipped_rows()
    rows[4][9] = "batteries;mercury-lamps"

    report = import_entries("facility", _write_csv(tmp_path / "waste.csv", rows))

    (problem,) = report.problems
    assert (problem.row, problem.column) == (5, "accepted_wastes")
    assert problem.message.startswith("Unknown code 'mercury-lamps'; known codes are: consisting")
    assert "lamps" in problem.message
    assert Facility.objects.count() == 0


def test_a_duplicate_external_id_names_both_rows_and_a_missing_one_is_refused(tmp_path):
    rows = _shipped_rows()
    rows[5][0] = "batrec-wimmis"
    rows[6][0] = ""

    report = import_entries("facility", _write_csv(tmp_path / "ids.csv", rows))

    assert [str(p) for p in report.problems] == [
        "Row 6, column external_id: 'batrec-wimmis' is on row 2 and row 6; "
        "each external_id may appear only once",
        "Row 7, column external_id: A value is required: it identifies the entry when the file "
        "is imported again",
    ]
    assert Facility.objects.count() == 0


def test_a_file_of_another_format_or_separator_gets_a_clear_message(tmp_path):
    semicolons = tmp_path / "excel.csv"
    semicolons.write_text("external_id;name;operator;country;accepted_wastes\n", "utf-8")
    text = tmp_path / "facilities.txt"
    text.write_text("hello", "utf-8")

    assert [str(p) for p in import_entries("facility", semicolons).problems] == [
        "Row 1: The columns must be separated by commas; this file seems to use semicolons or tabs"
    ]
    assert [str(p) for p in import_entries("facility", text).problems] == [
        "Unknown file format 'txt'; use a .csv, .xlsx or .json file or name the format"
    ]


# Formats ------------------------------------------------------------------------------------


def test_a_csv_with_a_byte_order_mark_imports(tmp_path):
    path = tmp_path / "bom.csv"
    content = "\n".join(",".join(row) for row in _shipped_rows()[:1])
    content += "\nkansai,Kansai plant,Nomura Kohsan Co. Ltd,JPN,Osaka,,,,,lamps,,,,,,\n"
    path.write_bytes(b"\xef\xbb\xbf" + content.encode())

    report = import_entries("facility", path)

    assert (report.created, report.problems) == (1, [])
    assert Facility.objects.get().name == "Kansai plant"


def test_it_imports_facilities_from_the_first_sheet_of_an_xlsx_workbook(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in _shipped_rows()[:4]:
        sheet.append(row)
    sheet["F3"] = 43.64  # numbers as numbers
    sheet.append([])  # a blank row, skipped but counted
    sheet.append(["extra", "Extra plant", "Batrec Industrie AG", "CHE", "", "", "", "", ""])
    sheet["J6"] = "lamps"
    sheet["V6"] = "last_confirmed"  # not in the header: refused
    workbook.save(tmp_path / "facilities.xlsx")

    report = import_entries("facility", tmp_path / "facilities.xlsx")
    assert [str(p) for p in report.problems] == [
        "Row 6: This row has a value in cell 22, but the header names only 17 columns"
    ]

    sheet["V6"] = None
    workbook.save(tmp_path / "facilities.xlsx")
    report = import_entries("facility", tmp_path / "facilities.xlsx")

    assert (report.created, report.problems) == (4, [])
    assert Facility.objects.get(external_id="nomura-itomuka").latitude == 43.64
    assert Facility.objects.get(external_id="extra").operator.name == "Batrec Industrie AG"


def test_it_imports_a_json_list_of_objects_with_lists_as_lists(tmp_path):
    items = [
        {
            "external_id": "json-plant",
            "name": "JSON plant",
            "operator": "Batrec Industrie AG",
            "country": "CHE",
            "latitude": 46.7,
            "longitude": 7.6,
            "accepted_wastes": ["lamps", "batteries"],
            "accepts_foreign_waste": True,
            "last_confirmed": "2024-05-06",
        },
        {
            "external_id": "json-other",
            "name": "Other",
            "operator": "Batrec Industrie AG",
            "country": "CHE",
            "accepted_wastes": "lamps",
            "latitude": 95,
        },
    ]
    path = tmp_path / "facilities.json"
    path.write_text(json.dumps(items), "utf-8")

    refused = import_entries("facility", path)
    assert [str(p) for p in refused.problems] == [
        "Item 2, column latitude: '95' is out of range (-90 to 90)"
    ]

    items[1]["latitude"] = 45
    items[1]["longitude"] = 7
    path.write_text(json.dumps(items), "utf-8")
    report = import_entries("facility", path)

    assert (report.created, report.problems) == (2, [])
    plant = Facility.objects.get(external_id="json-plant")
    assert {t.code for t in plant.accepted_wastes.all()} == {"lamps", "batteries"}
    assert plant.accepts_foreign_waste is True
    assert plant.last_confirmed_at == date(2024, 5, 6)


def test_it_imports_offerings_and_experts_in_their_layouts(tmp_path):
    offerings = tmp_path / "offerings.csv"
    _write_csv(
        offerings,
        [
            ["external_id", "name", "provider", "kind", "waste_categories", "regions_served"]
            + ["countries_served", "summary", "provider_country"],
            ["mrt", "Lamp recycler", "MRT System", "equipment", "lamps", "Africa;Asia"]
            + ["URY;CHL", "Crushes lamps.", "SWE"],
        ],
    )
    experts = tmp_path / "experts.csv"
    _write_csv(
        experts,
        [
            ["external_id", "name", "organization", "email", "country", "languages"]
            + ["consent_to_publication", "biography"],
            ["ana", "Ana Pereira", "", "Ana@Example.org", "URY", "es;en", "yes", "Engineer."],
        ],
    )

    assert str(import_entries("offering", offerings)) == "1 created, 0 updated, 0 unchanged"
    assert str(import_entries("expert", experts)) == "1 created, 0 updated, 0 unchanged"

    offering = Offering.objects.get(external_id="mrt")
    assert offering.provider.name == "MRT System"
    assert offering.provider.country_id == "SWE"
    assert offering.regions_served == ["Africa", "Asia"]
    assert offering.description == "Crushes lamps."
    expert = Expert.objects.get(external_id="ana")
    assert (expert.email, expert.description) == ("ana@example.org", "Engineer.")
    assert expert.published and expert.consent_to_publication
    assert search(AnonymousUser(), Filters(q="Pereira")).total == 1


# The command --------------------------------------------------------------------------------


def test_the_command_reports_the_counts(tmp_path):
    path = _write_csv(tmp_path / "three.csv", _shipped_rows()[:4])
    stdout = StringIO()

    call_command("import", "facilities", str(path), stdout=stdout, stderr=StringIO())

    assert stdout.getvalue() == "Facilities: 3 created, 0 updated, 0 unchanged\n"


def test_the_command_dry_run_lists_each_problem_and_saves_nothing(tmp_path):
    rows = _shipped_rows()
    rows[2][5] = "123"
    path = _write_csv(tmp_path / "bad.csv", rows)
    stdout = StringIO()

    with pytest.raises(CommandError) as refusal:
        call_command("import", "facilities", str(path), "--dry-run", stdout=stdout)

    assert stdout.getvalue() == (
        "43 rows would be created, 0 updated, 0 unchanged; 1 row with problems\n"
    )
    assert str(refusal.value) == (
        f"{path}: 1 problem, nothing would be saved:\n"
        "Row 3, column latitude: '123' is out of range (-90 to 90)"
    )
    assert Facility.objects.count() == 0


def test_the_command_takes_the_format_from_the_option(tmp_path):
    path = tmp_path / "facilities.data"
    with resources.as_file(SHIPPED) as shipped:
        path.write_bytes(shipped.read_bytes())
    stdout = StringIO()

    call_command("import", "facilities", str(path), "--format", "csv", "--dry-run", stdout=stdout)

    assert stdout.getvalue() == "Facilities: 44 rows would be created, 0 updated, 0 unchanged\n"
