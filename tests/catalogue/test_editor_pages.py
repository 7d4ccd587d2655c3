"""Partners' editing pages, persona by persona: My entries, the entry forms, submitting,
deleting, nominating oneself as an expert and uploading a spreadsheet for review."""

import re

import pytest
from django.core import mail

from mercuryhub.accounts.actions import do_set_membership
from mercuryhub.accounts.models import Membership
from mercuryhub.catalogue.models import Expert, Facility
from mercuryhub.review import actions as review_actions
from mercuryhub.review import registry
from mercuryhub.review.models import ReviewDecision
from tests.catalogue.conftest import LAMP_LINE_PLACED
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NEW = dict(LAMP_LINE_PLACED)

# The facility form as a browser posts it.
POSTED = {
    "name": "Batrec battery line",
    "operator": "batrec-industrie-ag",
    "status": "operating",
    "country": "CHE",
    "city": "Wimmis",
    "latitude": "46,676",
    "longitude": "7.638",
    "coordinates_precision": "site",
    "accepted_wastes": ["batteries", "lamps"],
    "technologies": ["thermal-recovery"],
    "accepts_foreign_waste": "yes",
    "languages": ["de", "en"],
    "description": "Recovers mercury from button cells.",
}


def _text(response) -> str:
    return response.content.decode()


def _draft(owner, **changes):
    return review_actions.do_create_draft("facility", owner, {**NEW, **changes})


def _published(owner, reviewer, **changes):
    facility = _draft(owner, **changes)
    review_actions.do_submit_entry("facility", owner, facility)
    return review_actions.do_validate_entry("facility", reviewer, facility)


def _edit_post(facility, **changes):
    return {**POSTED, "name": facility.name, "base_version": facility.version, **changes}


# Anonymous visitors -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_changes(client, owner, organization):
    facility = _draft(owner)
    for path in (
        "/catalogue/mine/",
        "/catalogue/new/facility/",
        f"/catalogue/facility/{facility.pk}/edit/",
        f"/catalogue/facility/{facility.pk}/delete/",
        "/catalogue/experts/nominate/",
        "/catalogue/upload/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next=/catalogue/"), path
    response = client.post(f"/catalogue/facility/{facility.pk}/submit/")
    assert response["Location"].startswith("/accounts/login/")
    client.post("/catalogue/new/facility/", POSTED)
    assert Facility.objects.count() == 1
    assert Facility.objects.get().review_state == "draft"


# My entries ---------------------------------------------------------------------------------


def test_my_entries_groups_the_entries_by_state_and_shows_why_one_was_returned(
    signed_in, owner, organization, reviewer
):
    _draft(owner, name="Batrec draft line")
    waiting = _draft(owner, name="Batrec waiting line")
    review_actions.do_submit_entry("facility", owner, waiting)
    returned = _draft(owner, name="Batrec returned line")
    review_actions.do_submit_entry("facility", owner, returned)
    review_actions.do_return_entry("facility", reviewer, returned, "Give the permit number.")
    _published(owner, reviewer, name="Batrec published line")

    page = _text(signed_in(owner).get("/catalogue/mine/"))

    def group(name):
        return page.split(f'id="group-{name}"')[1].split("</section>")[0]

    assert "Returned to you for changes" in group("returned")
    assert "Batrec returned line" in group("returned")
    assert "The secretariat returned this entry:" in group("returned")
    assert "Give the permit number." in group("returned")
    assert "Batrec draft line" in group("draft") and "Submit for review" in group("draft")
    assert "Waiting for the secretariat's review" in group("submitted")
    assert "Batrec waiting line" in group("submitted")
    assert "Submit for review" not in group("submitted")
    published = group("published")
    assert "Batrec published line" in published and "Validated" in published
    assert "Public page" in published and "Delete" not in published
    assert "Last confirmed on" in published
    assert f"/review/facility/{returned.pk}/versions/" in page
    assert "Add a facility" in page and "Upload a spreadsheet" in page


def test_my_entries_offers_nomination_to_everyone_and_adding_only_to_editors(signed_in, member):
    page = _text(signed_in(member).get("/catalogue/mine/"))
    assert "You have no entries yet" in page
    assert "Nominate yourself as an expert" in page
    assert "Add a facility" not in page and "Upload a spreadsheet" not in page


def test_my_entries_takes_the_same_queries_however_many_entries(
    signed_in, owner, organization, django_assert_max_num_queries
):
    client = signed_in(owner)
    _draft(owner)
    # The page's own queries, and one for each kind of entry a person may keep.
    with django_assert_max_num_queries(6 + len(registry.kinds())) as few:
        client.get("/catalogue/mine/")
    for number in range(5):
        _draft(owner, name=f"Batrec line {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = _text(client.get("/catalogue/mine/"))
    assert "Batrec line 4" in page


# Creating -------------------------------------------------------------------------------------


def test_the_owner_adds_a_facility_as_a_private_draft(signed_in, owner, organization):
    client = signed_in(owner)
    form = _text(client.get("/catalogue/new/facility/"))
    assert '<option value="batrec-industrie-ag" selected>Batrec Industrie AG</option>' in form
    assert 'class="choice depth-1"' in form  # narrower waste categories are indented
    assert "<legend>Wastes accepted" in form

    response = client.post("/catalogue/new/facility/", POSTED, follow=True)

    facility = Facility.objects.get(name="Batrec battery line")
    assert (facility.review_state, facility.published, facility.version) == ("draft", False, 1)
    assert facility.latitude == 46.676 and facility.accepts_foreign_waste is True
    assert sorted(t.code for t in facility.accepted_wastes.all()) == ["batteries", "lamps"]
    assert response.redirect_chain[-1][0] == "/catalogue/mine/"
    assert "is saved as a draft. Submit it for review when it is ready." in _text(response)
    assert client.get(facility.get_absolute_url()).status_code == 404


def test_save_and_submit_sends_the_new_entry_to_review(signed_in, owner, organization):
    response = signed_in(owner).post(
        "/catalogue/new/facility/", {**POSTED, "submit_for_review": "1"}, follow=True
    )
    facility = Facility.objects.get(name="Batrec battery line")
    assert (facility.review_state, facility.published) == ("submitted", False)
    assert "is saved and submitted for review." in _text(response)


def test_an_offering_and_an_expert_are_added_through_their_forms(signed_in, owner, organization):
    client = signed_in(owner)
    response = client.post(
        "/catalogue/new/offering/",
        {
            "name": "Mobile retort",
            "provider": "batrec-industrie-ag",
            "kind": "equipment",
            "waste_categories": ["asgm-tailings"],
            "regions_served": ["Africa", "South-eastern Asia"],
            "countries_served": ["GHA"],
            "languages": ["en", "fr"],
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/catalogue/new/expert/",
        {
            "name": "Lena Keller",
            "organization": "batrec-industrie-ag",
            "email": "lena.keller@batrec.example",
            "country": "CHE",
            "nap_elements": ["a", "d"],
            "consent_to_publication": "on",
        },
    )
    assert response.status_code == 302
    expert = Expert.objects.get(name="Lena Keller")
    assert (expert.organization.slug, expert.user, expert.review_state) == (
        "batrec-industrie-ag",
        None,
        "draft",
    )


@pytest.mark.parametrize("persona", ["member", "registered"])
def test_people_who_edit_no_organization_cannot_open_the_add_form(signed_in, member, persona):
    user = member if persona == "member" else make_user("rene.registered@example.org")
    client = signed_in(user)
    assert client.get("/catalogue/new/facility/").status_code == 403
    assert client.post("/catalogue/new/facility/", POSTED).status_code == 403
    assert not Facility.objects.exists()


def test_an_editor_of_another_organization_cannot_add_entries_to_this_one(
    signed_in, outsider, organization
):
    client = signed_in(outsider)
    form = _text(client.get("/catalogue/new/facility/"))
    assert "Elsewhere Recycling" in form and "Batrec Industrie AG" not in form
    assert client.post("/catalogue/new/facility/", POSTED).status_code == 403
    assert not Facility.objects.exists()


def test_an_unknown_kind_of_entry_is_not_found(signed_in, owner, organization):
    client = signed_in(owner)
    facility = _draft(owner)
    assert client.get("/catalogue/new/widget/").status_code == 404
    assert client.get(f"/catalogue/widget/{facility.pk}/edit/").status_code == 404
    assert client.post(f"/catalogue/widget/{facility.pk}/submit/").status_code == 404


def test_missing_and_wrong_values_are_shown_on_their_fields(signed_in, owner, organization):
    client = signed_in(owner)
    page = _text(client.post("/catalogue/new/facility/", {**POSTED, "accepted_wastes": []}))
    assert "Please correct the following" in page
    assert '<a href="#id_accepted_wastes">Wastes accepted: This field is required.</a>' in page

    page = _text(client.post("/catalogue/new/facility/", {**POSTED, "longitude": ""}))
    assert 'id="id_longitude_error"' in page
    assert "Give both latitude and longitude, or neither" in page
    assert 'value="46,676"' in page  # what was typed stays
    assert not Facility.objects.exists()


# Editing --------------------------------------------------------------------------------------


def test_the_edit_form_starts_from_the_newest_version_not_the_published_one(
    signed_in, owner, organization, reviewer
):
    facility = _published(owner, reviewer)
    review_actions.do_edit_entry(
        "facility", owner, facility, {"name": "Batrec tubeworks"}, base_version=1
    )
    page = _text(signed_in(owner).get(f"/catalogue/facility/{facility.pk}/edit/"))
    assert 'value="Batrec tubeworks"' in page
    assert '<input type="hidden" name="base_version" value="2"' in page
    assert (
        "The published version stays visible until the secretariat validates your changes" in page
    )


def test_the_owner_saves_changes_and_the_public_keeps_the_published_version(
    client, signed_in, owner, organization, reviewer
):
    facility = _published(owner, reviewer)
    response = signed_in(owner).post(
        f"/catalogue/facility/{facility.pk}/edit/",
        _edit_post(facility, name="Batrec tubeworks"),
        follow=True,
    )
    assert "saved as version 2. The published version stays visible" in _text(response)
    facility.refresh_from_db()
    assert (facility.version, facility.published_version, facility.review_state) == (
        2,
        1,
        "draft",
    )
    client.logout()
    assert "Batrec lamp line" in _text(client.get(facility.get_absolute_url()))


def test_saving_an_unchanged_form_says_nothing_changed(signed_in, owner, organization):
    facility = _draft(owner, **{**POSTED, "latitude": 46.676, "name": "Batrec lamp line"})
    response = signed_in(owner).post(
        f"/catalogue/facility/{facility.pk}/edit/", _edit_post(facility), follow=True
    )
    assert "Nothing was changed." in _text(response)
    facility.refresh_from_db()
    assert facility.version == 1


@pytest.mark.parametrize("persona", ["member", "outsider", "reviewer"])
def test_others_cannot_edit_a_published_entry(
    signed_in, owner, member, outsider, reviewer, organization, persona
):
    facility = _published(owner, reviewer)
    client = signed_in({"member": member, "outsider": outsider, "reviewer": reviewer}[persona])
    url = f"/catalogue/facility/{facility.pk}/edit/"
    assert client.get(url).status_code == 403
    assert client.post(url, _edit_post(facility, name="Hijacked")).status_code == 403
    facility.refresh_from_db()
    assert (facility.version, facility.name) == (1, "Batrec lamp line")


def test_a_draft_stays_hidden_from_people_who_cannot_edit_it(
    signed_in, owner, member, outsider, organization
):
    facility = _draft(owner)
    for user in (member, outsider):
        client = signed_in(user)
        assert client.get(f"/catalogue/facility/{facility.pk}/edit/").status_code == 404
        assert client.post(f"/catalogue/facility/{facility.pk}/submit/").status_code == 404
        assert client.post(f"/catalogue/facility/{facility.pk}/delete/").status_code == 404
    assert Facility.objects.get(pk=facility.pk).review_state == "draft"


def test_a_second_editor_sees_the_others_changes_and_loses_neither_theirs_nor_their_own(
    signed_in, owner, organization
):
    colleague = make_user("carla.colleague@batrec.example")
    do_set_membership(owner, organization, colleague, Membership.Role.EDITOR)
    facility = _draft(owner, **{**POSTED, "latitude": 46.676, "name": "Batrec lamp line"})
    opened = _edit_post(facility, name="Batrec lamp line", city="Thun", capacity="500 t/yr")
    review_actions.do_edit_entry(  # the colleague saves while the owner is still typing
        "facility",
        colleague,
        facility,
        {"city": "Spiez", "permits": "BE-123"},
        base_version=1,
    )

    response = signed_in(owner).post(f"/catalogue/facility/{facility.pk}/edit/", opened)

    assert response.status_code == 409
    page = _text(response)
    assert "Someone else saved this entry since you opened it" in page
    assert "The entry is now at version 2" in page
    rows = re.findall(
        r'<th role="rowheader" scope="row">(.*?)</th><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>'
        r"<td[^>]*>(.*?)</td>",
        page,
    )
    assert rows == [
        ("City or address", "Wimmis", "Spiez", "<strong>Thun</strong>"),
        (
            "Permits and certifications",
            "—",
            "BE-123",
            '<span class="small">none: theirs is kept</span>',
        ),
    ]
    assert 'value="Thun"' in page and 'value="500 t/yr"' in page  # what the owner typed
    assert ">\nBE-123</textarea>" in page  # and the colleague's change
    assert '<input type="hidden" name="base_version" value="2"' in page
    facility.refresh_from_db()
    assert facility.city == "Spiez"

    resaved = {**opened, "permits": "BE-123", "base_version": "2"}
    assert (
        signed_in(owner).post(f"/catalogue/facility/{facility.pk}/edit/", resaved).status_code
        == 302
    )
    facility.refresh_from_db()
    assert (facility.city, facility.capacity, facility.permits, facility.version) == (
        "Thun",
        "500 t/yr",
        "BE-123",
        3,
    )


# Submitting and deleting ----------------------------------------------------------------------


def test_the_owner_submits_a_draft_once(signed_in, owner, organization):
    facility = _draft(owner)
    client = signed_in(owner)
    url = f"/catalogue/facility/{facility.pk}/submit/"
    assert client.get(url).status_code == 405
    page = _text(client.post(url, follow=True))
    assert "is submitted for review" in page
    assert ReviewDecision.objects.filter(object_id=facility.pk, action="submitted").count() == 1
    page = _text(client.post(url, follow=True))
    assert "This entry is already waiting for review" in page
    assert ReviewDecision.objects.filter(object_id=facility.pk, action="submitted").count() == 1


@pytest.mark.parametrize("persona", ["member", "outsider", "reviewer"])
def test_others_cannot_submit_a_returned_entry(
    signed_in, owner, member, outsider, reviewer, organization, persona
):
    facility = _published(owner, reviewer)
    review_actions.do_edit_entry("facility", owner, facility, {"city": "Spiez"}, base_version=1)
    client = signed_in({"member": member, "outsider": outsider, "reviewer": reviewer}[persona])
    assert client.post(f"/catalogue/facility/{facility.pk}/submit/").status_code == 403
    assert Facility.objects.get(pk=facility.pk).review_state == "draft"


def test_the_owner_deletes_a_draft_after_confirming(signed_in, owner, organization):
    facility = _draft(owner)
    client = signed_in(owner)
    url = f"/catalogue/facility/{facility.pk}/delete/"
    page = _text(client.get(url))
    assert "Delete <bdi>Batrec lamp line</bdi>?" in page and "Delete the entry" in page
    assert Facility.objects.filter(pk=facility.pk).exists()
    page = _text(client.post(url, follow=True))
    assert "“Batrec lamp line” is deleted." in page
    assert not Facility.objects.filter(pk=facility.pk).exists()


def test_only_administrators_delete_published_entries(
    signed_in, owner, administrator, organization, reviewer
):
    facility = _published(owner, reviewer)
    url = f"/catalogue/facility/{facility.pk}/delete/"
    assert "Only administrators can delete published entries" in _text(signed_in(owner).get(url))
    assert signed_in(owner).post(url).status_code == 403
    assert signed_in(reviewer).post(url).status_code == 403
    assert Facility.objects.filter(pk=facility.pk).exists()
    assert signed_in(administrator).post(url).status_code == 302
    assert not Facility.objects.filter(pk=facility.pk).exists()


# Nominating oneself as an expert --------------------------------------------------------------

NOMINATION = {
    "form": "nominate",
    "name": "Kofi Mensah",
    "email": "kofi@mining.example.gh",
    "country": "GHA",
    "languages": ["en", "fr"],
    "nap_elements": ["b", "e"],
    "support_types": ["technical-assistance"],
    "biography": "Mining engineer; trained 300 miners in mercury-free gold concentration.",
    "consent_to_publication": "on",
}


def test_a_registered_person_nominates_themself_as_an_expert(signed_in):
    kofi = make_user("kofi@mining.example.gh")
    client = signed_in(kofi)
    form = _text(client.get("/catalogue/experts/nominate/"))
    assert 'value="kofi@mining.example.gh"' in form
    assert "I agree to be listed publicly in the MercuryHub catalogue" in form

    response = client.post("/catalogue/experts/nominate/", NOMINATION, follow=True)

    expert = Expert.objects.get(name="Kofi Mensah")
    assert (expert.user, expert.organization, expert.review_state, expert.published) == (
        kofi,
        None,
        "draft",
        False,
    )
    assert expert.consent_to_publication is True
    page = _text(response)
    assert "“Kofi Mensah” is saved as a draft" in page
    assert "Kofi Mensah" in page.split("Drafts")[1]


def test_a_nomination_needs_consent_to_publication(signed_in):
    client = signed_in(make_user("kofi@mining.example.gh"))
    nomination = {k: v for k, v in NOMINATION.items() if k != "consent_to_publication"}
    page = _text(client.post("/catalogue/experts/nominate/", nomination))
    assert (
        "I agree to be listed publicly in the MercuryHub catalogue: This field is required." in page
    )
    assert not Expert.objects.exists()


def test_an_editor_nominating_themself_is_linked_to_their_organization(
    signed_in, owner, organization
):
    response = signed_in(owner).post(
        "/catalogue/experts/nominate/",
        {**NOMINATION, "organization": "batrec-industrie-ag", "submit_for_review": "1"},
    )
    assert response.status_code == 302
    expert = Expert.objects.get()
    assert (expert.user, expert.organization, expert.review_state) == (
        owner,
        organization,
        "submitted",
    )


def test_a_member_who_works_for_an_organization_asks_its_editors(
    signed_in, owner, member, organization, django_capture_on_commit_callbacks
):
    client = signed_in(member)
    form = _text(client.get("/catalogue/experts/nominate/"))
    assert '<option value="batrec-industrie-ag">Batrec Industrie AG</option>' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/catalogue/experts/nominate/",
            {**NOMINATION, "organization": "batrec-industrie-ag"},
            follow=True,
        )
    assert "We asked the editors of Batrec Industrie AG to confirm" in _text(response)
    expert = Expert.objects.get()
    assert (expert.user, expert.organization) == (member, None)
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert "Kofi Mensah asks to be listed as an expert of Batrec Industrie AG" in (
        mail.outbox[0].subject
    )
    assert member.email in mail.outbox[0].body


def test_an_expert_asks_an_organization_they_do_not_belong_to(
    signed_in, owner, outsider, organization, django_capture_on_commit_callbacks
):
    client = signed_in(outsider)
    client.post("/catalogue/experts/nominate/", NOMINATION)
    expert = Expert.objects.get()
    page = _text(client.get("/catalogue/experts/nominate/"))
    assert "Ask to be linked to an organization" in page
    request = page.split('id="link-request"')[1]
    assert "Batrec Industrie AG" in request and "Elsewhere Recycling" not in request

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/catalogue/experts/nominate/",
            {
                "form": "link",
                "link-expert": str(expert.pk),
                "link-organization": "batrec-industrie-ag",
                "link-message": "I advise your Wimmis plant on amalgam recovery.",
            },
            follow=True,
        )
    assert "We e-mailed the editors of Batrec Industrie AG" in _text(response)
    assert mail.outbox[0].to == [owner.email]
    assert "I advise your Wimmis plant on amalgam recovery." in mail.outbox[0].body
    assert outsider.email in mail.outbox[0].body
    expert.refresh_from_db()
    assert expert.organization is None  # linking is the editors' decision

    link = re.search(
        r"http://127\.0\.0\.1:8000(/catalogue/experts/\d+/link/[\w-]+/)", mail.outbox[0].body
    )
    assert link, mail.outbox[0].body
    assert signed_in(outsider).post(link.group(1)).status_code == 404  # not an editor of Batrec
    editor = signed_in(owner)
    assert "Link the expert" in _text(editor.get(link.group(1)))
    response = editor.post(link.group(1), follow=True)
    assert "is now linked to Batrec Industrie AG" in _text(response)
    expert.refresh_from_db()
    assert expert.organization == organization
    assert expert.version == 2  # the link is a new version of the profile


# Uploading a spreadsheet ----------------------------------------------------------------------

HEADER = "external_id,name,operator,country,city,accepted_wastes,status\n"


def _csv(*rows: str, name="facilities.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, (HEADER + "\n".join(rows) + "\n").encode(), "text/csv")


def _check(client, upload, kind="facility"):
    return client.post("/catalogue/upload/", {"kind": kind, "file": upload})


def test_a_dry_run_lists_each_problem_by_row_and_saves_nothing(signed_in, owner, organization):
    page = _text(
        _check(
            signed_in(owner),
            _csv(
                "bat-1,Batrec lamps,batrec-industrie-ag,CHE,Wimmis,lamps,operating",
                "bat-2,Batrec pills,batrec-industrie-ag,CHE,Wimmis,pills,operating",
                "els-1,Elsewhere plant,Elsewhere Recycling,FRA,Lyon,lamps,operating",
            ),
        )
    )
    assert "Problems in “<bdi>facilities.csv</bdi>”" in page
    assert "2 problems found. Nothing has been saved" in page
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td><td>([^<]+)</td></tr>", page)
    assert [(row, column) for row, column, _ in rows] == [
        ("3", "accepted_wastes"),
        ("4", "operator"),
    ]
    assert "Unknown code &#x27;pills&#x27;" in rows[0][2]
    assert "You are not an editor of &#x27;Elsewhere Recycling&#x27;" in rows[1][2]
    assert "Submit the entries for review" not in page
    assert not Facility.objects.exists()


def test_a_confirmed_upload_arrives_as_submitted_entries_never_published(
    client, signed_in, owner, organization
):
    editor = signed_in(owner)
    page = _text(
        _check(
            editor,
            _csv(
                "bat-1,Batrec lamps,batrec-industrie-ag,CHE,Wimmis,lamps,operating",
                'bat-2,Batrec cells,Batrec Industrie AG,CHE,Wimmis,"batteries;lamps",planned',
            ),
        )
    )
    assert "“<bdi>facilities.csv</bdi>” is ready to submit" in page
    assert "2 rows checked: 2 new entries, 0 changed entries, 0 rows without changes." in page
    assert not Facility.objects.exists()
    token = re.search(r'name="upload" value="([^"]+)"', page).group(1)

    response = editor.post("/catalogue/upload/", {"upload": token}, follow=True)

    assert "2 new entries and 0 changed entries are submitted for review" in _text(response)
    facilities = Facility.objects.order_by("external_id")
    assert [(f.external_id, f.review_state, f.published) for f in facilities] == [
        ("bat-1", "submitted", False),
        ("bat-2", "submitted", False),
    ]
    assert ReviewDecision.objects.filter(action="submitted").count() == 2
    client.logout()
    assert client.get(facilities[0].get_absolute_url()).status_code == 404


def test_an_upload_changes_a_published_entry_only_through_review(
    signed_in, owner, organization, reviewer
):
    facility = _published(owner, reviewer, external_id="bat-1")
    editor = signed_in(owner)
    page = _text(
        _check(editor, _csv("bat-1,Batrec tubeworks,batrec-industrie-ag,CHE,Wimmis,lamps,"))
    )
    assert "0 new entries, 1 changed entries" in page
    token = re.search(r'name="upload" value="([^"]+)"', page).group(1)
    editor.post("/catalogue/upload/", {"upload": token})
    facility.refresh_from_db()
    assert (facility.name, facility.review_state, facility.published) == (
        "Batrec lamp line",
        "submitted",
        True,
    )
    assert (facility.version, facility.published_version) == (2, 1)


def test_an_upload_cannot_touch_an_entry_of_another_organization(
    signed_in, owner, outsider, organization, reviewer
):
    _published(owner, reviewer, external_id="bat-1")
    page = _text(
        _check(
            signed_in(outsider),
            _csv("bat-1,Taken over,Elsewhere Recycling,FRA,Lyon,lamps,operating"),
        )
    )
    assert "&#x27;bat-1&#x27; is already used by an entry you cannot edit" in page
    assert Facility.objects.get().name == "Batrec lamp line"


def test_a_json_upload_names_its_items(signed_in, owner, organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        b'[{"external_id": "bat-1", "name": "Batrec lamps", "operator": "batrec-industrie-ag",'
    )
    content += b' "country": "XXX", "accepted_wastes": ["lamps"]}]'
    page = _text(_check(signed_in(owner), SimpleUploadedFile("rows.json", content)))
    assert "<tr><td>item 1</td><td>country</td>" in page


def test_only_editors_and_the_secretariat_upload(signed_in, member, reviewer):
    assert signed_in(member).get("/catalogue/upload/").status_code == 403
    assert signed_in(member).post("/catalogue/upload/", {"upload": "x"}).status_code == 403
    page = _text(signed_in(reviewer).get("/catalogue/upload/"))
    assert "Upload a spreadsheet of entries" in page and 'type="file"' in page


def test_an_altered_or_foreign_upload_is_refused(signed_in, owner, outsider, organization):
    editor = signed_in(owner)
    page = _text(
        _check(editor, _csv("bat-1,Batrec lamps,batrec-industrie-ag,CHE,Wimmis,lamps,operating"))
    )
    token = re.search(r'name="upload" value="([^"]+)"', page).group(1)
    response = editor.post("/catalogue/upload/", {"upload": token[:-2] + "xx"})
    assert response.status_code == 400
    assert "expired or was altered; please upload it again" in _text(response)
    response = signed_in(outsider).post("/catalogue/upload/", {"upload": token})
    assert response.status_code == 400
    assert not Facility.objects.exists()


def test_a_file_too_large_or_of_another_format_is_refused(signed_in, owner, organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = signed_in(owner)
    row = "bat-{},Batrec lamps,batrec-industrie-ag,CHE,Wimmis,lamps,operating"
    large = _csv(*(row.format(number) for number in range(40_000)))
    assert large.size > 2 * 1024 * 1024
    page = _text(_check(editor, large))
    assert "This file is too large for the web upload (the limit is 2 MB)" in page
    page = _text(_check(editor, SimpleUploadedFile("rows.ods", b"x")))
    assert "Upload a .csv, .xlsx or .json file; this one is “rows.ods”." in page
