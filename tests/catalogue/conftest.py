"""Catalogue entries built through the catalogue's own actions, with explicit field values."""

import pytest

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_expert, clean_facility, clean_offering
from tests.conftest import make_user

FACILITIES = [
    # external_id, name, operator, country, city, lat, lon, status, wastes, technologies
    (
        "batrec",
        "Batrec Wimmis plant",
        "Batrec Industrie AG",
        "CHE",
        "Wimmis",
        46.676,
        7.638,
        "operating",
        "batteries;lamps;measuring-devices",
        "thermal-recovery",
        "Recovers mercury from batteries, lamps and thermometers by distillation.",
    ),
    (
        "econ",
        "econ mobile vacuum thermal desorption",
        "econ industries",
        "DEU",
        "Starnberg",
        48.0,
        11.34,
        "operating",
        "chlor-alkali;contaminated-soil-sites",
        "thermal-recovery",
        "Mobile vacuum thermal treatment of chlor-alkali sludges and soils.",
    ),
    (
        "mayasa",
        "MAYASA Almadén stabilization plant",
        "MAYASA",
        "ESP",
        "Almadén",
        38.77,
        -4.84,
        "operating",
        "chlor-alkali;elemental-mercury",
        "stabilization-sulfide",
        "Stabilizes surplus mercury from chlor-alkali plants as cinnabar at a former mine.",
    ),
    (
        "montevideo",
        "Planta de lámparas Montevideo",
        "Reciclaje Oriental",
        "URY",
        "Montevideo",
        -34.9,
        -56.2,
        "planned",
        "lamps",
        "lamp-processing",
        "Trituración de lámparas fluorescentes con recuperación de mercurio.",
    ),
    (
        "santos",
        "Santos chlor-alkali residue landfill",
        "Residuos Brasil",
        "BRA",
        "Santos",
        -23.96,
        -46.33,
        "closed",
        "chlor-alkali",
        "",
        "Former landfill for brine purification sludge.",
    ),
]


def make_facility(
    external_id,
    name,
    operator,
    country,
    city,
    lat,
    lon,
    status,
    wastes,
    technologies,
    description,
    **extra,
):
    data = {
        "external_id": external_id,
        "name": name,
        "operator": operator,
        "country": country,
        "city": city,
        "latitude": lat,
        "longitude": lon,
        "status": status,
        "accepted_wastes": wastes,
        "technologies": technologies,
        "description": description,
        **extra,
    }
    return do_save_entry("facility", clean_facility(data), review_state="imported", published=True)


# Batrec's new line for lamps, as its editor enters it (a draft of a facility); placed on the map.
LAMP_LINE = {
    "name": "Batrec lamp line",
    "operator": "batrec-industrie-ag",
    "country": "CHE",
    "city": "Wimmis",
    "status": "operating",
    "accepted_wastes": ["lamps"],
    "description": "Crushes fluorescent tubes.",
}
LAMP_LINE_PLACED = {**LAMP_LINE, "latitude": 46.68, "longitude": 7.64}


@pytest.fixture
def facilities(db):
    return {row[0]: make_facility(*row) for row in FACILITIES}


@pytest.fixture
def expert(db):
    data = {
        "external_id": "expert-ana",
        "name": "Ana Pereira",
        "email": "ana.pereira@example.org",
        "country": "URY",
        "languages": "es;pt;en",
        "waste_categories": "lamps;measuring-devices",
        "support_types": "technical-assistance",
        "consent_to_publication": "yes",
        "biography": "Chemical engineer; advised hospitals on replacing mercury thermometers.",
    }
    return do_save_entry("expert", clean_expert(data), review_state="imported", published=True)


@pytest.fixture
def offering(db, facilities):
    data = {
        "external_id": "mrt-lamp",
        "name": "Lamp recycling system",
        "provider": "MRT System",
        "provider_country": "SWE",
        "kind": "equipment",
        "waste_categories": "lamps",
        "technologies": "lamp-processing",
        "regions_served": "Africa;Asia",
        "languages": "en;sv",
        "description": "Crushes and separates fluorescent tubes and CFL with mercury distillation.",
    }
    return do_save_entry("offering", clean_offering(data), review_state="imported", published=True)


@pytest.fixture
def people(owner, member, outsider, reviewer, administrator):
    return {
        "anonymous": None,
        "registered": make_user("rene.registered@example.org"),
        "member": member,
        "other_editor": outsider,
        "owner": owner,
        "reviewer": reviewer,
        "administrator": administrator,
    }
