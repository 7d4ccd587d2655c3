"""The summary page of a form's submissions, its cross-tabulation and CSV, its DOCX report
(opened by LibreOffice) and the summary in the API."""

import pytest

from tests.forms.analysis_data import needs_submissions
from tests.libreoffice import convert, needs_libreoffice

pytestmark = pytest.mark.django_db
NEEDS = "/projects/kamituga/forms/wma_needs/"
CROSS = "?rows=waste_categories&columns=stakeholder_type"


@pytest.fixture
def needs(project, needs_form, app_user):
    needs_submissions(project, needs_form, app_user)
    return needs_form


def test_the_summary_shows_each_question_with_its_counts_and_table(client, reviewer, needs):
    client.force_login(reviewer)
    html = client.get(NEEDS + "summary/").content.decode()

    assert "4 submissions" in html
    assert "Which mercury wastes concern you?" in html
    assert '<th scope="row">Mercury lamps</th><td>3</td><td class="share">100.0 %' in html
    assert '<span class="data-bar" style="inline-size: 100.0%">' in html


def test_the_cross_tabulation_counts_with_totals_and_downloads_as_csv(client, reviewer, needs):
    client.force_login(reviewer)
    html = client.get(NEEDS + "summary/" + CROSS).content.decode()
    text = client.get(NEEDS + "summary/crosstab.csv" + CROSS).content.decode("utf-8-sig")

    assert "Which mercury wastes concern you? by What kind of organization" in html
    assert "<td>2 (66.7 %)" in html
    lines = text.splitlines()
    assert lines[0].startswith(",Government,Intergovernmental organization,")
    assert "Mercury lamps,2,0,1,0,0,0,0,3" in lines
    assert lines[-1] == "Total,2,0,1,0,0,0,0,3"


def test_a_long_list_of_choices_shows_only_those_chosen_on_the_page(client, reviewer, needs):
    client.force_login(reviewer)
    html = client.get(NEEDS + "summary/" + CROSS).content.decode()
    crosstab, summaries = html.split("Download the table (CSV)")

    # 21 waste categories: those chosen are rows, the others are counted
    assert '<th scope="row">Mercury lamps</th>' in crosstab
    assert "Mercury batteries" in crosstab
    assert "Spent mercury catalysts" not in crosstab
    assert "18 choices that no submission chose are left out." in crosstab
    # 7 kinds of organization: every one is a column, chosen or not
    assert '<th scope="col">Individual expert</th>' in crosstab
    assert "Spent mercury catalysts" not in summaries
    assert "18 choices without any answer are left out." in summaries
    assert '<th scope="row">Individual expert</th><td>0</td>' in summaries


def test_the_review_states_counted_by_default_show_ticked(client, reviewer, needs):
    client.force_login(reviewer)
    html = client.get(NEEDS + "summary/" + CROSS).content.decode()
    assert 'name="states" value="received" id="id_states_0" checked' in html
    assert 'name="states" value="approved" id="id_states_1" checked' in html
    assert 'value="rejected" id="id_states_2" checked' not in html


def test_the_summary_in_the_api(client, reviewer, needs):
    client.force_login(reviewer)
    body = client.get("/api/v1/projects/kamituga/forms/wma_needs/summary").json()

    wastes = next(q for q in body["questions"] if q["path"] == "waste_categories")
    assert body["submissions"] == 4
    assert (wastes["answered"], wastes["skipped"]) == (3, 1)


@needs_libreoffice
def test_libreoffice_opens_the_report(client, reviewer, needs, tmp_path):
    client.force_login(reviewer)
    response = client.get(NEEDS + "summary/report.docx" + CROSS)
    path = tmp_path / "report.docx"
    path.write_bytes(b"".join(response.streaming_content))
    converted = convert(path, "txt:Text (encoded):UTF8", tmp_path)
    text = converted.read_text("utf-8-sig")
    assert "WMA needs questionnaire" in text
    assert "Submissions: 4" in text
    assert "Which mercury wastes concern you? by What kind of organization" in text
    assert "Mercury lamps" in text
