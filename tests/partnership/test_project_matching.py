"""The matching engine offers a need the projects that dealt with its wastes in its country or
whose words it uses, each with its reasons; an unrelated project is not offered."""

import pytest
from django.utils import translation

from mercuryhub.exchange.matching import top_matches
from mercuryhub.exchange.profiles import profile_from_data

pytestmark = pytest.mark.django_db


def _projects(**need) -> dict:
    with translation.override("en"):
        matches = top_matches(profile_from_data(need), limit=20, kinds=["project"])
    return {match.entity.name: match for match in matches}


def test_a_need_about_lamps_in_ghana_is_offered_the_lamp_project_with_reasons(projects):
    found = _projects(
        title="Spent fluorescent tubes from schools",
        country="GHA",
        waste_categories=["lamps"],
    )
    assert list(found) == ["Fluorescent lamp collection in Ghana"]
    reasons = found["Fluorescent lamp collection in Ghana"].reasons
    assert "project on Mercury lamps" in reasons
    assert "a project in Ghana" in reasons


def test_a_project_in_a_neighbouring_country_counts_as_same_region(projects):
    found = _projects(country="BOL", waste_categories=["asgm-tailings"])
    reasons = found["Mercury-free gold processing in Madre de Dios"].reasons
    assert "same region: South America" in reasons
    plain = _projects(country="JPN", waste_categories=["asgm-tailings"])
    assert plain["Mercury-free gold processing in Madre de Dios"].score < (
        found["Mercury-free gold processing in Madre de Dios"].score
    )


def test_the_words_of_a_need_find_a_project(projects):
    found = _projects(title="Retorts for artisanal miners", description="gravity concentration")
    assert "Mercury-free gold processing in Madre de Dios" in found
    assert "Fluorescent lamp collection in Ghana" not in found


def test_projects_rank_among_the_other_sources(projects):
    with translation.override("en"):
        matches = top_matches(profile_from_data({"waste_categories": ["asgm-tailings"]}))
    assert ("project", projects["asgm"].pk) in {(m.type, m.id) for m in matches}
    assert ("project", projects["lamps"].pk) not in {(m.type, m.id) for m in matches}
