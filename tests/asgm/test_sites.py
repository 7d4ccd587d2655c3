"""Approved baseline submissions become mining sites: a worked example whose mercury figures
are computed by hand, the same site found again by its code or by its name nearby, national
ratios, merging and splitting."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from mercuryhub.asgm import actions
from mercuryhub.asgm.models import MercuryRatio, Site
from mercuryhub.forms import actions as forms_actions
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.taxonomy.models import Country
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_shipped_ratios_load_once(ratios):
    assert MercuryRatio.objects.filter(country=None).count() == 4
    whole_ore = MercuryRatio.objects.get(practice="whole-ore-amalgamation", country=None)
    assert (whole_ore.low, whole_ore.typical, whole_ore.high) == (4, 10, 50)
    assert "Telmer" in whole_ore.source

    # The shipped file writes one label with commas and no quotes: it is read whole.
    free = MercuryRatio.objects.get(practice="mercury-free", country=None)
    assert free.label.endswith("direct smelting, cyanidation of mercury-free ore)")
    assert (free.high, free.source) == (0, "by definition")
    report = actions.do_load_mercury_ratios()
    assert str(report) == "0 created, 0 updated, 4 unchanged"


def test_a_worked_example_of_three_sites(ratios, approve):
    # Whole ore, 250 g of gold a month: 3 kg a year, times 4 / 10 / 50.
    approve(
        site_code="A",
        site_name="Mobale",
        processing_methods="gravity amalgamation",
        amalgamation="whole_ore",
        burning_place="open_air",
        gold_g_per_month="250",
        miners="850",
        women="120",
        children="15",
    )
    # Concentrates with a retort always used, 100 g a month: 1.2 kg a year, times 0.03/0.05/0.1.
    approve(
        site_code="B",
        site_name="Lugushwa",
        location="-3.30 27.90 0 0",
        processing_methods="gravity amalgamation",
        amalgamation="concentrate",
        retort_use="always",
        burning_place="fume_hood",
        gold_g_per_month="100",
    )
    # Mercury reported: 4.5 kg a month is 54 kg a year, whatever the gold.
    approve(
        site_code="C",
        site_name="Kalimbi",
        location="-2.10 28.80 0 0",
        processing_methods="amalgamation",
        amalgamation="concentrate",
        retort_use="never",
        burning_place="homes",
        mercury_kg_per_month="4.5",
        gold_g_per_month="400",
    )

    sites = {site.code: site for site in Site.objects.all()}
    a, b, c = sites["A"], sites["B"], sites["C"]
    assert (a.mercury_method, a.gold_kg_per_year) == ("estimated", Decimal(3))
    assert (a.mercury_low_kg_per_year, a.mercury_typical_kg_per_year) == (12, 30)
    assert a.mercury_high_kg_per_year == 150
    assert a.mercury_ratio.practice == "whole-ore-amalgamation"
    assert a.whole_ore_amalgamation and a.open_burning and not a.residential_burning
    assert (a.miners, a.women, a.children, a.country_id) == (850, 120, 15, "COD")
    assert (a.latitude, a.longitude) == (-3.0617, 28.1833)

    assert b.practice == "concentrate-amalgamation-retort"
    assert (b.mercury_low_kg_per_year, b.mercury_typical_kg_per_year) == (
        Decimal("0.036"),
        Decimal("0.06"),
    )
    assert b.mercury_high_kg_per_year == Decimal("0.12")
    assert b.worst_practices == []

    assert c.mercury_method == "reported"
    assert c.mercury_low_kg_per_year == c.mercury_high_kg_per_year == 54
    assert c.residential_burning and not c.open_burning
    assert c.worst_practices == [
        {"code": "residential-burning", "question": "burning_place", "answer": "homes"}
    ]


def test_a_new_submission_with_the_same_code_updates_the_site_and_keeps_its_history(
    ratios, approve
):
    approve(site_code="A", miners="100", processing_methods="gravity")
    approve(site_code="A", miners="140", processing_methods="gravity")

    site = Site.objects.get()
    assert site.miners == 140
    assert site.observations.count() == 2
    assert [record.miners for record in site.history.order_by("history_date")][-2:] == [100, 140]


def test_the_same_name_within_500_m_is_the_same_site_and_farther_is_another(ratios, approve):
    approve(site_code="A", site_name="Mobale", location="-3.0000 28.0000 0 0")
    approve(site_code="", site_name="mobale", location="-3.0030 28.0000 0 0")  # 334 m south
    approve(site_code="", site_name="Mobale", location="-3.0100 28.0000 0 0")  # 1.1 km south

    assert Site.objects.count() == 2
    assert Site.objects.get(code="A").observations.count() == 2


def test_an_older_submission_approved_late_does_not_override_newer_answers(
    ratios, approve, baseline, reviewer
):
    from tests.asgm.conftest import site_answers
    from tests.forms.conftest import fill

    xml = fill(baseline.current_version.xml, site_answers(site_code="A", miners="10"))
    older, _ = forms_actions.do_receive_submission(baseline.project, xml, user=reviewer)
    approve(site_code="A", miners="99")
    forms_actions.do_review_submission(reviewer, older, "approved")

    site = Site.objects.get()
    assert site.miners == 99
    assert site.observations.count() == 2


def test_a_country_s_own_ratio_re_estimates_its_sites(ratios, approve, reviewer):
    approve(
        site_code="A",
        processing_methods="amalgamation",
        amalgamation="whole_ore",
        gold_g_per_month="250",
    )
    congo = Country.objects.get(iso3="COD")

    actions.do_set_national_ratio(
        reviewer, congo, "whole-ore-amalgamation", "2", "5", "8", "National ASGM study, 2024"
    )

    site = Site.objects.get()
    assert (site.mercury_low_kg_per_year, site.mercury_high_kg_per_year) == (6, 24)
    assert site.mercury_ratio.source == "National ASGM study, 2024"


def test_a_national_ratio_needs_the_secretariat_a_source_and_an_order(ratios, reviewer):
    congo = Country.objects.get(iso3="COD")
    with pytest.raises(PermissionDenied):
        actions.do_set_national_ratio(
            make_user("someone@example.org"), congo, "whole-ore-amalgamation", 1, 2, 3, "Study"
        )
    with pytest.raises(InvalidInputError) as error:
        actions.do_set_national_ratio(reviewer, congo, "whole-ore-amalgamation", 5, 2, 3, "")
    message = error.value.errors["ratio"]
    assert "low <= typical <= high" in message and "source is missing" in message
    assert not MercuryRatio.objects.filter(country=congo).exists()


def test_a_bad_ratio_file_names_each_bad_row_and_loads_nothing(db, tmp_path):
    path = tmp_path / "ratios.csv"
    path.write_text(
        "practice,label,ratio_low,ratio_typical,ratio_high,source\n"
        "whole-ore-amalgamation,Whole ore,4,10,50,Telmer 2012\n"
        "dredging,Dredging,1,2,3,Somebody\n"
        "concentrate-amalgamation,Concentrates,2,1,x,\n"
    )

    with pytest.raises(CommandError) as error:
        call_command("load_mercury_ratios", str(path), verbosity=0)

    message = str(error.value)
    assert "row 3: practice 'dredging' is not one of" in message
    assert "row 4: ratio_high 'x' is not a number" in message
    assert "row 4: the source is missing" in message
    assert not MercuryRatio.objects.exists()


def test_a_manager_merges_two_sites_and_splits_them_again(ratios, approve, reviewer):
    approve(site_code="A", site_name="Mobale", miners="100")
    approve(site_code="B", site_name="Mobale Nord", location="-3.5 28.5 0 0", miners="300")
    a, b = Site.objects.get(code="A"), Site.objects.get(code="B")

    merged = actions.do_merge_sites(reviewer, a, [b])

    b.refresh_from_db()
    assert b.merged_into == merged == a
    assert merged.observations.count() == 2
    assert merged.miners == 300  # the latest observation's answers

    moved = merged.observations.order_by("observed_at").last()
    new = actions.do_split_site(reviewer, merged, [moved.pk])
    merged.refresh_from_db()
    assert (merged.miners, new.miners) == (100, 300)
    with pytest.raises(PermissionDenied):
        actions.do_merge_sites(make_user("outsider@example.org"), merged, [new])
