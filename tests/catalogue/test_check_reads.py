"""What checking a record reads: one record (a draft, an edit through the API or a form) reads
only the terms, countries and languages it names; thousands of rows (an import, within
``cached_lookups``) read each table once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.lookups import cached_lookups
from mercuryhub.review import registry
from mercuryhub.taxonomy.models import Term
from tests.catalogue.conftest import LAMP_LINE
from tests.conftest import make_owner

pytestmark = pytest.mark.django_db

# Batrec's lamp line, with two wastes and two languages.
RECORD = {**LAMP_LINE, "accepted_wastes": ["lamps", "batteries"], "languages": ["de", "fr"]}


@pytest.fixture
def operator():
    return do_create_organization(
        make_owner(),
        {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector", "country": "CHE"},
    )


def _reads(data) -> list[str]:
    with CaptureQueriesContext(connection) as statements:
        checked = registry.get("facility").clean(data)
    return checked, [query["sql"] for query in statements.captured_queries]


def test_one_record_reads_only_the_terms_and_languages_it_names(operator):
    checked, reads = _reads(RECORD)
    assert [term.code for term in checked.relations["accepted_wastes"]] == ["lamps", "batteries"]
    assert [language.code for language in checked.relations["languages"]] == ["de", "fr"]
    terms = [sql for sql in reads if 'FROM "taxonomy_term"' in sql]
    assert len(terms) == 1 and " IN (" in terms[0], reads  # the two named, not the vocabulary
    languages = [sql for sql in reads if 'FROM "taxonomy_language"' in sql]
    assert len(languages) == 1 and " IN (" in languages[0], reads
    # Relations left empty read nothing.
    assert registry.get("facility").clean({**RECORD, "languages": []}).relations["languages"] == []
    _checked, without = _reads({**RECORD, "languages": [], "phases": [], "technologies": []})
    assert not [sql for sql in without if 'FROM "taxonomy_language"' in sql]
    assert len([sql for sql in without if 'FROM "taxonomy_term"' in sql]) == 1


def test_an_unknown_code_is_named_with_the_known_ones(operator):
    with pytest.raises(InvalidInputError) as refused:
        registry.get("facility").clean({**RECORD, "accepted_wastes": ["lamps", "lampz"]})
    message = refused.value.errors["accepted_wastes"]
    assert "Unknown code 'lampz'" in message
    assert "lamps" in message.split("known codes are:")[1]
    with pytest.raises(InvalidInputError) as refused:
        registry.get("facility").clean({**RECORD, "languages": ["de", "xx"]})
    assert refused.value.errors["languages"] == "Unknown language codes 'xx'; use ISO 639-1"


def test_many_rows_read_each_vocabulary_once(operator):
    wastes = list(
        Term.objects.filter(vocabulary__name="waste_categories").values_list("code", flat=True)
    )
    rows = [
        {**RECORD, "name": f"Line {n}", "accepted_wastes": [wastes[n % len(wastes)]]}
        for n in range(20)
    ]
    with cached_lookups(), CaptureQueriesContext(connection) as statements:
        for row in rows:
            registry.get("facility").clean(row)
    reads = [query["sql"] for query in statements.captured_queries]
    terms = [sql for sql in reads if 'FROM "taxonomy_term"' in sql]
    assert len(terms) == 1 and " IN (" not in terms[0], reads  # the whole vocabulary, once
    assert len([sql for sql in reads if 'FROM "taxonomy_language"' in sql]) == 1


def test_many_rows_find_the_organizations_they_name_together(operator):
    """An import looks up every organization its rows name before checking them (two
    statements, however many names): by slug, by name whatever its case, by a name written
    with other punctuation; unknown names are left for the import to create."""
    from mercuryhub.catalogue.fields import find_organizations

    named = ["batrec-industrie-ag", "BATREC INDUSTRIE AG", "Batrec Industrie, AG", "New Lamps Ltd"]
    rows = [{**RECORD, "name": f"Line {n}", "operator": named[n % 4]} for n in range(20)]
    with cached_lookups(), CaptureQueriesContext(connection) as statements:
        find_organizations(row["operator"] for row in rows)
        found = [registry.get("facility").clean(row) for row in rows]
    reads = [q["sql"] for q in statements.captured_queries if "accounts_organization" in q["sql"]]
    assert len(reads) == 2, reads
    assert [checked.values.get("operator") for checked in found[:4]] == [operator] * 3 + [None]
    assert [checked.operator_name for checked in found[:4]] == [None] * 3 + ["New Lamps Ltd"]
