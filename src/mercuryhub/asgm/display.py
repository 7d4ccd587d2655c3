"""What the ASGM pages show, in the reader's language: a site's answers with the questions of
the form that asked them, each worst practice with the answer that showed it, the overview's
data quality as shares of the sites, and the words the map script writes."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mercuryhub.asgm.baseline import OBSERVED, WORST_PRACTICES
from mercuryhub.asgm.models import (
    ANNEX_C_REFERENCES,
    MercuryMethod,
    Practice,
    SiteObservation,
    WorstPractice,
)
from mercuryhub.forms.submission_answers import Reader

# The questions of the baseline form a site's page shows, in the form's order: what describes
# the site and its mercury use (not the photos, nor the free-text health observations).
SHOWN_QUESTIONS = (
    "site_code",
    "admin_area",
    "deposit_type",
    "miners",
    "women",
    "children",
    "processing_methods",
    "amalgamation",
    "retort_use",
    "burning_place",
    "cyanidation_of_mercury_tailings",
    "mercury_kg_per_month",
    "mercury_source",
    "gold_g_per_month",
    "licensing_status",
    OBSERVED,
)


@dataclass(frozen=True)
class ShownAnswer:
    name: str
    label: str
    text: str


@dataclass(frozen=True)
class ShownWorstPractice:
    code: str
    label: str
    reference: str
    question: str
    answer: str


def _path_of(data: dict, name: str) -> str | None:
    """The path of question ``name`` in a submission's answers, whatever group holds it."""
    if name in data:
        return name
    return next((path for path in data if path.rsplit("/", 1)[-1] == name), None)


def _readable(name: str) -> str:
    return name.replace("_", " ").capitalize()


class SiteReading:
    """A site's latest observation read with its form version's labels."""

    def __init__(self, observation: SiteObservation | None):
        submission = observation.submission if observation else None
        self.data = submission.data if submission else {}
        self.reader = Reader(submission.form_version) if submission else Reader(None)

    def _label(self, path: str, name: str) -> str:
        label = self.reader.label(path)
        return _readable(name) if label == name else label

    def answers(self) -> list[ShownAnswer]:
        shown = []
        for name in SHOWN_QUESTIONS:
            path = _path_of(self.data, name)
            value = str(self.data.get(path, "")).strip() if path else ""
            if value:
                shown.append(
                    ShownAnswer(name, self._label(path, name), self.reader.text(path, value))
                )
        return shown

    def worst_practices(self, site) -> list[ShownWorstPractice]:
        """Each worst practice of the site with the question and answer that showed it."""
        shown = []
        for item in site.worst_practices:
            code, question, answer = item["code"], item["question"], item["answer"]
            path = _path_of(self.data, question) or question
            shown.append(
                ShownWorstPractice(
                    code=code,
                    label=WorstPractice(code).label if code in WorstPractice.values else code,
                    reference=ANNEX_C_REFERENCES.get(code, ""),
                    question=self._label(path, question),
                    answer=self.reader.text(path, answer),
                )
            )
        return shown


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def data_quality(totals: dict) -> list[dict]:
    """The overview's data quality: how each site's mercury use is known, and how many sites
    lack a figure the totals need; each with its share of the sites."""
    sites = totals["sites"]
    rows = [
        ("reported", _("Mercury use reported"), totals["sites_reported"]),
        ("estimated", _("Mercury use estimated from gold production"), totals["sites_estimated"]),
        ("unknown", _("Mercury use unknown"), totals["sites_unknown"]),
        ("missing_location", _("No coordinates"), totals["missing_location"]),
        ("missing_miners", _("Number of miners missing"), totals["missing_miners"]),
        ("missing_gold", _("Gold production missing"), totals["missing_gold"]),
        ("missing_practice", _("Practice not known"), totals["missing_practice"]),
    ]
    return [
        {"key": key, "label": label, "sites": count, "percent": percent(count, sites)}
        for key, label, count in rows
    ]


def practice_label(code: str) -> str:
    return str(Practice(code).label) if code in Practice.values else _("Practice not known")


def labelled(figures: dict) -> dict:
    """The overview's groups (queries.overview) named in the reader's language."""
    worst = dict(WorstPractice.choices)
    return {
        **figures,
        "by_area": [
            {**row, "label": row["admin_area"] or _("Area not given")} for row in figures["by_area"]
        ],
        "by_practice": [
            {**row, "label": practice_label(row["practice"])} for row in figures["by_practice"]
        ],
        "by_worst_practice": [
            {**row, "label": worst[row["code"]]} for row in figures["by_worst_practice"]
        ],
    }


def map_labels() -> dict:
    """The words the overview's script writes into the map's popups and status line."""
    return {
        "worst": dict(WorstPractice.choices),
        "none": _("No worst practice reported"),
        "practices": {**dict(Practice.choices), "": _("Practice not known")},
        "methods": dict(MercuryMethod.choices),
        "mercury": _("Mercury used"),
        "kg_per_year": _("%(value)s kg a year"),
        "practice": _("Practice"),
        "rounded": _("Location rounded to 0.1° (about 11 km)"),
        "open": _("Open the site's page"),
        "shown": _("%(count)s sites on the map"),
        "nothing": _("No site with coordinates matches these filters."),
        "loading": _("Loading the sites…"),
        "failed": _("The map could not load the sites. The tables below give the same figures."),
        "worst_codes": list(WORST_PRACTICES),
    }
