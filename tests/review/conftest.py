"""The review layer is exercised on the catalogue's kinds, with the catalogue's fixtures."""

import datetime

import pytest

from tests.catalogue.conftest import expert, facilities, offering, people  # noqa: F401


@pytest.fixture(autouse=True)
def _batrec_leads_wg1(request):
    """Workplans and review reports are drafted by the organizations of a working group's
    leaders: wherever Batrec is, its editor leads WG1."""
    if "organization" not in request.fixturenames:
        return
    from mercuryhub.partnership.models import Leadership
    from tests.partnership.work import working_groups

    organization, owner = request.getfixturevalue("organization"), request.getfixturevalue("owner")
    Leadership.objects.create(
        group=working_groups()["wg1"],
        person=owner,
        organization=organization,
        started_on=datetime.date(2025, 1, 1),
    )
