"""The three working groups of the Partnership as reference data: their order, rules and
mandate in the six UN languages (``data/working_groups.json``), loaded once the taxonomy's
``working_groups`` terms exist. Safe to run again: a group is created, updated or left as it is."""

import json
from pathlib import Path

from django.db import transaction

from mercuryhub.partnership.models import WorkingGroup
from mercuryhub.taxonomy.actions import LoadReport, ReferenceDataError, save_reference_row
from mercuryhub.taxonomy.queries import terms_of

WORKING_GROUPS_FILE = Path(__file__).parent / "data" / "working_groups.json"


@transaction.atomic
def do_load_working_groups(path: Path | None = None) -> LoadReport:
    path = path or WORKING_GROUPS_FILE
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["working_groups"]
    except (ValueError, KeyError) as error:
        raise ReferenceDataError(str(path), [f"not a list of working groups: {error}"]) from None
    terms = {term.code: term for term in terms_of("working_groups")}
    problems = [
        f"group {row.get('code')!r}: no such term in the working_groups vocabulary "
        "(load the reference data first)"
        for row in rows
        if row.get("code") not in terms
    ]
    problems += [
        f"group {row['code']!r}: the mandate has no English text"
        for row in rows
        if row.get("code") in terms and not (row.get("mandate") or {}).get("en")
    ]
    if problems:
        raise ReferenceDataError(str(path), problems)
    report = LoadReport()
    for row in rows:
        mandate = dict(row["mandate"])
        english = mandate.pop("en")
        save_reference_row(
            WorkingGroup,
            {"term": terms[row["code"]]},
            {
                "position": row.get("position", 0),
                "minimum_leaders": row.get("minimum_leaders", 2),
                "mandate": english,
                "mandate_translations": mandate,
            },
            report,
        )
    return report
