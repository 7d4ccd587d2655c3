"""Factor sets load as the platform's other reference data: all or nothing, every bad row and
column named, idempotent; the platform ships only factors it can cite (none yet)."""

import pytest
from django.core.management import call_command

from mercuryhub.inventory.models import Factor, FactorSet
from mercuryhub.inventory.reference import FACTOR_COLUMNS, SET_COLUMNS, do_load_factor_sets
from mercuryhub.taxonomy.actions import ReferenceDataError
from tests.inventory.conftest import DATA

pytestmark = pytest.mark.django_db


def _write(path, columns, rows):
    path.write_text(
        "\n".join([",".join(columns), *(",".join(row) for row in rows)]) + "\n", encoding="utf-8"
    )
    return path


def test_the_example_set_loads_once(example_factors):
    assert (example_factors.created, example_factors.updated) == (4, 0)
    again = do_load_factor_sets(DATA / "example_sets.csv", DATA / "example_factors.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    factor = Factor.objects.get(category="thermometers-medical")
    assert (factor.input_low, factor.input_unit, factor.source_detail) == (0.5, "g/item", "Table 2")
    assert factor.distribution["water"] == "0.3"


def test_the_shipped_files_cite_every_factor_they_hold():
    report = do_load_factor_sets()
    assert FactorSet.objects.count() == report.created - Factor.objects.count()
    assert not Factor.objects.filter(source_detail="").exists()
    assert not FactorSet.objects.filter(citation="").exists()


def test_every_bad_row_is_named_and_nothing_is_saved(tmp_path, example_factors):
    sets = _write(tmp_path / "sets.csv", SET_COLUMNS, [("good", "Good", "P", "2020", "C", "")])
    row = ["good", "thermometers-medical", "1", "2", "g/item", "0.5", "0", "0", "0", "0.6", "0", ""]
    bad_unit = ["good", "lamps-other", "1", "2", "g/t", "", "", "", "", "", "", "T1"]
    unknown = ["other", "unicorns", "x", "1", "g/item", "", "", "", "", "", "", "T2"]
    factors = _write(tmp_path / "factors.csv", FACTOR_COLUMNS, [row, bad_unit, unknown])
    with pytest.raises(ReferenceDataError) as refused:
        do_load_factor_sets(sets, factors)
    problems = refused.value.problems
    assert "row 2: the pathway shares add up to 1.1, not 1" in problems
    assert any(p.startswith("row 2, column source_detail: is empty") for p in problems)
    assert any(p.startswith("row 3, column input_unit: 'g/t' is not one of") for p in problems)
    assert any(p.startswith("row 4, column factor_set: 'other'") for p in problems)
    assert any(p.startswith("row 4, column category: 'unicorns'") for p in problems)
    assert any(p.startswith("row 4, column input_low: 'x' is not a number") for p in problems)
    assert FactorSet.objects.get().code == "example-set"  # nothing changed


def test_a_set_taken_out_of_the_file_goes_with_its_factors(tmp_path, example_factors):
    sets = _write(tmp_path / "sets.csv", SET_COLUMNS, [])
    factors = _write(tmp_path / "factors.csv", FACTOR_COLUMNS, [])
    report = do_load_factor_sets(sets, factors)
    assert report.details["deleted"] == 4
    assert not Factor.objects.exists()


def test_the_command_loads_and_names_problems(tmp_path, capsys):
    call_command(
        "load_inventory_factors",
        "--sets",
        str(DATA / "example_sets.csv"),
        "--factors",
        str(DATA / "example_factors.csv"),
    )
    assert "4 created" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="the columns must be"):
        call_command("load_inventory_factors", "--sets", str(DATA / "example_factors.csv"))


def test_the_configured_files_are_what_a_plain_load_keeps(settings):
    settings.INVENTORY_FACTOR_SETS_FILE = str(DATA / "example_sets.csv")
    settings.INVENTORY_FACTORS_FILE = str(DATA / "example_factors.csv")
    first = do_load_factor_sets()
    # serve loads without arguments: the secretariat's configured sets stay.
    again = do_load_factor_sets()
    assert (first.created, again.unchanged, again.details["deleted"]) == (4, 4, 0)
    assert Factor.objects.filter(category="thermometers-medical").exists()
