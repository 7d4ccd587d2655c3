"""A baseline project with the built-in ASGM form published, and approved submissions made the
way field teams make them (tests/forms/conftest.py's project and instances)."""

import pytest
from django.core.management import call_command

from mercuryhub.accounts.models import User
from mercuryhub.forms import actions
from mercuryhub.forms.models import Project
from mercuryhub.taxonomy.models import Country
from tests.conftest import make_user
from tests.forms.conftest import (  # noqa: F401 - fixtures
    KAMITUGA,
    _no_java_by_default,
    baseline,
    builtin,
    collector,
    fill,
    project,
    viewer,
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


# The worked example: three sites of South Kivu, one estimated (whole ore, burned in the open and
# in homes), one reported, one mercury-free with nothing known of gold.
WORKED_EXAMPLE = [
    {  # estimated 3 kg of gold a year x 4 / 10 / 50 = 12 / 30 / 150 kg of mercury a year
        "site_code": "A",
        "site_name": "Mobale",
        "admin_area": "Mwenga",
        "processing_methods": "amalgamation",
        "amalgamation": "whole_ore",
        "burning_place": "open_air homes",
        "gold_g_per_month": "250",
        "miners": "850",
        "women": "120",
        "children": "15",
    },
    {  # reported 4.5 kg a month = 54 kg a year
        "site_code": "B",
        "site_name": "Kalimbi",
        "location": "-2.10 28.80 0 0",
        "admin_area": "Kalehe",
        "processing_methods": "amalgamation",
        "amalgamation": "concentrate",
        "retort_use": "never",
        "mercury_kg_per_month": "4.5",
        "miners": "200",
    },
    {  # mercury-free, nothing known of gold: no estimate
        "site_code": "C",
        "site_name": "Lugushwa",
        "location": "-3.30 27.90 0 0",
        "admin_area": "Mwenga",
        "processing_methods": "gravity",
    },
]


@pytest.fixture
def sites(ratios, approve):
    """The worked example's sites; their country."""
    for answers in WORKED_EXAMPLE:
        approve(**answers)
    return Country.objects.get(iso3="COD")


def record_sites(reviewer, answers_of_each_site) -> None:
    """Outside the fixtures (a live server's database): the shipped ratios, a baseline project
    and an approved submission for each site's answers."""
    call_command("load_mercury_ratios", verbosity=0)
    survey = actions.do_create_project(reviewer, "Kamituga ASGM baseline", slug="kamituga")
    form = actions.do_publish_xlsform(
        reviewer, survey, "asgm_site_baseline.xlsx", builtin("asgm_site_baseline")
    ).form
    for answers in answers_of_each_site:
        xml = fill(form.current_version.xml, site_answers(**answers))
        submission, _created = actions.do_receive_submission(survey, xml, user=reviewer)
        actions.do_review_submission(reviewer, submission, "approved")


_AREAS = [  # South Kivu's territories, with a point in each
    ("Mwenga", -3.06, 28.18),
    ("Kalehe", -2.10, 28.80),
    ("Shabunda", -2.70, 27.34),
    ("Fizi", -4.30, 28.94),
    ("Walungu", -2.63, 28.67),
]
_PRACTICES = [
    {
        "processing_methods": "amalgamation",
        "amalgamation": "whole_ore",
        "burning_place": "open_air",
    },
    {"processing_methods": "gravity amalgamation", "amalgamation": "concentrate"},
    {
        "processing_methods": "gravity amalgamation",
        "amalgamation": "concentrate",
        "retort_use": "always",
        "burning_place": "fume_hood",
    },
    {"processing_methods": "amalgamation", "amalgamation": "concentrate", "burning_place": "homes"},
    {"processing_methods": "gravity cyanidation", "cyanidation_of_mercury_tailings": "yes"},
]


def spread_sites(count: int) -> list[dict]:
    """``count`` sites over five territories of South Kivu, a few hundred metres apart within
    each (so that the map clusters them), their practices, people and production varied in a
    fixed pattern; every seventh reports its mercury use, every ninth gives no gold figure."""
    found = []
    for number in range(count):
        area, latitude, longitude = _AREAS[number % len(_AREAS)]
        step = number // len(_AREAS)
        point = (latitude + 0.004 * (step % 4), longitude + 0.004 * (step // 4))
        answers = {
            "site_code": f"SK-{number + 1:03d}",
            "site_name": f"{area} {step + 1}",
            "location": f"{point[0]:.4f} {point[1]:.4f} 0 0",
            "admin_area": area,
            "miners": str(40 + (number * 37) % 500),
            "women": str((number * 13) % 90),
            "children": str(number % 6),
            **_PRACTICES[number % len(_PRACTICES)],
        }
        if number % 9 != 4:
            answers["gold_g_per_month"] = str(50 + (number * 29) % 400)
        if number % 7 == 3:
            answers["mercury_kg_per_month"] = str(1 + number % 5)
        found.append(answers)
    return found


# Who sees which coordinates: Mobale (site A) is at -3.0617, 28.1833, which the public sees
# rounded to 0.1°. The project's people and the secretariat see it exact.
MOBALE_EXACT = (-3.0617, 28.1833)
MOBALE_ROUNDED = (-3.1, 28.2)


@pytest.fixture
def secretariat(db):
    """A reviewer of the secretariat who is no member of the baseline project."""
    return make_user("sam.secretariat@unep.example", User.Role.REVIEWER)


@pytest.fixture
def published_locations(sites):
    """The worked example's project decides to publish its sites' exact locations."""
    Project.objects.filter(slug="kamituga").update(publishes_exact_locations=True)
