"""The review layer works for every registered kind of entry exactly as for the others: drafts,
submission, return with reasons, validation, versions, revert, reconfirmation, campaigns and the
search index, all from the kind's one description in the registry."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions, queries, registry
from mercuryhub.review.campaigns import campaign_progress, do_open_campaign
from mercuryhub.review.models import (
    PUBLISHED_ON_SUBMISSION,
    EntryVersion,
    ReviewDecision,
    ReviewState,
)
from mercuryhub.search import engine
from tests.catalogue.conftest import LAMP_LINE
from tests.conftest import make_user
from tests.library.criteria import validate

pytestmark = pytest.mark.django_db

# A valid new entry of each registered kind, as an editor of "Batrec Industrie AG" sends it, and
# one change to it. A kind registered without an example here fails the first test.
EXAMPLES = {
    "facility": (
        {**LAMP_LINE, "description": "Crushes fluorescent tubes under negative pressure."},
        {"name": "Batrec tubeworks"},
    ),
    "offering": (
        {
            "name": "Batrec distiller service",
            "provider": "batrec-industrie-ag",
            "kind": "service",
            "waste_categories": ["lamps"],
            "description": "Distils mercury out of phosphor powder for lamp recyclers.",
        },
        {"name": "Batrec distillation service"},
    ),
    "expert": (
        {
            "name": "Beatrix Keller",
            "organization": "batrec-industrie-ag",
            "email": "beatrix.keller@batrec.example",
            "country": "CHE",
            "consent_to_publication": True,
            "waste_categories": ["lamps"],
            "biography": "Process engineer for mercury distillation since 2004.",
        },
        {"name": "Dr Beatrix Keller"},
    ),
    "resource": (
        {
            "name": "Batrec lamp recycling guide",
            "kind": "guidance",
            "organization": "batrec-industrie-ag",
            "url": "https://batrec.example/lamp-guide",
            "waste_categories": ["lamps"],
            "description": "How to crush fluorescent tubes under negative pressure.",
        },
        {"name": "Batrec lamp recycling handbook"},
    ),
    "case_study": (
        {
            "name": "Batrec lamp collection in Wimmis",
            "country": "CHE",
            "organization": "batrec-industrie-ag",
            "waste_categories": ["lamps"],
            "description": "Municipal collection of fluorescent tubes for recycling.",
        },
        {"name": "Lamp collection in the canton of Bern"},
    ),
    "need": (
        {
            "name": "Treatment of fluorescent tubes from Ghanaian schools",
            "description": "Two tonnes of tubes collected; we need a treatment route.",
            "country": "GHA",
            "waste_categories": ["lamps"],
            "funding_status": "seeking-funding",
        },
        {"name": "Treatment of fluorescent tubes from Kumasi schools"},
    ),
    "nap": (
        {
            "name": "National Action Plan on artisanal gold mining",
            "summary": "Eliminating whole ore amalgamation by 2030.",
            "country": "GHA",
            "organization": "batrec-industrie-ag",
            "period_start": 2027,
            "period_end": 2031,
        },
        {"name": "National Action Plan on ASGM 2027–2031"},
    ),
    "inventory": (
        {
            "name": "Mercury waste inventory of Switzerland",
            "summary": "Lamps and batteries collected in 2024.",
            "country": "CHE",
            "organization": "batrec-industrie-ag",
            "year": 2024,
            "lines": [
                {
                    "category": "lamps-compact-fluorescent",
                    "activity": "1000000",
                    "activity_unit": "item",
                    "input_low": "2",
                    "input_high": "5",
                    "input_unit": "mg/item",
                    "distribution": {"sector_treatment": "1"},
                    "justification": "Collection scheme's yearly report",
                }
            ],
        },
        {"name": "Mercury waste inventory of Switzerland, 2024"},
    ),
    # Batrec's editor leads WG1 (tests/review/conftest.py).
    "workplan": (
        {
            "name": "WG1 workplan 2026–2028",
            "summary": "Guidance on lamps and a regional webinar.",
            "group": "wg1",
            "organization": "batrec-industrie-ag",
            "first_year": 2026,
            "last_year": 2028,
            "activities": [{"year": 2026, "name": "Lamp collection guide", "status": "ongoing"}],
        },
        {"name": "WG1 workplan 2026–2028, revised"},
    ),
    "review_report": (
        {
            "name": "WG1 review report 2025",
            "group": "wg1",
            "organization": "batrec-industrie-ag",
            "year": 2025,
            "due_on": "2026-01-31",
            "outputs": "Two guides published.",
        },
        {"name": "WG1 review report for 2025"},
    ),
    "project": (
        {
            "name": "Lamp take-back in Swiss retail",
            "summary": "Retailers collect spent fluorescent tubes for Batrec.",
            "organization": "batrec-industrie-ag",
            "countries": ["CHE"],
            "funder": "Swiss Federal Office for the Environment",
            "first_year": 2015,
            "status": "ongoing",
            "waste_categories": ["lamps"],
        },
        {"name": "Lamp take-back in Swiss retail, second phase"},
    ),
    "event": (
        {
            "name": "Workshop on lamp recycling",
            "description": "Crushing fluorescent tubes under negative pressure, in practice.",
            "organization": "batrec-industrie-ag",
            "format": "workshop",
            "starts_at": "2031-09-15 09:00",
            "ends_at": "2031-09-15 17:00",
            "time_zone": "Europe/Zurich",
            "city": "Wimmis",
            "country": "CHE",
            "partnership_areas": ["waste-management"],
        },
        {"name": "Workshop on recycling fluorescent lamps"},
    ),
}
# Kinds whose editors publish their own entries on submission: a plan is its country team's.
PUBLISHED_BY_THEIR_EDITORS = {"nap"}
# Who posts the example: an editor of Batrec; a need, a person of no organization, whose first
# public need waits for the secretariat (an editor's is published on submission).
NEWCOMERS = {"need"}

KINDS = [kind.name for kind in registry.kinds()]
QUEUED_KINDS = [name for name in KINDS if name not in PUBLISHED_BY_THEIR_EDITORS]
CAMPAIGN_KINDS = [kind.name for kind in registry.kinds() if kind.in_update_campaigns]


@pytest.fixture
def author(kind, owner):
    return make_user("nana.newcomer@health.example.gh") if kind in NEWCOMERS else owner


def test_every_registered_kind_is_exercised_here():
    assert set(KINDS) == set(EXAMPLES)


def _found(kind: str, words: str) -> set[int]:
    return set(engine.matches(words, [kind], cap=100).get(kind, ()))


@pytest.mark.parametrize("kind", QUEUED_KINDS)
def test_a_draft_is_submitted_returned_resubmitted_validated_and_found(
    kind, organization, author, reviewer
):
    new, change = EXAMPLES[kind]
    entry = actions.do_create_draft(kind, author, new)
    assert entry.review_state == ReviewState.DRAFT and not entry.published
    assert not registry.get(kind).visible_to(AnonymousUser()).filter(pk=entry.pk).exists()
    assert entry.pk not in _found(kind, new["name"])

    entry = actions.do_submit_entry(kind, author, entry)
    assert queries.review_queue(reviewer, kind=kind) == [(kind, entry)]
    entry = actions.do_return_entry(kind, reviewer, entry, "Give the permit number.")
    assert (entry.review_state, entry.return_reason) == ("returned", "Give the permit number.")
    entry = actions.do_edit_entry(kind, author, entry, change, base_version=entry.version)
    entry = actions.do_submit_entry(kind, author, entry)
    entry = validate(kind, reviewer, entry)

    assert entry.published and entry.review_state == ReviewState.VALIDATED
    assert entry.last_confirmed_at is not None and entry.validated_by == reviewer
    assert str(entry) == change["name"]
    assert entry.pk in _found(kind, change["name"])
    decisions = [d.action for d in queries.decisions(kind, entry)]
    assert decisions == ["validated", "submitted", "returned", "submitted"]


@pytest.mark.parametrize("kind", sorted(PUBLISHED_BY_THEIR_EDITORS))
def test_an_editors_submission_is_published_at_once_and_found(kind, organization, owner, reviewer):
    new, change = EXAMPLES[kind]
    entry = actions.do_create_draft(kind, owner, new)
    assert entry.pk not in _found(kind, new["name"])
    entry = actions.do_edit_entry(kind, owner, entry, change, base_version=entry.version)
    entry = actions.do_submit_entry(kind, owner, entry)
    assert entry.published and entry.review_state == ReviewState.VALIDATED
    assert queries.review_queue(reviewer, kind=kind) == []
    assert entry.pk in _found(kind, change["name"])
    decisions = [(d.action, d.reason) for d in queries.decisions(kind, entry)]
    assert decisions == [("validated", PUBLISHED_ON_SUBMISSION), ("submitted", "")]


@pytest.mark.parametrize("kind", KINDS)
def test_an_edit_of_a_published_entry_waits_for_review_and_can_be_reverted(
    kind, organization, author, reviewer
):
    new, change = EXAMPLES[kind]
    entry = actions.do_create_draft(kind, author, new)
    entry = validate(kind, reviewer, actions.do_submit_entry(kind, author, entry))
    entry = actions.do_edit_entry(kind, author, entry, change, base_version=entry.version)

    assert str(entry) == new["name"]  # the public keeps the published version
    assert queries.latest_data(kind, entry)["name"] == change["name"]
    assert queries.has_unpublished_changes(entry)
    assert EntryVersion.objects.filter(kind=kind, object_id=entry.pk).count() == 2

    entry = actions.do_revert_entry(kind, reviewer, entry, 1)
    assert entry.version == 3 and str(entry) == new["name"]
    assert ReviewDecision.objects.filter(kind=kind, action="reverted").count() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_an_edit_from_an_old_version_is_refused_with_the_others_changes(
    kind, organization, author, reviewer
):
    new, change = EXAMPLES[kind]
    entry = actions.do_create_draft(kind, author, new)
    actions.do_edit_entry(kind, author, entry, change, base_version=1)
    with pytest.raises(actions.ConflictError) as conflict:
        actions.do_edit_entry(kind, author, entry, {"name": "Someone else"}, base_version=1)
    assert ("name", new["name"], change["name"]) in conflict.value.their_changes


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_entrys_editors_and_reviewers_may_act_on_it(
    kind, organization, author, reviewer, outsider, member
):
    entry = actions.do_create_draft(kind, author, EXAMPLES[kind][0])
    for person in (outsider, member):
        with pytest.raises(PermissionDenied):
            actions.do_submit_entry(kind, person, entry)
    with pytest.raises(PermissionDenied):
        actions.do_validate_entry(kind, author, actions.do_submit_entry(kind, author, entry))
    with pytest.raises(InvalidInputError):
        actions.do_return_entry(kind, reviewer, entry, "  ")


@pytest.mark.parametrize("kind", CAMPAIGN_KINDS)
def test_a_published_entry_is_reconfirmed_and_counts_in_the_campaign(
    kind, organization, author, reviewer
):
    from datetime import timedelta

    from django.utils import timezone

    entry = actions.do_create_draft(kind, author, EXAMPLES[kind][0])
    entry = validate(kind, reviewer, actions.do_submit_entry(kind, author, entry))
    type(entry).objects.filter(pk=entry.pk).update(last_confirmed_at=None)
    today = timezone.localdate()
    campaign = do_open_campaign(
        reviewer, name="Annual update", year=today.year, deadline=today + timedelta(days=30)
    )
    before = campaign_progress(campaign)
    assert (before.entries, before.confirmed) == (1, 0)

    entry = actions.do_reconfirm_entry(kind, author, entry)
    assert entry.last_confirmed_at == today
    after = campaign_progress(campaign)
    assert (after.entries, after.confirmed) == (1, 1)
    assert after.organizations[0].label == "Batrec Industrie AG"


@pytest.mark.parametrize("kind", KINDS)
def test_an_entry_appears_in_its_editors_list(kind, organization, author, outsider):
    entry = actions.do_create_draft(kind, author, EXAMPLES[kind][0])
    assert (kind, entry) in queries.entries_editable_by(author)
    assert (kind, entry) not in queries.entries_editable_by(outsider)
