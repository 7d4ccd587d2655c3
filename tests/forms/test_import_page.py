"""The page on which a manager checks an export, then imports it, and the command that does
the same from a shell."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from mercuryhub.forms.models import Submission
from tests.forms.test_imports import KOBO, site_form  # noqa: F401 - the form imported into

pytestmark = pytest.mark.django_db
PAGE = "/projects/kamituga/forms/site_visit/import/"


def _export(text=KOBO):
    return SimpleUploadedFile("kobo.csv", text.encode("utf-8"), content_type="text/csv")


def test_a_manager_checks_an_export_then_imports_it(signed_in, reviewer, site_form):  # noqa: F811
    client = signed_in(reviewer)
    assert "Import submissions from KoBoToolbox" in client.get(site_form.get_absolute_url()).text
    checked = client.post(PAGE, {"export": _export(), "check": "1"})
    assert checked.status_code == 200
    assert "What the import would do" in checked.text
    assert '<th scope="row">To create</th><td>2</td>' in checked.text
    assert not Submission.objects.exists()
    imported = client.post(PAGE, {"export": _export(), "import": "1"})
    assert '<th scope="row">Created</th><td>2</td>' in imported.text
    assert Submission.objects.count() == 2


def test_the_page_lists_each_error_by_row_and_column(signed_in, reviewer, site_form):  # noqa: F811
    client = signed_in(reviewer)
    response = client.post(PAGE, {"export": _export("_uuid,miners\nz-1,many\n"), "import": "1"})
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert "Row 2, column miners: Enter a whole number." in response.text


def test_the_command_imports_an_export_and_prints_what_it_did(
    tmp_path,
    site_form,  # noqa: F811
    capsys,
):
    path = tmp_path / "kobo.csv"
    path.write_text(KOBO, encoding="utf-8")
    call_command("import_submissions", "kamituga", "site_visit", str(path), "--dry-run")
    assert "2 rows read: 2 to create, 0 duplicates, 0 conflicts, 0 errors; 0 created (dry run)" in (
        capsys.readouterr().out
    )
    call_command("import_submissions", "kamituga", "site_visit", str(path))
    assert "2 created" in capsys.readouterr().out
    assert Submission.objects.count() == 2
