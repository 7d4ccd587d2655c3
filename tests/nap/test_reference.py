"""Loading the NAP reference data through the importer: the statuses and the budget lines of the
16 published NAPs, every row checked first, all or nothing, the same file loaded twice changing
nothing, the inconsistent conversions flagged with both amounts kept."""

from decimal import Decimal
from importlib import resources

import pytest
from django.core.management import call_command

from mercuryhub.nap.models import BudgetLine, PlanStatus
from mercuryhub.nap.reference import do_load_budget_lines, do_load_plan_statuses
from mercuryhub.taxonomy.actions import ReferenceDataError

DATA = resources.files("mercuryhub.nap") / "data"


@pytest.mark.django_db
def test_it_loads_40_statuses_and_1221_budget_lines_of_16_countries_131_flagged():
    statuses = do_load_plan_statuses()
    lines = do_load_budget_lines()

    assert (statuses.created, statuses.updated, statuses.unchanged) == (40, 0, 0)
    assert PlanStatus.objects.count() == 40
    assert PlanStatus.objects.filter(status="submitted").count() == 17
    assert PlanStatus.objects.get(country="LAO").get_status_display() == "Submitted"
    assert (lines.created, lines.details["countries"], lines.details["flagged"]) == (1221, 16, 131)
    assert BudgetLine.objects.count() == 1221
    flagged = BudgetLine.objects.filter(conversion_consistent=False)
    assert set(flagged.values_list("country", flat=True)) == {"MNG", "COG", "COD"}
    assert flagged.count() == 131
    # The dataset's names resolved to ISO3: "Democratic Republic of Congo", "Republic of Congo",
    # "Laos".
    assert BudgetLine.objects.filter(country="COD").count() == 81
    assert BudgetLine.objects.filter(country="COG").count() == 75
    assert BudgetLine.objects.filter(country="LAO").count() == 71
    # Both amounts kept as published: 20'000'000 XAF at 581.84 is not the dataset's USD 34,000.
    congo = BudgetLine.objects.get(country="COG", line=1)
    assert congo.cost_original == Decimal("20000000.00")
    assert (congo.currency, congo.conversion, congo.cost_usd) == ("XAF", Decimal("581.84"), 34000)
    assert congo.conversion_consistent is False
    senegal = BudgetLine.objects.filter(country="SEN").first()
    assert senegal.currency == "XOF" and senegal.conversion_consistent is True


@pytest.mark.django_db
def test_a_second_load_changes_nothing():
    do_load_plan_statuses()
    do_load_budget_lines()

    statuses = do_load_plan_statuses()
    lines = do_load_budget_lines()

    assert (statuses.created, statuses.updated, statuses.unchanged) == (0, 0, 40)
    assert (lines.created, lines.updated, lines.unchanged) == (0, 0, 1221)
    assert BudgetLine.objects.count() == 1221


def _copy(tmp_path, name, replace, by):
    """The shipped file (or the copy already changed in tmp_path) with one change."""
    path = tmp_path / name
    text = (path if path.exists() else DATA / name).read_text(encoding="utf-8-sig")
    assert replace in text
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_bad_budget_file_names_the_row_and_column_and_saves_nothing(tmp_path):
    path = _copy(tmp_path, "nap_budgets.csv", "100'000.00,USD", "100 000,USD")
    path = _copy(tmp_path, "nap_budgets.csv", "\nLaos,", "\nAtlantis,")

    with pytest.raises(ReferenceDataError) as raised:
        do_load_budget_lines(path)

    assert "row 2, column Cost_Original: '100 000' is not an amount" in str(raised.value)
    assert any("column Country: 'Atlantis' is no known country" in p for p in raised.value.problems)
    assert BudgetLine.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_status_file_names_the_row_and_column_and_saves_nothing(tmp_path):
    path = _copy(tmp_path, "nap_status.csv", "BDI,Burundi,submitted,", "BDI,Burundi,done,")

    with pytest.raises(ReferenceDataError) as raised:
        do_load_plan_statuses(path)

    assert raised.value.problems == [
        "row 3, column nap_status: 'done' is not one of submitted, in-development, unknown"
    ]
    assert PlanStatus.objects.count() == 0


@pytest.mark.django_db
def test_the_command_loads_both_and_says_what_it_did(capsys, tmp_path):
    call_command("load_nap_reference")
    output = capsys.readouterr().out

    assert "NAP statuses: 40 created, 0 updated, 0 unchanged" in output
    assert "NAP budget lines: 1221 created" in output
    assert "131 lines whose USD amount is not the original divided by the conversion" in output

    bad = _copy(tmp_path, "nap_status.csv", "BDI,Burundi,submitted,", "BDX,Burundi,submitted,")
    with pytest.raises(Exception, match="row 3, column country: 'BDX' is no ISO3 country code"):
        call_command("load_nap_reference", statuses=bad)
    assert PlanStatus.objects.count() == 40
