"""Bar charts of inventory results, drawn on the server as SVG (no chart library): their geometry
here, their markup in ``templates/inventory/_bar_chart.html``.

- ``stacked_by_category``: a bar per source category, a segment per pathway (the middle of
  each range), a line across each bar from the low to the high end of its range;
- ``grouped_by_pathway``: the comparison's chart, a group per pathway, a bar per inventory.

Bars run along the reading direction: in a right-to-left language they start at the right and
the whole drawing is mirrored here (the texts keep their anchors: the page's direction turns
them). The drawing has fixed units (``WIDTH``) and scales with its box; the page lets it scroll
sideways where it would be too small to read."""

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from mercuryhub.inventory.calculation import Range, Results
from mercuryhub.inventory.templatetags.inventory_tags import range_text, rounded
from mercuryhub.inventory.vocabulary import pathways

# The drawing's units: its width, the margins, the room kept after a bar for its figures.
WIDTH = 720
PAD = 10
VALUE_ROOM = 120
PLOT_LEFT, PLOT_RIGHT = PAD, WIDTH - PAD - VALUE_ROOM
LABEL_LINE = 18
LABEL_CHARACTERS = 84
AXIS_ROOM = 26
# Unicode's left-to-right isolate: figures keep their order inside right-to-left text.
LTR, POP = "\u2066", "\u2069"


def svg_number(value: float) -> float:
    return round(float(value), 2)


def isolated(text: str) -> str:
    return f"{LTR}{text}{POP}"


def kg_text(value: Range) -> str:
    """A range for the drawing's texts: "245–415 kg", its figures kept left to right."""
    return _("%(range)s kg") % {"range": isolated(range_text(value))}


def _width_of(character: str) -> int:
    return 2 if unicodedata.east_asian_width(character) in {"W", "F"} else 1


def wrap(text: str, width: int, lines: int) -> list[str]:
    """``text`` cut into at most ``lines`` lines of about ``width`` characters (a Chinese
    character counts two), at spaces where there are, the last ending with "…" when cut."""
    found, current, used = [], "", 0
    for word in text.split(" "):
        size = sum(_width_of(c) for c in word)
        if current and used + 1 + size <= width:
            current, used = f"{current} {word}", used + 1 + size
            continue
        if current:
            found.append(current)
        current, used = "", 0
        for character in word:  # a word wider than a line (Chinese has no spaces) is split
            if used + _width_of(character) > width:
                found.append(current)
                current, used = "", 0
            current, used = current + character, used + _width_of(character)
    if current:
        found.append(current)
    if len(found) > lines:
        found = found[:lines]
        found[-1] = found[-1][: max(1, len(found[-1]) - 1)].rstrip() + "…"
    return found


def nice_scale(largest: Decimal) -> tuple[float, float]:
    """The end of an axis at or above ``largest`` and its step (1, 2, 2.5 or 5 times a power of
    ten, about five steps)."""
    value = float(largest)
    if value <= 0:
        return 1.0, 0.25
    rough = value / 5
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    return math.ceil(value / step - 1e-9) * step, step


@dataclass(frozen=True)
class Part:
    """What a bar is made of: a segment's style (``pathway-air``, ``series-0``), its key (a
    pathway's code, an inventory's number), its quantity and the text that names it."""

    style: str
    key: str
    value: Range
    title: str


@dataclass(frozen=True)
class BarInput:
    key: str
    parts: list[Part]
    total: Range
    title: str


@dataclass(frozen=True)
class RowInput:
    key: str
    label: str
    bars: list[BarInput]


@dataclass(frozen=True)
class Segment:
    style: str
    key: str
    x: float
    width: float
    title: str


@dataclass(frozen=True)
class Bar:
    key: str
    y: float
    height: float
    middle_y: float
    segments: list[Segment]
    # The low–high line: None where low and high are the same.
    low_x: float | None
    high_x: float | None
    # Its ends: short lines across, a little taller than the bar.
    cap_y: float
    cap_height: float
    value_text: str
    value_x: float
    title: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    label_lines: list[tuple[str, float]]  # (text, y)
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: float
    rows: list[Row]
    ticks: list[Tick]
    grid_top: float
    grid_bottom: float
    axis_y: float
    label_x: float
    rtl: bool
    # (style, name) of what the colours stand for, in the order of the bars' segments.
    legend: list[tuple[str, str]]


class Mirror:
    """x as drawn in a drawing ``width`` wide: mirrored about its middle right to left."""

    def __init__(self, width: float, rtl: bool):
        self.width, self.rtl = width, rtl

    def point(self, x: float) -> float:
        return svg_number(self.width - x if self.rtl else x)

    def box(self, x: float, width: float) -> float:
        """Where a box of ``width`` starting at ``x`` (left to right) starts as drawn."""
        return svg_number(self.width - x - width if self.rtl else x)


def layout_bars(
    rows: list[RowInput], legend: list[tuple[str, str]], *, bar_height: int, rtl: bool
) -> BarChart:
    """The geometry of horizontal bars in rows, each row a label over one or more bars."""
    bars = [bar for row in rows for bar in row.bars]
    top, step = nice_scale(max((bar.total.high for bar in bars), default=Decimal(0)))
    scale = (PLOT_RIGHT - PLOT_LEFT) / top
    mirror = Mirror(WIDTH, rtl)
    drawn_rows, y = [], PAD
    for row in rows:
        lines = wrap(row.label, LABEL_CHARACTERS, 2)
        label_lines = [(text, y + 14 + n * LABEL_LINE) for n, text in enumerate(lines)]
        y += len(lines) * LABEL_LINE + 4
        drawn_bars = []
        for bar in row.bars:
            drawn_bars.append(_bar(bar, y, bar_height, scale, mirror))
            y += bar_height + 4
        drawn_rows.append(Row(row.key, row.label, label_lines, drawn_bars))
        y += 10
    grid_bottom = y - 6
    ticks = [
        Tick(mirror.point(PLOT_LEFT + n * step * scale), rounded(Decimal(str(n * step))))
        for n in range(round(top / step) + 1)
    ]
    return BarChart(
        width=WIDTH,
        height=svg_number(grid_bottom + AXIS_ROOM),
        rows=drawn_rows,
        ticks=ticks,
        grid_top=PAD,
        grid_bottom=svg_number(grid_bottom),
        axis_y=svg_number(grid_bottom + 18),
        label_x=mirror.point(PLOT_LEFT),
        rtl=rtl,
        legend=legend,
    )


def _bar(bar: BarInput, y: float, height: int, scale: float, mirror: Mirror) -> Bar:
    segments, x = [], float(PLOT_LEFT)
    for part in bar.parts:
        width = float(part.value.middle) * scale
        if width > 0:
            segments.append(
                Segment(part.style, part.key, mirror.box(x, width), svg_number(width), part.title)
            )
        x += width
    low = PLOT_LEFT + float(bar.total.low) * scale
    high = PLOT_LEFT + float(bar.total.high) * scale
    spread = bar.total.high > bar.total.low
    return Bar(
        key=bar.key,
        y=svg_number(y),
        height=height,
        middle_y=svg_number(y + height / 2),
        segments=segments,
        low_x=mirror.point(low) if spread else None,
        high_x=mirror.point(high) if spread else None,
        cap_y=svg_number(y - 3),
        cap_height=height + 6,
        value_text=kg_text(bar.total),
        value_x=mirror.point(max(high, x) + 6),
        title=bar.title,
    )


def _part_title(first: str, second: str, value: Range) -> str:
    return _("%(first)s, %(second)s: %(range)s kg a year") % {
        "first": first,
        "second": second,
        "range": isolated(range_text(value)),
    }


def stacked_by_category(results: Results, *, rtl: bool) -> BarChart | None:
    """A bar per line of the results, a segment per pathway it sends mercury to; None for
    results without mercury."""
    if not results.total.high:
        return None
    rows = []
    for line in results.lines:
        label = line.category.local_label
        parts = [
            Part(
                f"pathway-{pathway.code}",
                pathway.code,
                line.outputs[pathway.code],
                _part_title(label, pathway.local_label, line.outputs[pathway.code]),
            )
            for pathway in pathways()
        ]
        title = _("%(category)s: %(range)s kg a year") % {
            "category": label,
            "range": isolated(range_text(line.input)),
        }
        bar = BarInput(line.category.code, parts, line.input, title)
        rows.append(RowInput(line.category.code, label, [bar]))
    legend = [
        (f"pathway-{p.code}", p.local_label) for p in pathways() if results.by_pathway[p.code].high
    ]
    return layout_bars(rows, legend, bar_height=22, rtl=rtl)


def grouped_by_pathway(series: list[tuple[str, dict[str, Range]]], *, rtl: bool) -> BarChart | None:
    """A group per pathway (those with mercury in one of the series at least), a bar per series
    (name, quantity per pathway); None where no series has mercury."""
    rows = []
    for pathway in pathways():
        values = [by_pathway[pathway.code] for _name, by_pathway in series]
        if not any(value.high for value in values):
            continue
        bars = []
        for number, ((name, _values), value) in enumerate(zip(series, values, strict=True)):
            title = _part_title(pathway.local_label, name, value)
            part = Part(f"series-{number}", str(number + 1), value, title)
            bars.append(BarInput(str(number + 1), [part], value, title))
        rows.append(RowInput(pathway.code, pathway.local_label, bars))
    if not rows:
        return None
    legend = [(f"series-{number}", name) for number, (name, _values) in enumerate(series)]
    return layout_bars(rows, legend, bar_height=14, rtl=rtl)
