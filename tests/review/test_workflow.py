import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied

from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.queries import Filters, search
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions as review_actions
from mercuryhub.review import errors as review_errors
from mercuryhub.review.models import EntryVersion, ReviewDecision, ReviewState
from tests.catalogue.conftest import LAMP_LINE_PLACED

pytestmark = pytest.mark.django_db

NEW = dict(LAMP_LINE_PLACED)


def _publicly_found(name_word):
    return [hit.entry.name for hit in search(AnonymousUser(), Filters(q=name_word)).hits]


def test_a_draft_is_private_until_validated(
    owner, organization, reviewer, django_capture_on_commit_callbacks
):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    assert (facility.review_state, facility.published, facility.version) == ("draft", False, 1)
    assert _publicly_found("lamp line") == []
    review_actions.do_submit_entry("facility", owner, facility)
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.do_validate_entry("facility", reviewer, facility)
    facility.refresh_from_db()
    assert (facility.review_state, facility.published, facility.published_version) == (
        "validated",
        True,
        1,
    )
    assert facility.validated_by == reviewer
    assert _publicly_found("lamp line") == ["Batrec lamp line"]
    assert mail.outbox[-1].to == [owner.email]
    assert "Validated and published" in mail.outbox[-1].subject


def test_editing_a_published_entry_keeps_the_published_version_visible(
    owner, organization, reviewer
):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_submit_entry("facility", owner, facility)
    review_actions.do_validate_entry("facility", reviewer, facility)
    review_actions.do_edit_entry(
        "facility", owner, facility, {"name": "Batrec tubeworks"}, base_version=1
    )
    facility.refresh_from_db()
    assert facility.name == "Batrec lamp line"  # what the public sees
    assert facility.version == 2 and facility.published_version == 1
    assert _publicly_found("tubeworks") == []
    review_actions.do_submit_entry("facility", owner, facility)
    review_actions.do_validate_entry("facility", reviewer, facility)
    facility.refresh_from_db()
    assert facility.name == "Batrec tubeworks"
    assert _publicly_found("tubeworks") == ["Batrec tubeworks"]


def test_a_returned_entry_carries_the_reason_and_can_be_resubmitted(owner, organization, reviewer):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_submit_entry("facility", owner, facility)
    with pytest.raises(InvalidInputError):
        review_actions.do_return_entry("facility", reviewer, facility, "  ")
    review_actions.do_return_entry("facility", reviewer, facility, "Give the permit number.")
    facility.refresh_from_db()
    assert (facility.review_state, facility.return_reason) == (
        "returned",
        "Give the permit number.",
    )
    review_actions.do_edit_entry("facility", owner, facility, {"permits": "BE-123"}, base_version=1)
    review_actions.do_submit_entry("facility", owner, facility)
    decisions = list(
        ReviewDecision.objects.filter(object_id=facility.pk)
        .order_by("made_at")
        .values_list("action", "version")
    )
    assert decisions == [("submitted", 1), ("returned", 1), ("submitted", 2)]


def test_a_second_editor_gets_a_conflict_with_the_others_changes(owner, organization):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_edit_entry("facility", owner, facility, {"city": "Spiez"}, base_version=1)
    with pytest.raises(review_errors.ConflictError) as conflict:
        review_actions.do_edit_entry("facility", owner, facility, {"city": "Thun"}, base_version=1)
    assert conflict.value.their_changes == [("city", "Wimmis", "Spiez")]
    facility.refresh_from_db()
    assert facility.city == "Spiez"


def test_reverting_creates_a_new_published_version(owner, organization, reviewer):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_submit_entry("facility", owner, facility)
    review_actions.do_validate_entry("facility", reviewer, facility)
    review_actions.do_edit_entry(
        "facility", owner, facility, {"name": "Wrong name"}, base_version=1
    )
    review_actions.do_submit_entry("facility", owner, facility)
    review_actions.do_validate_entry("facility", reviewer, facility)
    review_actions.do_revert_entry("facility", reviewer, facility, 1)
    facility.refresh_from_db()
    assert facility.name == "Batrec lamp line"
    assert list(
        EntryVersion.objects.filter(object_id=facility.pk).values_list("number", "note")
    ) == [(1, "created"), (2, "edited"), (3, "reverted to version 1")]
    assert facility.published_version == 3


def test_only_editors_edit_and_only_reviewers_validate(
    owner, member, outsider, organization, reviewer
):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    for user in (member, outsider):
        with pytest.raises(PermissionDenied):
            review_actions.do_edit_entry("facility", user, facility, {"city": "X"}, base_version=1)
    review_actions.do_submit_entry("facility", owner, facility)
    with pytest.raises(PermissionDenied):
        review_actions.do_validate_entry("facility", owner, facility)
    with pytest.raises(review_errors.WorkflowError):
        review_actions.do_submit_entry("facility", owner, facility)
    assert Facility.objects.get(pk=facility.pk).review_state == ReviewState.SUBMITTED


def test_an_imported_entry_gets_its_first_version_when_first_edited(
    owner, organization, facilities
):
    batrec = facilities["batrec"]
    batrec.operator = organization
    batrec.save()
    review_actions.do_edit_entry("facility", owner, batrec, {"city": "Wimmis BE"}, base_version=0)
    batrec.refresh_from_db()
    assert (batrec.version, batrec.published_version, batrec.city) == (2, 1, "Wimmis")


def test_saving_unchanged_values_sent_as_text_creates_no_version(owner, organization):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_edit_entry(
        "facility", owner, facility, {"latitude": "46.68", "longitude": "7.64"}, base_version=1
    )
    facility.refresh_from_db()
    assert facility.version == 1


def test_the_returned_entrys_email_links_to_its_edit_page(
    owner, organization, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.mercury.example"
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_submit_entry("facility", owner, facility)
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.do_return_entry("facility", reviewer, facility, "Give the permit number.")

    body = mail.outbox[-1].body
    assert "Give the permit number." in body
    assert (
        f"Edit the entry here, then submit it again: "
        f"https://hub.mercury.example/catalogue/facility/{facility.pk}/edit/"
    ) in body


def test_the_validated_entrys_email_links_to_its_public_page(
    owner, organization, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.mercury.example"
    facility = review_actions.do_create_draft("facility", owner, NEW)
    review_actions.do_submit_entry("facility", owner, facility)
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.do_validate_entry("facility", reviewer, facility)

    assert (
        f"Its public page: https://hub.mercury.example/catalogue/facilities/{facility.pk}/"
        in mail.outbox[-1].body
    )
