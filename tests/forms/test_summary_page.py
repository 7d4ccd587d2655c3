"""The summary page of a form's submissions, its cross-tabulation and CSV, its DOCX report
(opened by LibreOffice) and the summary in the API."""

import shutil
import subprocess

import pytest

from tests.forms.analysis_data import needs_submissions

pytestmark = pytest.mark.django_db
NEEDS = "/projects/kamituga/forms/wma_needs/"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
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
    assert '<th scope="row">Mercury lamps</th><td data-value="3">3</td><td>100.0 %</td>' in html
    assert "vendor/chartjs/chart.umd.min.js" in html


def test_the_cross_tabulation_counts_with_totals_and_downloads_as_csv(client, reviewer, needs):
    client.force_login(reviewer)
    html = client.get(NEEDS + "summary/" + CROSS).content.decode()
    text = client.get(NEEDS + "summary/crosstab.csv" + CROSS).content.decode("utf-8-sig")

    assert "Which mercury wastes concern you? by What kind of organization" in html
    assert '<td data-value="2">2 (66.7 %)</td>' in html
    lines = text.splitlines()
    assert lines[0].startswith(",Government,Intergovernmental organization,")
    assert "Mercury lamps,2,0,1,0,0,0,0,3" in lines
    assert lines[-1] == "Total,2,0,1,0,0,0,0,3"


def test_the_summary_in_the_api(client, reviewer, needs):
    client.force_login(reviewer)
    body = client.get("/api/v1/projects/kamituga/forms/wma_needs/summary").json()

    wastes = next(q for q in body["questions"] if q["path"] == "waste_categories")
    assert body["submissions"] == 4
    assert (wastes["answered"], wastes["skipped"]) == (3, 1)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_report(client, reviewer, needs, tmp_path):
    client.force_login(reviewer)
    response = client.get(NEEDS + "summary/report.docx" + CROSS)
    path = tmp_path / "report.docx"
    path.write_bytes(b"".join(response.streaming_content))
    out = tmp_path / "converted"
    subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = (out / "report.txt").read_text("utf-8-sig")
    assert "WMA needs questionnaire" in text
    assert "Submissions: 4" in text
    assert "Which mercury wastes concern you? by What kind of organization" in text
    assert "Mercury lamps" in text
