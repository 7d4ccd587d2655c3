"""The schedule and the budget summary drawn from a plan's actions."""

import datetime
from decimal import Decimal

from mercuryhub.nap.schedule import budget_by_element, budget_totals, schedule_of
from tests.nap.conftest import action

ORDER = [*"abcdefghijk", "additional"]


def test_the_schedule_spans_the_plan_and_places_each_action():
    data = {
        "period_start": 2027,
        "period_end": 2029,
        "actions": [
            action("b", start="2027-03-01", end="2027-03-31"),
            action("j", start="", end=""),
            action("k", start="2028-01-01", end="2030-06-30"),
        ],
    }
    schedule = schedule_of(data)
    assert (schedule.first, schedule.last) == (
        datetime.date(2027, 1, 1),
        datetime.date(2030, 6, 30),
    )
    assert [(bar.number, bar.offset_days, bar.length_days) for bar in schedule.bars] == [
        (1, 59, 31),
        (3, 365, 912),
    ]
    assert schedule.undated == [2]
    assert schedule.years()[0] == (2027, 0, 365)
    assert schedule.years()[-1] == (2030, 1096, 181)  # 2028 is a leap year


def test_a_plan_without_dated_actions_has_an_empty_schedule():
    schedule = schedule_of({"actions": [action("b", start="", end="")]})
    assert (schedule.bars, schedule.undated, schedule.days) == ([], [1], 0)


def test_budgets_add_up_by_element_and_never_across_currencies():
    data = {
        "actions": [
            action("k", budget="1000", currency="USD"),
            action("b", budget="50000.50", currency="USD"),
            action("b", budget="20000", currency="USD"),
            action("b", budget="3000000", currency="XOF"),
            action("c", budget=None, currency=""),
        ]
    }
    rows = budget_by_element(data, ORDER)
    assert [(row.element, row.currency, row.total, row.actions) for row in rows] == [
        ("b", "USD", Decimal("70000.50"), 2),
        ("b", "XOF", Decimal("3000000"), 1),
        ("k", "USD", Decimal("1000"), 1),
    ]
    assert budget_totals(rows) == {"USD": Decimal("71000.50"), "XOF": Decimal("3000000")}
