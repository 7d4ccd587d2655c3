"""Alerts: partners subscribe to new needs that fit their work and get an e-mail digest."""

import pytest
from django.core import mail
from django.core.management import call_command

from mercuryhub.exchange.models import Need, NeedAlert
from mercuryhub.review import actions
from tests.conftest import make_user
from tests.exchange.conftest import make_facility

pytestmark = pytest.mark.django_db


def _need(owner, name, country="GHA", waste="lamps", **extra):
    data = {
        "name": name,
        "description": "Described.",
        "country": country,
        "waste_categories": [waste],
        "funding_status": "funded",
        "organization": "batrec-industrie-ag",
        **extra,
    }
    draft = actions.do_create_draft("need", owner, data)
    return Need.objects.get(pk=actions.do_submit_entry("need", owner, draft).pk)


def test_a_first_alert_is_suggested_from_the_organizations_entries(client, outsider):
    make_facility("Elsewhere lamp plant", "FRA", 48.8, 2.3, "lamps", operator="Elsewhere Recycling")
    client.force_login(outsider)
    page = client.get("/exchange/alerts/").content.decode()
    assert 'value="lamps" checked' in page
    assert 'value="Western Europe" checked' in page
    assert "Suggested from your organization" in page


def test_only_partners_subscribe(client):
    client.force_login(make_user("rene.registered@example.org"))
    assert client.get("/exchange/alerts/").status_code == 403
    assert client.post("/exchange/alerts/", {"phases": ["collection"]}).status_code == 403
    assert not NeedAlert.objects.exists()


def test_new_needs_that_fit_are_e_mailed_once(client, owner, organization, outsider):
    client.force_login(outsider)
    response = client.post(
        "/exchange/alerts/", {"waste_categories": ["containing"], "regions": ["Africa"]}
    )
    assert response.status_code == 302
    bad = client.post("/exchange/alerts/", {"regions": ["Atlantis"]})
    assert bad.status_code == 400 and "Atlantis" in bad.content.decode()
    alert = NeedAlert.objects.get(user=outsider)
    assert [t.code for t in alert.waste_categories.all()] == ["containing"]

    fits = _need(owner, "Lamps from schools in Accra")  # lamps: narrower than containing
    _need(owner, "Lamps in Lyon", country="FRA")  # not in Africa
    _need(owner, "Tailings in Kumasi", waste="asgm-tailings")  # another category
    call_command("send_need_alerts", verbosity=0)
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert fits.name in mail.outbox[0].body
    assert "Lyon" not in mail.outbox[0].body and "Tailings" not in mail.outbox[0].body
    assert f"/exchange/needs/{fits.pk}/" in mail.outbox[0].body

    mail.outbox.clear()
    call_command("send_need_alerts", verbosity=0)
    assert mail.outbox == []  # nothing new since

    client.post("/exchange/alerts/", {"stop": "1"})
    assert not NeedAlert.objects.filter(user=outsider).exists()
