"""The annual update: opening a campaign, the e-mails to editors, the reconfirm page, the
campaign's dashboard, and leaving unconfirmed entries out of a search."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from smtplib import SMTPRecipientsRefused

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends import locmem
from django.utils import timezone

from mercuryhub.accounts.actions import do_set_membership
from mercuryhub.accounts.models import Membership, QueuedEmail
from mercuryhub.catalogue.models import Expert
from mercuryhub.catalogue.queries import Filters, search
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions as review_actions
from mercuryhub.review import registry
from mercuryhub.review.campaigns import campaign_progress, do_close_campaign, do_open_campaign
from mercuryhub.review.models import ReviewDecision, UpdateCampaign
from tests.catalogue.conftest import FACILITIES, make_facility
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SITE = "https://mercuryhub.example"
CAMPAIGN_FORM = {
    "name": "Annual update",
    "year": "",  # this year, filled in by _form()
    "deadline": "",
    "message": "Please check the capacity and the accepted wastes.",
}


def _form(**changes) -> dict:
    today = timezone.localdate()
    return {
        **CAMPAIGN_FORM,
        "name": f"Annual update {today.year}",
        "year": str(today.year),
        "deadline": (today + timedelta(days=60)).isoformat(),
        **changes,
    }


def _open(user, **changes):
    today = timezone.localdate()
    values = {
        "name": f"Annual update {today.year}",
        "year": today.year,
        "deadline": today + timedelta(days=60),
        "message": "Please check the capacity.",
        **changes,
    }
    return do_open_campaign(user, **values)


class _Tables(HTMLParser):
    """The text of each row of each table with an id, as the person reading the page sees it."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _table(page: str, table_id: str) -> list[list[str]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables[table_id]


def _text(page: str) -> str:
    page = re.sub(r"</?bdi[^>]*>", "", page)  # isolated names are read as part of the sentence
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


@pytest.fixture
def catalogue(organization, facilities, offering, expert, owner, administrator, settings):
    """Five facilities, an offering and a self-nominated expert. The owner edits Batrec (their
    organization, created first) and econ; Erin edits econ; Ana answers for her own expert
    entry; MAYASA, Reciclaje Oriental, Residuos Brasil and MRT System have nobody to write to."""
    settings.SITE_URL = SITE
    econ = facilities["econ"].operator
    do_set_membership(administrator, econ, owner, Membership.Role.EDITOR)
    erin = make_user("erin.editor@econ.example")
    do_set_membership(administrator, econ, erin, Membership.Role.EDITOR)
    ana = make_user("ana.pereira@example.org")
    Expert.objects.filter(pk=expert.pk).update(user=ana)
    expert.refresh_from_db()
    draft = review_actions.do_create_draft(
        "facility",
        owner,
        {
            "name": "Batrec lamp line (draft)",
            "operator": organization.slug,
            "country": "CHE",
            "status": "planned",
            "accepted_wastes": ["lamps"],
        },
    )
    return {
        **facilities,
        "offering": offering,
        "expert": expert,
        "draft": draft,
        "erin": erin,
        "ana": ana,
    }


# Opening a campaign -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "member", "outsider"])
def test_only_the_secretariat_opens_a_campaign(request, client, catalogue, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/review/campaigns/").status_code == 403
    assert client.post("/review/campaigns/", _form()).status_code == 403
    assert not UpdateCampaign.objects.exists()
    assert mail.outbox == []
    with pytest.raises(PermissionDenied):
        _open(request.getfixturevalue(persona))


def test_an_anonymous_visitor_is_asked_to_sign_in(client, catalogue):
    response = client.get("/review/campaigns/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/review/campaigns/"
    assert client.post("/review/campaigns/", _form()).status_code == 302
    assert not UpdateCampaign.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_a_reviewer_opens_a_campaign_from_the_form(
    request, client, catalogue, persona, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get("/review/campaigns/").content.decode()
    assert "No campaign has been opened yet." in page
    assert f'value="Annual update {timezone.localdate().year}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/review/campaigns/", _form(), follow=True)
    campaign = UpdateCampaign.objects.get()
    assert response.redirect_chain == [(f"/review/campaigns/{campaign.pk}/", 302)]
    page = _text(response.content.decode())
    assert f"“Annual update {timezone.localdate().year}” is open: 3 people are being e-mailed" in (
        page
    )
    dashboard = _text(client.get(f"/review/campaigns/{campaign.pk}/").content.decode())
    assert "3 of 3 people written to" in dashboard  # sent once the campaign was saved
    assert (campaign.opened_by, campaign.recipients, campaign.emails_sent) == (
        request.getfixturevalue(persona),
        3,
        3,
    )
    listing = _text(client.get("/review/campaigns/").content.decode())
    assert f"Annual update {timezone.localdate().year}" in listing and "Open" in listing


def test_each_editor_gets_one_mail_listing_their_entries_with_reconfirm_links(
    catalogue, owner, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _open(reviewer, deadline=date(timezone.localdate().year + 1, 3, 31))
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == [
        "ana.pereira@example.org",
        "erin.editor@econ.example",
        "owen.owner@batrec.example",
    ]
    batrec, econ = catalogue["batrec"], catalogue["econ"]
    to_owner = by_recipient["owen.owner@batrec.example"]
    assert to_owner.subject == (
        f"[MercuryHub] Annual update {timezone.localdate().year}: please confirm your entries "
        f"by 31 March {timezone.localdate().year + 1}"
    )
    assert "Please check the capacity." in to_owner.body
    assert "Please check your 2 entries by 31 March" in to_owner.body
    assert re.findall(r"https://\S+", to_owner.body) == [
        f"{SITE}/review/facility/{batrec.pk}/reconfirm/",
        f"{SITE}/review/facility/{econ.pk}/reconfirm/",
    ]
    assert "Batrec lamp line (draft)" not in to_owner.body  # not published: nothing to confirm
    assert re.findall(r"https://\S+", by_recipient["erin.editor@econ.example"].body) == [
        f"{SITE}/review/facility/{econ.pk}/reconfirm/"
    ]
    to_ana = by_recipient["ana.pereira@example.org"].body
    assert "Please check your entry by" in to_ana
    assert f"{SITE}/review/expert/{catalogue['expert'].pk}/reconfirm/" in to_ana
    assert UpdateCampaign.objects.get().emails_sent == 3


class RefusingOneAddressBackend(locmem.EmailBackend):
    """A mail server that refuses Erin's address, as SMTP servers sometimes do."""

    def send_messages(self, messages):
        if any("erin" in address for message in messages for address in message.to):
            raise SMTPRecipientsRefused({"erin.editor@econ.example": (550, b"No such user")})
        return super().send_messages(messages)


def test_a_refused_address_does_not_stop_the_other_mails(
    catalogue, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_DELIVERY_BACKEND = f"{__name__}.RefusingOneAddressBackend"
    with django_capture_on_commit_callbacks(execute=True):
        campaign = _open(reviewer)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana.pereira@example.org",
        "owen.owner@batrec.example",
    ]
    campaign.refresh_from_db()
    assert (campaign.recipients, campaign.emails_sent) == (3, 2)
    # Erin's waits in the outbox, to be sent again later.
    assert list(QueuedEmail.objects.values_list("recipients", flat=True)) == [
        ["erin.editor@econ.example"]
    ]


def test_the_mails_are_gathered_in_a_fixed_number_of_queries(
    catalogue, reviewer, administrator, django_assert_num_queries
):
    for number in range(20):
        editor = make_user(f"editor{number}@example.org")
        row = (f"extra-{number}", f"Plant {number}", f"Operator {number}", *FACILITIES[0][3:])
        facility = make_facility(*row)
        do_set_membership(administrator, facility.operator, editor, Membership.Role.EDITOR)
    # the year check, the queries for the mails (one per kind of entry, and two), the campaign
    # in a savepoint, and the savepoints of the test and of the action
    campaign_kinds = [kind for kind in registry.kinds() if kind.in_update_campaigns]
    with django_assert_num_queries(8 + len(campaign_kinds)):
        _open(reviewer)
    assert UpdateCampaign.objects.get().recipients == 23


def test_opening_a_second_campaign_the_same_year_is_refused(
    client, catalogue, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _open(reviewer)
    sent = len(mail.outbox)
    with pytest.raises(InvalidInputError) as error:
        _open(reviewer, name="Again")
    assert "already opened" in error.value.errors["year"]
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/review/campaigns/", _form(name="Again"))
    assert response.status_code == 400
    year = timezone.localdate().year
    assert f"The {year} update campaign was already opened on" in response.content.decode()
    assert "there is one campaign a year" in response.content.decode()
    assert UpdateCampaign.objects.count() == 1
    assert len(mail.outbox) == sent


def test_a_campaign_needs_a_name_this_or_next_year_and_a_deadline_ahead(catalogue, reviewer):
    today = timezone.localdate()
    with pytest.raises(InvalidInputError) as error:
        _open(reviewer, name=" ", year=today.year - 1, deadline=today)
    assert sorted(error.value.errors) == ["deadline", "name", "year"]
    assert error.value.errors["year"] == f"The year must be {today.year} or {today.year + 1}."
    assert not UpdateCampaign.objects.exists()


# Reconfirming an entry --------------------------------------------------------------------


def test_the_editor_sees_the_entry_and_reconfirms_it(client, catalogue, owner, reviewer):
    campaign = _open(reviewer)
    batrec = catalogue["batrec"]
    batrec.last_confirmed_at = date(2024, 3, 1)
    batrec.save()
    url = f"/review/facility/{batrec.pk}/reconfirm/"
    client.force_login(owner)
    page = _text(client.get(url).content.decode())
    assert "Is “Batrec Wimmis plant” still correct?" in page
    assert f"{campaign.name}: please confirm or correct this entry by" in page
    assert "Not confirmed since 1 March 2024" in page
    assert "Operator Batrec Industrie AG" in page
    assert "Accepted wastes Mercury batteries, Mercury lamps, Mercury measuring devices" in page
    assert "Still correct: reconfirm" in page
    assert f'href="/catalogue/facility/{batrec.pk}/edit/"' in client.get(url).content.decode()

    response = client.post(url, follow=True)
    assert response.redirect_chain == [(url, 302)]
    page = _text(response.content.decode())
    assert "Thank you: “Batrec Wimmis plant” is confirmed as of" in page
    assert "Confirmed today. Thank you." in page
    batrec.refresh_from_db()
    assert batrec.last_confirmed_at == timezone.localdate()
    decision = ReviewDecision.objects.get(object_id=batrec.pk, kind="facility")
    assert (decision.action, decision.made_by) == ("reconfirmed", owner)


def test_a_self_nominated_expert_reconfirms_their_own_entry(client, catalogue):
    expert = catalogue["expert"]
    client.force_login(catalogue["ana"])
    page = _text(client.get(f"/review/expert/{expert.pk}/reconfirm/").content.decode())
    assert "E-mail address (never shown publicly) ana.pereira@example.org" in page
    assert client.post(f"/review/expert/{expert.pk}/reconfirm/").status_code == 302
    expert.refresh_from_db()
    assert expert.last_confirmed_at == timezone.localdate()


@pytest.mark.parametrize("persona", ["member", "outsider", "reviewer"])
def test_others_cannot_reconfirm_an_entry(request, client, catalogue, persona):
    batrec = catalogue["batrec"]
    client.force_login(request.getfixturevalue(persona))
    url = f"/review/facility/{batrec.pk}/reconfirm/"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    batrec.refresh_from_db()
    assert batrec.last_confirmed_at is None


def test_an_anonymous_visitor_following_the_link_is_asked_to_sign_in(client, catalogue):
    url = f"/review/facility/{catalogue['batrec'].pk}/reconfirm/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert client.post(url).status_code == 302
    catalogue["batrec"].refresh_from_db()
    assert catalogue["batrec"].last_confirmed_at is None


def test_an_unknown_entry_or_kind_is_not_found(client, catalogue, owner):
    client.force_login(owner)
    assert client.get("/review/facility/999999/reconfirm/").status_code == 404
    assert client.get(f"/review/spaceship/{catalogue['batrec'].pk}/reconfirm/").status_code == 404


def test_a_draft_has_nothing_to_reconfirm_and_offers_the_edit_page(client, catalogue, owner):
    draft = catalogue["draft"]
    client.force_login(owner)
    url = f"/review/facility/{draft.pk}/reconfirm/"
    page = _text(client.get(url).content.decode())
    assert "This entry is not published yet, so there is nothing to reconfirm" in page
    assert "Still correct: reconfirm" not in page
    assert client.post(url).status_code == 409
    draft.refresh_from_db()
    assert draft.last_confirmed_at is None


# The dashboard ----------------------------------------------------------------------------


@pytest.fixture
def campaign_under_way(catalogue, owner, reviewer):
    """Before the campaign MAYASA was confirmed; during it Ana reconfirmed her entry, Erin's
    change to econ was validated, and the owner submitted a change to Batrec."""
    mayasa = catalogue["mayasa"]
    mayasa.last_confirmed_at = timezone.localdate() - timedelta(days=10)
    mayasa.save()
    campaign = _open(reviewer)
    review_actions.do_reconfirm_entry("expert", catalogue["ana"], catalogue["expert"])
    econ = catalogue["econ"]
    review_actions.do_edit_entry(
        "facility", catalogue["erin"], econ, {"capacity": "2,000 t/year"}, base_version=0
    )
    review_actions.do_submit_entry("facility", catalogue["erin"], econ)
    review_actions.do_validate_entry("facility", reviewer, econ)
    batrec = catalogue["batrec"]
    review_actions.do_edit_entry(
        "facility", owner, batrec, {"capacity": "5,000 t/year"}, base_version=0
    )
    review_actions.do_submit_entry("facility", owner, batrec)
    return campaign


def test_the_dashboard_counts_confirmed_entries_by_organization_and_country(
    client, campaign_under_way, reviewer, django_assert_max_num_queries
):
    client.force_login(reviewer)
    with django_assert_max_num_queries(16):
        response = client.get(f"/review/campaigns/{campaign_under_way.pk}/")
    page = response.content.decode()
    since = timezone.localdate().strftime("%-d %B %Y")
    assert f"29% — 2 of 7 published entries confirmed since {since}" in _text(page)
    assert 'aria-valuenow="29"' in page
    assert "1 more entry was changed by its editor and waits for review." in _text(page)
    assert _table(page, "organization-table") == [
        ["Organization", "Entries", "Confirmed", "%"],
        ["Batrec Industrie AG", "1", "0", "0%"],
        ["econ industries", "1", "1", "100%"],
        ["MAYASA No editor: nobody was e-mailed", "1", "0", "0%"],
        ["MRT System No editor: nobody was e-mailed", "1", "0", "0%"],
        ["Reciclaje Oriental No editor: nobody was e-mailed", "1", "0", "0%"],
        ["Residuos Brasil No editor: nobody was e-mailed", "1", "0", "0%"],
        ["Entries without an organization", "1", "1", "100%"],
    ]
    assert _table(page, "country-table") == [
        ["Country", "Entries", "Confirmed", "%"],
        ["Brazil", "1", "0", "0%"],
        ["Germany", "1", "1", "100%"],
        ["Spain", "1", "0", "0%"],
        ["Sweden", "1", "0", "0%"],
        ["Switzerland", "1", "0", "0%"],
        ["Uruguay", "2", "1", "50%"],
    ]
    assert '"labels": ["Germany", "Uruguay", "Brazil"' in page  # the chart, highest share first
    assert "vendor/chartjs/chart.umd.min.js" in page


@pytest.mark.parametrize("persona", ["owner", "member", "outsider"])
def test_only_the_secretariat_sees_the_dashboard(request, client, campaign_under_way, persona):
    client.force_login(request.getfixturevalue(persona))
    url = f"/review/campaigns/{campaign_under_way.pk}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "close"}).status_code == 403
    campaign_under_way.refresh_from_db()
    assert campaign_under_way.is_open


def test_closing_a_campaign_keeps_its_progress(client, campaign_under_way, reviewer):
    client.force_login(reviewer)
    url = f"/review/campaigns/{campaign_under_way.pk}/"
    response = client.post(url, {"action": "close"}, follow=True)
    page = _text(response.content.decode())
    assert "The campaign is closed." in page
    assert "When the campaign closed: 2 of 7 entries confirmed." in page
    assert "Close the campaign" not in page
    again = do_close_campaign(reviewer, campaign_under_way)
    assert again.closed_at == UpdateCampaign.objects.get().closed_at
    assert client.get("/review/campaigns/999999/").status_code == 404


# Leaving unconfirmed entries out ----------------------------------------------------------


def test_a_search_can_leave_out_entries_not_confirmed_within_a_year(client, catalogue):
    today = timezone.localdate()
    for key, days in (("batrec", 30), ("econ", 366), ("mayasa", 365)):
        catalogue[key].last_confirmed_at = today - timedelta(days=days)
        catalogue[key].save()
    found = search(AnonymousUser(), Filters(kinds=("facility",), confirmed=True, sort="name"))
    assert [hit.entry.name for hit in found.hits] == [
        "Batrec Wimmis plant",
        "MAYASA Almadén stabilization plant",
    ]
    page = client.get("/catalogue/search/", {"type": "facility", "confirmed": "1"}).content
    assert "Batrec Wimmis plant" in page.decode()
    assert "econ mobile vacuum thermal desorption" not in page.decode()
    assert (
        "Not confirmed since" in client.get(catalogue["econ"].get_absolute_url()).content.decode()
    )


def test_the_dashboard_orders_organizations_as_readers_do_whatever_their_accents(reviewer):
    rows = [
        ("ar-mdr", "Planta Márgenes", "Márgenes del Río S.A.", "ARG", "Rosario"),
        ("se-mrt", "MRT plant", "MRT System", "SWE", "Karlskrona"),
    ]
    for external_id, name, operator, country, city in rows:
        make_facility(
            external_id, name, operator, country, city, None, None, "operating", "lamps", "", ""
        )
    today = timezone.localdate()
    campaign = do_open_campaign(
        reviewer, name="Annual update", year=today.year, deadline=today + timedelta(days=30)
    )
    labels = [row.label for row in campaign_progress(campaign).organizations]
    assert labels == ["Márgenes del Río S.A.", "MRT System"]
