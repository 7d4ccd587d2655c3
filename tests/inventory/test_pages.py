"""The inventory pages as a team uses them: start an inventory, add lines (a bad unit named
beside its field, nothing saved), read the results, submit; the public reads the validated
version."""

import re

from mercuryhub.inventory.models import Inventory
from mercuryhub.review import actions as review
from tests.conftest import PASSWORD
from tests.inventory.conftest import AGENCY


def _signed_in(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _line_form(**changes) -> dict:
    return {
        "base_version": "1",
        "category": "thermometers-medical",
        "activity": "150",
        "activity_unit": "1000 items",
        "input_low": "0.5",
        "input_high": "1.5",
        "input_unit": "g/item",
        "share_air": "0.1",
        "share_water": "0.3",
        "share_general_waste": "0.6",
        "justification": "Ministry of Health procurement records, 2024",
        **changes,
    }


def test_a_team_starts_an_inventory_adds_lines_and_submits_it(
    client, team_lead, agency, example_factors, reviewer
):
    client = _signed_in(client, team_lead)
    response = client.post(
        "/inventory/new/",
        {
            "name": "Mercury waste inventory of Ghana, 2024",
            "country": "GHA",
            "year": "2024",
            "organization": AGENCY,
            "population": "30000000",
            "content_language": "en",
        },
    )
    inventory = Inventory.objects.get()
    assert response.status_code == 302 and response.url == f"/inventory/{inventory.pk}/edit/"

    refused = client.post(f"/inventory/{inventory.pk}/lines/new/", _line_form(activity_unit="t"))
    assert refused.status_code == 200
    assert "is counted as a number of items: &#x27;t&#x27; is not a unit of it" in refused.text
    assert Inventory.objects.get().version == 1  # nothing saved

    saved = client.post(f"/inventory/{inventory.pk}/lines/new/", _line_form())
    assert saved.status_code == 302
    battery = {
        "base_version": "2",
        "category": "batteries-mercury-oxide",
        "activity": "500",
        "activity_unit": "kg",
        "factor_set": "example-set",
    }
    assert client.post(f"/inventory/{inventory.pk}/lines/new/", battery).status_code == 302

    page = client.get(f"/inventory/{inventory.pk}/edit/").text
    # 75–225 kg from the thermometers, 160 kg from the batteries: 235–385 kg in all.
    assert re.search(r"235–385", page)
    assert "example-set" in page and "national factor" in page

    assert client.post(f"/inventory/{inventory.pk}/submit/").status_code == 302
    inventory = Inventory.objects.get()
    assert inventory.review_state == "submitted"
    review.do_validate_entry("inventory", reviewer, inventory)

    client.logout()
    public = client.get(f"/inventory/{inventory.pk}/")
    assert public.status_code == 200
    assert "235–385" in public.text
    assert "Medical thermometers" in public.text


def test_a_stale_line_form_is_refused_and_the_team_is_told(client, team_lead, inventory):
    client = _signed_in(client, team_lead)
    response = client.post(
        f"/inventory/{inventory.pk}/lines/1/", _line_form(base_version="0"), follow=True
    )
    assert "your change was not saved" in response.text
    assert Inventory.objects.get().version == inventory.version


def test_the_pages_speak_the_readers_language(client, team_lead, inventory, reviewer):
    inventory = review.do_validate_entry(
        "inventory", reviewer, review.do_submit_entry("inventory", team_lead, inventory)
    )
    page = client.get(f"/fr/inventory/{inventory.pk}/").text
    assert "Thermomètres médicaux" in page and "Déchets généraux" in page
    page = client.get(f"/ar/inventory/{inventory.pk}/").text
    assert 'dir="rtl"' in page and "موازين الحرارة الطبية" in page


def test_quantities_are_shown_with_four_significant_figures_at_most():
    from decimal import Decimal

    from mercuryhub.inventory.calculation import Range
    from mercuryhub.inventory.templatetags.inventory_tags import kg, kg_range

    assert kg(Decimal("10.000000")) == "10"
    assert kg(Decimal("198.5")) == "198.5"
    assert kg(Decimal("1234.5")) == "1,235"
    assert kg(Decimal("0.0000250")) == "0.000025"
    assert kg_range(Range(Decimal("245"), Decimal("415"))) == '<bdi dir="ltr">245–415</bdi>'
    assert kg_range(Range(Decimal("160"), Decimal("160"))) == '<bdi dir="ltr">160</bdi>'
