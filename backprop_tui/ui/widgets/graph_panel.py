"""The computational graph by depth, and for the network the unit-level picture."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.geometry import Region

from ...engine.notation import brief, number, subscript
from ...layout import FULL_LIMIT, MORE, Layout, Pieces, layout_graph, neuron_layout, paint
from ...lessons import Walkthrough
from .fitted import Fitted
from .styles import CURRENT, GRAD, MUTED, PENDING, VALUE

PAYLOAD = 10  # cells for a node's value or gradient
UNIT_PAYLOAD = 7


def _styled(layout: Layout, labels: dict[str, tuple[str, str]]) -> Text:
    """Paint labels into the layout and colour each box with its own style."""
    lines = paint(layout, {name: label for name, (label, _) in labels.items()})
    text = Text("\n".join(lines), no_wrap=True)
    for name, (_, style) in labels.items():
        box = layout.boxes[name]
        start = box.row * (layout.width + 1) + box.col
        text.stylize(style, start, start + box.width)
    return text


class GraphPanel(Fitted):
    """Nodes laid out by depth with box-drawing edges; values forward, gradients backward."""

    def load(self, walk: Walkthrough) -> None:
        """Lay the graph out once per lesson: geometry never changes while stepping."""
        trace = walk.trace
        nodes = [(name, record.inputs) for name, record in trace.nodes.items()]
        widths = {name: len(record.label) + 2 + PAYLOAD for name, record in trace.nodes.items()}
        # a big graph is drawn a piece at a time, around the current node
        self._pieces = Pieces(nodes, widths) if len(nodes) > FULL_LIMIT else None
        self._graph = None if self._pieces else layout_graph(nodes, widths)
        self._units = None
        if walk.neurons:
            x, z, y = (trace.nodes[n] for n in walk.neurons)
            self._units = neuron_layout(
                x.value.size, z.value.size, (5 + UNIT_PAYLOAD, 6 + UNIT_PAYLOAD, 2 + UNIT_PAYLOAD)
            )

    def _node_label(self, walk: Walkthrough, name: str, cursor: int, backward: bool) -> tuple[str, str]:
        trace = walk.trace
        record = trace.nodes[name]
        current = cursor and trace.steps[cursor - 1].node == name
        if backward:
            known = trace.grad_known(name, cursor)
            payload, style = ("∂" + brief(record.grad, PAYLOAD - 1), GRAD) if known else ("∂—", PENDING)
        else:
            known = trace.value_known(name, cursor)
            payload, style = ("=" + brief(record.value, PAYLOAD - 1), VALUE) if known else ("=—", PENDING)
        return f"{record.label} {payload}", CURRENT if current else style

    def _unit_labels(self, walk: Walkthrough, cursor: int, backward: bool) -> dict[str, tuple[str, str]]:
        trace = walk.trace
        labels = {}
        for prefix, name, symbol in (("in", walk.neurons[0], "x"), ("hid", walk.neurons[1], "z"), ("out", walk.neurons[2], "y")):
            record = trace.nodes[name]
            use_grad = backward and trace.grad_known(name, cursor)
            known = use_grad or trace.value_known(name, cursor)
            data = np.ravel(record.grad if use_grad else record.value)
            style = GRAD if use_grad else VALUE if known else PENDING
            for box in self._units.boxes:
                if not box.startswith(prefix):
                    continue
                i = int(box[len(prefix):] or 0)
                unit = symbol + (subscript(str(i + 1)) if prefix != "out" else "")
                shown = ("∂" if use_grad else "=") + (number(float(data[i]), 3) if known else "—")
                labels[box] = (f"{unit} {shown}", style)
        return labels

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        backward = cursor > walk.trace.forward_count
        trace = walk.trace
        current = trace.steps[cursor - 1].node if cursor else None
        if self._pieces is not None:
            (text, layout), top = self._piece(walk, cursor, backward), 1  # below the piece's note
        else:
            labels = {name: self._node_label(walk, name, cursor, backward) for name in trace.nodes}
            text, layout, top = _styled(self._graph, labels), self._graph, 0
        if self._units is not None:
            text = _beside(text, self._graph.width, _styled(self._units, self._unit_labels(walk, cursor, backward)), width)
        self.update(text)
        box = layout.boxes.get(current) if current else None
        if box is not None:
            region = Region(box.col, box.row + top, box.width, 1)
            self.call_after_refresh(self._reveal, region)
        self.parent.border_subtitle = "∂ gradient · — not computed yet" if backward else "= value · — not computed yet"

    def _piece(self, walk: Walkthrough, cursor: int, backward: bool) -> tuple[Text, Layout]:
        """The nodes nearest the current one (the first op before any step), with a note on what is left out."""
        trace = walk.trace
        centre = trace.steps[cursor - 1].node if cursor else trace.steps[0].node
        layout, names = self._pieces.around(centre)
        labels = {name: self._node_label(walk, name, cursor, backward) for name in names}
        labels.update((name, (MORE, PENDING)) for name in layout.boxes if name.startswith(MORE))
        note = Text(
            f"{len(names)} of {self._pieces.total:,} nodes, those nearest {trace.nodes[centre].label}; "
            f"{MORE} stands for nodes not drawn",
            style=MUTED,
            no_wrap=True,
        )
        return Text("\n", no_wrap=True).join([note, _styled(layout, labels)]), layout

    def _reveal(self, region: Region) -> None:
        """Scroll the panel so the current node's box shows."""
        if self.parent is not None:
            self.parent.scroll_to_region(region.translate(self.virtual_region.offset), animate=False)


GAP = 4


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
