"""What a plan's actions add up to, as pure functions of its content (the serialization's shape):
the schedule drawn as a Gantt chart (Annex C 1(k)) and the budget by element. The builder, the
public page, the API and the Word document all read them from here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    """One action on the schedule: its number in the plan, element, activity, responsible body,
    and its period as offsets (in days) from the schedule's first day."""

    number: int
    element: str
    activity: str
    responsible_body: str
    start: datetime.date
    end: datetime.date
    offset_days: int
    length_days: int


@dataclass(frozen=True)
class Schedule:
    first: datetime.date | None
    last: datetime.date | None
    bars: list[Bar]
    # Actions left off the chart for want of a period (their numbers in the plan).
    undated: list[int]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1 if self.first and self.last else 0

    def years(self) -> list[tuple[int, int, int]]:
        """Each calendar year the schedule spans: (year, offset in days, length in days)."""
        if not self.first:
            return []
        found = []
        for year in range(self.first.year, self.last.year + 1):
            start = max(self.first, datetime.date(year, 1, 1))
            end = min(self.last, datetime.date(year, 12, 31))
            found.append((year, (start - self.first).days, (end - start).days + 1))
        return found


def _date(value) -> datetime.date | None:
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def schedule_of(data: dict) -> Schedule:
    """The Gantt chart of the plan's actions, in the order the plan lists them; the chart spans
    the first start to the last end (whole years at least the plan's period where given)."""
    dated, undated = [], []
    for number, action in enumerate(data.get("actions") or [], start=1):
        start, end = _date(action.get("start")), _date(action.get("end"))
        if start and end:
            dated.append((number, action, start, end))
        else:
            undated.append(number)
    if not dated:
        return Schedule(None, None, [], undated)
    first = min(start for _n, _a, start, _e in dated)
    last = max(end for _n, _a, _s, end in dated)
    if data.get("period_start"):
        first = min(first, datetime.date(int(data["period_start"]), 1, 1))
    if data.get("period_end"):
        last = max(last, datetime.date(int(data["period_end"]), 12, 31))
    bars = [
        Bar(
            number=number,
            element=action.get("element") or "",
            activity=action.get("activity") or "",
            responsible_body=action.get("responsible_body") or "",
            start=start,
            end=end,
            offset_days=(start - first).days,
            length_days=(end - start).days + 1,
        )
        for number, action, start, end in dated
    ]
    return Schedule(first, last, bars, undated)


@dataclass(frozen=True)
class BudgetRow:
    element: str
    currency: str
    total: Decimal
    actions: int


def budget_by_element(data: dict, element_order: list[str]) -> list[BudgetRow]:
    """The budget of the plan's actions added up by element and currency (amounts in different
    currencies are never added together), in the order of the Annex C elements; actions
    without a budget are left out."""
    totals: dict[tuple[str, str], list] = {}
    for action in data.get("actions") or []:
        if action.get("budget") in (None, ""):
            continue
        key = (action.get("element") or "", action.get("currency") or "")
        row = totals.setdefault(key, [Decimal(0), 0])
        row[0] += Decimal(str(action["budget"]))
        row[1] += 1
    order = {code: position for position, code in enumerate(element_order)}
    return [
        BudgetRow(element, currency, total, count)
        for (element, currency), (total, count) in sorted(
            totals.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0][1])
        )
    ]


def budget_totals(rows: list[BudgetRow]) -> dict[str, Decimal]:
    """The plan's whole budget in each currency."""
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[row.currency] = totals.get(row.currency, Decimal(0)) + row.total
    return dict(sorted(totals.items()))
