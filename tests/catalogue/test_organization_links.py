"""An offering's page links the facilities its provider operates, and a facility's page links
the offerings of its operator."""

import pytest

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def batrec_service(facilities):
    data = {
        "external_id": "batrec-stabilisation",
        "name": "Batrec mercury treatment and stabilisation",
        "provider": "Batrec Industrie AG",
        "kind": "service",
        "waste_categories": "batteries",
    }
    return do_save_entry("offering", clean_offering(data), review_state="imported", published=True)


def test_an_offering_page_links_the_facilities_its_provider_operates(client, batrec_service):
    page = client.get(batrec_service.get_absolute_url()).content.decode()

    section = page.split("Facilities operated by <bdi>Batrec Industrie AG</bdi>")[1]
    assert '<a href="/catalogue/facilities/' in section
    assert "Batrec Wimmis plant" in section
    assert "MAYASA" not in section


def test_a_facility_page_links_the_offerings_of_its_operator(client, facilities, batrec_service):
    page = client.get(facilities["batrec"].get_absolute_url()).content.decode()

    section = page.split("Technologies and services of <bdi>Batrec Industrie AG</bdi>")[1]
    assert f'<a href="{batrec_service.get_absolute_url()}" dir="auto">' in section
    assert "Batrec mercury treatment and stabilisation" in section


def test_an_unpublished_offering_is_not_linked(client, facilities, batrec_service):
    batrec_service.published = False
    batrec_service.save()

    page = client.get(facilities["batrec"].get_absolute_url()).content.decode()

    assert "Technologies and services of Batrec Industrie AG" not in page


def test_a_provider_named_with_other_punctuation_is_the_same_organization(facilities):
    data = {"name": "Distillation", "provider": "Batrec Industrie AG.", "kind": "technology"}

    offering = do_save_entry("offering", clean_offering(data))

    assert offering.provider == facilities["batrec"].operator
