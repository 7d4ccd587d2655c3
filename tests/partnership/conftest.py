"""Fixtures of the Partnership's tests: the working groups (rows for the taxonomy's
``working_groups`` terms, as the groups' loader makes them) and a group led by the owner's
organization."""

import datetime

import pytest

from mercuryhub.partnership.models import Leadership, WorkingGroup
from mercuryhub.taxonomy.models import Term


@pytest.fixture
def working_groups(db):
    terms = Term.objects.filter(vocabulary__name="working_groups").order_by("code")
    return {
        term.code: WorkingGroup.objects.get_or_create(term=term, defaults={"position": number})[0]
        for number, term in enumerate(terms)
    }


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
