"""What the templates under forms/webform/ draw: a tree of render nodes, one per question, group,
repeat and repeat instance, with their labels in the chosen language, the answers as typed, the
errors and the ids that tie labels, hints and errors to the inputs.

A view puts `build_webform(...)` in its context as `webform`, and its page writes
`{% include "forms/webform/form.html" %}` inside its own
`<form method="post" novalidate data-relevance-url="…">` (see form.html)."""

import re
from dataclasses import dataclass, field

from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .answers import (
    COUNT_PREFIX,
    Scope,
    getlist,
    initial_fields,
    instance_count,
    read_answers,
)
from .repeats import ADD, REMOVE
from .survey import INPUT_KINDS, Question, Survey, language_code, text_in
from .validation import label_for
from .xpath_values import to_string

# A select_one with more choices than this is a drop-down list on the web, whatever its appearance.
DROPDOWN_PAST = 30
_TEMPLATES = {
    "text": "forms/webform/input.html",
    "integer": "forms/webform/input.html",
    "decimal": "forms/webform/input.html",
    "date": "forms/webform/input.html",
    "select_one": "forms/webform/select_one.html",
    "select_multiple": "forms/webform/select_multiple.html",
    "geopoint": "forms/webform/geopoint.html",
    "note": "forms/webform/note.html",
    "group": "forms/webform/group.html",
    "repeat": "forms/webform/repeat.html",
    "unsupported": "forms/webform/unsupported.html",
}
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool


@dataclass
class Node:
    kind: str
    template: str
    path: str  # the instance path: the field's name and the page script's data-path
    label: str
    hint: str = ""
    error: str = ""
    required: bool = False
    value: str = ""
    options: list = field(default_factory=list)
    children: list = field(default_factory=list)
    appearance: str = ""
    autofocus: bool = False
    parts: dict = field(default_factory=dict)  # geopoint: lat, lon, alt, acc as typed
    instances: list = field(default_factory=list)  # repeat: its instance nodes
    blank: "Node | None" = None  # repeat: an empty instance, for the page script to copy
    number: int = 0  # repeat instance: counted from 1
    count: int = 0  # repeat: how many instances

    @property
    def id(self) -> str:
        return f"wf-{self.path}"

    @property
    def hint_id(self) -> str:
        return f"{self.id}-hint" if self.hint else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}-error" if self.error else ""

    @property
    def describedby(self) -> str:
        return " ".join(part for part in (self.hint_id, self.error_id) if part)

    @property
    def input_id(self) -> str:
        """The id of the first input, which the error summary links to."""
        if self.kind == "geopoint":
            return f"{self.id}:lat"
        if self.options and not self.is_dropdown:
            return self.options[0].id
        return self.id

    @property
    def is_dropdown(self) -> bool:
        """A drop-down list where the form asks for one ("minimal"), or where radio buttons
        would make the page too long (a list of countries)."""
        if self.kind != "select_one":
            return False
        return "minimal" in self.appearance.split() or len(self.options) > DROPDOWN_PAST

    @property
    def is_multiline(self) -> bool:
        return self.kind == "text" and "multiline" in self.appearance.split()

    @property
    def input_type(self) -> str:
        return "date" if self.kind == "date" else "text"

    @property
    def inputmode(self) -> str:
        return {"integer": "numeric", "decimal": "decimal"}.get(self.kind, "")

    @property
    def count_name(self) -> str:
        return COUNT_PREFIX + self.path

    @property
    def placeholder(self) -> str:
        """In a blank instance, the index the page script replaces."""
        return self.path.rsplit("[", 1)[-1].rstrip("]") if self.kind == "instance" else ""


@dataclass
class ErrorLink:
    href: str
    label: str
    message: str


@dataclass
class WebForm:
    nodes: list
    errors: list  # ErrorLink, in the order of the form
    language: str  # the language code of the labels ("fr"), "" if the form does not say
    has_geopoint: bool
    add_name: str = ADD
    remove_name: str = REMOVE

    @property
    def text_attributes(self) -> str:
        """The attributes of an element holding the form's own text (labels, hints, choices)."""
        if self.language:
            return format_html(' dir="auto" lang="{}"', self.language)
        return mark_safe(' dir="auto"')  # noqa: S308 - a constant


def build_webform(
    survey: Survey,
    language: str | None,
    data=None,
    errors: dict[str, str] | None = None,
    focus: str | None = None,
) -> WebForm:
    """The render nodes of the form in `language` (a key from `choose_language`), showing the
    fields as submitted (`data`: the POST, `initial_data(survey)` for a new form, or
    `form_data(survey, values)` to edit a submission) and `errors` by instance path; `focus` is
    the repeat instance an "Add another" button added, whose first input gets the focus."""
    builder = _Builder(survey, language, data if data is not None else MultiValueDict(), errors)
    nodes = builder.nodes(survey.children, "")
    if focus:
        builder.focus(nodes, focus)
    links = builder.links + [
        ErrorLink(href="", label=label_for(survey, path, language), message=message)
        for path, message in (errors or {}).items()
        if path not in builder.linked_paths
    ]
    return WebForm(
        nodes=nodes,
        errors=links,
        language=language_code(survey, language),
        has_geopoint=any(question.kind == "geopoint" for question in survey.walk()),
    )


class _Builder:
    def __init__(self, survey: Survey, language: str | None, data, errors):
        self.survey = survey
        self.language = language
        self.data = data
        self.errors = errors or {}
        self.values, _type_errors = read_answers(survey, data)
        self.links: list[ErrorLink] = []
        self.linked_paths: set[str] = set()

    def text(self, texts: dict, path: str) -> str:
        text = text_in(texts, self.language, self.survey)
        if "${" not in text:
            return text
        scope = Scope(self.survey, self.values, path)
        return _REFERENCE.sub(lambda match: to_string(scope.value(match[1])), text)

    def nodes(self, children: list[Question], prefix: str) -> list[Node]:
        built = []
        for question in children:
            path = f"{prefix}{question.name}"
            if question.kind in ("calculate", "metadata") or (
                question.kind in INPUT_KINDS and not question.is_input
            ):
                continue  # computed, or read-only: nothing to answer
            built.append(self.node(question, path))
        return built

    def node(self, question: Question, path: str) -> Node:
        node = Node(
            kind=question.kind,
            template=_TEMPLATES[question.kind],
            path=path,
            label=self.text(question.labels, path) or question.name,
            hint=self.text(question.hints, path),
            error=self.errors.get(path, ""),
            required=question.always_required,
            appearance=question.appearance,
        )
        if question.kind == "group":
            node.children = self.nodes(question.children, f"{path}/")
        elif question.kind == "repeat":
            self.repeat(node, question)
        elif question.kind == "geopoint":
            node.parts = self.geopoint_parts(path)
        elif question.kind in ("select_one", "select_multiple"):
            chosen = set(self.chosen(question, path))
            node.options = [
                Option(
                    value=choice.name,
                    label=self.text(choice.labels, path) or choice.name,
                    id=f"{node.id}-{index}",
                    checked=choice.name in chosen,
                )
                for index, choice in enumerate(question.choices)
            ]
        else:
            found = getlist(self.data, path)
            node.value = found[-1] if found else ""
        if node.error:
            label = label_for(self.survey, path, self.language)
            self.links.append(ErrorLink(f"#{node.input_id}", label, node.error))
            self.linked_paths.add(path)
        return node

    def chosen(self, question: Question, path: str) -> list[str]:
        found = getlist(self.data, path)
        if question.kind == "select_one":
            return found[-1:]
        return [name for item in found for name in item.split()]

    def geopoint_parts(self, path: str) -> dict:
        whole = getlist(self.data, path)
        if whole and whole[-1].split():
            numbers = whole[-1].split() + ["", "", ""]
            return dict(zip(("lat", "lon", "alt", "acc"), numbers[:4], strict=True))
        return {
            part: (getlist(self.data, f"{path}:{part}") or [""])[-1]
            for part in ("lat", "lon", "alt", "acc")
        }

    def repeat(self, node: Node, question: Question):
        node.count = instance_count(self.data, node.path)
        node.instances = [
            self.instance(question, f"{node.path}[{index}]", index) for index in range(node.count)
        ]
        blank_data = MultiValueDict()
        placeholder = f"__INDEX{len(question.repeats)}__"
        instance_path = f"{node.path}[{placeholder}]"
        initial_fields(question.children, f"{instance_path}/", blank_data)
        blank = _Builder(self.survey, self.language, blank_data, {})
        node.blank = blank.instance(question, instance_path, None)

    def instance(self, question: Question, path: str, index: int | None) -> Node:
        return Node(
            kind="instance",
            template="forms/webform/repeat_instance.html",
            path=path,
            label=self.text(question.labels, path) or question.name,
            number=index + 1 if index is not None else 0,
            children=self.nodes(question.children, f"{path}/"),
        )

    def focus(self, nodes: list[Node], path: str):
        for node in nodes:
            if node.path == path and node.kind == "instance":
                first = _first_input(node.children)
                if first is not None:
                    first.autofocus = True
                return
            self.focus(node.children + node.instances, path)


def _first_input(nodes: list[Node]) -> Node | None:
    for node in nodes:
        if node.kind in _TEMPLATES and node.kind not in ("note", "group", "repeat", "unsupported"):
            return node
        found = _first_input(node.children)
        if found is not None:
            return found
    return None
