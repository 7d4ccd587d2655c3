"""What a form's submissions say: the submissions chosen by review state and date, each
question's summary (answered and skipped, the count of each choice, numbers' spread and
histogram, the points of a geopoint) and the cross-tabulation of two choice questions, all
computed from the answers flattened by path (``Submission.data``) and the form version's survey.

A question inside a repeat is summarized over every instance of the repeat; its "answered" count
is then the number of instances answering it, and "skipped" is left out."""

import datetime
import re
import statistics
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet
from django.utils import timezone

from mercuryhub.forms import queries
from mercuryhub.forms.models import Form, Submission
from mercuryhub.forms.webform.survey import Question, Survey, load_survey, text_in

State = Submission.ReviewState
DEFAULT_STATES = (State.RECEIVED, State.APPROVED)
CHOICE_KINDS = {"select_one", "select_multiple"}
NUMBER_KINDS = {"integer", "decimal"}
# answers worth a column or a summary: what people enter and what the form calculates
ANSWER_KINDS = {"text", "integer", "decimal", "date", "select_one", "select_multiple", "geopoint"}
ANSWER_KINDS |= {"calculate", "metadata", "unsupported"}
HISTOGRAM_BINS = 10
MAX_POINTS = 5_000  # of one geopoint question, on a map
# Past this many choices (a list of countries), the summary page shows only those answered.
MANY_CHOICES = 12
_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Filters:
    """Which submissions: by review state, and received from/to a day (inclusive)."""

    states: tuple = DEFAULT_STATES
    since: datetime.date | None = None
    until: datetime.date | None = None


def survey_of(form: Form) -> Survey | None:
    version = form.current_version
    return load_survey(version.survey_json) if version else None


def submissions_for_analysis(user, form: Form, filters: Filters) -> QuerySet[Submission]:
    """The current submissions the person may read (a data collector's own), filtered."""
    submissions = queries.submissions_visible_to(user, form).filter(review_state__in=filters.states)
    zone = timezone.get_current_timezone()
    if filters.since:
        start = datetime.datetime.combine(filters.since, datetime.time.min, tzinfo=zone)
        submissions = submissions.filter(received_at__gte=start)
    if filters.until:
        end = datetime.datetime.combine(filters.until, datetime.time.max, tzinfo=zone)
        submissions = submissions.filter(received_at__lte=end)
    return submissions.order_by("received_at", "pk")


def schema_path(path: str) -> str:
    """``household[2]/name`` → ``household/name``."""
    return _INDEX.sub("", path)


def answer_questions(survey: Survey) -> list[Question]:
    """The questions whose answers are data, in the order of the form."""
    return [question for question in survey.walk() if question.kind in ANSWER_KINDS]


def label_of(question_or_choice, language, survey: Survey) -> str:
    return text_in(question_or_choice.labels, language, survey) or getattr(
        question_or_choice, "path", question_or_choice.name
    )


def selected(question: Question, text: str) -> list[str]:
    if question.kind == "select_multiple":
        return text.split()
    return [text] if text else []


def number(text: str) -> float | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return float(value) if value.is_finite() else None


def geopoint(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) of ``"lat lon alt acc"``, or None."""
    parts = text.split()
    if len(parts) < 2:
        return None
    latitude, longitude = number(parts[0]), number(parts[1])
    if latitude is None or longitude is None:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


# Summaries ------------------------------------------------------------------------------------


@dataclass
class Summary:
    question: Question
    label: str
    answered: int = 0
    skipped: int | None = None
    choices: list = field(default_factory=list)  # [{"name", "label", "count", "percent"}]
    others: int = 0  # answers that are none of the choices
    numbers: list = field(default_factory=list)
    points: list = field(default_factory=list)  # [(lat, lon)]
    statistics: dict = field(default_factory=dict)
    histogram: list = field(default_factory=list)  # [{"low", "high", "count"}]

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def path(self) -> str:
        return self.question.path

    @property
    def in_repeat(self) -> bool:
        return bool(self.question.repeats)

    @property
    def shown_choices(self) -> list:
        """The choices the page shows: all of a short list, the answered ones of a long one."""
        if len(self.choices) <= MANY_CHOICES:
            return self.choices
        return [choice for choice in self.choices if choice["count"]]

    @property
    def unshown_choices(self) -> int:
        return len(self.choices) - len(self.shown_choices)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "kind": self.kind,
            "label": self.label,
            "answered": self.answered,
            "skipped": self.skipped,
            "choices": self.choices,
            "others": self.others,
            "statistics": self.statistics,
            "histogram": self.histogram,
            "points": [[lon, lat] for lat, lon in self.points[:MAX_POINTS]],
        }


def summarize(survey: Survey, submissions, language=None) -> tuple[int, list[Summary]]:
    """The number of submissions and a summary of each question, from the answers of
    ``submissions`` (a queryset, read in chunks)."""
    questions = answer_questions(survey)
    summaries = {q.path: Summary(q, label_of(q, language, survey)) for q in questions}
    counts = {q.path: {} for q in questions if q.kind in CHOICE_KINDS}
    total = 0
    for data in submissions.values_list("data", flat=True).iterator(chunk_size=2_000):
        total += 1
        for path, text in data.items():
            summary = summaries.get(schema_path(path))
            if summary is None or text == "":
                continue
            summary.answered += 1
            kind = summary.question.kind
            if kind in CHOICE_KINDS:
                tally = counts[summary.path]
                for name in selected(summary.question, text):
                    tally[name] = tally.get(name, 0) + 1
            elif kind in NUMBER_KINDS and (value := number(text)) is not None:
                summary.numbers.append(value)
            elif kind == "geopoint" and (point := geopoint(text)):
                summary.points.append(point)
    for summary in summaries.values():
        if not summary.in_repeat:
            summary.skipped = total - summary.answered
        if summary.kind in CHOICE_KINDS:
            _choice_counts(summary, counts[summary.path], survey, language)
        elif summary.kind in NUMBER_KINDS:
            _number_statistics(summary)
    return total, list(summaries.values())


def _choice_counts(summary: Summary, tally: dict, survey: Survey, language):
    base = summary.answered or 1
    for choice in summary.question.choices:
        count = tally.pop(choice.name, 0)
        summary.choices.append(
            {
                "name": choice.name,
                "label": label_of(choice, language, survey),
                "count": count,
                "percent": round(100 * count / base, 1),
            }
        )
    summary.others = sum(tally.values())


def _number_statistics(summary: Summary):
    values = summary.numbers
    if not values:
        return
    low, high = min(values), max(values)
    summary.statistics = {
        "min": low,
        "median": statistics.median(values),
        "mean": round(statistics.fmean(values), 3),
        "max": high,
    }
    integers = summary.kind == "integer"
    if integers:  # bins of whole numbers, at most HISTOGRAM_BINS of them
        width = max(1, -(-int(high - low + 1) // HISTOGRAM_BINS))
        bins = -(-int(high - low + 1) // width)
    else:
        bins = HISTOGRAM_BINS if high > low else 1
        width = (high - low) / bins if high > low else 1
    histogram = [0] * bins
    for value in values:
        histogram[min(int((value - low) // width), bins - 1)] += 1
    summary.histogram = [
        {
            "low": low + index * width,
            "high": low + (index + 1) * width - (1 if integers else 0),
            "count": count,
        }
        for index, count in enumerate(histogram)
    ]


# Cross-tabulation -----------------------------------------------------------------------------


@dataclass
class CrossTab:
    """Counts of submissions by a choice of the row question and a choice of the column one;
    a total counts each submission once (a select_multiple's cells may add up to more)."""

    rows: Question
    columns: Question
    row_labels: list  # [(name, label)]
    column_labels: list
    cells: dict  # (row name, column name) → count
    row_totals: dict
    column_totals: dict
    total: int
    rows_label: str = ""
    columns_label: str = ""
    left_out: int = 0  # choices without any submission, not shown (``shown``)

    def shown(self) -> "CrossTab":
        """The table the page shows: the rows and columns of a long list of choices (more than
        MANY_CHOICES) that no submission chose are left out, and counted in ``left_out``."""
        rows, columns = self.row_labels, self.column_labels
        if len(rows) > MANY_CHOICES:
            rows = [(name, label) for name, label in rows if self.row_totals.get(name)]
        if len(columns) > MANY_CHOICES:
            columns = [(name, label) for name, label in columns if self.column_totals.get(name)]
        left_out = len(self.row_labels) - len(rows) + len(self.column_labels) - len(columns)
        return replace(self, row_labels=rows, column_labels=columns, left_out=left_out)

    def table(self) -> list[dict]:
        """Rows of the table: each cell's count and its share of the row's total, in percent."""
        rows = []
        for name, label in self.row_labels:
            row_total = self.row_totals.get(name, 0)
            cells = [
                {
                    "count": (count := self.cells.get((name, column), 0)),
                    "percent": round(100 * count / row_total, 1) if row_total else 0.0,
                }
                for column, _label in self.column_labels
            ]
            rows.append({"name": name, "label": label, "cells": cells, "total": row_total})
        return rows


def crosstab_questions(survey: Survey) -> list[Question]:
    return [q for q in answer_questions(survey) if q.kind in CHOICE_KINDS and not q.repeats]


def crosstab(survey: Survey, submissions, row_path: str, column_path: str, language=None):
    """The cross-tabulation of two choice questions over the submissions answering both."""
    rows, columns = survey.by_path[row_path], survey.by_path[column_path]
    cells, row_totals, column_totals, total = {}, {}, {}, 0
    for data in submissions.values_list("data", flat=True).iterator(chunk_size=2_000):
        row_names = selected(rows, data.get(row_path, ""))
        column_names = selected(columns, data.get(column_path, ""))
        if not row_names or not column_names:
            continue
        total += 1
        for row in set(row_names):
            row_totals[row] = row_totals.get(row, 0) + 1
            for column in set(column_names):
                cells[(row, column)] = cells.get((row, column), 0) + 1
        for column in set(column_names):
            column_totals[column] = column_totals.get(column, 0) + 1
    return CrossTab(
        rows=rows,
        columns=columns,
        row_labels=[(c.name, label_of(c, language, survey)) for c in rows.choices],
        column_labels=[(c.name, label_of(c, language, survey)) for c in columns.choices],
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=total,
        rows_label=label_of(rows, language, survey),
        columns_label=label_of(columns, language, survey),
    )
