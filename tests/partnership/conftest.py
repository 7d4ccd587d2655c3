"""Fixtures of the Partnership's tests: the working groups as ``serve`` loads them, a second
partner organization whose editor leads groups, and a group led by the owner's organization."""

import datetime

import pytest

from mercuryhub.accounts.actions import do_create_organization, do_update_organization
from mercuryhub.partnership.models import Leadership
from tests.conftest import make_user
from tests.partnership.work import working_groups as make_working_groups


@pytest.fixture
def working_groups(db):
    return make_working_groups()


@pytest.fixture
def ghana_editor(db):
    """Editor of a Ghanaian NGO that is a partner of the Global Mercury Partnership."""
    return make_user("akosua.editor@mercuryfree.example.gh")


@pytest.fixture
def ghana_partner(ghana_editor, reviewer):
    organization = do_create_organization(
        ghana_editor,
        {"name": "Mercury-Free Ghana", "stakeholder_type": "ngo", "country": "GHA"},
    )
    return do_update_organization(
        reviewer, organization, {"is_partner": True, "joined_partnership_on": "2019-11-20"}
    )


@pytest.fixture
def led_group(working_groups, owner, organization):
    """WG1, led by the owner for Batrec since 2025."""
    group = working_groups["wg1"]
    Leadership.objects.create(
        group=group,
        person=owner,
        organization=organization,
        started_on=datetime.date(2025, 1, 1),
    )
    return group
