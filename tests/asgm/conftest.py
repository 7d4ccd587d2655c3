"""A baseline project with the built-in ASGM form published, and approved submissions made the
way field teams make them (tests/forms/conftest.py's project and instances)."""

import pytest
from django.core.management import call_command

from mercuryhub.forms import actions
from tests.forms.conftest import (  # noqa: F401 - fixtures
    KAMITUGA,
    _no_java_by_default,
    baseline,
    builtin,
    fill,
    project,
)

# What places and names a site; the rest of Kamituga's answers are left to each test.
IDENTITY = ("site_name", "site_code", "location", "region", "country", "deposit_type")


@pytest.fixture
def ratios(db):
    """The shipped mercury-to-gold ratios."""
    call_command("load_mercury_ratios", verbosity=0)


def site_answers(**answers) -> dict:
    """A baseline's answers: a site in South Kivu unless told otherwise."""
    return {**{name: KAMITUGA[name] for name in IDENTITY}, **answers}


@pytest.fixture
def approve(baseline, reviewer):  # noqa: F811 - the fixture above
    """Receive a baseline submission with these answers and approve it; the submission."""

    def approve(**answers):
        xml = fill(baseline.current_version.xml, site_answers(**answers))
        submission, _created = actions.do_receive_submission(baseline.project, xml, user=reviewer)
        return actions.do_review_submission(reviewer, submission, "approved")

    return approve
