"""Where an inventory's mercury goes, as a flow diagram (a Sankey diagram) drawn on the server
as SVG: the source categories on one side, the pathways on the other, a band from each category
to each pathway it sends mercury to, as wide as the quantity (the middle of its range). The
geometry is here, the markup in ``templates/inventory/_flow_chart.html``.

Every band, and every node, uses one scale (``FLOW_HEIGHT`` units for the whole input), so that
widths compare across the drawing; a node is given at least the room its label needs, the
extra as space around it. Right to left, the drawing is mirrored (categories on the right)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from mercuryhub.inventory.calculation import Range, Results
from mercuryhub.inventory.charts import Mirror, isolated, kg_text, svg_number, wrap
from mercuryhub.inventory.templatetags.inventory_tags import range_text
from mercuryhub.inventory.vocabulary import pathways

WIDTH = 800
PAD = 10
LABEL_ROOM = 210  # each side's column of labels
NODE_WIDTH = 14
FLOW_HEIGHT = 320  # the whole input's height
GAP = 12  # at least between two nodes
LINE = 16
LABEL_CHARACTERS = 28
SOURCE_X = LABEL_ROOM
TARGET_X = WIDTH - LABEL_ROOM - NODE_WIDTH


@dataclass(frozen=True)
class Node:
    key: str
    style: str
    x: float
    y: float
    height: float
    label_x: float
    label_lines: list[tuple[str, float]]  # (text, y): the name, then the quantity
    title: str


@dataclass(frozen=True)
class Band:
    source: str
    target: str
    style: str
    # Its width at both ends (the same: the quantity on the one scale).
    thickness: float
    path: str
    title: str


@dataclass(frozen=True)
class FlowChart:
    width: int
    height: float
    sources: list[Node]
    targets: list[Node]
    bands: list[Band]
    rtl: bool
    node_width: int = NODE_WIDTH


@dataclass(frozen=True)
class _Side:
    key: str
    style: str
    label: str
    value: Range


def _place(side: list[_Side], scale: float, x: float, label_x: float, mirror: Mirror) -> list[Node]:
    """The nodes of one side from the top, each in a slot of at least its label's height."""
    nodes, y = [], float(PAD)
    for item in side:
        height = float(item.value.middle) * scale
        names = wrap(item.label, LABEL_CHARACTERS, 3)
        texts = [*names, kg_text(item.value)]
        slot = max(height, len(texts) * LINE)
        top = y + (slot - height) / 2
        first = y + (slot - len(texts) * LINE) / 2 + 12
        nodes.append(
            Node(
                key=item.key,
                style=item.style,
                x=mirror.box(x, NODE_WIDTH),
                y=svg_number(top),
                height=svg_number(max(height, 1)),
                label_x=mirror.point(label_x),
                label_lines=[(text, svg_number(first + n * LINE)) for n, text in enumerate(texts)],
                title=f"{item.label}: {kg_text(item.value)}",
            )
        )
        y += slot + GAP
    return nodes


def _band_path(x0: float, y0: float, x1: float, y1: float, thickness: float, mirror: Mirror) -> str:
    """A band from (x0, y0) to (x1, y1), its top edge, of ``thickness``: two cubic curves
    joined by the ends' straight edges."""
    middle = (x0 + x1) / 2
    a, m, b = (mirror.point(value) for value in (x0, middle, x1))
    n = svg_number
    return (
        f"M{a} {n(y0)}C{m} {n(y0)} {m} {n(y1)} {b} {n(y1)}"
        f"L{b} {n(y1 + thickness)}C{m} {n(y1 + thickness)} {m} {n(y0 + thickness)} "
        f"{a} {n(y0 + thickness)}Z"
    )


def _bands(lines, used, sources, targets, scale: float, mirror: Mirror) -> list[Band]:
    """A band per line and pathway it sends mercury to: leaving its source below the bands
    before it (in the pathways' order), entering its target below those from the sources
    above."""
    leaving = {node.key: node.y for node in sources}
    entering = {node.key: node.y for node in targets}
    bands = []
    for line in lines:
        for pathway in used:
            value: Range = line.outputs[pathway.code]
            if value.middle <= Decimal(0):
                continue
            thickness = float(value.middle) * scale
            source, target = line.category.code, pathway.code
            title = _("%(category)s to %(pathway)s: %(range)s kg a year") % {
                "category": line.category.local_label,
                "pathway": pathway.local_label,
                "range": isolated(range_text(value)),
            }
            path = _band_path(
                SOURCE_X + NODE_WIDTH,
                leaving[source],
                TARGET_X,
                entering[target],
                thickness,
                mirror,
            )
            bands.append(
                Band(source, target, f"pathway-{target}", svg_number(thickness), path, title)
            )
            leaving[source] += thickness
            entering[target] += thickness
    return bands


def flow_chart(results: Results, *, rtl: bool) -> FlowChart | None:
    """The diagram of the results' lines and the pathways they send mercury to; None for
    results without mercury."""
    total = float(results.total.middle)
    if total <= 0:
        return None
    mirror = Mirror(WIDTH, rtl)
    scale = FLOW_HEIGHT / total
    lines = [line for line in results.lines if line.input.middle > 0]
    used = [p for p in pathways() if results.by_pathway[p.code].middle > 0]
    sources = _place(
        [_Side(ln.category.code, "source", ln.category.local_label, ln.input) for ln in lines],
        scale,
        SOURCE_X,
        SOURCE_X - 8,
        mirror,
    )
    targets = _place(
        [
            _Side(p.code, f"pathway-{p.code}", p.local_label, results.by_pathway[p.code])
            for p in used
        ],
        scale,
        TARGET_X,
        TARGET_X + NODE_WIDTH + 8,
        mirror,
    )
    bottom = max(
        max(node.y + node.height, node.label_lines[-1][1] + 4) for node in sources + targets
    )
    return FlowChart(
        width=WIDTH,
        height=svg_number(bottom + PAD),
        sources=sources,
        targets=targets,
        bands=_bands(lines, used, sources, targets, scale, mirror),
        rtl=rtl,
    )
