"""A small world of published entities for the matching engine: facilities in Switzerland and
Ghana, an expert in Senegal who speaks French, an offering, resources on lamps and on their
parent category, a partner organization."""

from datetime import UTC, datetime

import pytest

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_expert, clean_facility, clean_offering
from mercuryhub.catalogue.models import Facility
from mercuryhub.library.fields import clean_resource
from tests.forms.conftest import (  # noqa: F401 - a field-data project with the needs questionnaire
    _no_java_by_default,
    collector,
    needs_form,
    project,
)


def _published(kind, clean, data):
    return do_save_entry(kind, clean(data), review_state="imported", published=True)


def make_facility(name, country, lat, lon, wastes, **extra):
    return _published(
        "facility",
        clean_facility,
        {
            "name": name,
            "operator": f"{name} operator",
            "country": country,
            "latitude": lat,
            "longitude": lon,
            "status": "operating",
            "accepted_wastes": wastes,
            **extra,
        },
    )


@pytest.fixture
def world(db):
    found = {
        "wimmis": make_facility("Batrec Wimmis plant", "CHE", 46.68, 7.64, "lamps;batteries"),
        "tema": make_facility("Tema lamp depot", "GHA", 5.67, -0.02, "lamps"),
        "kumasi": make_facility(
            "Kumasi dental collection point",
            "GHA",
            6.69,
            -1.62,
            "dental-amalgam",
            description="Collects amalgam capsules and separator sludge from clinics.",
        ),
        "closed": make_facility(
            "Old lamp plant", "GHA", 5.6, -0.2, "lamps", status=Facility.Status.CLOSED
        ),
        "expert": _published(
            "expert",
            clean_expert,
            {
                "name": "Awa Diop",
                "email": "awa.diop@example.sn",
                "country": "SEN",
                "languages": "fr;wo",
                "waste_categories": "lamps",
                "support_types": "technical-assistance",
                "consent_to_publication": "yes",
                "biography": "Advises municipalities on collecting spent fluorescent lamps.",
            },
        ),
        "separators": _published(
            "offering",
            clean_offering,
            {
                "name": "Amalgam separator installation",
                "provider": "Clinic Systems",
                "provider_country": "ZAF",
                "kind": "service",
                "waste_categories": "dental-amalgam",
                "countries_served": "GHA;NGA",
                "languages": "en",
                "description": "Installs and services amalgam separators in dental clinics.",
            },
        ),
        "products_guide": _published(
            "resource",
            clean_resource,
            {
                "name": "Managing waste mercury-added products",
                "kind": "guidance",
                "url": "https://example.org/products",
                "waste_categories": ["containing"],
                "languages": ["en"],
            },
        ),
        "lamp_guide": _published(
            "resource",
            clean_resource,
            {
                "name": "Collecting fluorescent lamps in municipalities",
                "kind": "guidance",
                "url": "https://example.org/lamps",
                "waste_categories": ["lamps"],
                "phases": ["collection"],
                "languages": ["fr"],
            },
        ),
    }
    validated = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    type(found["wimmis"]).objects.filter(pk=found["wimmis"].pk).update(validated_at=validated)
    found["wimmis"].refresh_from_db()
    return found
