"""The schedule and the budget of a plan as the pages draw them: the Gantt chart's geometry for a
server-rendered SVG (``schedule.schedule_of`` gives the dates) and the budget summary's rows with
the length of their bars (``schedule.budget_by_element``). Pure functions of a plan's content."""

from dataclasses import dataclass

from mercuryhub.nap import schedule as plan_schedule
from mercuryhub.nap.fields import element_codes

# The chart's drawing units: its width, the height of a row and of the years' header.
WIDTH, ROW, HEADER = 800, 24, 26


@dataclass(frozen=True)
class GanttBar:
    bar: plan_schedule.Bar
    x: float
    y: int
    width: float
    text_y: int
    # Where the action's number is written: inside the bar's start, or before it near the end.
    label_x: float
    label_anchor: str


@dataclass(frozen=True)
class GanttYear:
    year: int
    x: float
    width: float
    middle: float


def gantt(data: dict) -> dict:
    """The chart of the plan's dated actions (bars coloured by element, years as columns) and
    the numbers of the undated ones."""
    found = plan_schedule.schedule_of(data)
    if not found.bars:
        return {"schedule": found, "bars": [], "years": [], "height": 0, "width": WIDTH}
    scale = WIDTH / found.days
    years = [
        GanttYear(year, offset * scale, length * scale, (offset + length / 2) * scale)
        for year, offset, length in found.years()
    ]
    bars = []
    for row, bar in enumerate(found.bars):
        y = HEADER + row * ROW + 4
        width = max(bar.length_days * scale, 3)
        x = round(bar.offset_days * scale, 1)
        near_end = x > WIDTH - 40
        bars.append(
            GanttBar(
                bar,
                x,
                y,
                round(width, 1),
                y + 12,
                x - 4 if near_end else x + 4,
                "end" if near_end else "start",
            )
        )
    return {
        "schedule": found,
        "bars": bars,
        "years": years,
        "height": HEADER + len(bars) * ROW + 4,
        "width": WIDTH,
        "elements": sorted({bar.element for bar in found.bars}, key=_element_order()),
    }


def _element_order():
    order = {code: position for position, code in enumerate(element_codes())}
    return lambda code: order.get(code, len(order))


@dataclass(frozen=True)
class BudgetBar:
    row: plan_schedule.BudgetRow
    # The row's total as a share of the largest total in its currency, in percent.
    percent: int


def budget(data: dict) -> dict:
    """The budget by element and currency, each row with a bar as long as its share of the
    largest row in the same currency (amounts in different currencies are not compared)."""
    rows = plan_schedule.budget_by_element(data, element_codes())
    largest: dict[str, float] = {}
    for row in rows:
        largest[row.currency] = max(largest.get(row.currency, 0), float(row.total))
    bars = [
        BudgetBar(
            row,
            round(100 * float(row.total) / largest[row.currency]) if largest[row.currency] else 0,
        )
        for row in rows
    ]
    return {"rows": bars, "totals": plan_schedule.budget_totals(rows)}
