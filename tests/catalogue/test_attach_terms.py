"""Tags read for many entries at once (``taxonomy.queries.attach_terms``: search hits, the map's
list, indexing): the same terms in the same order as ``prefetch_related`` gives, the terms kept
by the process, and no statement per entry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mercuryhub.catalogue.models import Facility
from mercuryhub.taxonomy.actions import do_mark_reference_changed
from mercuryhub.taxonomy.models import Term, Vocabulary
from mercuryhub.taxonomy.queries import attach_terms, term_fields
from tests.catalogue.conftest import FACILITIES, make_facility

pytestmark = pytest.mark.django_db

TAGS = ["accepted_wastes", "technologies", "phases"]


@pytest.fixture
def facilities():
    made = [make_facility(*row) for row in FACILITIES]
    # Several wastes on one facility, given in the reverse of their order.
    wastes = list(Term.objects.filter(vocabulary__name="waste_categories").order_by("-position"))
    made[0].accepted_wastes.set(wastes[:4])
    return made


def _as_prefetched(names):
    return {
        facility.pk: {name: [term.pk for term in getattr(facility, name).all()] for name in names}
        for facility in Facility.objects.prefetch_related(*names).order_by("pk")
    }


def _as_attached(names):
    entries = attach_terms(list(Facility.objects.order_by("pk")), names)
    return {
        entry.pk: {name: [term.pk for term in getattr(entry, name).all()] for name in names}
        for entry in entries
    }


def test_the_same_terms_in_the_same_order_as_prefetch_related(facilities):
    expected = _as_prefetched(TAGS)
    assert any(len(tags["accepted_wastes"]) >= 4 for tags in expected.values())
    assert _as_attached(TAGS) == expected


def test_the_terms_are_kept_and_no_statement_is_made_per_entry(facilities):
    entries = list(Facility.objects.order_by("pk"))
    assert len(entries) >= 5
    do_mark_reference_changed()  # as any change to the reference data does
    with CaptureQueriesContext(connection) as first:
        attach_terms(entries, TAGS)
    with CaptureQueriesContext(connection) as statements:
        attach_terms(entries, TAGS)
        shown = [[term.code for term in entry.accepted_wastes.all()] for entry in entries]
    # The links of every relation in one statement and the reference data's change mark; the
    # terms once after the reference data changed, then kept.
    assert len(first.captured_queries) == 3
    assert len(statements.captured_queries) == 2
    assert all(shown)
    first = {id(term) for entry in entries for term in entry.accepted_wastes.all()}
    linked = {term.pk for entry in entries for term in entry.accepted_wastes.all()}
    assert len(first) == len(linked)  # one object per term, shared between the entries


def test_terms_of_several_vocabularies_in_one_relation_keep_the_vocabularies_order(facilities):
    """Each tag relation names terms of one vocabulary; should one hold several (written around
    the checks), they still come in Term's own order: vocabulary first."""
    vocabularies = list(
        Vocabulary.objects.filter(name__in=["waste_categories", "management_phases"])
    )
    earlier, later = vocabularies  # in the vocabularies' own order
    last_of_earlier = Term.objects.filter(vocabulary=earlier).order_by("-position").first()
    first_of_later = Term.objects.filter(vocabulary=later).order_by("position").first()
    # By position alone the later vocabulary's term would come first.
    assert first_of_later.position < last_of_earlier.position
    facility = facilities[1]
    facility.accepted_wastes.set([first_of_later, last_of_earlier])
    expected = _as_prefetched(["accepted_wastes"])
    assert expected[facility.pk]["accepted_wastes"] == [last_of_earlier.pk, first_of_later.pk]
    assert _as_attached(["accepted_wastes"]) == expected


def test_term_fields_names_only_the_relations_to_terms():
    assert term_fields(Facility, ["accepted_wastes", "languages", "offerings", "name"]) == [
        "accepted_wastes"
    ]


def test_an_entrys_attached_terms_narrow_to_its_own_as_its_relation_does(facilities):
    """The attached query is the relation's own: narrowing it (``.filter()``) reads the
    database for that entry's terms only, as ``entry.<relation>.filter()`` would."""
    first, second = attach_terms(list(Facility.objects.order_by("pk")[:2]), TAGS)
    own = [term.code for term in first.accepted_wastes.all()]
    others = {term.code for term in second.accepted_wastes.all()} - set(own)
    assert own and others

    for code in [*own, *others]:
        narrowed = [term.code for term in first.accepted_wastes.filter(code=code)]
        assert narrowed == ([code] if code in own else [])
    fresh = Facility.objects.get(pk=first.pk)
    assert str(first.accepted_wastes.all().filter(code="x").query) == str(
        fresh.accepted_wastes.filter(code="x").query
    )
    assert first.accepted_wastes.all()._hints == {"instance": first}


@pytest.mark.parametrize("parameters", [1, 2, 3, 7])
def test_links_read_in_several_statements_give_the_same_terms(facilities, monkeypatch, parameters):
    """With few parameters per statement the links of many entries are read a few entries and
    a few relations at a time (as an import's indexing reads them): the same terms."""
    from mercuryhub.taxonomy import queries

    monkeypatch.setattr(queries, "_LINK_PARAMETERS", parameters)
    expected = _as_prefetched(TAGS)
    with CaptureQueriesContext(connection) as statements:
        attached = _as_attached(TAGS)
    assert attached == expected
    read = [q["sql"] for q in statements.captured_queries]
    assert len([sql for sql in read if " IN (" in sql]) > 1  # the links, in parts
