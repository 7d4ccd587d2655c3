"""Library fixtures: uploads kept in a folder of the test's own; resources and case studies
saved directly; a small library and catalogue published through the review layer, with a draft
beside each published entry (what the wheel and the factsheets count and list)."""

import pytest

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.library.fields import clean_case_study, clean_resource
from mercuryhub.review import actions as review_actions
from tests.library.criteria import validate


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, so that a test can count them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def make_resource(**data):
    return do_save_entry("resource", clean_resource(data), review_state="imported", published=True)


@pytest.fixture
def resources(db):
    return {
        "guide": make_resource(
            name="Guidance on mercury waste inventories",
            kind="guidance",
            url="https://example.org/inventory",
            description="How to count mercury waste streams in a country.",
            year=2019,
            languages="en;fr",
            audiences="policymakers",
            waste_categories="lamps",
        ),
        "training": make_resource(
            name="Safe handling course for health-care workers",
            kind="training",
            url="https://example.org/course",
            year=2022,
            languages="es",
            audiences="health-workers",
        ),
        "video": make_resource(
            name="Retorts in artisanal mining",
            kind="video",
            url="https://video.example.org/retorts",
            year=2021,
            languages="fr",
            audiences="miners",
            transcript="The miner heats the amalgam under a cover called a zorbatrap retort.",
        ),
    }


@pytest.fixture
def case_study(db):
    return do_save_entry(
        "case_study",
        clean_case_study(
            {
                "name": "Thermometer exchange in Montevideo hospitals",
                "country": "URY",
                "year": 2018,
                "languages": "es",
                "audiences": "health-workers",
            }
        ),
        review_state="imported",
        published=True,
    )


def publish(kind, owner, reviewer, data):
    entry = review_actions.do_create_draft(kind, owner, data)
    entry = review_actions.do_submit_entry(kind, owner, entry)
    return validate(kind, reviewer, entry)


@pytest.fixture
def tagged_world(owner, reviewer, organization):
    """Published: a guide on lamps (NAP element e, treatment), a case study on dental amalgam
    (element h), a lamp facility and a service for thermometers, an expert on element e.
    Drafts: a guide and a facility with the same tags, never counted."""
    resource = {"organization": "batrec-industrie-ag", "kind": "guidance"}
    world = {
        "guide": publish(
            "resource",
            owner,
            reviewer,
            {
                **resource,
                "name": "Guide to recycling fluorescent lamps",
                "url": "https://example.org/lamps",
                "waste_categories": ["lamps"],
                "phases": ["treatment"],
                "nap_elements": ["e"],
            },
        ),
        "case": publish(
            "case_study",
            owner,
            reviewer,
            {
                "organization": "batrec-industrie-ag",
                "name": "Amalgam separators in Montevideo clinics",
                "country": "URY",
                "waste_categories": ["dental-amalgam"],
                "phases": ["collection"],
                "nap_elements": ["h"],
            },
        ),
        "facility": publish(
            "facility",
            owner,
            reviewer,
            {
                "name": "Batrec lamp line",
                "operator": "batrec-industrie-ag",
                "country": "CHE",
                "city": "Wimmis",
                "latitude": 46.68,
                "longitude": 7.64,
                "status": "operating",
                "accepted_wastes": ["lamps"],
                "phases": ["treatment", "storage"],
                "technologies": ["lamp-processing"],
            },
        ),
        "offering": publish(
            "offering",
            owner,
            reviewer,
            {
                "name": "Thermometer take-back service",
                "provider": "batrec-industrie-ag",
                "kind": "service",
                "waste_categories": ["measuring-devices"],
                "phases": ["collection"],
                "technologies": ["thermal-recovery"],
            },
        ),
        "expert": publish(
            "expert",
            owner,
            reviewer,
            {
                "name": "Kofi Mensah",
                "organization": "batrec-industrie-ag",
                "email": "kofi@mining.example.gh",
                "country": "GHA",
                "consent_to_publication": True,
                "nap_elements": ["e"],
                "waste_categories": ["asgm-tailings"],
            },
        ),
    }
    world["draft guide"] = review_actions.do_create_draft(
        "resource",
        owner,
        {
            **resource,
            "name": "Secret draft on lamps",
            "url": "https://example.org/draft",
            "waste_categories": ["lamps"],
            "phases": ["treatment"],
            "nap_elements": ["e"],
        },
    )
    world["draft facility"] = review_actions.do_create_draft(
        "facility",
        owner,
        {
            "name": "Secret draft plant",
            "operator": "batrec-industrie-ag",
            "country": "CHE",
            "latitude": 47.0,
            "longitude": 8.0,
            "status": "operating",
            "accepted_wastes": ["lamps"],
            "phases": ["treatment"],
        },
    )
    return world
