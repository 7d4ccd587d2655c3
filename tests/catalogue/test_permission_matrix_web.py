"""Who may do what on the web: every persona against every write action of the catalogue's
pages. Refused actions answer 403 (404 where a draft's existence must not leak; anonymous
visitors are sent to sign in) and change nothing."""

import pytest

from mercuryhub.catalogue.models import Facility
from mercuryhub.review import actions as review_actions
from mercuryhub.review.models import EntryVersion
from tests.catalogue.test_editing_api import NEW, PERSONAS

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Batrec tube line",
    "operator": "batrec-industrie-ag",
    "status": "operating",
    "country": "CHE",
    "city": "Wimmis",
    "latitude": "46.68",
    "longitude": "7.64",
    "coordinates_precision": "city",
    "accepted_wastes": ["lamps"],
}


def _draft(owner, reviewer):
    return review_actions.do_create_draft("facility", owner, NEW)


def _submitted(owner, reviewer):
    return review_actions.do_submit_entry("facility", owner, _draft(owner, reviewer))


def _published(owner, reviewer):
    facility = review_actions.do_validate_entry("facility", reviewer, _submitted(owner, reviewer))
    review_actions.do_edit_entry("facility", owner, facility, {"city": "Spiez"}, base_version=1)
    return Facility.objects.get(pk=facility.pk)


# action: (setup, path, form data, the personas allowed)
MATRIX = {
    "create": (None, "/catalogue/new/facility/", FORM, {"owner", "administrator"}),
    "edit": (
        _draft,
        "/catalogue/facility/{pk}/edit/",
        {**FORM, "base_version": "1"},
        {"owner", "administrator"},
    ),
    "submit": (_draft, "/catalogue/facility/{pk}/submit/", {}, {"owner", "administrator"}),
    "validate": (
        _submitted,
        "/review/facility/{pk}/",
        {"action": "validate"},
        {"reviewer", "administrator"},
    ),
    "return": (
        _submitted,
        "/review/facility/{pk}/",
        {"action": "return", "reason": "Incomplete"},
        {"reviewer", "administrator"},
    ),
    "revert": (
        _published,
        "/review/facility/{pk}/revert/",
        {"version": "1"},
        {"reviewer", "administrator"},
    ),
    "delete": (_published, "/catalogue/facility/{pk}/delete/", {}, {"administrator"}),
}


REVIEW = {"validate", "return"}


def _snapshot():
    return (
        list(
            Facility.objects.order_by("pk").values_list(
                "pk", "name", "city", "review_state", "published", "version"
            )
        ),
        EntryVersion.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(MATRIX))
def test_each_persona_may_do_only_what_its_role_allows_on_the_web(
    client,
    people,
    organization,
    owner,
    reviewer,
    action,
    persona,
):
    setup, path, data, allowed = MATRIX[action]
    entry = setup(owner, reviewer) if setup else None
    before = _snapshot()
    if people[persona] is not None:
        client.force_login(people[persona])
    response = client.post(path.format(pk=entry.pk if entry else ""), data)
    if persona in allowed:
        assert response.status_code == 302, (action, persona, response.content[:500])
        assert _snapshot() != before
        return
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        published = entry is not None and entry.published
        refused = {403} if published or entry is None else {403, 404}
        assert response.status_code in refused, (action, persona, response.status_code)
        outsiders = {"registered", "member", "other_editor"}
        # Editing pages answer 404 for a draft the person cannot see; the review pages are
        # closed to everyone but reviewers (403) before any entry is looked up.
        if not published and entry is not None and persona in outsiders and action not in REVIEW:
            assert response.status_code == 404  # a draft's existence does not leak
    assert _snapshot() == before, "a refused action changed something"
