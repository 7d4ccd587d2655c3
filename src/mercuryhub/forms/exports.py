"""A form's submissions as CSV, XLSX and GeoJSON, written as they are read, so that a hundred
thousand submissions export without holding them in memory.

The layout follows KoBoToolbox's: one row per submission, one column per question (its path,
or its label), and for a select_multiple its answer followed by one 0/1 column per choice
(``waste_categories/lamps``); a geopoint is followed by its latitude and longitude. Values are
the answers' codes, or with ``labels`` the choices' labels (and the questions' labels as
headers). A repeat's instances go on a sheet of their own in XLSX, and in CSV into a file of
their own (``?repeat=<path>``), each row naming its submission (``_submission``) and its
position (``_index``). GeoJSON gives a Feature per submission with a point at the first
geopoint (or the one named), its properties the row in codes."""

from collections.abc import Iterator
from dataclasses import dataclass

from mercuryhub.forms.analysis import answer_questions, geopoint, label_of, schema_path
from mercuryhub.forms.webform.survey import Question, Survey
from mercuryhub.lib import streams, xlsx

CHUNK = 2_000
META = ("_submission", "_received_at", "_review_state")
NUMBERS = {"integer": int, "decimal": float}


@dataclass
class Column:
    header: str
    path: str
    question: Question | None = None
    choice: str | None = None  # a select_multiple's choice: a 0/1 column
    part: int | None = None  # a geopoint's latitude (0) or longitude (1)


class Layout:
    """The columns of the submissions (``repeat=""``) or of one repeat's instances."""

    def __init__(self, survey: Survey, *, labels: bool, language=None, repeat: str = ""):
        self.survey, self.labels, self.language, self.repeat = survey, labels, language, repeat
        self.columns = [Column(name, name) for name in META]
        if repeat:
            self.columns = [Column("_submission", "_submission"), Column("_index", "_index")]
        for question in answer_questions(survey):
            inner = question.repeats[-1] if question.repeats else ""
            if inner == repeat:
                self.columns.extend(self._columns(question))
        self.choice_labels = {
            question.path: {c.name: label_of(c, language, survey) for c in question.choices}
            for question in survey.walk()
            if question.choices
        }

    def _columns(self, question: Question) -> list[Column]:
        header = label_of(question, self.language, self.survey) if self.labels else question.path
        columns = [Column(header, question.path, question)]
        if question.kind == "select_multiple":
            for choice in question.choices:
                name = label_of(choice, self.language, self.survey) if self.labels else choice.name
                columns.append(Column(f"{header}/{name}", question.path, question, choice.name))
        elif question.kind == "geopoint":
            for part, name in enumerate(("latitude", "longitude")):
                columns.append(Column(f"{header}:{name}", question.path, question, part=part))
        return columns

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def row(self, answers: dict) -> list:
        """A row of ``answers``: {question path: text}, with the META values."""
        return [self._value(column, answers.get(column.path, "")) for column in self.columns]

    def _value(self, column: Column, text):
        question = column.question
        if question is None or text == "":
            return text
        if column.choice is not None:
            return int(column.choice in text.split())
        if column.part is not None:
            point = geopoint(text)
            return point[column.part] if point else ""
        if self.labels and question.kind in ("select_one", "select_multiple"):
            names = self.choice_labels.get(question.path, {})
            return " ".join(names.get(name, name) for name in text.split())
        if question.kind in NUMBERS:
            return _number(text, NUMBERS[question.kind])
        return text

    def rows(self, submission: tuple) -> Iterator[list]:
        """This layout's rows of one submission (instance_id, received_at, state, data)."""
        instance_id, received_at, state, data = submission
        if not self.repeat:
            meta = {"_submission": instance_id, "_received_at": received_at.isoformat()}
            yield self.row({**data, **meta, "_review_state": state})
            return
        for index, answers in enumerate(repeat_instances(data, self.repeat), start=1):
            yield self.row({**answers, "_submission": instance_id, "_index": index})


def _number(text: str, kind):
    """An integer or decimal answer as a number (a spreadsheet sums it), else as written."""
    try:
        return kind(text)
    except ValueError:
        return text


def repeat_instances(data: dict, repeat: str) -> list[dict]:
    """The instances of a repeat in a submission's answers, each {question path: text}. A
    single instance is written without an index (``household/name``), several with one
    (``household[2]/name``)."""
    depth = repeat.count("/") + 1
    instances: dict[str, dict] = {}
    for path, text in data.items():
        bare = schema_path(path)
        if not bare.startswith(repeat + "/"):
            continue
        steps = path.split("/")
        key = "/".join(steps[:depth])
        instances.setdefault(key, {})[bare] = text
    return list(instances.values())


def repeats_of(survey: Survey) -> list[Question]:
    return [question for question in survey.walk() if question.kind == "repeat"]


def _rows_of(submissions):
    fields = ("instance_id", "received_at", "review_state", "data")
    return submissions.values_list(*fields).iterator(chunk_size=CHUNK)


def csv_lines(layout: Layout, submissions) -> Iterator[str]:
    """The CSV, a line at a time (``lib.streams``)."""
    rows = (row for submission in _rows_of(submissions) for row in layout.rows(submission))
    return streams.csv_lines(layout.headers, rows)


def geojson_chunks(layout: Layout, submissions, point_path: str) -> Iterator[str]:
    """A FeatureCollection: a Feature per submission with an answer to ``point_path``, its
    coordinates [longitude, latitude], its properties the submission's row."""

    def features():
        for submission in _rows_of(submissions):
            point = geopoint(submission[3].get(point_path, ""))
            if point is None:
                continue
            properties = dict(zip(layout.headers, next(layout.rows(submission)), strict=True))
            yield {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
                "properties": properties,
            }

    return streams.geojson_chunks(features())


def geopoint_paths(survey: Survey) -> list[str]:
    return [q.path for q in answer_questions(survey) if q.kind == "geopoint" and not q.repeats]


def xlsx_chunks(survey: Survey, submissions, *, labels: bool, language=None):
    """The workbook's bytes as they are written (``lib.xlsx``): the submissions on the first
    sheet, each repeat's instances on a sheet of its own (read in a pass of their own)."""
    taken: set = set()
    layouts = [Layout(survey, labels=labels, language=language)]
    layouts += [
        Layout(survey, labels=labels, language=language, repeat=repeat.path)
        for repeat in repeats_of(survey)
    ]
    sheets = [
        (
            xlsx.sheet_name(layout.repeat or survey.id_string, taken),
            layout.headers,
            _layout_rows(layout, submissions),
        )
        for layout in layouts
    ]
    return xlsx.stream_xlsx(sheets, title=survey.id_string)


def _layout_rows(layout: Layout, submissions) -> Iterator[list]:
    for submission in _rows_of(submissions):
        yield from layout.rows(submission)
