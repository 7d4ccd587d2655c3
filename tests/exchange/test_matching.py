"""The matching engine ranks every kind for a need, with reasons in words, deterministically,
weighted by one configuration."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mercuryhub.accounts.models import Organization
from mercuryhub.exchange.matching import top_matches
from mercuryhub.exchange.profiles import profile_from_data
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library.models import Resource
from mercuryhub.taxonomy.models import Term

pytestmark = pytest.mark.django_db


def _label(code):
    return Term.objects.get(vocabulary__name="waste_categories", code=code).localized_label


def _matches(**need):
    return top_matches(profile_from_data(need), limit=20)


def _by_entity(matches):
    return {(m.type, m.id): m for m in matches}


def test_a_need_about_lamps_finds_what_accepts_lamps_and_what_covers_their_parent(world):
    found = _by_entity(_matches(waste_categories=["lamps"]))
    tema = found[("facility", world["tema"].pk)]
    assert f"accepts {_label('lamps')}" in tema.reasons
    guide = found[("resource", world["products_guide"].pk)]
    assert f"about {_label('containing')}, which includes {_label('lamps')}" in guide.reasons
    # The exact subject scores above the broader one; nothing on amalgam; nothing closed.
    assert tema.score > guide.score
    assert ("facility", world["kumasi"].pk) not in found
    assert ("facility", world["closed"].pk) not in found


def test_a_need_about_the_parent_finds_the_narrower_subjects(world):
    found = _by_entity(_matches(waste_categories=["containing"]))
    guide = found[("resource", world["products_guide"].pk)]
    tema = found[("facility", world["tema"].pk)]
    assert f"accepts {_label('lamps')}" in tema.reasons
    assert guide.score > tema.score  # the same subject scores above a narrower one


def test_geography_languages_and_validation_give_points_and_say_so(world):
    matches = _matches(waste_categories=["lamps"], country="GHA", languages=["fr"])
    found = _by_entity(matches)
    assert matches[0].type == "facility" and matches[0].id == world["tema"].pk
    assert "in Ghana" in found[("facility", world["tema"].pk)].reasons
    expert = found[("expert", world["expert"].pk)]
    assert "same region: Western Africa" in expert.reasons
    assert "speaks French" in expert.reasons
    assert "in French" in found[("resource", world["lamp_guide"].pk)].reasons
    wimmis = found[("facility", world["wimmis"].pk)]
    assert "validated 2026-03" in wimmis.reasons
    assert not any("Ghana" in reason for reason in wimmis.reasons)  # 5,000 km away


def test_distance_from_the_need_country_counts_for_facilities(world):
    wimmis = _by_entity(_matches(waste_categories=["lamps"], country="FRA"))[
        ("facility", world["wimmis"].pk)
    ]
    assert "same region: Western Europe" in wimmis.reasons
    assert any(
        r.startswith("about ") and r.endswith("km from the centre of France")
        for r in wimmis.reasons
    )


def test_the_words_of_the_need_find_what_mentions_them(world):
    matches = _matches(
        title="Amalgam separators for our dental clinics",
        description="We need help to install separators.",
        country="GHA",
    )
    assert {(m.type, m.id) for m in matches[:2]} == {
        ("offering", world["separators"].pk),  # serves Ghana, installs separators
        ("facility", world["kumasi"].pk),  # in Ghana, collects separator sludge from clinics
    }
    offering = _by_entity(matches)[("offering", world["separators"].pk)]
    assert "serves Ghana" in offering.reasons
    assert "mentions Amalgam, installation, Installs, separators" in offering.reasons
    # "need" and "help" say nothing of the subject: never a reason.
    assert not any("need" in reason or "help" in reason for m in matches for reason in m.reasons)


def test_reasons_are_in_the_readers_language(world):
    with translation.override("fr"):
        tema = _by_entity(_matches(waste_categories=["lamps"], country="GHA"))[
            ("facility", world["tema"].pk)
        ]
        assert f"accepte : {_label('lamps')}" in tema.reasons
        assert "pays : Ghana" in tema.reasons


def test_results_are_deterministic_and_ties_follow_kind_then_id(world):
    first = [(m.type, m.id, m.score, m.reasons) for m in _matches(waste_categories=["lamps"])]
    again = [(m.type, m.id, m.score, m.reasons) for m in _matches(waste_categories=["lamps"])]
    assert first == again
    scores = [score for _t, _i, score, _r in first]
    assert scores == sorted(scores, reverse=True)


def test_the_weights_live_in_one_configuration(world, settings):
    need = {"waste_categories": ["lamps"], "country": "CHE"}
    assert (_matches(**need)[0].type, _matches(**need)[0].id) == ("facility", world["wimmis"].pk)
    settings.MATCHING_WEIGHTS = {
        "same_country": 0,
        "same_subregion": 0,
        "same_region": 0,
        "distance": 0,
        "validated": 0,
        "recent": 0,
        "language": 0,
    }
    top = _matches(**need)[0]
    assert top.score == pytest.approx(3.0)
    settings.MATCHING_WEIGHTS = {"nearness": 2}
    with pytest.raises(ValueError, match="nearness"):
        _matches(**need)


def test_a_need_with_only_a_country_finds_what_is_there(world):
    found = _by_entity(_matches(country="GHA"))
    assert {("facility", world["tema"].pk), ("facility", world["kumasi"].pk)} <= set(found)
    assert ("facility", world["wimmis"].pk) not in found


def test_a_countrys_resources_are_found_through_its_organizations(world, organization):
    # Most resources name no organization. Those of a country's organizations are looked up
    # through the organizations, not found by reading every resource (at a million resources,
    # a third of a second for each need).
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's statistics count missing values as one value; PostgreSQL's apart")
    guidance = Term.objects.get(vocabulary__name="resource_kinds", code="guidance")
    Resource.objects.bulk_create(
        Resource(name=f"Guide {n}", kind=guidance, published=True) for n in range(3000)
    )
    theirs = Resource.objects.create(
        name="Batrec's guide", kind=guidance, published=True, organization=organization
    )
    for n in range(20):  # other organizations of the country, without resources
        Organization.objects.create(
            name=f"Swiss partner {n}",
            slug=f"swiss-partner-{n}",
            stakeholder_type=organization.stakeholder_type,
            country=organization.country,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as ran:
        found = _by_entity(_matches(country=organization.country_id))
    assert ("resource", theirs.pk) in found
    (statement,) = [
        query["sql"]
        for query in ran.captured_queries
        if 'FROM "library_resource" INNER JOIN "accounts_organization"' in query["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}")
        plan = [row[-1] for row in cursor.fetchall()]
    # Searched by a key, or read through the index of the resources that name an organization.
    reads = [step for step in plan if "library_resource" in step]
    assert reads, plan
    assert all(s.startswith("SEARCH") or "INDEX resource_organization" in s for s in reads), plan


def test_a_need_names_its_bad_fields_and_must_say_something():
    with pytest.raises(InvalidInputError) as raised:
        profile_from_data({"country": "XXX", "waste_categories": ["lamp"], "languages": ["zz"]})
    assert set(raised.value.errors) == {"country", "waste_categories", "languages"}
    assert "lamp" in raised.value.errors["waste_categories"]
    with pytest.raises(InvalidInputError) as raised:
        profile_from_data({"title": "  "})
    assert "Say something about the need" in raised.value.errors["need"]
