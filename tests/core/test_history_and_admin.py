import pytest

from mercuryhub.accounts.actions import do_update_organization
from mercuryhub.accounts.models import Organization

pytestmark = pytest.mark.django_db


def test_every_change_to_an_organization_is_kept_with_who_and_when(owner, organization):
    before = organization.history.count()
    do_update_organization(owner, organization, {"description": "Recovers mercury."})
    history = list(organization.history.order_by("history_date"))
    assert len(history) == before + 1
    assert history[0].history_type == "+"
    assert history[0].description == ""
    assert history[-1].description == "Recovers mercury."


def test_history_records_the_user_of_a_web_change(signed_in, owner, organization):
    signed_in(owner).post(
        f"/organizations/{organization.slug}/edit/",
        {"name": "Batrec AG", "stakeholder_type": "private-sector", "country": "CHE"},
    )
    latest = organization.history.latest()
    assert latest.name == "Batrec AG"
    assert latest.history_user == owner


def test_a_deleted_organization_stays_in_the_history(organization):
    pk = organization.pk
    organization.delete()
    assert Organization.history.filter(id=pk, history_type="-").exists()


def test_staff_read_the_history_in_the_admin(signed_in, administrator, organization):
    client = signed_in(administrator)
    page = client.get(f"/admin/accounts/organization/{organization.pk}/history/").content.decode()
    assert "Batrec Industrie AG" in page
    assert "owen.owner@batrec.example" in page or "owen.owner" in page


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/organization/?q=batrec",
        "/admin/accounts/user/?q=owen",
        "/admin/taxonomy/term/?q=lamp",
        "/admin/taxonomy/country/?q=uruguay",
        "/admin/taxonomy/language/?q=arabic",
    ],
)
def test_the_admin_is_searchable(signed_in, administrator, organization, path):
    response = signed_in(administrator).get(path)
    assert response.status_code == 200
    assert "1 result" in response.content.decode() or "result" in response.content.decode()


def test_the_admin_is_closed_to_registered_users(signed_in, outsider):
    response = signed_in(outsider).get("/admin/")
    assert response.status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/admin/catalogue/facility/?q=batrec",
        "/admin/catalogue/offering/?q=lamp",
        "/admin/catalogue/expert/?q=pereira",
        "/admin/review/entryversion/",
        "/admin/review/reviewdecision/",
    ],
)
def test_the_catalogue_is_searchable_in_the_admin(signed_in, administrator, path):
    assert signed_in(administrator).get(path).status_code == 200


def test_a_facility_history_is_readable_in_the_admin(signed_in, administrator, organization, owner):
    from mercuryhub.review.actions import do_create_draft, do_edit_entry

    facility = do_create_draft(
        "facility",
        owner,
        {
            "name": "Batrec lamp line",
            "operator": organization.slug,
            "country": "CHE",
            "accepted_wastes": ["lamps"],
        },
    )
    do_edit_entry("facility", owner, facility, {"city": "Wimmis"}, base_version=1)
    page = (
        signed_in(administrator)
        .get(f"/admin/catalogue/facility/{facility.pk}/history/")
        .content.decode()
    )
    assert "Batrec lamp line" in page
    assert "owen.owner" in page


def test_history_tables_are_indexed_only_by_what_reads_them():
    # An entry's history is read by its key and ordered by date; the model's own indexes
    # (foreign keys, states, codes) would only slow every write of a record.
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    historical = [
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) or model.__name__.startswith("Historical")
    ]
    assert {"HistoricalFacility", "HistoricalResource", "HistoricalTerm"} <= {
        model.__name__ for model in historical
    }
    for model in historical:
        indexed = {
            field.name
            for field in model._meta.concrete_fields
            if field.db_index and not field.primary_key
        }
        names = {field.name for field in model._meta.concrete_fields}
        if "history_date" in names:  # a record of the entry's values
            assert indexed == {"id", "history_date", "history_user"}, model.__name__
        else:  # a record of its links, read with the record it belongs to
            assert indexed == {"id", "history"}, model.__name__


def _indexed_columns(table: str) -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        column
        for constraint in found.values()
        if constraint["index"] and not constraint["primary_key"] and not constraint["unique"]
        for column in constraint["columns"]
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_the_copied_indexes_and_makes_them_again_when_reversed():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    table = "catalogue_historicalfacility"
    latest = ("catalogue", "0010_history_indexes")
    assert _indexed_columns(table) == {"id", "history_date", "history_user_id"}
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("catalogue", "0009_entry_content_languages")])
        before = _indexed_columns(table)
        assert {"status", "country_id", "operator_id", "external_id"} <= before
    finally:
        executor.loader.build_graph()
        executor.migrate([latest])
    assert _indexed_columns(table) == {"id", "history_date", "history_user_id"}


def test_the_migrations_state_is_the_models_as_they_are():
    # The history migrations alter their fields in the migration state in one operation
    # (lib/history.py, FieldsAltered): the state they leave must be the models' own.
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
