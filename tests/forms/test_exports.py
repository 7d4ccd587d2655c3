"""The downloads of a form's submissions: CSV and XLSX in codes or labels, a 0/1 column per
choice of a select_multiple, repeats on their own sheet or file, GeoJSON points, streamed."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from mercuryhub.forms import actions
from tests.forms.analysis_data import (
    needs_submissions,
    site_submissions,
    site_xlsform,
    submit,
    xlsform,
)

pytestmark = pytest.mark.django_db
NEEDS = "/projects/kamituga/forms/wma_needs/"
SITE = "/projects/kamituga/forms/mining_site/"


@pytest.fixture
def needs(project, needs_form, app_user):
    needs_submissions(project, needs_form, app_user)
    return needs_form


@pytest.fixture
def site(project, reviewer, app_user):
    form = actions.do_publish_xlsform(reviewer, project, "site.xlsx", site_xlsform()).form
    site_submissions(project, form, app_user=app_user)
    return form


def _csv(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_a_column_per_choice_of_a_select_multiple_in_codes(client, reviewer, needs):
    client.force_login(reviewer)
    response = client.get(NEEDS + "export.csv")

    rows = _csv(response)
    assert response["Content-Disposition"].startswith('attachment; filename="wma_needs-')
    assert len(rows) == 4
    first = rows[0]
    assert first["stakeholder_type"] == "government"
    assert first["waste_categories"] == "lamps batteries"
    assert (first["waste_categories/lamps"], first["waste_categories/dental-amalgam"]) == ("1", "0")
    assert first["_review_state"] == "received" and first["_submission"].startswith("uuid:")


def test_the_csv_in_labels_names_columns_and_choices_by_their_labels(client, reviewer, needs):
    client.force_login(reviewer)
    rows = _csv(client.get(NEEDS + "export.csv?values=labels"))

    question = "What kind of organization do you answer for?"
    assert rows[2][question] == "Non-governmental / civil society organization"
    assert rows[2]["Which mercury wastes concern you?/Mercury lamps"] == "1"


def test_a_repeat_has_its_own_csv_naming_its_submission(client, reviewer, site):
    client.force_login(reviewer)
    main = _csv(client.get(SITE + "export.csv"))
    households = _csv(client.get(SITE + "export.csv?repeat=household"))

    assert [row["site_name"] for row in main] == ["Kibi", "Tarkwa", "Obuasi"]
    assert "household/head" not in main[0]
    assert [(row["household/head"], row["_index"]) for row in households] == [
        ("Ama", "1"),
        ("Kofi", "2"),
        ("Esi", "1"),
    ]
    assert households[0]["_submission"] == main[0]["_submission"]


def test_the_xlsx_puts_repeats_on_their_own_sheet(client, reviewer, site):
    client.force_login(reviewer)
    response = client.get(SITE + "export.xlsx?values=labels")

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["mining_site", "household"]
    main = list(workbook["mining_site"].values)
    assert main[0][3:] == (
        "Site name",
        "Number of miners",
        "Location",
        "Location:latitude",
        "Location:longitude",
        "Is a retort used?",
    )
    assert main[1][3:] == ("Kibi", 120, "6.17 -0.55 0 0", 6.17, -0.55, "Yes")
    households = list(workbook["household"].values)
    assert households[0] == ("_submission", "_index", "Head of household", "Children")
    assert [row[2:] for row in households[1:]] == [("Ama", 3), ("Kofi", 0), ("Esi", 2)]


def test_the_geojson_gives_a_feature_per_located_submission_at_lon_lat(client, reviewer, site):
    client.force_login(reviewer)
    response = client.get(SITE + "export.geojson")

    collection = json.loads(b"".join(response.streaming_content))
    assert response["Content-Type"] == "application/geo+json"
    features = collection["features"]
    assert [f["geometry"]["coordinates"] for f in features] == [[-0.55, 6.17], [-1.99, 5.3]]
    assert features[0]["properties"]["site_name"] == "Kibi"


def test_a_form_without_geopoint_has_no_geojson(client, reviewer, needs):
    client.force_login(reviewer)
    assert client.get(NEEDS + "export.geojson").status_code == 404


def test_thousands_of_submissions_export_in_a_bounded_number_of_queries(
    client, reviewer, project, needs_form, app_user, django_assert_max_num_queries
):
    for index in range(2_500):
        submit(
            project,
            needs_form,
            {"stakeholder_type": "ngo", "organization": str(index)},
            app_user=app_user,
        )
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):
        rows = _csv(client.get(NEEDS + "export.csv"))
    assert len(rows) == 2_500


def test_a_data_collector_exports_only_their_own(client, project, needs_form, collector, app_user):
    needs_submissions(project, needs_form, app_user)
    submit(project, needs_form, {"stakeholder_type": "igo", "organization": "Mine"}, user=collector)
    client.force_login(collector)

    assert [row["organization"] for row in _csv(client.get(NEEDS + "export.csv"))] == ["Mine"]


def test_a_viewer_exports_and_an_outsider_is_told_the_form_does_not_exist(
    client, viewer, outsider, needs
):
    client.force_login(viewer)
    assert len(_csv(client.get(NEEDS + "export.csv"))) == 4
    client.force_login(outsider)
    for path in ("export.csv", "export.xlsx", "export.geojson", "summary/", "summary/report.docx"):
        assert client.get(NEEDS + path).status_code == 404, path


FORMULA = '=HYPERLINK("http://evil.example","Click")'


def test_an_answer_that_would_run_as_a_formula_stays_a_text(client, reviewer, project, needs):
    submit(project, needs, {"stakeholder_type": "ngo", "organization": FORMULA})
    client.force_login(reviewer)
    rows = _csv(client.get(NEEDS + "export.csv"))
    assert rows[-1]["organization"] == "'" + FORMULA
    response = client.get(NEEDS + "export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = next(cell for cell in sheet["E"] if cell.value == FORMULA)
    assert cell.data_type == "s"  # a text, not a formula


def test_a_choice_label_that_would_run_as_a_formula_stays_a_text_in_the_crosstab(
    client, reviewer, project, app_user
):
    survey = [
        ["type", "name", "label::English (en)"],
        ["select_one fruit", "fruit", "Fruit"],
        ["select_one colour", "colour", "Colour"],
    ]
    choices = [
        ["list_name", "name", "label::English (en)"],
        ["fruit", "apple", "+HYPERLINK(1)"],  # openpyxl would write "=…" as a formula
        ["fruit", "pear", "Pear"],
        ["colour", "red", "@SUM(1+1)"],
        ["colour", "green", "Green"],
    ]
    content = xlsform(survey, choices, "fruits", "Fruits")
    form = actions.do_publish_xlsform(reviewer, project, "fruits.xlsx", content).form
    submit(project, form, {"fruit": "apple", "colour": "red"}, app_user=app_user)
    client.force_login(reviewer)
    response = client.get(
        "/projects/kamituga/forms/fruits/summary/crosstab.csv?rows=fruit&columns=colour"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "'@SUM(1+1)"
    assert rows[1][0] == "'+HYPERLINK(1)"
