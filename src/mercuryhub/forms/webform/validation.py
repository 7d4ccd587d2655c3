"""Checking a web form as ODK Collect checks it: calculations, then relevance (a question or group
that is not relevant is neither checked nor kept), then required answers, types and constraints,
with a message per field. One evaluator serves the server and the page: `hidden_paths` tells the
page's script which questions to hide."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .answers import Scope, instance_paths, parse_answer, read_answers, repeat_indexes, schema_path
from .survey import Survey, text_in


def validate_submission(
    survey: Survey, data, language: str | None = None, now: datetime.datetime | None = None
) -> tuple[dict, dict[str, str]]:
    """The typed values of a submitted web form and its errors by instance path (empty when it
    may be saved). `data` is the POST (a QueryDict) or a dict of lists; `language` the form's
    language key (`choose_language`) for the form's own messages; `now` fills start and end."""
    values, type_errors = read_answers(survey, data)
    _fill_metadata(survey, values, now or timezone.now())
    hidden = _settle(survey, values)
    errors = {}
    for question in survey.walk():
        if not question.is_input:
            continue
        for path in instance_paths(survey, values, question):
            if _is_under(path, hidden):
                continue
            if path in type_errors:
                errors[path] = type_errors[path]
                continue
            message = _check(survey, values, question, path, language)
            if message:
                errors[path] = message
    return values, errors


def hidden_paths(survey: Survey, data) -> list[str]:
    """The instance paths of the questions, groups and repeat instances that are not relevant
    for the data (the web form's fields), outermost only, in the order of the form."""
    return live_state(survey, data)["hidden"]


def live_state(survey: Survey, data) -> dict:
    """What the page's script shows for the data (the web form's fields): ``hidden``, as
    hidden_paths, and ``choices``, the choices each filtered question offers now (its
    choice_filter), by instance path."""
    values, _errors = read_answers(survey, data)
    hidden = _settle(survey, values)
    choices = {}
    for question in survey.walk():
        if question.choice_filter is None:
            continue
        for path in instance_paths(survey, values, question):
            if not _is_under(path, hidden):
                choices[path] = [
                    choice.name for choice in offered_choices(survey, values, question, path)
                ]
    return {"hidden": hidden, "choices": choices}


class _ChoiceScope(Scope):
    """A choice_filter's context: the answers, and the columns of the choice it tests."""

    def __init__(self, survey: Survey, values: dict, path: str, choice):
        super().__init__(survey, values, path)
        self.choice = choice

    def column(self, name: str):
        if name == "name":
            return self.choice.name
        return self.choice.columns.get(name, "")


def offered_choices(survey: Survey, values: dict, question, path: str) -> list:
    """The choices the question offers for these answers: all, or those its choice_filter
    keeps (``region=${region}``: the countries of the region answered)."""
    if question.choice_filter is None:
        return list(question.choices)
    return [
        choice
        for choice in question.choices
        if question.choice_filter.test(_ChoiceScope(survey, values, path, choice))
    ]


def relevant_values(survey: Survey, values: dict) -> tuple[dict, list[str]]:
    """Values with those of questions that are not relevant left out, and the paths left out."""
    values = dict(values)
    return values, _relevance(survey, values)


def _settle(survey: Survey, values: dict) -> list[str]:
    """Calculations, relevance (dropping what is not relevant), calculations again."""
    _calculate(survey, values, [])
    _calculate(survey, values, [])
    hidden = _relevance(survey, values)
    _calculate(survey, values, hidden)
    return hidden


def _fill_metadata(survey: Survey, values: dict, now: datetime.datetime):
    for question in survey.children:
        if question.type in ("start", "end"):
            values[question.path] = timezone.localtime(now).isoformat(timespec="milliseconds")
        elif question.type == "today":
            values[question.path] = timezone.localtime(now).date().isoformat()


def _calculate(survey: Survey, values: dict, hidden: list[str]):
    for question in survey.walk():
        if question.calculate is None:
            continue
        for path in instance_paths(survey, values, question):
            values.pop(path, None)
            if _is_under(path, hidden):
                continue
            text = question.calculate.text(Scope(survey, values, path))
            value = text
            if question.kind not in ("calculate", "text", "note", "unsupported"):
                value, _error = parse_answer(question, text)
            if value not in (None, ""):
                values[path] = value


def _relevance(survey: Survey, values: dict) -> list[str]:
    hidden = []

    def visit(children, prefix: str):
        for question in children:
            path = f"{prefix}{question.name}"
            if question.kind == "repeat":
                for index in range(values.get(path, 0)):
                    instance = f"{path}[{index}]"
                    if _is_relevant(survey, values, question, instance):
                        visit(question.children, f"{instance}/")
                    else:
                        hidden.append(instance)
                        _drop(values, instance)
            elif not _is_relevant(survey, values, question, path):
                hidden.append(path)
                _drop(values, path)
            elif question.kind == "group":
                visit(question.children, f"{path}/")

    visit(survey.children, "")
    return hidden


def _is_relevant(survey: Survey, values: dict, question, path: str) -> bool:
    return question.relevant is None or question.relevant.test(Scope(survey, values, path))


def _drop(values: dict, path: str):
    for key in [key for key in values if key == path or key.startswith(f"{path}/")]:
        del values[key]


def _is_under(path: str, hidden: list[str]) -> bool:
    return any(path == top or path.startswith(f"{top}/") for top in hidden)


def _check(survey: Survey, values: dict, question, path: str, language: str | None) -> str:
    scope = Scope(survey, values, path)
    if path not in values:
        if question.required is not None and question.required.test(scope):
            custom = text_in(question.required_messages, language, survey)
            return custom or _("This question is required.")
        return ""
    if question.choice_filter is not None:
        offered = {choice.name for choice in offered_choices(survey, values, question, path)}
        answer = values[path]
        chosen = answer if isinstance(answer, list | tuple) else [answer]
        refused = [name for name in chosen if name not in offered]
        if refused:
            label = text_in(question.labels, language, survey) or question.name
            return _(
                "“%(choice)s” is not one of the choices of “%(question)s” for the answers given "
                "above."
            ) % {"choice": refused[0], "question": label}
    if question.constraint is not None and not question.constraint.test(scope):
        custom = text_in(question.constraint_messages, language, survey)
        label = text_in(question.labels, language, survey) or question.name
        return custom or _("The answer to “%(question)s” is not accepted.") % {"question": label}
    return ""


def label_for(survey: Survey, path: str, language: str | None) -> str:
    """The label of the question at an instance path, with the instance numbers of its repeats
    ("Name (Household 2)"), for messages that name a field."""
    question = survey.by_path.get(schema_path(path))
    label = text_in(question.labels, language, survey) if question else path
    indexes = repeat_indexes(path)
    if not indexes:
        return label or path
    numbers = ", ".join(
        f"{text_in(survey.by_path[repeat].labels, language, survey) or repeat} {index + 1}"
        for repeat, index in indexes.items()
        if repeat in survey.by_path
    )
    return f"{label} ({numbers})"
