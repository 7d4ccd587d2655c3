"""New entries are written in batches (an import, and each new entry of a form or the API): the
records must be exactly those Django and simple-history make when each entry is saved and its
relations set one by one, so that history, versions and search see one kind of entry."""

import csv
from importlib import resources

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from mercuryhub.accounts.actions import do_find_or_create_organization
from mercuryhub.accounts.models import Organization
from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.spreadsheets import importing
from mercuryhub.review import registry
from mercuryhub.review.actions import do_write_entry_row
from mercuryhub.review.indexing import do_index_entries
from mercuryhub.review.models import EntryVersion, ReviewState
from mercuryhub.search.models import SearchEntry
from mercuryhub.taxonomy.models import Country

pytestmark = pytest.mark.django_db

SHIPPED = resources.files("mercuryhub.catalogue") / "data" / "facilities.csv"
_NOT_COMPARED = {"id", "created_at", "updated_at", "history_id", "history_date"}


def _file(tmp_path):
    """The shipped facilities, with languages added to some rows, and two rows naming the
    same new operator."""
    with resources.as_file(SHIPPED) as path, open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    header = [*rows[0], "languages"]
    body = [[*row, "en;fr" if number % 3 == 0 else ""] for number, row in enumerate(rows[1:])]
    operator = header.index("operator")
    body[1][operator] = body[2][operator] = "Atelier Mercure Nouveau SARL"
    target = tmp_path / "facilities.csv"
    with open(target, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, *body])
    return target


def _fields(record, skip=()):
    return {
        field.attname: getattr(record, field.attname)
        for field in record._meta.concrete_fields
        if field.attname not in _NOT_COMPARED | set(skip)
    }


def _records() -> dict:
    """Everything an import writes, by external_id and organization name, without ids and times."""
    operator_names = dict(Organization.objects.values_list("pk", "name"))
    facilities = {}
    for facility in Facility.objects.order_by("external_id"):
        own = _fields(facility, skip={"operator_id"})
        own["operator"] = operator_names[facility.operator_id]
        tags = {
            name: sorted(str(item.pk) for item in getattr(facility, name).all())
            for name in ("accepted_wastes", "phases", "technologies", "languages")
        }
        history = []
        for record in Facility.history.filter(id=facility.pk).order_by("history_id"):
            held = {
                field.name: sorted(
                    str(getattr(row, f"{field.m2m_reverse_field_name()}_id"))
                    for row in HistoricalRecords.m2m_models[field].objects.filter(history=record)
                )
                for field in Facility.history.model._history_m2m_fields
            }
            history.append((record.history_type, _fields(record, skip={"operator_id"}), held))
        search = SearchEntry.objects.filter(kind="facility", object_id=facility.pk)
        facilities[facility.external_id] = {
            "own": own,
            "tags": tags,
            "history": history,
            "search": [(e.title, e.tags, e.body, e.attachment) for e in search],
        }
    organizations = {
        organization.name: (
            _fields(organization, skip={"logo"}),
            sorted(Organization.history.filter(id=organization.pk).values_list("history_type")),
        )
        for organization in Organization.objects.all()
    }
    return {
        "facilities": facilities,
        "organizations": organizations,
        "versions": EntryVersion.objects.count(),
    }


def _row_by_row(path) -> None:
    """The file imported as Django and simple-history record an entry saved, then each of its
    relations set, one entry after the other (what every new entry was written with before the
    batches: ``.save()``, then ``.set()`` per relation, each sending its signals)."""
    layout, report, table = importing._open("facility", path, None, False)
    planned = importing._plan(layout, table, report, lambda done: None)
    assert report.ok
    for step in planned:
        assert step.existing is None
        values = dict(step.clean.values)
        if step.clean.operator_name and values.get("operator") is None:
            values["operator"] = do_find_or_create_organization(
                step.clean.operator_name,
                country=step.clean.operator_country or values.get("country"),
                stakeholder_type=step.clean.operator_type,
                user=None,
            )
        entry = do_write_entry_row(
            Facility(),
            values,
            review_state=ReviewState.IMPORTED,
            published=True,
            last_confirmed_at=step.confirmed_on,
        )
        for name, related in step.clean.relations.items():
            getattr(entry, name).set(related)
        do_index_entries(registry.get("facility"), [entry])


def test_a_batched_import_writes_the_same_records_as_saving_row_by_row(tmp_path):
    path = _file(tmp_path)
    before = transaction.savepoint()
    _row_by_row(path)
    expected = _records()
    transaction.savepoint_rollback(before)
    assert Facility.objects.count() == 0

    report = importing.import_entries("facility", path)

    assert report.ok and report.created == len(expected["facilities"]) == 44
    assert _records() == expected
    sample = expected["facilities"]["batrec-wimmis"]
    # created, then its waste categories, phases, technologies and languages set
    assert [kind for kind, _own, _held in sample["history"]] == ["+", "~", "~", "~", "~"]
    assert sample["search"] and sample["tags"]["accepted_wastes"]


def test_a_bad_row_among_thousands_writes_nothing_and_names_its_row_and_column(tmp_path):
    path = _file(tmp_path)
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    header, first = rows[0], rows[1]
    body = []
    for number in range(2500):
        row = list(first)
        row[header.index("external_id")] = f"generated-{number}"
        body.append(row)
    body[2400][header.index("accepted_wastes")] = "no-such-waste"
    with open(path, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, *body])

    report = importing.import_entries("facility", path)

    assert [(p.row, p.column) for p in report.problems] == [(2402, "accepted_wastes")]
    assert "no-such-waste" in report.problems[0].message
    assert Facility.objects.count() == 0 and SearchEntry.objects.count() == 0


def test_an_import_reads_the_countries_once_whatever_the_number_it_names(tmp_path):
    path = _file(tmp_path)
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    named = {row[rows[0].index("country")] for row in rows[1:]}
    assert len(named) > 20
    country_table = Country._meta.db_table

    with CaptureQueriesContext(connection) as queries:
        report = importing.import_entries("facility", path)

    assert report.ok and report.created == 44
    read = [q["sql"] for q in queries if f'FROM "{country_table}"' in q["sql"]]
    assert len(read) == 1, read


def test_search_documents_read_the_shared_terms_as_they_read_each_entrys_own(tmp_path):
    """Indexing many entries reads each tag's term once and shares it between the entries: the
    documents are those built from each entry's own relations, terms in the same order."""
    from mercuryhub.review import registry
    from mercuryhub.review.indexing import entries_to_index

    report = importing.import_entries("facility", _file(tmp_path))
    assert report.ok, report.listing()
    kind = registry.get("facility")
    context = kind.search_context()
    plain = Facility.objects.order_by("pk").prefetch_related(*kind.prefetch_related)
    shared = entries_to_index(kind, Facility.objects.order_by("pk"))
    assert [kind.search_document(e, context) for e in shared] == [
        kind.search_document(e, context) for e in plain
    ]
    assert any(len(e.accepted_wastes.all()) > 1 for e in shared)  # an order to keep
    lamps = [t for e in shared for t in e.accepted_wastes.all() if t.code == "lamps"]
    assert len(lamps) > 1 and all(term is lamps[0] for term in lamps)


def test_every_kinds_search_documents_read_only_what_they_need(expert):
    """``entries_to_index`` reads what each kind's documents need (kept terms and countries
    included): the documents of the starter data, every kind, are those built from entries with
    every relation the kind's pages read."""
    import io

    from mercuryhub.core.starter import load_starter_data
    from mercuryhub.review.indexing import entries_to_index

    load_starter_data(io.StringIO(), verbosity=0)
    compared = []
    for kind in registry.kinds():
        context = kind.search_context()
        every = kind.model.objects.order_by("pk")
        read = entries_to_index(kind, every)
        plain = every.select_related(*kind.select_related).prefetch_related(*kind.prefetch_related)
        documents = [kind.search_document(entry, context) for entry in read]
        assert documents == [kind.search_document(entry, context) for entry in plain], kind.name
        if documents:
            compared.append(kind.name)
    assert {"facility", "offering", "expert"} <= set(compared), compared
