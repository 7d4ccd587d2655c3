"""A country's national overview, from the worked example's sites: totals with ranges, by
area, by practice, data quality, filters; and coordinates rounded for the public."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from mercuryhub.asgm import queries
from mercuryhub.asgm.models import Site
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_totals_add_the_sites_with_ranges_and_say_what_is_reported(sites):
    totals = queries.overview(sites)["totals"]

    assert (
        totals["sites"],
        totals["total_miners"],
        totals["total_women"],
        totals["total_children"],
    ) == (
        3,
        1050,
        120,
        15,
    )
    assert totals["gold_kg"] == Decimal(3)
    assert (
        totals["mercury_low_kg"],
        totals["mercury_typical_kg"],
        totals["mercury_high_kg"],
    ) == (66, 84, 204)
    assert totals["mercury_reported_kg"] == 54
    assert (totals["sites_reported"], totals["sites_estimated"], totals["sites_unknown"]) == (
        1,
        1,
        1,
    )
    assert (totals["sites_open_burning"], totals["sites_residential_burning"]) == (1, 1)
    assert (totals["missing_gold"], totals["missing_miners"], totals["missing_practice"]) == (
        2,
        1,
        0,
    )


def test_areas_come_with_the_largest_mercury_use_first(sites):
    areas = queries.overview(sites)["by_area"]

    assert [(a["admin_area"], a["sites"], a["mercury_typical_kg"]) for a in areas] == [
        ("Kalehe", 1, 54),
        ("Mwenga", 2, 30),
    ]


def test_filters_narrow_every_figure(sites):
    by_area = queries.overview(sites, queries.OverviewFilters(admin_area="Mwenga"))
    burning = queries.overview(sites, queries.OverviewFilters(worst_practice="open-burning"))
    later = queries.overview(
        sites, queries.OverviewFilters(since=timezone.localdate() + timedelta(days=1))
    )

    assert by_area["totals"]["sites"] == 2
    assert burning["totals"]["sites"] == 1 and burning["totals"]["mercury_high_kg"] == 150
    assert later["totals"]["sites"] == 0 and later["totals"]["total_miners"] == 0
    practices = {row["practice"]: row["sites"] for row in queries.overview(sites)["by_practice"]}
    assert practices == {
        "whole-ore-amalgamation": 1,
        "concentrate-amalgamation": 1,
        "mercury-free": 1,
    }


def test_the_public_sees_coordinates_rounded_and_the_project_s_people_exact(sites, reviewer):
    site = Site.objects.get(code="A")
    outsider = make_user("outsider@example.org")

    public = queries.shown_location(site, queries.projects_with_exact_locations(AnonymousUser()))
    other = queries.shown_location(site, queries.projects_with_exact_locations(outsider))
    member = queries.shown_location(site, queries.projects_with_exact_locations(reviewer))

    assert public == other == (-3.1, 28.2, False)
    assert member == (-3.0617, 28.1833, True)
    site.project.publishes_exact_locations = True
    site.project.save()
    assert queries.shown_location(site, set()) == (-3.0617, 28.1833, True)
