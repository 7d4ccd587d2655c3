"""The working groups' rules: partners' editors ask to join and the group's leads (its leaders
and the secretariat) approve or decline, with e-mails to both sides; partners may join several
groups; a warning while a group has fewer than two leaders; nobody leads two groups at once;
the leaders' balance by sector, gender and region."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.partnership import group_actions
from mercuryhub.partnership.group_queries import current_leaderships, leaders_balance
from mercuryhub.partnership.models import GroupMembership, Leadership
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _appoint(reviewer, group, person, organization, gender="undisclosed", started_on=None):
    return group_actions.do_appoint_leader(
        reviewer,
        group,
        person=person,
        organization=organization,
        gender=gender,
        started_on=started_on or date(2024, 1, 15),
    )


def _ask(client, code, organization, message="We treat lamps and batteries."):
    return client.post(
        f"/partnership/groups/{code}/join/",
        {"organization": organization.slug, "message": message},
    )


def test_the_loader_makes_three_groups_with_mandates_in_six_languages_and_may_run_again(db):
    out = StringIO()
    call_command("load_working_groups", stdout=out)
    call_command("load_working_groups", stdout=out)

    first, second = out.getvalue().splitlines()
    assert first == "Reference data, working groups: 3 created, 0 updated, 0 unchanged"
    assert second == "Reference data, working groups: 0 created, 0 updated, 3 unchanged"


def test_the_group_page_shows_the_mandate_in_the_readers_language(client, working_groups):
    english = client.get("/partnership/groups/wg1/").content.decode()
    french = client.get("/fr/partnership/groups/wg1/").content.decode()

    assert "Develops and keeps current the Partnership" in english
    assert "Élabore et tient à jour les ressources du Partenariat" in french


def test_a_partners_editor_asks_to_join_and_the_leads_are_emailed(
    signed_in, owner, organization, reviewer, working_groups, django_capture_on_commit_callbacks
):
    client = signed_in(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, "wg1", organization)

    assert response.status_code == 302
    membership = GroupMembership.objects.get(organization=organization)
    assert (membership.state, membership.requested_by) == ("requested", owner)
    assert [message.to for message in mail.outbox] == [[reviewer.email]]
    assert "Batrec Industrie AG asks to join WG1: Resource development" in mail.outbox[0].subject
    assert "We treat lamps and batteries." in mail.outbox[0].body
    page = client.get("/partnership/groups/wg1/").content.decode()
    assert "<bdi>Batrec Industrie AG</bdi> asked to join; the group's leads will answer." in page


def test_an_organization_that_is_not_a_partner_is_told_it_cannot_ask(
    signed_in, outsider, working_groups
):
    from mercuryhub.accounts.models import Organization

    elsewhere = Organization.objects.get(slug="elsewhere-recycling")
    response = _ask(signed_in(outsider), "wg1", elsewhere)

    assert response.status_code == 400
    assert (
        "Elsewhere Recycling is not a partner of the Global Mercury Partnership: only partners "
        "join working groups." in response.content.decode()
    )
    assert not GroupMembership.objects.exists()


def test_a_member_who_does_not_edit_the_organization_cannot_ask(
    signed_in, member, organization, working_groups
):
    client = signed_in(member)

    page = client.get("/partnership/groups/wg1/").content.decode()
    assert "You are not an editor of any organization." in page
    assert _ask(client, "wg1", organization).status_code == 403


def test_a_partner_joins_several_groups(signed_in, owner, reviewer, organization, working_groups):
    client = signed_in(owner)
    _ask(client, "wg1", organization)
    _ask(client, "wg3", organization)
    for membership in GroupMembership.objects.all():
        group_actions.do_decide_group_membership(reviewer, membership, approve=True)

    assert sorted(
        GroupMembership.objects.filter(state="member").values_list("group__term__code", flat=True)
    ) == ["wg1", "wg3"]
    listed = client.get("/partnership/groups/").content.decode()
    assert listed.count("<dt>Member organizations</dt><dd>1</dd>") == 2
    page = client.get("/partnership/groups/wg3/").content.decode()
    assert "<bdi>Batrec Industrie AG</bdi> is a member of this group." in page


def test_a_leader_of_the_group_approves_and_the_asker_hears_of_it(
    signed_in,
    owner,
    organization,
    reviewer,
    ghana_editor,
    ghana_partner,
    working_groups,
    django_capture_on_commit_callbacks,
):
    _appoint(reviewer, working_groups["wg1"], ghana_editor, ghana_partner)
    _ask(signed_in(owner), "wg1", organization)
    membership = GroupMembership.objects.get()
    client = signed_in(ghana_editor)
    page = client.get("/partnership/groups/wg1/").content.decode()
    assert "We treat lamps and batteries." in page  # the request, shown to the leads

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/partnership/groups/wg1/requests/{membership.pk}/", {"decision": "approve"}
        )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.state, membership.decided_by) == ("member", ghana_editor)
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert "Batrec Industrie AG is now a member of WG1" in mail.outbox[0].body


def test_a_leader_of_another_group_and_the_asker_cannot_answer(
    signed_in, owner, organization, reviewer, ghana_editor, ghana_partner, working_groups
):
    _appoint(reviewer, working_groups["wg2"], ghana_editor, ghana_partner)
    _ask(signed_in(owner), "wg1", organization)
    membership = GroupMembership.objects.get()

    for person in (ghana_editor, owner):
        client = signed_in(person)
        assert (
            "We treat lamps and batteries."
            not in client.get("/partnership/groups/wg1/").content.decode()
        )
        response = client.post(
            f"/partnership/groups/wg1/requests/{membership.pk}/", {"decision": "approve"}
        )
        assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.state == "requested"


def test_declining_needs_a_reason_which_reaches_the_asker(
    signed_in, owner, organization, reviewer, working_groups, django_capture_on_commit_callbacks
):
    _ask(signed_in(owner), "wg2", organization)
    membership = GroupMembership.objects.get()
    client = signed_in(reviewer)
    path = f"/partnership/groups/wg2/requests/{membership.pk}/"

    refused = client.post(path, {"decision": "decline"}, follow=True)
    assert "Say why the request is declined." in refused.content.decode()
    membership.refresh_from_db()
    assert membership.state == "requested"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"decision": "decline", "reason": "WG2 is about capacity-building."})

    membership.refresh_from_db()
    assert (membership.state, membership.decision_reason) == (
        "declined",
        "WG2 is about capacity-building.",
    )
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert "WG2 is about capacity-building." in mail.outbox[0].body
    page = signed_in(owner).get("/partnership/groups/wg2/").content.decode()
    assert "The request of <bdi>Batrec Industrie AG</bdi> was declined." in page
    # Declined, it may ask again.
    assert _ask(signed_in(owner), "wg2", organization).status_code == 302


def test_the_pages_warn_while_a_group_has_fewer_than_two_leaders(
    client, reviewer, owner, organization, ghana_editor, ghana_partner, working_groups
):
    warning = "This group has 1 leader; it needs at least 2."
    wg1 = working_groups["wg1"]
    _appoint(reviewer, wg1, ghana_editor, ghana_partner)

    assert warning in client.get("/partnership/groups/wg1/").content.decode()
    listed = client.get("/partnership/groups/").content.decode()
    assert listed.count("This group needs at least 2 leaders.") == 3

    _appoint(reviewer, wg1, owner, organization)

    assert "it needs at least" not in client.get("/partnership/groups/wg1/").content.decode()
    listed = client.get("/partnership/groups/").content.decode()
    assert listed.count("This group needs at least 2 leaders.") == 2


def test_nobody_leads_two_groups_at_once(
    signed_in, reviewer, ghana_editor, ghana_partner, working_groups
):
    _appoint(reviewer, working_groups["wg1"], ghana_editor, ghana_partner)

    response = signed_in(reviewer).post(
        "/partnership/groups/wg2/leaders/",
        {
            "person": ghana_editor.email,
            "organization": ghana_partner.slug,
            "gender": "woman",
            "started_on": "2025-02-01",
        },
    )

    assert response.status_code == 200
    assert (
        "akosua.editor already leads WG1: Resource development. Nobody leads two working groups "
        "at once: end that leadership first." in response.content.decode()
    )
    assert list(Leadership.objects.values_list("group__term__code", flat=True)) == ["wg1"]


def test_two_appointments_at_the_same_moment_get_the_same_message(
    reviewer, ghana_editor, ghana_partner, working_groups, monkeypatch
):
    """The second appointment checks before the first is saved; the database refuses it."""
    _appoint(reviewer, working_groups["wg1"], ghana_editor, ghana_partner)
    real = group_actions.open_leadership_of
    calls = []

    def not_yet_seen(person):
        calls.append(person)
        return None if len(calls) == 1 else real(person)

    monkeypatch.setattr(group_actions, "open_leadership_of", not_yet_seen)

    with pytest.raises(InvalidInputError) as refused:
        _appoint(reviewer, working_groups["wg3"], ghana_editor, ghana_partner)

    assert refused.value.errors["person"].startswith(
        "akosua.editor already leads WG1: Resource development."
    )
    assert Leadership.objects.count() == 1
    # The database is still usable in the same transaction.
    assert Leadership.objects.filter(ended_on__isnull=True).count() == 1
    assert connection.needs_rollback is False


def test_after_a_leadership_ends_the_person_may_lead_another_group(
    signed_in, reviewer, ghana_editor, ghana_partner, working_groups
):
    leadership = _appoint(reviewer, working_groups["wg1"], ghana_editor, ghana_partner)
    client = signed_in(reviewer)

    response = client.post(
        f"/partnership/groups/wg1/leaders/{leadership.pk}/end/", {"ended_on": "2025-06-30"}
    )

    assert response.status_code == 302
    leadership.refresh_from_db()
    assert leadership.ended_on == date(2025, 6, 30)
    _appoint(reviewer, working_groups["wg2"], ghana_editor, ghana_partner)
    assert Leadership.objects.filter(ended_on__isnull=True).get().group.code == "wg2"


def test_only_the_secretariat_appoints_leaders(signed_in, owner, organization, working_groups):
    client = signed_in(owner)

    assert client.get("/partnership/groups/wg1/leaders/").status_code == 403
    with pytest.raises(Exception, match="Only the secretariat"):
        _appoint(owner, working_groups["wg1"], owner, organization)


def test_the_leaders_balance_counts_sector_gender_and_region(
    client, reviewer, owner, organization, ghana_editor, ghana_partner, working_groups
):
    wg1 = working_groups["wg1"]
    _appoint(reviewer, wg1, owner, organization, gender="man")
    _appoint(reviewer, wg1, ghana_editor, ghana_partner, gender="woman")
    third = make_user("kwame.leader@mercuryfree.example.gh")
    _appoint(reviewer, wg1, third, ghana_partner, gender="man")

    balance = leaders_balance(current_leaderships(wg1))

    def figures(rows):
        return [(row.label, row.count) for row in rows]

    assert figures(balance["sector"]) == [
        ("Non-governmental / civil society organization", 2),
        ("Private sector / industry", 1),
    ]
    assert figures(balance["gender"]) == [("Man", 2), ("Woman", 1)]
    assert figures(balance["region"]) == [("Africa", 2), ("Europe", 1)]
    page = client.get("/partnership/groups/wg1/").content.decode()
    assert '<tr><th scope="row">Africa</th><td>2</td></tr>' in page
    assert page.count('class="balance-bar"') == 6


def test_the_balance_bars_start_at_the_right_in_arabic(
    client, reviewer, owner, organization, working_groups
):
    _appoint(reviewer, working_groups["wg1"], owner, organization, gender="man")

    english = client.get("/partnership/groups/wg1/").content.decode()
    arabic = client.get("/ar/partnership/groups/wg1/").content.decode()

    # One leader: each bar fills the plot, from the start of the reading direction.
    assert '<rect class="balance-bar" x="8" y="28" width="308.0"' in english
    assert '<rect class="balance-bar" x="44.0" y="28" width="308.0"' in arabic
