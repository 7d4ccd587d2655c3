"""A submission's answers as people read them: each with its question's label in the reader's
language (choices by their labels, a repeat's instances numbered), for the submissions table and
a submission's page."""

import re
from dataclasses import dataclass

from django.utils.translation import get_language

from mercuryhub.forms.models import FormVersion
from mercuryhub.forms.webform.expressions import ExpressionError
from mercuryhub.forms.webform.survey import Survey, choose_language, load_survey, text_in

TABLE_QUESTIONS = 3  # the first questions' answers shown in the table
_INDEX = re.compile(r"\[(\d+)\]")
_SHOWN = {"text", "integer", "decimal", "date", "select_one", "select_multiple", "geopoint"}


@dataclass
class Answer:
    path: str
    label: str
    text: str
    is_file: bool = False


class Reader:
    """The labels of one form version in the reader's language; the question names when the
    web form cannot read the version."""

    def __init__(self, version: FormVersion | None):
        self.survey: Survey | None = None
        if version is not None:
            try:
                self.survey = load_survey(version.survey_json)
            except ExpressionError:
                self.survey = None
        self.language = choose_language(self.survey, get_language()) if self.survey else None

    def question(self, path: str):
        return self.survey.by_path.get(_INDEX.sub("", path)) if self.survey else None

    def label(self, path: str) -> str:
        question = self.question(path)
        label = text_in(question.labels, self.language, self.survey) if question else ""
        label = label or path.rsplit("/", 1)[-1]
        numbers = [str(int(number)) for number in _INDEX.findall(path)]
        return f"{label} ({', '.join(numbers)})" if numbers else label

    def text(self, path: str, value: str) -> str:
        question = self.question(path)
        if question is None or not question.choices or not value:
            return value
        labels = {choice.name: choice for choice in question.choices}
        return ", ".join(
            text_in(labels[name].labels, self.language, self.survey) or name
            if name in labels
            else name
            for name in value.split()
        )

    def columns(self) -> list[tuple[str, str]]:
        """The table's first questions: (path, label)."""
        if self.survey is None:
            return []
        found = []
        for question in self.survey.walk():
            if question.kind in _SHOWN and not question.repeats and question.calculate is None:
                found.append((question.path, self.label(question.path)))
            if len(found) == TABLE_QUESTIONS:
                break
        return found

    def answers(self, data: dict, attachments=()) -> list[Answer]:
        """Every answer of a submission, in the order of its instance (meta left out)."""
        files = {attachment.name for attachment in attachments}
        return [
            Answer(path, self.label(path), self.text(path, value), is_file=value in files)
            for path, value in data.items()
            if not path.startswith("meta/") and path != "meta"
        ]
