"""Every write of the NAP app. A plan's content changes only through the review layer
(``review.actions``: drafts, versioned edits with conflict detection, publication), which calls
``do_save_plan`` through the kind; the builder's writes below each make one versioned edit."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mercuryhub.accounts.models import User
from mercuryhub.asgm.baseline import WORST_PRACTICES
from mercuryhub.asgm.queries import overview, overview_sources
from mercuryhub.catalogue.fields import CleanEntry
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.nap import fields
from mercuryhub.nap.models import (
    NationalActionPlan,
    PlanAction,
    PlanObjective,
    PlanSection,
    PlanStakeholder,
)
from mercuryhub.review import actions as review
from mercuryhub.review.indexing import do_index_entries
from mercuryhub.review.queries import latest_data
from mercuryhub.taxonomy.models import Country

KIND_NAME = "nap"


def do_save_plan(checked: CleanEntry, *, instance=None, user=None, **state) -> NationalActionPlan:
    """Write a plan's checked content into its rows (the review layer calls this for a draft
    never published, and on publication); keeps the search index in step."""
    plan = review.do_write_entry_row(
        instance or NationalActionPlan(), checked.values, user, **state
    )
    parts = checked.relations
    plan.sections.all().delete()
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, code=code, text=text) for code, text in parts["sections"].items()
    )
    plan.objectives.all().delete()
    PlanObjective.objects.bulk_create(
        PlanObjective(plan=plan, position=number, **row)
        for number, row in enumerate(parts["objectives"], start=1)
    )
    plan.actions.all().delete()
    PlanAction.objects.bulk_create(
        PlanAction(plan=plan, position=number, **row)
        for number, row in enumerate(parts["actions"], start=1)
    )
    plan.stakeholders.all().delete()
    PlanStakeholder.objects.bulk_create(
        PlanStakeholder(plan=plan, position=number, **row)
        for number, row in enumerate(parts["stakeholders"], start=1)
    )
    from mercuryhub.nap.kinds import KIND

    do_index_entries(KIND, [plan])
    return plan


def do_create_plan(user: User, data: dict) -> NationalActionPlan:
    """A new plan, as a draft its country team sees, with the national overview's figures
    filled in where the country has mining sites."""
    baseline = baseline_figures(data.get("country"))
    return review.do_create_draft(KIND_NAME, user, {"baseline": baseline, **data})


def do_edit_plan(user: User, plan, changes: dict, *, base_version: int) -> NationalActionPlan:
    """One versioned edit of the plan's latest content (``changes`` over it)."""
    return review.do_edit_entry(KIND_NAME, user, plan, changes, base_version=base_version)


def do_save_section(user: User, plan, code: str, text: str, *, base_version: int):
    if code not in fields.section_codes():
        raise InvalidInputError({"section": f"Unknown section {code!r}"})
    sections = dict(latest_data(KIND_NAME, plan).get("sections") or {})
    sections[code] = text
    return do_edit_plan(user, plan, {"sections": sections}, base_version=base_version)


def do_save_rows(user: User, plan, part: str, rows: list[dict], *, base_version: int):
    """Replace the plan's objectives, actions or stakeholders."""
    if part not in fields.MAX_ROWS:
        raise InvalidInputError({"part": f"Unknown part {part!r}"})
    return do_edit_plan(user, plan, {part: rows}, base_version=base_version)


# The national overview's figures a baseline cites, in the order a reader finds them.
BASELINE_FIGURES = (
    "sites",
    "total_miners",
    "total_women",
    "total_children",
    "gold_kg",
    "mercury_low_kg",
    "mercury_typical_kg",
    "mercury_high_kg",
    *(f"sites_{flag}" for flag in WORST_PRACTICES.values()),
)


def baseline_figures(country_code) -> dict:
    """The national overview's figures a plan's baseline cites (Annex C 1(d)) with their date
    and source: what the country's approved baseline submissions give today. Empty where the
    country has no mining sites on the platform."""
    country = Country.objects.filter(iso3=str(country_code or "").upper()).first()
    if country is None:
        return {}
    totals = overview(country)["totals"]
    if not totals.get("sites"):
        return {}
    sources = overview_sources(country)
    projects = "; ".join(f"{name} ({count})" for name, count in sources["projects"])
    baseline = {
        "as_of": timezone.localdate().isoformat(),
        "source": f"MercuryHub national overview of {country.name}: {projects}",
        "observed_from": sources["first"].date().isoformat() if sources["first"] else None,
        "observed_to": sources["last"].date().isoformat() if sources["last"] else None,
    }
    for name in BASELINE_FIGURES:
        value = totals.get(name)
        baseline[name] = float(value) if isinstance(value, Decimal) else value
    return baseline


@transaction.atomic
def do_fill_baseline(user: User, plan, *, base_version: int) -> NationalActionPlan:
    """Fill in, again, the national overview's figures with today's date and their source."""
    current = latest_data(KIND_NAME, plan)
    baseline = baseline_figures(current.get("country"))
    if not baseline:
        raise InvalidInputError(
            {"baseline": "The country has no mining sites on the platform yet: no figures to cite"}
        )
    return do_edit_plan(user, plan, {"baseline": baseline}, base_version=base_version)


def do_publish_plan(user: User, plan) -> NationalActionPlan:
    """Make the latest version what the public reads (the country team's decision)."""
    return review.do_submit_entry(KIND_NAME, user, plan)


IMPORT_MODES = ("replace", "append")


def do_import_plan_rows(
    user: User, plan, parts: dict[str, list[dict]], *, mode: str, base_version: int, dry_run=False
) -> dict:
    """Objectives and actions from a spreadsheet (``plan_spreadsheets``), as one versioned edit:
    each part given replaces the plan's (``replace``) or comes after its rows (``append``);
    every row or none. A dry run makes the same edit and rolls it back. The plan's content
    after the import."""
    if mode not in IMPORT_MODES:
        raise InvalidInputError({"mode": f"Unknown mode {mode!r}; use: {', '.join(IMPORT_MODES)}"})
    unknown = set(parts) - {"objectives", "actions"}
    if unknown:
        raise InvalidInputError({"part": f"Unknown parts: {', '.join(sorted(unknown))}"})
    with transaction.atomic():
        current = latest_data(KIND_NAME, plan)
        changes = {
            part: [*(current.get(part) or []), *rows] if mode == "append" else rows
            for part, rows in parts.items()
        }
        edited = do_edit_plan(user, plan, changes, base_version=base_version)
        data = latest_data(KIND_NAME, edited)
        if dry_run:
            transaction.set_rollback(True)
    return data
