"""Fixtures of the Partnership's tests: the working groups (rows for the taxonomy's
``working_groups`` terms, as the groups' loader makes them) and a group led by the owner's
organization."""

import datetime

import pytest

from mercuryhub.partnership.models import Leadership
from tests.partnership.work import working_groups as make_working_groups


@pytest.fixture
def working_groups(db):
    return make_working_groups()


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
