"""Needs posted through the review layer's actions, as people post them: an example, the helper
that posts it, and the people of moderation (a newcomer, an established author)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mercuryhub.review import actions as review_actions
from tests.catalogue.conftest import people  # noqa: F401 - the personas, by name
from tests.conftest import make_user

LAMPS = {
    "name": "Treatment of 2 tonnes of fluorescent lamps",
    "description": "Our ministry collected fluorescent tubes from schools and needs a treatment "
    "route that recovers the mercury.",
    "country": "GHA",
    "waste_categories": ["lamps"],
    "phases": ["treatment"],
    "support_types": ["technical-assistance"],
    "languages": ["en", "fr"],
    # A year ahead: a need is posted for a date still to come.
    "needed_by": (timezone.localdate() + timedelta(days=365)).isoformat(),
    "funding_status": "seeking-funding",
}


def post_need(user, **changes):
    """A need drafted and submitted by ``user``: published at once or waiting for review."""
    need = review_actions.do_create_draft("need", user, {**LAMPS, **changes})
    return review_actions.do_submit_entry("need", user, need)


@pytest.fixture
def newcomer(db):
    """A person who just signed up: no organization, no need validated yet."""
    return make_user("nana.newcomer@health.example.gh")


@pytest.fixture
def established(newcomer, reviewer):
    """A person whose first public need the secretariat validated."""
    first = post_need(newcomer, name="Storage of broken thermometers")
    review_actions.do_validate_entry("need", reviewer, first)
    return newcomer
