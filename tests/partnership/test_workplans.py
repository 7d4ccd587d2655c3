"""Workplans: drafted by a current leader's organization, at most three years, activities with
their statuses, published through the review layer, status updates as new versions, and the
partners' endorsements (once per organization; non-partners refused)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.accounts.models import Organization
from mercuryhub.lib.errors import InvalidInputError, StateError
from mercuryhub.partnership.models import Endorsement, WorkplanActivity
from mercuryhub.partnership.work_actions import do_endorse_workplan, do_set_activity_status
from mercuryhub.review import actions as review
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ACTIVITIES = [
    {"year": 2026, "name": "Guidance on lamp collection", "lead": "Batrec", "output": "A guide"},
    {"year": 2027, "name": "Regional webinar", "status": "ongoing"},
    {"year": 2028, "name": "Training of trainers", "status": "done"},
]


def plan(**changes):
    return {
        "name": "WG1 workplan 2026–2028",
        "summary": "What WG1 does.",
        "name_fr": "Plan de travail du GT1",
        "group": "wg1",
        "organization": "batrec-industrie-ag",
        "first_year": 2026,
        "last_year": 2028,
        "activities": ACTIVITIES,
        **changes,
    }


def published_workplan(owner, reviewer):
    workplan = review.do_create_draft("workplan", owner, plan())
    workplan = review.do_submit_entry("workplan", owner, workplan)
    return review.do_validate_entry("workplan", reviewer, workplan)


def test_a_leaders_organization_drafts_a_workplan_of_three_years(led_group, owner):
    workplan = review.do_create_draft("workplan", owner, plan())
    assert workplan.group == led_group and not workplan.published
    assert [a.status for a in workplan.activities.all()] == ["planned", "ongoing", "done"]
    assert workplan.localized("name", "fr") == "Plan de travail du GT1"


def test_a_fourth_year_is_refused_with_a_clear_message(led_group, owner):
    with pytest.raises(InvalidInputError) as refused:
        review.do_create_draft("workplan", owner, plan(last_year=2029, activities=[]))
    assert "at most 3 years" in refused.value.errors["last_year"]
    assert "2028 at the latest" in refused.value.errors["last_year"]


def test_activities_outside_the_years_or_with_an_unknown_status_are_named(led_group, owner):
    rows = [{"year": 2030, "name": "Late"}, {"year": 2026, "name": "X", "status": "finished"}]
    with pytest.raises(InvalidInputError) as refused:
        review.do_create_draft("workplan", owner, plan(activities=rows))
    errors = refused.value.errors
    assert errors["activities.1.year"].startswith("Activity 1: 2030 is outside")
    assert "planned, ongoing, done, postponed, cancelled" in errors["activities.2.status"]


def test_an_organization_that_does_not_lead_the_group_is_refused(working_groups, owner, led_group):
    with pytest.raises(PermissionDenied, match="does not lead it"):
        review.do_create_draft("workplan", owner, plan(group="wg2"))


def test_the_secretariat_drafts_for_a_leaders_organization(led_group, reviewer):
    workplan = review.do_create_draft("workplan", reviewer, plan())
    assert workplan.organization.slug == "batrec-industrie-ag"


def test_a_status_update_is_a_new_version_published_on_validation(led_group, owner, reviewer):
    workplan = published_workplan(owner, reviewer)
    updated = do_set_activity_status(owner, workplan, 1, "postponed", base_version=1)
    assert updated.version == 2
    # The public still reads the validated version until the secretariat validates the new one.
    assert workplan.activities.get(position=1).status == WorkplanActivity.Status.PLANNED
    updated = review.do_submit_entry("workplan", owner, updated)
    review.do_validate_entry("workplan", reviewer, updated)
    assert workplan.activities.get(position=1).status == WorkplanActivity.Status.POSTPONED


def test_the_page_groups_activities_by_year_with_a_status_summary(
    client, led_group, owner, reviewer
):
    workplan = published_workplan(owner, reviewer)
    page = client.get(reverse("partnership-workplan-detail", args=[workplan.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index(">2026<") < text.index("Guidance on lamp collection") < text.index(">2027<")
    assert "Ongoing: <strong>1</strong>" in text and "Cancelled: <strong>0</strong>" in text
    assert "0 endorsements" in text


def test_a_draft_is_hidden_from_the_public(client, led_group, owner):
    workplan = review.do_create_draft("workplan", owner, plan())
    assert client.get(workplan.get_absolute_url()).status_code == 404


def test_a_partner_endorses_once_recorded_with_the_version(
    signed_in, led_group, owner, reviewer, organization
):
    workplan = published_workplan(owner, reviewer)
    endorsement = do_endorse_workplan(owner, workplan, organization, "We support it.")
    assert (endorsement.version, endorsement.endorsed_by) == (1, owner)
    with pytest.raises(InvalidInputError, match="a partner endorses it once"):
        do_endorse_workplan(owner, workplan, organization)
    page = signed_in(owner).get(workplan.get_absolute_url()).content.decode()
    assert "1 endorsement" in page and "We support it." in page
    assert "Endorse this workplan" not in page  # nothing left to endorse for


def test_a_non_partner_is_refused_with_a_clear_message(led_group, owner, reviewer, outsider):
    workplan = published_workplan(owner, reviewer)
    elsewhere = Organization.objects.get(name="Elsewhere Recycling")
    with pytest.raises(PermissionDenied, match="Elsewhere Recycling is not a partner"):
        do_endorse_workplan(outsider, workplan, elsewhere)


def test_only_an_organizations_editors_endorse_for_it(led_group, owner, reviewer, member):
    workplan = published_workplan(owner, reviewer)
    with pytest.raises(PermissionDenied, match="Only editors of Batrec"):
        do_endorse_workplan(member, workplan, workplan.organization)


def test_a_draft_cannot_be_endorsed(led_group, owner, organization):
    workplan = review.do_create_draft("workplan", owner, plan())
    with pytest.raises(StateError):
        do_endorse_workplan(owner, workplan, organization)


def test_endorsing_through_the_page(signed_in, led_group, owner, reviewer):
    workplan = published_workplan(owner, reviewer)
    partner = make_user("pat@partner.example")
    other = do_create_organization(
        partner, {"name": "Partner NGO", "stakeholder_type": "ngo", "country": "GHA"}
    )
    Organization.objects.filter(pk=other.pk).update(is_partner=True)
    client = signed_in(partner)
    assert "Endorse this workplan" in client.get(workplan.get_absolute_url()).content.decode()
    url = reverse("partnership-workplan-endorse", args=[workplan.pk])
    response = client.post(url, {"organization": other.slug, "comment": "Good plan"})
    assert response.status_code == 302
    assert Endorsement.objects.get(workplan=workplan).organization == other


def test_the_editing_pages_take_activities_one_a_line(signed_in, led_group, owner):
    client = signed_in(owner)
    url = reverse("catalogue-entry-create", args=["workplan"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "WG1 plan",
            "group": "wg1",
            "organization": "batrec-industrie-ag",
            "first_year": "2026",
            "last_year": "2027",
            "activities": "2026 | Guide | Batrec | ongoing | A guide\n2027 | Webinar | | planned |",
            "content_language": "en",
        },
    )
    assert response.status_code == 302
    workplan = led_group.workplans.get()
    assert [(a.year, a.name, a.status) for a in workplan.activities.all()] == [
        (2026, "Guide", "ongoing"),
        (2027, "Webinar", "planned"),
    ]
    edit = client.get(reverse("catalogue-entry-edit", args=["workplan", workplan.pk]))
    assert "2026 | Guide | Batrec | ongoing | A guide" in edit.content.decode()


def test_the_group_part_lists_its_workplans_and_reports(rf, led_group, owner, reviewer):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    workplan = published_workplan(owner, reviewer)
    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string("partnership/_group_work.html", {"group": led_group}, request)
    assert workplan.get_absolute_url() in html and "No review report yet." in html
