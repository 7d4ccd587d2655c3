"""The XPath subset of relevant, constraint, calculation and required expressions."""

import datetime
import math

import pytest
from django.utils import timezone

from mercuryhub.forms.webform.expressions import ExpressionError, parse
from mercuryhub.forms.webform.xpath_values import NodeSet


class Answers:
    """A context with fixed answers: ${name} → value, `.` → current."""

    def __init__(self, current="", position=0, **values):
        self.values = values
        self._current = current
        self._position = position

    def value(self, name):
        return self.values.get(name, "")

    def current(self):
        return self._current

    def position(self):
        return self._position


def result(source, **answers):
    return parse(source).evaluate(Answers(**answers))


def test_it_applies_each_arithmetic_operator():
    assert result("7 + 2") == 9
    assert result("7 - 2") == 5
    assert result("7 * 2") == 14
    assert result("7 div 2") == 3.5
    assert result("7 mod 2") == 1
    assert result("-7 mod 2") == -1
    assert result("- 7") == -7
    assert result("--7") == 7


def test_it_gives_multiplication_precedence_over_addition_and_parentheses_over_both():
    assert result("1 + 2 * 3") == 7
    assert result("(1 + 2) * 3") == 9
    assert result("10 - 4 - 3") == 3
    assert result("12 div 3 div 2") == 2


def test_it_gives_and_precedence_over_or_and_comparison_over_and():
    assert result("1 = 1 or 1 = 2 and 1 = 2") is True
    assert result("(1 = 1 or 1 = 2) and 1 = 2") is False
    assert result("1 < 2 = true()") is True


def test_it_compares_numbers_with_each_operator():
    assert [result(f"3 {op} 4") for op in ("=", "!=", "<", "<=", ">", ">=")] == [
        False,
        True,
        True,
        True,
        False,
        False,
    ]


def test_it_compares_a_text_answer_and_a_number_as_numbers():
    assert result("${miners} > 5", miners="12") is True
    assert result("${miners} = 12", miners="12.0") is True
    assert result("${name} = 'Kibi'", name="Kibi") is True
    assert result("${name} = 'kibi'", name="Kibi") is False


def test_it_finds_an_empty_answer_compared_to_a_number_false():
    assert result("${miners} > 5") is False
    assert result("${miners} < 5") is False
    assert result("${miners} = 0") is False
    assert result("number(${miners})") != result("number(${miners})")  # NaN
    assert result("${miners} = ''") is True


def test_it_orders_texts_that_are_not_numbers_as_never_true():
    assert result("'abc' < 'abd'") is False


def test_it_compares_booleans_before_numbers_and_strings():
    assert result("true() = 'x'") is True
    assert result("false() = ''") is True
    assert result("true() = 1") is True


def test_it_compares_dates_with_today_and_with_date_texts():
    today = timezone.localdate()
    assert result("${visited} <= today()", visited=today) is True
    assert result("${visited} > today()", visited=today + datetime.timedelta(days=1)) is True
    assert result("${visited} = '2024-03-27'", visited=datetime.date(2024, 3, 27)) is True
    assert result("today() - ${visited} > 30", visited=today - datetime.timedelta(days=31))


def test_it_reads_the_current_answer_with_a_dot():
    expression = parse(". >= 0 and . < 1000")
    assert expression.test(Answers(current=12.0)) is True
    assert expression.test(Answers(current=1000.0)) is False
    assert expression.test(Answers(current="")) is False


def test_it_tells_which_choices_are_selected_and_how_many():
    assert result("selected(${practices}, 'burn')", practices="amalg burn") is True
    assert result("selected(${practices}, 'bur')", practices="amalg burn") is False
    assert result("count-selected(${practices})", practices="amalg burn") == 2
    assert result("count-selected(${practices})") == 0
    assert result("selected-at(${practices}, 1)", practices="amalg burn") == "burn"


def test_it_measures_and_searches_texts():
    assert result("string-length(${code})", code="GH-12") == 5
    assert result("string-length(.)", current="abc") == 3
    assert result("regex(${code}, '^[A-Z]{2}-[0-9]+$')", code="GH-12") is True
    assert result("regex(${code}, '^[A-Z]{2}-[0-9]+$')", code="gh-12") is False
    assert result("contains(${code}, 'H-1')", code="GH-12") is True
    assert result("starts-with(${code}, 'GH')", code="GH-12") is True
    assert result("ends-with(${code}, '12')", code="GH-12") is True
    assert result("substr('mercury', 0, 3)") == "mer"
    assert result("concat('a', 1, true())") == "a1true"


def test_it_evaluates_the_logical_functions():
    assert result("not(true())") is False
    assert result("not('')") is True
    assert result("true() and false()") is False
    assert result("if(${a} > 1, 'many', 'one')", a="3") == "many"
    assert result("if(${a} > 1, 'many', 'one')", a="1") == "one"
    assert result("coalesce(${a}, 'none')") == "none"
    assert result("coalesce(${a}, 'none')", a="x") == "x"
    assert result("boolean(0)") is False


def test_it_converts_and_rounds_numbers():
    assert math.isnan(result("number('')"))
    assert math.isnan(result("number('12 kg')"))
    assert result("number(' 12.5 ')") == 12.5
    assert result("int(7.9)") == 7
    assert result("int(-7.9)") == -7
    assert result("round(2.5)") == 3
    assert result("round(1.2345, 2)") == 1.23
    assert result("round(-2.5)") == -3
    assert result("floor(2.7) + ceiling(2.1)") == 5
    assert result("abs(-3) + pow(2, 3)") == 11
    assert result("string(2.0)") == "2"
    assert result("string(1 div 0)") == "Infinity"


def test_it_gives_today_as_a_date_and_now_as_an_aware_time():
    assert result("today()") == timezone.localdate()
    assert timezone.is_aware(result("now()"))
    assert result("string(date('2024-03-27'))") == "2024-03-27"


def test_it_counts_and_sums_over_a_repeat():
    ages = NodeSet((30.0, 12.0, ""))
    assert result("count(${age})", age=ages) == 3
    assert math.isnan(result("sum(${age})", age=ages))
    assert result("sum(${age})", age=NodeSet((30.0, 12.0))) == 42
    assert result("max(${age})", age=NodeSet((30.0, 12.0))) == 30
    assert result("${age} > 20", age=NodeSet((30.0, 12.0))) is True
    assert result("${age} > 40", age=NodeSet((30.0, 12.0))) is False
    assert result("count(${household})", household=NodeSet()) == 0
    assert result("join(', ', ${name})", name=NodeSet(("Ana", "Bo"))) == "Ana, Bo"


def test_it_gives_the_position_of_the_repeat_instance():
    assert result("position(..)", position=2) == 2


def test_it_lists_the_names_an_expression_refers_to():
    assert parse("${a} + count(${b}) > ${a}").references == (("a", 0), ("b", 13), ("a", 21))


def test_it_caches_a_parsed_expression():
    assert parse("${a} > 1") is parse("${a} > 1")


@pytest.mark.parametrize(
    ("source", "position", "problem"),
    [
        ("${a} > ", 7, "ends too early"),
        ("foo(${a})", 0, "Unknown function foo()"),
        ("${a} >> 1", 6, "Unexpected “>”"),
        ("string-length()", 0, "Wrong number of arguments for string-length()"),
        ("${a} = 'yes", 7, "not closed"),
        ("/data/a = 1", 0, "Unexpected character “/”"),
        ("${a b}", 0, "${name}"),
        ("selected(${a}, 'x'", 18, "“)” expected"),
        ("a = 1", 0, "not a function call"),
        ("", 0, "empty"),
        ("(1 + 2", 6, "“)” expected"),
        ("1 2", 2, "Unexpected “2”"),
    ],
)
def test_it_refuses_an_expression_outside_the_subset_naming_where(source, position, problem):
    with pytest.raises(ExpressionError) as raised:
        parse(source)
    assert raised.value.position == position
    assert problem in str(raised.value)
    assert f"at character {position + 1} of “{source}”" in str(raised.value)
