"""An inventory team (the editor of Ghana's Environmental Protection Agency) and the example
factor set of ``data/`` (made up for the tests: the platform ships no factor it cannot cite)."""

from pathlib import Path

import pytest

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.inventory import actions
from mercuryhub.inventory.reference import do_load_factor_sets
from tests.conftest import make_user

DATA = Path(__file__).parent / "data"
AGENCY = "environmental-protection-agency-of-ghana"


@pytest.fixture
def example_factors(db):
    return do_load_factor_sets(DATA / "example_sets.csv", DATA / "example_factors.csv")


@pytest.fixture
def team_lead(db):
    """Editor of Ghana's EPA: drafts and submits Ghana's inventory."""
    return make_user("ama.inventory@epa.example")


@pytest.fixture
def agency(team_lead):
    return do_create_organization(
        team_lead,
        {
            "name": "Environmental Protection Agency of Ghana",
            "stakeholder_type": "government",
            "country": "GHA",
        },
    )


def cfl_line(**changes) -> dict:
    """2,000,000 compact fluorescent lamps with a national factor of 5–15 mg each."""
    return {
        "category": "lamps-compact-fluorescent",
        "activity": "2000000",
        "activity_unit": "item",
        "input_low": "5",
        "input_high": "15",
        "input_unit": "mg/item",
        "distribution": {"air": "0.05", "general_waste": "0.95"},
        "justification": "Survey of the lamp importers, 2023",
        **changes,
    }


def battery_line(**changes) -> dict:
    """500 kg of mercury oxide batteries on the example set's 320 kg/t."""
    return {
        "category": "batteries-mercury-oxide",
        "activity": "500",
        "activity_unit": "kg",
        "factor_set": "example-set",
        **changes,
    }


def thermometer_line(**changes) -> dict:
    """150 thousand medical thermometers with a national 0.5–1.5 g each."""
    return {
        "category": "thermometers-medical",
        "activity": "150",
        "activity_unit": "1000 items",
        "input_low": "0.5",
        "input_high": "1.5",
        "input_unit": "g/item",
        "distribution": {"air": "0.1", "water": "0.3", "general_waste": "0.6"},
        "justification": "Ministry of Health procurement records, 2024",
        **changes,
    }


def content(**changes) -> dict:
    return {
        "name": "Mercury waste inventory of Ghana, 2024",
        "country": "GHA",
        "organization": AGENCY,
        "year": 2024,
        "population": 30000000,
        "lines": [cfl_line(), battery_line(), thermometer_line()],
        **changes,
    }


@pytest.fixture
def inventory(team_lead, agency, example_factors):
    return actions.do_create_inventory(team_lead, content())


def published_years(owner, reviewer, *, country: str, organization: str) -> list:
    """Two published inventories of a country, 2023 and 2024, on national factors only (no
    factor set needs loading): for the pages' browser tests."""
    from mercuryhub.review import actions as review

    found = []
    for year, lamps in ((2023, "1500000"), (2024, "2000000")):
        data = content(
            name=f"Inventory {country} {year}",
            country=country,
            organization=organization,
            year=year,
            lines=[cfl_line(activity=lamps), thermometer_line()],
        )
        inventory = review.do_submit_entry(
            "inventory", owner, actions.do_create_inventory(owner, data)
        )
        found.append(review.do_validate_entry("inventory", reviewer, inventory))
    return found
