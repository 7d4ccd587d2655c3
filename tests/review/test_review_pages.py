"""The secretariat's review pages: the queue, one entry's review, versions and revert."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mercuryhub.catalogue.models import Facility
from mercuryhub.review import actions as review_actions
from mercuryhub.review.models import ReviewState
from tests.catalogue.conftest import LAMP_LINE

pytestmark = pytest.mark.django_db

NEW = dict(LAMP_LINE)
EXPERT = {
    "name": "Ana Pereira",
    "organization": "batrec-industrie-ag",
    "email": "ana.pereira@example.org",
    "country": "URY",
    "consent_to_publication": True,
    "biography": "Advises hospitals on replacing mercury thermometers.",
}


def _submitted(owner, data=NEW, kind="facility"):
    entry = review_actions.do_create_draft(kind, owner, data)
    return review_actions.do_submit_entry(kind, owner, entry)


def _published_and_edited(owner, reviewer, changes):
    """A validated facility whose editor has submitted ``changes`` as version 2."""
    facility = _submitted(owner)
    review_actions.do_validate_entry("facility", reviewer, facility)
    review_actions.do_edit_entry("facility", owner, facility, changes, base_version=1)
    return review_actions.do_submit_entry("facility", owner, facility)


def _text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _row(response, field: str) -> tuple[str, str]:
    """The class and the visible text of the diff row of ``field``."""
    html = response.content.decode()
    found = re.search(rf'<tr class="(\w+)" data-field="{field}">(.*?)</tr>', html, re.S)
    assert found, f"no row for {field}"
    return found.group(1), _text(found.group(2))


def _page_text(response) -> str:
    return _text(response.content.decode())


# Who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reviewer", 200), ("administrator", 200), ("owner", 403), ("member", 403), ("outsider", 403)],
)
def test_only_reviewers_and_administrators_open_the_queue_and_the_review_page(
    request, client, organization, owner, persona, status
):
    facility = _submitted(owner)
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/review/").status_code == status
    assert client.get(f"/review/facility/{facility.pk}/").status_code == status
    response = client.post(f"/review/facility/{facility.pk}/", {"action": "validate"})
    assert response.status_code == (302 if status == 200 else 403)


def test_an_anonymous_visitor_is_asked_to_sign_in(client, organization, owner):
    facility = _submitted(owner)
    for path in (
        "/review/",
        f"/review/facility/{facility.pk}/",
        f"/review/facility/{facility.pk}/versions/",
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    response = client.post(f"/review/facility/{facility.pk}/revert/", {"version": 1})
    assert response["Location"].startswith("/accounts/login/")
    facility.refresh_from_db()
    assert facility.review_state == ReviewState.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 403), ("member", 403), ("outsider", 403), ("administrator", 302)],
)
def test_only_reviewers_revert(request, client, organization, owner, reviewer, persona, status):
    facility = _published_and_edited(owner, reviewer, {"name": "Batrec tubeworks"})
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/review/facility/{facility.pk}/revert/", {"version": 1})
    assert response.status_code == status
    facility.refresh_from_db()
    assert facility.version == (3 if status == 302 else 2)


def test_an_unknown_kind_of_entry_is_not_found(client, reviewer, organization, owner):
    facility = _submitted(owner)
    client.force_login(reviewer)
    assert client.get(f"/review/factory/{facility.pk}/").status_code == 404
    assert client.get(f"/review/factory/{facility.pk}/versions/").status_code == 404
    assert client.get("/review/facility/999999/").status_code == 404


# The queue ----------------------------------------------------------------------------------


def test_the_queue_lists_a_submitted_entry_with_its_age_and_a_link_to_review_it(
    client, reviewer, organization, owner
):
    facility = _submitted(owner)
    Facility.objects.filter(pk=facility.pk).update(
        submitted_at=timezone.now() - timedelta(days=3, hours=2)
    )
    client.force_login(reviewer)
    response = client.get("/review/")
    text = _page_text(response)
    assert "1 submission waiting for review" in text
    assert "Batrec lamp line (new entry) Facility Batrec Industrie AG Switzerland" in text
    assert "submitted 3 days ago by owen.owner" in text
    assert f'href="/review/facility/{facility.pk}/"' in response.content.decode()


def test_the_queue_shows_the_oldest_submission_first(client, reviewer, organization, owner):
    expert = _submitted(owner, EXPERT, "expert")
    facility = _submitted(owner)
    Facility.objects.filter(pk=facility.pk).update(
        submitted_at=expert.submitted_at - timedelta(hours=5)
    )
    client.force_login(reviewer)
    text = _page_text(client.get("/review/"))
    assert text.index("Batrec lamp line") < text.index("Ana Pereira")


def test_the_queue_filters_by_type_and_country_in_the_address(
    client, reviewer, organization, owner
):
    _submitted(owner)
    _submitted(owner, EXPERT, "expert")
    client.force_login(reviewer)
    for query, shown, hidden in [
        ("type=expert", "Ana Pereira", "Batrec lamp line"),
        ("type=facility", "Batrec lamp line", "Ana Pereira"),
        ("country=URY", "Ana Pereira", "Batrec lamp line"),
        ("type=facility&country=CHE", "Batrec lamp line", "Ana Pereira"),
    ]:
        text = _page_text(client.get(f"/review/?{query}"))
        assert "1 submission waiting for review" in text, query
        assert shown in text and hidden not in text, query
    text = _page_text(client.get("/review/?type=expert&country=CHE"))
    assert "0 submissions waiting for review" in text
    assert "No submission matches these filters." in text


def test_the_queue_does_not_query_once_per_entry(
    client, reviewer, organization, owner, django_assert_num_queries
):
    _submitted(owner)
    _submitted(owner, EXPERT, "expert")
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as one_of_each:
        client.get("/review/")
    _submitted(owner, {**NEW, "name": "Batrec battery line"})
    _submitted(owner, {**EXPERT, "name": "Jon Silva", "email": "jon@example.org"}, "expert")
    with django_assert_num_queries(len(one_of_each)):
        response = client.get("/review/")
    assert "4 submissions waiting for review" in _page_text(response)


# Reviewing one entry ------------------------------------------------------------------------


def test_the_review_page_shows_the_changes_against_the_published_version(
    client, reviewer, organization, owner
):
    facility = _published_and_edited(
        owner,
        reviewer,
        {"name": "Batrec tubeworks", "accepted_wastes": ["lamps", "batteries"], "city": ""},
    )
    client.force_login(reviewer)
    response = client.get(f"/review/facility/{facility.pk}/")
    text = _page_text(response)
    assert "Changes against the published version" in text
    assert "Published (version 1)" in text and "Submitted (version 2)" in text
    assert _row(response, "name") == ("changed", "Name changed Batrec lamp line Batrec tubeworks")
    assert _row(response, "accepted_wastes") == (
        "changed",
        "Accepted wastes changed Mercury lamps Mercury batteries, Mercury lamps",
    )
    assert _row(response, "city") == ("changed", "City or address changed Wimmis —")
    assert _row(response, "country") == ("same", "Country Switzerland Switzerland")
    assert _row(response, "status") == ("same", "Status Operating Operating")


def test_a_new_entry_is_shown_against_nothing_published(client, reviewer, organization, owner):
    facility = _submitted(owner)
    client.force_login(reviewer)
    response = client.get(f"/review/facility/{facility.pk}/")
    assert "A new entry: nothing is published yet" in _page_text(response)
    assert _row(response, "name") == ("same", "Name — Batrec lamp line")


def test_validating_publishes_the_submitted_version_and_goes_back_to_the_queue(
    client, reviewer, organization, owner
):
    facility = _published_and_edited(owner, reviewer, {"name": "Batrec tubeworks"})
    client.force_login(reviewer)
    response = client.post(f"/review/facility/{facility.pk}/", {"action": "validate"}, follow=True)
    assert response.redirect_chain == [("/review/", 302)]
    text = _page_text(response)
    assert "Validated and published: Batrec tubeworks." in text
    assert "0 submissions waiting for review" in text
    public = client.get(f"/catalogue/facilities/{facility.pk}/")
    assert '<h1 dir="auto" lang="en">Batrec tubeworks</h1>' in public.content.decode()


def test_returning_needs_a_reason(client, reviewer, organization, owner):
    facility = _submitted(owner)
    client.force_login(reviewer)
    response = client.post(f"/review/facility/{facility.pk}/", {"action": "return", "reason": "  "})
    assert response.status_code == 400
    assert "Say why the entry is returned, so it can be fixed" in _page_text(response)
    assert 'aria-invalid="true"' in response.content.decode()
    facility.refresh_from_db()
    assert facility.review_state == ReviewState.SUBMITTED


def test_a_returned_entry_shows_the_reason_to_its_editor(
    client, reviewer, organization, owner, django_capture_on_commit_callbacks
):
    facility = _submitted(owner)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/review/facility/{facility.pk}/",
            {"action": "return", "reason": "Give the permit number."},
            follow=True,
        )
    assert "Returned to its editors with your reasons: Batrec lamp line." in _page_text(response)
    assert mail.outbox[-1].to == [owner.email]

    client.force_login(owner)
    text = _page_text(client.get(f"/review/facility/{facility.pk}/versions/"))
    assert "Returned by the secretariat with these reasons: Give the permit number." in text
    assert "Returned version 1 · rita.reviewer" in text


def test_the_review_history_says_who_did_what_when_and_why(client, reviewer, organization, owner):
    facility = _submitted(owner)
    review_actions.do_return_entry("facility", reviewer, facility, "Add the city.")
    review_actions.do_submit_entry("facility", owner, facility)
    client.force_login(reviewer)
    response = client.get(f"/review/facility/{facility.pk}/")
    history = _text(response.content.decode().split('id="decisions-heading"')[1])
    today = timezone.localtime().strftime("%-d %B %Y")
    assert history.index("Submitted version 1 · owen.owner") < history.index(
        f"Returned version 1 · rita.reviewer · {today}"
    )
    assert "Add the city." in history


def test_a_decision_on_an_entry_no_longer_waiting_is_refused_with_a_message(
    client, reviewer, organization, owner
):
    facility = _submitted(owner)
    review_actions.do_validate_entry("facility", reviewer, facility)
    client.force_login(reviewer)
    response = client.post(f"/review/facility/{facility.pk}/", {"action": "validate"}, follow=True)
    text = _page_text(response)
    assert "Only submitted entries can be validated" in text
    assert "This entry is not waiting for review (its state: Validated)." in text
    assert "Validate and publish" not in text


# Versions and revert ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("reviewer", 200),
        ("administrator", 200),
        ("member", 404),
        ("outsider", 404),
    ],
)
def test_the_versions_of_a_draft_are_for_its_editors_and_reviewers(
    request, client, organization, owner, persona, status
):
    facility = review_actions.do_create_draft("facility", owner, NEW)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/review/facility/{facility.pk}/versions/").status_code == status


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("outsider", 403)])
def test_others_may_not_read_the_versions_of_a_published_entry(
    request, client, organization, owner, reviewer, persona, status
):
    facility = _submitted(owner)
    review_actions.do_validate_entry("facility", reviewer, facility)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/review/facility/{facility.pk}/versions/").status_code == status


def test_the_versions_page_lists_every_version_and_compares_two(
    client, reviewer, organization, owner
):
    facility = _published_and_edited(owner, reviewer, {"name": "Batrec tubeworks"})
    client.force_login(owner)
    response = client.get(f"/review/facility/{facility.pk}/versions/")
    text = _page_text(response)
    assert "2 latest edited owen.owner" in text
    assert "1 published created owen.owner" in text
    assert "Revert to this version" not in text  # editors do not revert
    assert _row(response, "name") == ("changed", "Name changed Batrec lamp line Batrec tubeworks")

    response = client.get(f"/review/facility/{facility.pk}/versions/?a=2&b=1")
    assert _row(response, "name") == ("changed", "Name changed Batrec tubeworks Batrec lamp line")
    response = client.get(f"/review/facility/{facility.pk}/versions/?a=9&b=1")
    assert response.status_code == 400
    assert "There is no version 9 of this entry" in _page_text(response)


def test_reverting_asks_first_then_creates_a_new_version(client, reviewer, organization, owner):
    facility = _published_and_edited(owner, reviewer, {"name": "Batrec tubeworks"})
    review_actions.do_validate_entry("facility", reviewer, facility)
    client.force_login(reviewer)
    versions = _page_text(client.get(f"/review/facility/{facility.pk}/versions/"))
    assert "Revert to this version (1)" in versions

    confirm = client.get(f"/review/facility/{facility.pk}/revert/?version=1")
    assert "Revert Batrec tubeworks to version 1?" in _page_text(confirm)
    assert _row(confirm, "name") == ("changed", "Name changed Batrec tubeworks Batrec lamp line")
    facility.refresh_from_db()
    assert facility.version == 2  # asking changes nothing

    response = client.post(f"/review/facility/{facility.pk}/revert/", {"version": 1}, follow=True)
    text = _page_text(response)
    assert "Reverted to version 1: its content is now version 3." in text
    assert "3 published latest reverted to version 1 rita.reviewer" in text
    assert "Reverted version 3 · rita.reviewer" in text
    public = client.get(f"/catalogue/facilities/{facility.pk}/")
    assert '<h1 dir="auto" lang="en">Batrec lamp line</h1>' in public.content.decode()


def test_reverting_to_the_latest_or_a_missing_version_is_refused(
    client, reviewer, organization, owner
):
    facility = _published_and_edited(owner, reviewer, {"name": "Batrec tubeworks"})
    client.force_login(reviewer)
    for version in ("2", "7", "x"):
        response = client.post(
            f"/review/facility/{facility.pk}/revert/", {"version": version}, follow=True
        )
        assert "Choose an earlier version of the entry to revert to." in _page_text(response)
    facility.refresh_from_db()
    assert facility.version == 2


def test_a_resubmitted_entry_shows_what_changed_since_it_was_returned(
    client, reviewer, organization, owner
):
    facility = _submitted(owner)
    review_actions.do_return_entry("facility", reviewer, facility, "Give the full name.")
    review_actions.do_edit_entry(
        "facility", owner, facility, {"name": "Batrec lamp recycling line"}, base_version=1
    )
    review_actions.do_submit_entry("facility", owner, facility)
    client.force_login(reviewer)

    response = client.get(f"/review/facility/{facility.pk}/")

    html = response.content.decode()
    since_return = html[html.index('<h2 id="returned-changes-heading"') :]
    text = _text(since_return)
    assert text.startswith("Changes since it was returned")
    assert "Returned (version 1)" in text and "Submitted (version 2)" in text
    rows = {
        field: marked
        for marked, field in re.findall(r'<tr class="(\w+)" data-field="(\w+)">', since_return)
    }
    assert rows["name"] == "changed"
    assert rows["city"] == "same"
    assert "Batrec lamp line Batrec lamp recycling line" in text


def test_an_entry_never_returned_has_no_comparison_with_a_returned_version(
    client, reviewer, organization, owner
):
    facility = _published_and_edited(owner, reviewer, {"name": "Batrec tubeworks"})
    client.force_login(reviewer)

    response = client.get(f"/review/facility/{facility.pk}/")

    assert "Changes since it was returned" not in _page_text(response)
