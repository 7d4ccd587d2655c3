"""Checking a working group's workplan and its yearly review report: every field, from the
editing pages or the API, turned into model values or an InvalidInputError naming each bad
field. An activity is named by its place: ``activities.2.status`` is the second one's status.

A workplan covers one to three years (``MAX_YEARS``); its activities fall within them."""

from mercuryhub.catalogue.fields import CleanEntry, clean_organization, clean_text
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.partnership.models import WorkingGroup, WorkplanActivity

MAX_YEARS = 3
MAX_ACTIVITIES = 100
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
ACTIVITY_FIELDS = ("year", "name", "lead", "status", "output", "description")


def _year(raw, key: str, errors: dict) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors[key] = f"{raw!r} is not a year; write it as 2026"
        return None
    if not EARLIEST_YEAR <= value <= LATEST_YEAR:
        errors[key] = f"{value} is out of range ({EARLIEST_YEAR} to {LATEST_YEAR})"
        return None
    return value


def clean_group(data: dict, errors: dict) -> WorkingGroup | None:
    """The working group named by its code ("wg1")."""
    code = clean_text(data, "group", errors, required=True, max_length=50)
    if not code:
        return None
    group = WorkingGroup.objects.select_related("term").filter(term__code=code).first()
    if group is None:
        codes = ", ".join(WorkingGroup.objects.values_list("term__code", flat=True))
        errors["group"] = f"Unknown working group {code!r}; use one of: {codes}"
    return group


def _organization(data: dict, errors: dict):
    organization, unknown = clean_organization(data, "organization", errors, required=True)
    if unknown:
        errors["organization"] = f"Unknown organization {unknown!r}; register it first"
    return organization


def clean_years(data: dict, errors: dict) -> tuple[int | None, int | None]:
    """The first and last years, the last at most ``MAX_YEARS`` - 1 after the first."""
    first = _year(data.get("first_year"), "first_year", errors)
    last = _year(data.get("last_year"), "last_year", errors)
    if first is None and "first_year" not in errors:
        errors["first_year"] = "Give the first year the workplan covers"
    if last is None and "last_year" not in errors:
        errors["last_year"] = "Give the last year the workplan covers"
    if first is not None and last is not None:
        if last < first:
            errors["last_year"] = f"The last year ({last}) comes before the first ({first})"
        elif last - first + 1 > MAX_YEARS:
            errors["last_year"] = (
                f"A workplan covers at most {MAX_YEARS} years: from {first}, "
                f"{first + MAX_YEARS - 1} at the latest (this asks for {first} to {last})"
            )
    return first, last


def clean_activity(row: dict, key: str, years, errors: dict) -> dict:
    first, last = years
    year = _year(row.get("year"), f"{key}.year", errors)
    if year is None and f"{key}.year" not in errors:
        errors[f"{key}.year"] = "Give the year of the activity"
    elif None not in (year, first, last) and not first <= year <= last:
        errors[f"{key}.year"] = f"{year} is outside the workplan's years ({first} to {last})"
    status = str(row.get("status") or WorkplanActivity.Status.PLANNED).strip().lower()
    if status not in WorkplanActivity.Status.values:
        errors[f"{key}.status"] = (
            f"Unknown status {status!r}; use one of: {', '.join(WorkplanActivity.Status.values)}"
        )
    texts = {}
    for name, size in (("name", 300), ("lead", 300), ("output", 5000), ("description", 5000)):
        found: dict = {}
        multiline = name in {"output", "description"}
        value = clean_text(
            row, name, found, required=name == "name", max_length=size, multiline=multiline
        )
        if found:
            errors[f"{key}.{name}"] = found[name]
        texts[name] = value
    return {"year": year, "status": status, **texts}


def clean_activities(data: dict, years, errors: dict) -> list[dict]:
    rows = data.get("activities") or []
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        errors["activities"] = "Give a list of activities, each with its fields"
        return []
    if len(rows) > MAX_ACTIVITIES:
        errors["activities"] = f"At most {MAX_ACTIVITIES} activities (this has {len(rows)})"
        return []
    found = []
    for number, row in enumerate(rows, start=1):
        own: dict[str, str] = {}
        found.append(clean_activity(row, f"activities.{number}", years, own))
        # Each message says which activity it is about, wherever a page shows it.
        errors.update({key: f"Activity {number}: {message}" for key, message in own.items()})
    return found


def clean_workplan(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    years = clean_years(data, errors)
    values = {
        "name": clean_text(data, "name", errors, required=True, max_length=300),
        "summary": clean_text(data, "summary", errors, max_length=20_000, multiline=True),
        "group": clean_group(data, errors),
        "organization": _organization(data, errors),
        "first_year": years[0],
        "last_year": years[1],
    }
    activities = clean_activities(data, years, errors)
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, {"activities": activities})


def activity_data(activity) -> dict:
    return {name: getattr(activity, name) for name in ACTIVITY_FIELDS}


def workplan_data(workplan) -> dict:
    """The workplan in the serialization's shape (see ``stored_workplan``)."""
    return {
        "name": workplan.name,
        "summary": workplan.summary,
        "group": workplan.group.code,
        "organization": workplan.organization.slug,
        "first_year": workplan.first_year,
        "last_year": workplan.last_year,
        "activities": [activity_data(activity) for activity in workplan.activities.all()],
    }


def stored_workplan(checked: CleanEntry) -> dict:
    values = checked.values
    return {
        "name": values["name"],
        "summary": values["summary"],
        "group": values["group"].code if values["group"] else "",
        "organization": values["organization"].slug if values["organization"] else "",
        "first_year": values["first_year"],
        "last_year": values["last_year"],
        "activities": checked.relations["activities"],
    }


# -- review reports ---------------------------------------------------------------------------

REPORT_TEXTS = ("outputs", "challenges", "lessons_learned")


def _date(data: dict, name: str, errors: dict):
    import datetime

    raw = data.get(name)
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        errors[name] = f"{raw!r} is not a date; write it as 2027-03-31"
        return None


def clean_report(data: dict) -> CleanEntry:
    errors: dict[str, str] = {}
    values = {
        "name": clean_text(data, "name", errors, required=True, max_length=300),
        "group": clean_group(data, errors),
        "organization": _organization(data, errors),
        "year": _year(data.get("year"), "year", errors),
        "due_on": _date(data, "due_on", errors),
        **{
            name: clean_text(data, name, errors, max_length=20_000, multiline=True)
            for name in REPORT_TEXTS
        },
    }
    if values["year"] is None and "year" not in errors:
        errors["year"] = "Give the year the report reviews"
    if errors:
        raise InvalidInputError(errors)
    return CleanEntry(values, {})


def report_data(report) -> dict:
    return {
        "name": report.name,
        "group": report.group.code,
        "organization": report.organization.slug,
        "year": report.year,
        "due_on": report.due_on.isoformat(),
        **{name: getattr(report, name) for name in REPORT_TEXTS},
    }


def stored_report(checked: CleanEntry) -> dict:
    values = checked.values
    return {
        "name": values["name"],
        "group": values["group"].code if values["group"] else "",
        "organization": values["organization"].slug if values["organization"] else "",
        "year": values["year"],
        "due_on": values["due_on"].isoformat() if values["due_on"] else None,
        **{name: values[name] for name in REPORT_TEXTS},
    }
