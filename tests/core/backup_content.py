"""Content added to a prepared data directory before it is backed up: what the starter data
lacks (people, an entry with several versions and its history, a library upload, a field-data
submission with a photo, a draft, a withdrawn entry, a session). Run in the data directory's own
process: ``mercuryhub shell -c "from tests.core.backup_content import add; add()"``."""

from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.accounts.models import User
from mercuryhub.forms import actions as forms_actions
from mercuryhub.library.actions import do_upload_document
from mercuryhub.review import actions
from tests.catalogue.conftest import LAMP_LINE_PLACED
from tests.conftest import make_user
from tests.forms.conftest import KAMITUGA, builtin, fill
from tests.library import files

PHOTO = b"\xff\xd8\xff\xe0" + b"a photo of the site" * 50
LAMPS = {key: value for key, value in LAMP_LINE_PLACED.items() if key != "operator"}


@transaction.atomic
def add() -> None:
    owner = make_user("owen.owner@batrec.example")
    reviewer = make_user("rita.reviewer@unep.example", User.Role.REVIEWER)
    operator = do_create_organization(
        owner, {"name": "Lamp Recyclers SA", "stakeholder_type": "private-sector", "country": "CHE"}
    )
    lamps = {**LAMPS, "operator": operator.slug}
    facility = actions.do_create_draft("facility", owner, lamps)
    actions.do_submit_entry("facility", owner, facility)
    actions.do_validate_entry("facility", reviewer, facility)
    actions.do_edit_entry("facility", owner, facility, {"name": "Batrec tubeworks"}, base_version=1)
    actions.do_submit_entry("facility", owner, facility)
    actions.do_validate_entry("facility", reviewer, facility)
    actions.do_create_draft("facility", owner, {**lamps, "name": "Unfinished draft plant"})

    document = do_upload_document(
        owner, files.upload("guide.pdf", files.pdf_bytes("Quicksilver retort handbook"))
    )
    resource = actions.do_create_draft(
        "resource",
        owner,
        {"name": "Retort handbook", "kind": "guidance", "document": document.pk},
    )
    actions.do_submit_entry("resource", owner, resource)
    actions.do_validate_entry("resource", reviewer, resource)

    project = forms_actions.do_create_project(reviewer, "Kamituga ASGM baseline", slug="kamituga")
    version = forms_actions.do_publish_xlsform(
        reviewer, project, "asgm_site_baseline.xlsx", builtin("asgm_site_baseline")
    )
    forms_actions.do_receive_submission(
        project,
        fill(version.xml, KAMITUGA),
        [SimpleUploadedFile("1712345678.jpg", PHOTO, content_type="image/jpeg")],
        user=reviewer,
    )
    session = SessionStore()
    session["note"] = "signed in"
    session.save()
