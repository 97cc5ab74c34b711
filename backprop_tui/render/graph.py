"""The computational graph by depth, and for the network the unit-level picture, as rich text."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.text import Text

from ..engine.notation import brief, number, subscript
from ..layout import FULL_LIMIT, MORE, Box, Layout, Pieces, layout_graph, neuron_layout, paint
from ..lessons import Walkthrough
from .styles import CURRENT, GRAD, MUTED, PENDING, VALUE

PAYLOAD = 10  # cells for a node's value or gradient
UNIT_PAYLOAD = 7  # cells for a unit's value or gradient
UNIT_NAMES = (5, 6, 2)  # cells for the name of an input, a hidden unit and the output, before the payload
GAP = 4  # columns between the graph and the unit picture beside it
UNITS = (("in", "x"), ("hid", "z"), ("out", "y"))  # box-name prefix and symbol of each column of units


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


def _beside(left: Text, left_width: int, right: Text, room: int) -> Text:
    """The unit picture to the right of the graph when both fit, else below it."""
    left_lines, right_lines = left.split("\n"), right.split("\n")
    right_width = max((r.cell_len for r in right_lines), default=0)
    if left_width + GAP + right_width > room:
        return Text("\n", no_wrap=True).join([left, Text(""), right])
    height = max(len(left_lines), len(right_lines))
    # centre the shorter picture vertically against the taller one
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


def legend(walk: Walkthrough, cursor: int) -> str:
    """What the labels show at this cursor: values on the way forward, gradients on the way back."""
    if cursor > walk.trace.forward_count:
        return "∂ gradient · — not computed yet"
    return "= value · — not computed yet"


class GraphPicture:
    """A walkthrough's graph, laid out once (geometry never changes while stepping) and painted per cursor."""

    def __init__(self, walk: Walkthrough):
        self.walk = walk
        trace = walk.trace
        nodes = [(name, record.inputs) for name, record in trace.nodes.items()]
        widths = {name: len(record.label) + 2 + PAYLOAD for name, record in trace.nodes.items()}
        # a big graph is drawn a piece at a time, around the current node
        self._pieces = Pieces(nodes, widths) if len(nodes) > FULL_LIMIT else None
        self._graph = None if self._pieces else layout_graph(nodes, widths)
        self._units: Layout | None = None
        if walk.neurons:
            x, z, _ = (trace.nodes[n] for n in walk.neurons)
            name_in, name_hidden, name_out = UNIT_NAMES
            unit_widths = (name_in + UNIT_PAYLOAD, name_hidden + UNIT_PAYLOAD, name_out + UNIT_PAYLOAD)
            self._units = neuron_layout(x.value.size, z.value.size, unit_widths)

    def paint(self, cursor: int, width: int) -> Picture:
        """Every node's label at this cursor; the unit picture beside the graph if it fits in `width`."""
        walk = self.walk
        trace = walk.trace
        backward = cursor > trace.forward_count
        current = trace.steps[cursor - 1].node if cursor else None
        if self._pieces is not None:
            (text, layout), top = self._piece(self._pieces, cursor, backward), 1  # below the piece's note
        else:
            assert self._graph is not None, "a graph not drawn in pieces is laid out whole"
            labels = {name: self._node_label(name, cursor, backward) for name in trace.nodes}
            text, layout, top = _styled(self._graph, labels), self._graph, 0
        if self._units is not None:
            units = _styled(self._units, self._unit_labels(self._units, cursor, backward))
            text = _beside(text, layout.width, units, width)
        box = layout.boxes.get(current) if current else None
        return Picture(text, None if box is None else Box(box.row + top, box.col, box.width))

    def _node_label(self, name: str, cursor: int, backward: bool) -> tuple[str, str]:
        trace = self.walk.trace
        record = trace.nodes[name]
        current = cursor and trace.steps[cursor - 1].node == name
        if backward:
            known = trace.grad_known(name, cursor)
            payload, style = ("∂" + brief(record.grad, PAYLOAD - 1), GRAD) if known else ("∂—", PENDING)
        else:
            known = trace.value_known(name, cursor)
            payload, style = ("=" + brief(record.value, PAYLOAD - 1), VALUE) if known else ("=—", PENDING)
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
                unit = symbol + (subscript(str(i + 1)) if prefix != "out" else "")
                shown = ("∂" if use_grad else "=") + (number(float(data[i]), 3) if known else "—")
                labels[box] = (f"{unit} {shown}", style)
        return labels

    def _piece(self, pieces: Pieces, cursor: int, backward: bool) -> tuple[Text, Layout]:
        """The nodes nearest the current one (the first op before any step), with a note on what is left out."""
        trace = self.walk.trace
        centre = trace.steps[cursor - 1].node if cursor else trace.steps[0].node
        layout, names = pieces.around(centre)
        labels = {name: self._node_label(name, cursor, backward) for name in names}
        labels.update((name, (MORE, PENDING)) for name in layout.boxes if name.startswith(MORE))
        note = Text(
            f"{len(names)} of {pieces.total:,} nodes, those nearest {trace.nodes[centre].label}; "
            f"{MORE} stands for nodes not drawn",
            style=MUTED,
            no_wrap=True,
        )
        return Text("\n", no_wrap=True).join([note, _styled(layout, labels)]), layout
