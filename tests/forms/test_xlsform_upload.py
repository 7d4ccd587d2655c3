"""A project's manager uploads XLSForms: a new form, then new versions. Errors and warnings are
shown with their sheet and row, and a refused upload stores nothing."""

import io

import pytest
from openpyxl import Workbook

from mercuryhub.forms.models import Form, FormVersion
from tests.forms.conftest import builtin

pytestmark = pytest.mark.django_db


def xlsform(survey, *, choices=None, settings=None) -> io.BytesIO:
    book = Workbook()
    book.active.title = "survey"
    for row in survey:
        book.active.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "site_visit.xlsx"
    return upload


SETTINGS = [["form_id", "version", "form_title"], ["site_visit", "2", "Site visit"]]
GOOD = [["type", "name", "label"], ["text", "site", "Site"], ["integer", "miners", "Miners"]]


def test_a_manager_uploads_a_new_form_and_sees_it(signed_in, reviewer, project):
    client = signed_in(reviewer)

    response = client.post(
        "/projects/kamituga/forms/", {"xlsform": xlsform(GOOD, settings=SETTINGS)}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Site visit" in page and "Version &#x27;site_visit 2&#x27; is published." in page
    version = FormVersion.objects.get()
    assert (version.form.xml_form_id, version.version) == ("site_visit", "2")
    assert version.survey_json["children"][0]["name"] == "site"
    assert version.hash.startswith("md5:") and "<h:title>Site visit</h:title>" in version.xml


def test_an_xlsform_error_is_shown_with_its_sheet_and_row_and_nothing_is_stored(
    signed_in, reviewer, project
):
    broken = [*GOOD, ["integer", "miners", "Miners again"], ["text", "x", "X", "${nowhere}"]]
    broken[0] = [*broken[0], "relevant"]

    response = signed_in(reviewer).post(
        "/projects/kamituga/forms/", {"xlsform": xlsform(broken, settings=SETTINGS)}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The XLSForm could not be converted; nothing was stored." in page
    assert "<td>survey</td><td>4</td>" in page
    assert "must be unique" in page
    assert Form.objects.count() == FormVersion.objects.count() == 0


def test_a_file_that_is_no_workbook_is_refused(signed_in, reviewer, project):
    fake = io.BytesIO(b"name,label\nsite,Site\n")
    fake.name = "form.xlsx"

    response = signed_in(reviewer).post("/projects/kamituga/forms/", {"xlsform": fake})

    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()
    assert Form.objects.count() == 0


def test_a_new_version_must_change_the_version(signed_in, reviewer, project):
    client = signed_in(reviewer)
    client.post("/projects/kamituga/forms/", {"xlsform": xlsform(GOOD, settings=SETTINGS)})
    changed = [*GOOD, ["text", "notes", "Notes"]]

    same_version = client.post(
        "/projects/kamituga/forms/site_visit/versions/",
        {"xlsform": xlsform(changed, settings=SETTINGS)},
    )
    new_settings = [SETTINGS[0], ["site_visit", "3", "Site visit"]]
    new_version = client.post(
        "/projects/kamituga/forms/site_visit/versions/",
        {"xlsform": xlsform(changed, settings=new_settings)},
    )

    assert same_version.status_code == 400
    assert "Version &#x27;2&#x27; of &#x27;site_visit&#x27; exists already" in (
        same_version.content.decode()
    )
    assert new_version.status_code == 302
    form = Form.objects.get()
    assert [v.version for v in form.versions.all()] == ["3", "2"]
    assert form.current_version.version == "3"


def test_a_new_version_of_another_form_is_refused(signed_in, reviewer, project, baseline):
    response = signed_in(reviewer).post(
        "/projects/kamituga/forms/asgm_site_baseline/versions/",
        {"xlsform": xlsform(GOOD, settings=SETTINGS)},
    )

    assert response.status_code == 400
    assert "upload it as a new form" in response.content.decode()
    assert Form.objects.count() == 1


def test_pyxform_warnings_are_shown_with_their_row(signed_in, reviewer, project):
    # A photo without max-pixels is accepted, and pyxform warns about its size.
    survey = [*GOOD, ["image", "photo", "Photo of the site"]]

    response = signed_in(reviewer).post(
        "/projects/kamituga/forms/", {"xlsform": xlsform(survey, settings=SETTINGS)}, follow=True
    )

    warnings = FormVersion.objects.get().warnings
    assert warnings and warnings[0]["row"] == 4 and warnings[0]["sheet"] == "survey"
    assert "survey sheet, row 4" in response.content.decode()


def test_the_xlsform_and_xform_of_each_version_download(signed_in, reviewer, project, baseline):
    version = baseline.current_version
    base = f"/projects/kamituga/forms/asgm_site_baseline/versions/{version.pk}"
    client = signed_in(reviewer)

    xls = client.get(base + "/xlsform/")
    xml = client.get(base + "/xform/")

    assert b"".join(xls.streaming_content) == builtin("asgm_site_baseline")
    assert xml["Content-Type"] == "text/xml; charset=utf-8"
    assert xml.content.decode() == version.xml


def test_an_xlsform_over_the_size_limit_is_refused(signed_in, reviewer, project, settings):
    upload = xlsform(GOOD, settings=SETTINGS)
    settings.FORMS_MAX_XLSFORM_BYTES = len(upload.getvalue()) - 1

    response = signed_in(reviewer).post("/projects/kamituga/forms/", {"xlsform": upload})

    assert response.status_code == 400
    assert "The XLSForm is larger than" in response.content.decode()
    assert Form.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ" + b"\x00" * 64, "a form&#x27;s media file is an image"),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048, "The file is larger than"),
    ],
)
def test_a_media_file_of_another_type_or_too_large_is_refused(
    signed_in, reviewer, baseline, settings, name, content, message
):
    settings.FORMS_MAX_MEDIA_BYTES = 1024
    upload = io.BytesIO(content)
    upload.name = name
    response = signed_in(reviewer).post(
        "/projects/kamituga/forms/asgm_site_baseline/media/", {"file": upload}
    )
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not baseline.current_version.media.exists()
