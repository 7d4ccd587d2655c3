"""Reference records each process keeps between requests (``taxonomy.queries.kept``: the terms
and countries search hits show): a change to a term or a country, made by this process or by
another (a second gunicorn worker), is shown by the next request; a change rolled back is never
shown; a request reads the reference data's change mark once, whatever it shows."""

import json
import subprocess  # noqa: S404 - our own Python
import sys

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mercuryhub.taxonomy.actions import do_save_term
from mercuryhub.taxonomy.models import Country, ReferenceMark, Term
from mercuryhub.taxonomy.queries import all_countries, kept_terms
from tests import served


def _batteries() -> Term:
    return Term.objects.get(vocabulary__name="waste_categories", code="batteries")


def _search_page(client) -> str:
    response = client.get("/catalogue/search/", {"q": "Batrec"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_renamed_term_or_country_is_shown_by_the_next_request(client, facilities):
    page = _search_page(client)
    assert "Mercury batteries" in page and "Switzerland" in page
    term = _batteries()
    term.label = "Spent batteries and accumulators"
    do_save_term(term, ["label"])
    switzerland = Country.objects.get(iso3="CHE")
    switzerland.names = {**switzerland.names, "en": "Swiss Confederation"}
    switzerland.save()
    page = _search_page(client)
    assert "Spent batteries and accumulators" in page
    assert "Swiss Confederation" in page


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_is_not_kept(facilities):
    before = kept_terms().by_id[_batteries().pk].label
    with pytest.raises(RuntimeError), transaction.atomic():
        term = _batteries()
        term.label = "Never committed"
        term.save()
        # Read (and kept) inside the transaction that changed it...
        assert kept_terms().by_id[term.pk].label == "Never committed"
        raise RuntimeError("rolled back")
    # ... and not shown once it rolled back.
    assert kept_terms().by_id[_batteries().pk].label == before


@pytest.mark.django_db
def test_every_write_to_the_reference_data_gives_a_new_mark():
    marks = []

    def mark():
        marks.append(ReferenceMark.objects.get(pk=1).token)

    term = _batteries()
    term.save()
    mark()
    Country.objects.get(iso3="CHE").save()
    mark()
    Country.objects.filter(iso3="CHE").get().delete()
    mark()
    assert len(set(marks)) == 3


@pytest.mark.django_db
def test_a_request_reads_the_change_mark_once(client, facilities):
    _search_page(client)  # the terms and countries read once, then kept
    with CaptureQueriesContext(connection) as statements:
        _search_page(client)
    read = [query["sql"] for query in statements.captured_queries]
    assert len([sql for sql in read if "taxonomy_referencemark" in sql]) == 1
    assert not [sql for sql in read if 'FROM "taxonomy_term"' in sql]
    assert not [sql for sql in read if 'FROM "taxonomy_country"' in sql]


# A process that stays up as a gunicorn worker does: each line of its input is a request, which
# answers the label of the term and the name of the country it keeps, and whether it read them
# again for this request.
WORKER = """
import json, sys, django
django.setup()
from django.core.signals import request_finished, request_started
from mercuryhub.taxonomy.models import Term
from mercuryhub.taxonomy.queries import all_countries, kept_terms
pk = Term.objects.get(vocabulary__name="waste_categories", code="batteries").pk
seen = None
for line in sys.stdin:
    request_started.send(sender=None)
    terms, countries = kept_terms().by_id, all_countries()
    request_finished.send(sender=None)
    print(json.dumps({"term": terms[pk].label, "country": countries["CHE"].name,
                      "read again": id(terms) != seen}), flush=True)
    seen = id(terms)
"""

RENAME = """
import django
django.setup()
from mercuryhub.taxonomy.actions import do_save_term
from mercuryhub.taxonomy.models import Country, Term
term = Term.objects.get(vocabulary__name="waste_categories", code="batteries")
term.label = "Spent batteries and accumulators"
do_save_term(term, ["label"])
country = Country.objects.get(iso3="CHE")
country.name = "Swiss Confederation"
country.save()
"""


@pytest.mark.embedded_sqlite
def test_a_change_made_by_another_worker_is_shown_by_the_next_request(tmp_path, prepared_data_dir):
    data_dir = served.copy_prepared(prepared_data_dir, tmp_path / "data")
    environment = {**served.environment(data_dir), "DJANGO_SETTINGS_MODULE": "mercuryhub.settings"}
    worker = subprocess.Popen(  # noqa: S603 - our own Python
        [sys.executable, "-c", WORKER],
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def request() -> dict:
        worker.stdin.write("\n")
        worker.stdin.flush()
        return json.loads(worker.stdout.readline())

    try:
        assert request() == {
            "term": "Mercury batteries",
            "country": "Switzerland",
            "read again": True,
        }
        assert request()["read again"] is False  # kept while nothing changed
        renamed = served.python(["-c", RENAME], environment, timeout=120)
        assert renamed.returncode == 0, renamed.stderr
        assert request() == {
            "term": "Spent batteries and accumulators",
            "country": "Swiss Confederation",
            "read again": True,
        }
        assert request()["read again"] is False
    finally:
        worker.stdin.close()
        worker.wait(timeout=60)


@pytest.mark.django_db
def test_the_records_kept_are_those_of_the_database(facilities):
    table = kept_terms()
    assert list(table.by_id) == list(Term.objects.values_list("pk", flat=True))
    assert list(table.place.values()) == list(range(len(table.by_id)))
    wastes = Term.objects.filter(vocabulary__name="waste_categories")
    assert table.of("waste_categories") == list(wastes)
    assert table.parents("waste_categories") == dict(wastes.values_list("pk", "parent_id"))
    assert set(all_countries()) == set(Country.objects.values_list("iso3", flat=True))
