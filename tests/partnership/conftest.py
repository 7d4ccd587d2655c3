"""The Partnership's working groups as `serve` loads them, and a second partner organization
whose editor leads groups."""

import pytest

from mercuryhub.accounts.actions import do_create_organization, do_update_organization
from mercuryhub.partnership.group_reference import do_load_working_groups
from mercuryhub.partnership.models import WorkingGroup
from tests.conftest import make_user


@pytest.fixture
def working_groups(db):
    do_load_working_groups()
    return {group.code: group for group in WorkingGroup.objects.select_related("term")}


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
