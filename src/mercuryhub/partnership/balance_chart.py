"""The leaders' balance as small bar charts drawn on the server (SVG, no chart library): one
bar per sector, gender or region, its length the number of leaders. The geometry is here, the
markup in ``templates/partnership/_balance_chart.html``.

Bars run along the reading direction: in a right-to-left language they start at the right (the
positions are mirrored here; the texts keep their ``start`` anchor, which the page's direction
turns)."""

from dataclasses import dataclass

from django.utils.translation import get_language_bidi

WIDTH = 360
PAD = 8
ROW = 44  # a label line and a bar under it
BAR_TOP = 20
BAR_HEIGHT = 14
COUNT_ROOM = 36


@dataclass
class ChartBar:
    label: str
    count: int
    label_x: float
    label_y: float
    bar_x: float
    bar_y: float
    bar_width: float
    count_x: float
    count_y: float


@dataclass
class Chart:
    width: int
    height: int
    bar_height: int
    bars: list[ChartBar]


def balance_chart(rows) -> Chart:
    """``rows``: objects with ``label`` and ``count``, largest first."""
    rtl = get_language_bidi()
    largest = max((row.count for row in rows), default=0) or 1
    room = WIDTH - 2 * PAD - COUNT_ROOM
    bars = []
    for index, row in enumerate(rows):
        top = PAD + index * ROW
        width = round(room * row.count / largest, 2)
        if rtl:
            start, bar_x, count_x = WIDTH - PAD, WIDTH - PAD - width, WIDTH - PAD - width - 6
        else:
            start, bar_x, count_x = PAD, PAD, PAD + width + 6
        bars.append(
            ChartBar(
                label=row.label,
                count=row.count,
                label_x=start,
                label_y=top + 14,
                bar_x=bar_x,
                bar_y=top + BAR_TOP,
                bar_width=width,
                count_x=count_x,
                count_y=top + BAR_TOP + BAR_HEIGHT - 1,
            )
        )
    return Chart(WIDTH, PAD * 2 + ROW * len(bars), BAR_HEIGHT, bars)
