"""The computational graph by depth, and for the network the unit-level picture, as rich text."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.text import Text

from ..engine import NodeRecord
from ..engine.notation import brief, number, subscript
from ..layout import FULL_LIMIT, MAX_UNITS, MORE, Box, Layout, Pieces, layout_graph, neuron_layout, paint, shown_units
from ..lessons import Walkthrough
from .styles import CURRENT, GRAD, MUTED, PENDING, VALUE

PAYLOAD = 10  # cells a node's value or gradient (with its = or ∂) gets at least, when it needs them
COMFORT = 34  # cells for a value that leave the unit picture beside the graph: four entries of 3 digits
PIECE_PAYLOAD = 20  # cells at most for a node of a graph drawn a piece at a time
WIDEST = 1000  # more cells than any terminal has: a value written in this many is written whole
GAP = 4  # columns between the graph and the unit picture beside it
UNITS = (("in", "x"), ("hid", "z"), ("out", "y"))  # box-name prefix and symbol of each column of units
NOT_YET = "—"


@dataclass(frozen=True)
class Picture:
    """The painted graph, and where the current node's box is in it (None: not drawn, or no step yet)."""

    text: Text
    current: Box | None


def _styled(layout: Layout, labels: dict[str, tuple[str, str]]) -> Text:
    """Paint labels into the layout and colour each box with its own style."""
    lines = paint(layout, {name: label for name, (label, _) in labels.items()})
    text = Text("\n".join(lines), no_wrap=True)
    for name, (_, style) in labels.items():
        box = layout.boxes[name]
        start = box.row * (layout.width + 1) + box.col
        text.stylize(style, start, start + box.width)
    return text


def _below(top: Text, bottom: Text) -> Text:
    """The unit picture under the graph, a blank line between."""
    return Text("\n", no_wrap=True).join([top, Text(""), bottom])


def _beside(left: Text, left_width: int, right: Text) -> Text:
    """The unit picture to the right of the graph, the shorter one centred on the taller."""
    left_lines, right_lines = left.split("\n"), right.split("\n")
    height = max(len(left_lines), len(right_lines))
    lpad, rpad = (height - len(left_lines)) // 2, (height - len(right_lines)) // 2
    rows = []
    for i in range(height):
        li, ri = i - lpad, i - rpad
        line = left_lines[li].copy() if 0 <= li < len(left_lines) else Text("")
        line.pad_right(left_width + GAP - line.cell_len)
        if 0 <= ri < len(right_lines):
            line.append_text(right_lines[ri])
        rows.append(line)
    return Text("\n", no_wrap=True).join(rows)


def _unit(prefix: str, symbol: str, i: int) -> str:
    """A unit's name: x₁, z₃; the output is just y."""
    return symbol + (subscript(str(i + 1)) if prefix != "out" else "")


def _unit_widths(records: list[NodeRecord]) -> tuple[int, int, int]:
    """Cells for each column of units: its widest name with value or gradient, so none is ever cut."""
    widths = []
    for (prefix, symbol), record in zip(UNITS, records, strict=True):
        values, grads = np.ravel(record.value), np.ravel(record.grad)
        drawn = [i for i in shown_units(values.size, MAX_UNITS) if i is not None]
        numbers = [max(len(number(float(values[i]), 3)), len(number(float(grads[i]), 3))) for i in drawn]
        widths.append(max(len(_unit(prefix, symbol, i)) + 2 + n for i, n in zip(drawn, numbers, strict=True)))
    return widths[0], widths[1], widths[2]


def legend(walk: Walkthrough, cursor: int) -> str:
    """What the labels show at this cursor: values on the way forward, gradients on the way back."""
    if cursor > walk.trace.forward_count:
        return "∂ gradient · — not computed yet"
    return "= value · — not computed yet"


def _payload(record: NodeRecord) -> int:
    """Cells for a node's value and for its gradient, each whole with its = or ∂: the larger."""
    return 1 + max(len(brief(record.value, WIDEST)), len(brief(record.grad, WIDEST)), len(NOT_YET))


class GraphPicture:
    """A walkthrough's graph, painted per cursor; its layout depends only on the width it is given.

    Every node's box holds its label and its value (or gradient) whole when the
    width allows; when it does not, the widest values give up entries first
    (each box gets at most `cap` cells for it, the largest cap that fits).
    """

    def __init__(self, walk: Walkthrough):
        self.walk = walk
        trace = walk.trace
        self._nodes = [(name, record.inputs) for name, record in trace.nodes.items()]
        self._needs = {name: _payload(record) for name, record in trace.nodes.items()}
        self._names = {name: len(record.label) + 1 for name, record in trace.nodes.items()}
        self._layouts: dict[int, Layout] = {}  # by cap
        self._fitted: dict[int, tuple[Layout | None, bool]] = {}  # by room: the graph's layout, units beside
        # a big graph is drawn a piece at a time, around the current node
        self._pieces = Pieces(self._nodes, self._widths(PIECE_PAYLOAD)) if len(self._nodes) > FULL_LIMIT else None
        self._units: Layout | None = None
        if walk.neurons:
            records = [trace.nodes[n] for n in walk.neurons]
            self._units = neuron_layout(records[0].value.size, records[1].value.size, _unit_widths(records))

    def _widths(self, cap: int) -> dict[str, int]:
        return {name: self._names[name] + min(need, cap) for name, need in self._needs.items()}

    def _layout(self, cap: int) -> Layout:
        cap = min(cap, max(self._needs.values()))  # caps above every need lay out the same
        if cap not in self._layouts:
            self._layouts[cap] = layout_graph(self._nodes, self._widths(cap))
        return self._layouts[cap]

    def _cap(self, budget: int) -> int:
        """The largest cap whose layout is at most `budget` wide (PAYLOAD if none is)."""
        low, high = PAYLOAD, max(PAYLOAD, *self._needs.values())
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if self._layout(mid).width <= budget else (low, mid - 1)
        return low

    def _fit(self, room: int) -> tuple[Layout | None, bool]:
        """The graph's layout for `room` columns (None: drawn in pieces) and whether the units go beside it.

        Beside when that leaves the graph's values the cells they would have alone, or COMFORT at least.
        """
        if room not in self._fitted:
            if self._pieces is not None:
                self._fitted[room] = None, False
            else:
                alone = self._cap(room)
                beside = self._units is not None and self._layout(PAYLOAD).width + GAP + self._units.width <= room
                if beside:
                    assert self._units is not None
                    cap = self._cap(room - GAP - self._units.width)
                    beside = cap >= min(alone, COMFORT)
                self._fitted[room] = self._layout(cap if beside else alone), beside
        return self._fitted[room]

    def paint(self, cursor: int, width: int) -> Picture:
        """Every node's label at this cursor, fitted to `width`; the unit picture beside the graph if it fits."""
        walk = self.walk
        trace = walk.trace
        backward = cursor > trace.forward_count
        current = trace.steps[cursor - 1].node if cursor else None
        graph, beside = self._fit(width)
        if graph is None:
            assert self._pieces is not None, "a graph not laid out whole is drawn in pieces"
            (text, layout), top = self._piece(self._pieces, cursor, backward), 1  # below the piece's note
        else:
            labels = {name: self._node_label(graph, name, cursor, backward) for name in trace.nodes}
            text, layout, top = _styled(graph, labels), graph, 0
        if self._units is not None:
            units = _styled(self._units, self._unit_labels(self._units, cursor, backward))
            text = _beside(text, layout.width, units) if beside else _below(text, units)
        box = layout.boxes.get(current) if current else None
        return Picture(text, None if box is None else Box(box.row + top, box.col, box.width))

    def _node_label(self, layout: Layout, name: str, cursor: int, backward: bool) -> tuple[str, str]:
        """The node's label and its value (or gradient) in what its box leaves after the label."""
        trace = self.walk.trace
        record = trace.nodes[name]
        current = cursor and trace.steps[cursor - 1].node == name
        room = layout.boxes[name].width - self._names[name] - 1  # after the label, its space and = or ∂
        if backward:
            known = trace.grad_known(name, cursor)
            payload, style = ("∂" + brief(record.grad, room), GRAD) if known else ("∂" + NOT_YET, PENDING)
        else:
            known = trace.value_known(name, cursor)
            payload, style = ("=" + brief(record.value, room), VALUE) if known else ("=" + NOT_YET, PENDING)
        return f"{record.label} {payload}", CURRENT if current else style

    def _unit_labels(self, units: Layout, cursor: int, backward: bool) -> dict[str, tuple[str, str]]:
        walk = self.walk
        trace = walk.trace
        assert walk.neurons is not None, "only a walkthrough with neurons has a unit picture"
        labels = {}
        for (prefix, symbol), name in zip(UNITS, walk.neurons, strict=True):
            record = trace.nodes[name]
            use_grad = backward and trace.grad_known(name, cursor)
            known = use_grad or trace.value_known(name, cursor)
            data = np.ravel(record.grad if use_grad else record.value)
            style = GRAD if use_grad else VALUE if known else PENDING
            for box in units.boxes:
                if not box.startswith(prefix):
                    continue
                i = int(box[len(prefix) :] or 0)
                shown = ("∂" if use_grad else "=") + (number(float(data[i]), 3) if known else NOT_YET)
                labels[box] = (f"{_unit(prefix, symbol, i)} {shown}", style)
        return labels

    def _piece(self, pieces: Pieces, cursor: int, backward: bool) -> tuple[Text, Layout]:
        """The nodes nearest the current one (the first op before any step), with a note on what is left out."""
        trace = self.walk.trace
        centre = trace.steps[cursor - 1].node if cursor else trace.steps[0].node
        layout, names = pieces.around(centre)
        labels = {name: self._node_label(layout, name, cursor, backward) for name in names}
        labels.update((name, (MORE, PENDING)) for name in layout.boxes if name.startswith(MORE))
        note = Text(
            f"{len(names)} of {pieces.total:,} nodes, those nearest {trace.nodes[centre].label}; "
            f"{MORE} stands for nodes not drawn",
            style=MUTED,
            no_wrap=True,
        )
        return Text("\n", no_wrap=True).join([note, _styled(layout, labels)]), layout
