"""The XPath subset of XLSForm's relevant, constraint, calculation and required columns: a
tokenizer, a recursive-descent parser and an evaluator with XPath 1.0's rules for comparing
strings, numbers, booleans, dates and node-sets.

An expression is parsed once (`parse`, cached) into a tree of tuples and evaluated against a
`Context` that answers `${name}` (a value, or a `NodeSet` when the name is inside a repeat the
context is not in), `.` and `position(..)`. Anything outside the subset, an unknown function or
a wrong number of arguments raises `ExpressionError` when parsing, so that a form can be
refused when it is uploaded rather than fail when it is filled in."""

import datetime
import functools
import math
import re
from typing import Protocol

from django.utils.translation import gettext as _

from .xpath_values import FUNCTIONS, NodeSet, to_boolean, to_number, to_string


class ExpressionError(ValueError):
    """An expression outside the supported subset; `position` counts characters from 0."""

    def __init__(self, expression: str, position: int, problem: str):
        self.expression = expression
        self.position = position
        self.problem = problem
        self.question = ""  # the question whose column holds the expression, set by the survey
        super().__init__(self._text())

    def _text(self) -> str:
        where = _("%(problem)s at character %(position)d of “%(expression)s”") % {
            "problem": self.problem,
            "position": self.position + 1,
            "expression": self.expression,
        }
        return f"{self.question}: {where}" if self.question else where

    def for_question(self, question: str) -> "ExpressionError":
        self.question = question
        self.args = (self._text(),)
        return self


class Context(Protocol):
    def value(self, name: str) -> object:
        """The value of ${name}: a str, float, date, datetime, or a NodeSet."""

    def current(self) -> object:
        """The value of `.`, the question being checked."""

    def position(self) -> int:
        """The 1-based number of the repeat instance being evaluated (0 outside repeats)."""

    def column(self, name: str) -> object:
        """A column of the choice a choice_filter is testing (its choices sheet's value)."""


# -- tokens -------------------------------------------------------------------------------------

_NAME = r"[A-Za-z_][A-Za-z0-9_.\-]*"
_TOKEN = re.compile(
    rf"""(?P<space>\s+)
    |(?P<ref>\$\{{(?P<refname>{_NAME})\}})
    |(?P<number>\d+(?:\.\d*)?|\.\d+)
    |(?P<string>'[^']*'|"[^"]*")
    |(?P<op>!=|<=|>=|\.\.|[=<>+\-*(),.])
    |(?P<name>{_NAME}(?::{_NAME})?)""",
    re.VERBOSE,
)
_WORD_OPERATORS = {"and", "or", "div", "mod"}


def _tokenize(source: str) -> list[tuple[str, object, int]]:
    tokens, position = [], 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match:
            if source.startswith("${", position):
                problem = _("A reference must be written ${name}")
            elif source[position] in "'\"":
                problem = _("A text is not closed by its quote")
            else:
                problem = _("Unexpected character “%(character)s”") % {
                    "character": source[position]
                }
            raise ExpressionError(source, position, problem)
        kind = match.lastgroup
        if kind == "refname":
            kind = "ref"
        if kind == "number":
            tokens.append(("literal", float(match.group()), position, match.group()))
        elif kind == "string":
            tokens.append(("literal", match.group()[1:-1], position, match.group()))
        elif kind == "ref":
            tokens.append(("ref", match.group("refname"), position, match.group()))
        elif kind != "space":
            tokens.append((kind, match.group(), position, match.group()))
        position = match.end()
    tokens.append(("end", None, len(source), ""))
    return tokens


# -- parser -------------------------------------------------------------------------------------

_BINARY_LEVELS = (
    {"or"},
    {"and"},
    {"=", "!="},
    {"<", "<=", ">", ">="},
    {"+", "-"},
    {"*", "div", "mod"},
)


class _Parser:
    def __init__(self, source: str, choice_columns: bool = False):
        self.source = source
        self.choice_columns = choice_columns
        self.tokens = _tokenize(source)
        self.index = 0

    def _peek(self):
        return self.tokens[self.index]

    def _next(self):
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _fail(self, problem: str, position: int | None = None):
        raise ExpressionError(
            self.source, self._peek()[2] if position is None else position, problem
        )

    def _operator(self) -> str | None:
        kind, text, _position, _raw = self._peek()
        if kind == "op" or (kind == "name" and text in _WORD_OPERATORS):
            return text
        return None

    def parse(self):
        if self._peek()[0] == "end":
            self._fail(_("The expression is empty"))
        tree = self._binary(0)
        if self._peek()[0] != "end":
            self._fail(_("Unexpected “%(token)s”") % {"token": self._peek()[3]})
        return tree

    def _binary(self, level: int):
        if level == len(_BINARY_LEVELS):
            return self._unary()
        tree = self._binary(level + 1)
        while (operator := self._operator()) in _BINARY_LEVELS[level]:
            self._next()
            tree = ("binary", operator, tree, self._binary(level + 1))
        return tree

    def _unary(self):
        if self._operator() == "-":
            self._next()
            return ("negate", self._unary())
        return self._primary()

    def _primary(self):
        kind, text, position, raw = self._next()
        if kind == "literal":
            return ("literal", text)
        if kind == "ref":
            return ("ref", text, position)
        if kind == "op" and text == ".":
            return ("current",)
        if kind == "op" and text == "..":
            return ("parent",)
        if kind == "op" and text == "(":
            tree = self._binary(0)
            self._expect(")")
            return tree
        if kind == "name" and self._peek()[1] == "(":
            return self._call(text, position)
        if kind == "end":
            self._fail(_("The expression ends too early"), position)
        if kind == "name" and self.choice_columns:
            return ("column", text, position)
        if kind == "name":
            problem = _("“%(name)s” is not a function call; a reference is written ${name}")
            self._fail(problem % {"name": text}, position)
        self._fail(_("Unexpected “%(token)s”") % {"token": raw}, position)

    def _expect(self, text: str):
        if self._peek()[1] != text:
            self._fail(_("“%(token)s” expected") % {"token": text})
        self._next()

    def _call(self, name: str, position: int):
        if name not in ARITIES:
            self._fail(_("Unknown function %(name)s()") % {"name": name}, position)
        self._expect("(")
        arguments = []
        if self._peek()[1] != ")":
            arguments.append(self._binary(0))
            while self._peek()[1] == ",":
                self._next()
                arguments.append(self._binary(0))
        self._expect(")")
        least, most = ARITIES[name]
        if not least <= len(arguments) <= (most if most is not None else len(arguments)):
            self._fail(_("Wrong number of arguments for %(name)s()") % {"name": name}, position)
        return ("call", name, tuple(arguments))


class Expression:
    """A parsed expression; `references` are the names it reads, with their positions."""

    def __init__(self, source: str, tree):
        self.source = source
        self.tree = tree
        self.references = tuple(_references(tree))

    def __repr__(self):
        return f"Expression({self.source!r})"

    def evaluate(self, context: Context) -> object:
        return _evaluate(self.tree, context)

    def test(self, context: Context) -> bool:
        return to_boolean(self.evaluate(context))

    def text(self, context: Context) -> str:
        return to_string(self.evaluate(context))


@functools.lru_cache(maxsize=4096)
def parse(source: str, *, choice_columns: bool = False) -> Expression:
    """The expression parsed, or ExpressionError naming what is wrong and where. With
    ``choice_columns`` (a choice_filter), a bare name is a column of the choice being tested
    (``region=${region}``), read from the context's ``column``."""
    return Expression(source, _Parser(source, choice_columns).parse())


def _references(tree):
    if tree[0] == "ref":
        yield tree[1], tree[2]
    for part in tree[1:]:
        if isinstance(part, tuple) and part and isinstance(part[0], str):
            yield from _references(part)
        elif isinstance(part, tuple):
            for argument in part:
                yield from _references(argument)


# -- evaluation ---------------------------------------------------------------------------------


def _evaluate(tree, context: Context):
    kind = tree[0]
    if kind == "literal":
        return tree[1]
    if kind == "ref":
        return context.value(tree[1])
    if kind == "column":
        return context.column(tree[1])
    if kind == "current":
        return context.current()
    if kind == "parent":
        return NodeSet(("",))
    if kind == "negate":
        return -to_number(_evaluate(tree[1], context))
    if kind == "call":
        return _call(tree[1], tree[2], context)
    operator, left = tree[1], tree[2]
    if operator == "and":
        return to_boolean(_evaluate(left, context)) and to_boolean(_evaluate(tree[3], context))
    if operator == "or":
        return to_boolean(_evaluate(left, context)) or to_boolean(_evaluate(tree[3], context))
    a, b = _evaluate(left, context), _evaluate(tree[3], context)
    if operator in _COMPARISONS:
        return _compare(operator, a, b)
    return _arithmetic(operator, to_number(a), to_number(b))


def _arithmetic(operator: str, a: float, b: float) -> float:
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if operator == "div":
        if b == 0:
            return (
                math.nan
                if a == 0 or math.isnan(a)
                else math.copysign(math.inf, a) * (math.copysign(1, b))
            )
        return a / b
    if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)  # XPath's mod keeps the sign of the dividend


_COMPARISONS = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _compare(operator: str, a, b) -> bool:
    """XPath 1.0: a node-set compares true when one of its nodes does; otherwise equality compares
    booleans, then numbers (dates as days), then strings, and order always compares numbers. NaN,
    as number('') gives, compares false except with !=."""
    if isinstance(a, NodeSet):
        return any(_compare(operator, node, b) for node in a)
    if isinstance(b, NodeSet):
        return any(_compare(operator, a, node) for node in b)
    test = _COMPARISONS[operator]
    if operator in ("=", "!="):
        if isinstance(a, bool) or isinstance(b, bool):
            return test(to_boolean(a), to_boolean(b))
        if not (_is_numeric(a) or _is_numeric(b)):
            return test(to_string(a), to_string(b))
    return test(to_number(a), to_number(b))


def _is_numeric(value) -> bool:
    return isinstance(value, float | datetime.date)


def _call(name: str, arguments: tuple, context: Context):
    if name in _LAZY_FUNCTIONS:
        return _LAZY_FUNCTIONS[name][2](context, *arguments)
    function = FUNCTIONS[name][2]
    return function(*(_evaluate(argument, context) for argument in arguments))


def _if(context, condition, then, otherwise):
    chosen = then if to_boolean(_evaluate(condition, context)) else otherwise
    return _evaluate(chosen, context)


def _position(context, node=None):
    return float(context.position())


# given the context and their arguments unevaluated: (least, most arguments, implementation)
_LAZY_FUNCTIONS = {"if": (3, 3, _if), "position": (0, 1, _position)}
ARITIES = {name: entry[:2] for name, entry in {**FUNCTIONS, **_LAZY_FUNCTIONS}.items()}
