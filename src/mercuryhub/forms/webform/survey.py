"""A form's questions as the web form needs them, read from pyxform's survey JSON, and the
languages its labels are written in.

The input is the dict pyxform builds from an XLSForm: `pyxform.xls2xform.convert(path)._pyxform`
(or `pyxform.xls2json.parse_file_to_json`). `Survey.to_json_dict()` will do for a form without
group-level relevant expressions: pyxform leaves a group's `bind` out of it. Choices are read
where pyxform puts them: in the question (`choices`, or `children` in `to_json_dict`) or in the
survey's `choices` under the question's `itemset`/`list_name`.

Paths name a question by its groups and repeats (`household/name`); an answer's path in a
filled-in form also numbers the repeat instances from 0 (`household[1]/name`)."""

import re
from dataclasses import dataclass, field

from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .expressions import Expression, ExpressionError, parse

# pyxform's type names → the kinds of question the web form knows
_KINDS = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "select one": "select_one",
    "select_one": "select_one",
    "select all that apply": "select_multiple",
    "select_multiple": "select_multiple",
    "geopoint": "geopoint",
    "note": "note",
    "calculate": "calculate",
    "group": "group",
    "repeat": "repeat",
    # filled in by the server, never shown
    "start": "metadata",
    "end": "metadata",
    "today": "metadata",
    "deviceid": "metadata",
    "username": "metadata",
    "email": "metadata",
    "phonenumber": "metadata",
    "subscriberid": "metadata",
    "simserial": "metadata",
}
INPUT_KINDS = {"text", "integer", "decimal", "date", "select_one", "select_multiple", "geopoint"}
_TRUE = {"yes", "true", "true()"}
_FALSE = {"", "no", "false", "false()"}
_LANGUAGE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\)\s*$")
# a text given without a language (a plain `label` column)
ANY_LANGUAGE = "default"


@dataclass(frozen=True)
class Choice:
    name: str
    labels: dict
    # the choices sheet's other columns (what a choice_filter reads: region=${region})
    columns: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Language:
    key: str  # as the form writes it: "French (fr)"
    code: str  # "fr", or "" when the form gives none
    name: str  # "French"


@dataclass
class Question:
    """A question, group or repeat. `repeats` are the paths of the repeats around it."""

    name: str
    path: str
    kind: str
    type: str
    labels: dict = field(default_factory=dict)
    hints: dict = field(default_factory=dict)
    choices: tuple = ()
    required: Expression | None = None
    required_messages: dict = field(default_factory=dict)
    constraint: Expression | None = None
    constraint_messages: dict = field(default_factory=dict)
    relevant: Expression | None = None
    calculate: Expression | None = None
    choice_filter: Expression | None = None
    readonly: bool = False
    appearance: str = ""
    default: str = ""
    children: list = field(default_factory=list)
    repeats: tuple = ()

    @property
    def always_required(self) -> bool:
        return self.required is not None and self.required.source == "true()"

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS and not self.readonly and self.calculate is None

    def choice_names(self) -> set[str]:
        return {choice.name for choice in self.choices}


@dataclass
class Survey:
    name: str  # the instance's root element
    id_string: str
    version: str
    title: str
    default_language: str
    children: list
    languages: list
    by_name: dict  # question name → Question, for ${name}
    by_path: dict  # path → Question

    def walk(self):
        """Every question, group and repeat, in the order of the form."""
        yield from _walk(self.children)


def _walk(children):
    for question in children:
        yield question
        yield from _walk(question.children)


def load_survey(survey_json: dict) -> Survey:
    """The survey read from pyxform's JSON; ExpressionError when an expression is outside the
    supported subset or refers to a question the form does not have."""
    choice_lists = survey_json.get("choices") or {}
    children = [
        _question(child, "", (), choice_lists)
        for child in survey_json.get("children", [])
        if not _is_meta(child)
    ]
    by_name, by_path = {}, {}
    for question in _walk(children):
        by_name.setdefault(question.name, question)
        by_path[question.path] = question
    survey = Survey(
        name=str(survey_json.get("name") or "data"),
        id_string=str(survey_json.get("id_string") or survey_json.get("name") or "data"),
        version=str(survey_json.get("version") or ""),
        title=str(survey_json.get("title") or ""),
        default_language=str(survey_json.get("default_language") or ANY_LANGUAGE),
        children=children,
        languages=[],
        by_name=by_name,
        by_path=by_path,
    )
    survey.languages = _languages(survey)
    _check_references(survey)
    return survey


def _is_meta(child: dict) -> bool:
    return child.get("name") == "meta" and child.get("type") == "group"


def _texts(value) -> dict:
    if isinstance(value, dict):
        return {str(key): str(text) for key, text in value.items() if text not in (None, "")}
    if value in (None, ""):
        return {}
    return {ANY_LANGUAGE: str(value)}


def _question(element: dict, parent: str, repeats: tuple, choice_lists: dict) -> Question:
    name = str(element["name"])
    path = f"{parent}{name}"
    element_type = str(element.get("type", ""))
    kind = _KINDS.get(element_type, "unsupported")
    bind = element.get("bind") or {}
    question = Question(
        name=name,
        path=path,
        kind=kind,
        type=element_type,
        labels=_texts(element.get("label")),
        hints=_texts(element.get("hint")),
        required_messages=_texts(bind.get("jr:requiredMsg")),
        constraint_messages=_texts(bind.get("jr:constraintMsg")),
        readonly=str(bind.get("readonly", "")).strip().lower() in _TRUE,
        appearance=str((element.get("control") or {}).get("appearance", "")),
        default=str(element.get("default", "") or ""),
        repeats=repeats,
    )
    question.required = _condition(bind.get("required"), path, "required")
    for column in ("constraint", "relevant", "calculate"):
        source = str(bind.get(column, "") or "").strip()
        if source:
            setattr(question, column, _parsed(source, path, column))
    if kind in ("select_one", "select_multiple"):
        question.choices = _choices(element, choice_lists)
        source = str(element.get("choice_filter", "") or "").strip()
        if source:
            try:
                question.choice_filter = parse(source, choice_columns=True)
            except ExpressionError as error:
                raise error.for_question(f"{path} (choice_filter)") from None
    if kind in ("group", "repeat"):
        inner = (*repeats, path) if kind == "repeat" else repeats
        question.children = [
            _question(child, f"{path}/", inner, choice_lists)
            for child in element.get("children", [])
        ]
    return question


def _condition(value, path: str, column: str) -> Expression | None:
    source = str(value if value is not None else "").strip()
    if source.lower() in _TRUE:
        return parse("true()")
    if source.lower() in _FALSE:
        return None
    return _parsed(source, path, column)


def _parsed(source: str, path: str, column: str) -> Expression:
    try:
        return parse(source)
    except ExpressionError as error:
        raise error.for_question(f"{path} ({column})") from None


_CHOICE_KEYS = {"name", "label", "media", "image", "audio", "video"}


def _choices(element: dict, choice_lists: dict) -> tuple:
    options = element.get("choices") or element.get("children")
    if not options:
        list_name = element.get("itemset") or element.get("list_name")
        options = choice_lists.get(list_name, [])
    return tuple(
        Choice(
            name=str(option["name"]),
            labels=_texts(option.get("label")),
            columns={
                str(key): str(value)
                for key, value in option.items()
                if key not in _CHOICE_KEYS and not isinstance(value, dict | list)
            },
        )
        for option in options
    )


def _check_references(survey: Survey):
    for question in survey.walk():
        for column in ("required", "constraint", "relevant", "calculate", "choice_filter"):
            expression = getattr(question, column)
            for name, position in expression.references if expression else ():
                if name not in survey.by_name:
                    raise ExpressionError(
                        expression.source,
                        position,
                        _("The form has no question named %(name)s") % {"name": name},
                    ).for_question(f"{question.path} ({column})")


# -- languages ----------------------------------------------------------------------------------


def _languages(survey: Survey) -> list[Language]:
    keys = []
    for question in survey.walk():
        texts = [question.labels, question.hints, question.required_messages]
        texts += [question.constraint_messages, *(choice.labels for choice in question.choices)]
        for text in texts:
            keys.extend(key for key in text if key not in keys)
    if survey.default_language in keys:
        keys.remove(survey.default_language)
        keys.insert(0, survey.default_language)
    if len(keys) > 1 and ANY_LANGUAGE in keys:
        keys.remove(ANY_LANGUAGE)
    return [_language(key) for key in keys]


def _language(key: str) -> Language:
    match = _LANGUAGE.match(key)
    if match:
        return Language(key=key, code=match["code"].lower().replace("_", "-"), name=match["name"])
    return Language(key=key, code="", name=key)


def choose_language(survey: Survey, language_code: str | None) -> str | None:
    """The key of the form's language for a request's language code ("fr", "zh-hans"): the
    language with that code, or with the same primary subtag, or with that English name, else
    the form's default language, else its first; None when the form has no label at all."""
    if not survey.languages:
        return None
    code = (language_code or "").lower()
    primary = code.split("-")[0]
    for matches in (
        lambda language: language.code == code,
        lambda language: language.code.split("-")[0] == primary,
        lambda language: language.name.lower() == _english_name(primary),
    ):
        for language in survey.languages:
            if code and matches(language):
                return language.key
    keys = [language.key for language in survey.languages]
    return survey.default_language if survey.default_language in keys else keys[0]


def _english_name(code: str) -> str:
    try:
        return get_language_info(code)["name"].lower()
    except KeyError:
        return ""


def language_code(survey: Survey, key: str | None) -> str:
    """The code of one of the form's languages ("fr"), for a `lang` attribute; "" if unknown."""
    for language in survey.languages:
        if language.key == key:
            return language.code
    return ""


def text_in(texts: dict, language: str | None, survey: Survey) -> str:
    """A label, hint or message in the language, else in the form's default language, else the
    one given without a language, else the first given."""
    for key in (language, survey.default_language, ANY_LANGUAGE):
        if key in texts:
            return texts[key]
    return next(iter(texts.values()), "")
