"""Every tensor of the lesson: name and shape, value and gradient, or — until computed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from ...engine.notation import brief, shape_text
from ...lessons import Walkthrough
from .styles import GRAD, MUTED, PENDING, VALUE

NOT_YET = Text("—", style=PENDING)
MIN_CELL, MAX_CELL = 10, 26


def _shape(shape: tuple[int, ...]) -> str:
    return shape_text(shape) if shape else "scalar"


class TensorPanel(DataTable, can_focus=False):
    """A table with one row per node, refreshed cell by cell as the cursor moves."""

    cell_width = MIN_CELL

    def on_mount(self) -> None:
        self.zebra_stripes = True
        self.cursor_type = "row"

    _name_width = 10

    def _cell(self) -> int:
        """Value and gradient columns share what the name column leaves of the panel's width."""
        room = self.size.width or 80
        return max(MIN_CELL, min(MAX_CELL, (room - self._name_width - 7) // 2))

    def load(self, walk: Walkthrough) -> None:
        """New lesson or new width: one row per node, in topological order."""
        self.clear(columns=True)
        names = {name: Text.assemble(r.label, " ", (_shape(r.shape), MUTED)) for name, r in walk.trace.nodes.items()}
        self._name_width = max(n.cell_len for n in names.values())
        self.cell_width = self._cell()
        output = walk.trace.nodes[walk.trace.output].label
        self.add_column("tensor", key="name")
        self.add_column("value", key="value", width=self.cell_width)
        self.add_column(f"∂{output}/∂·", key="grad", width=self.cell_width)
        for name, label in names.items():
            self.add_row(label, NOT_YET, NOT_YET, key=name)

    def on_resize(self) -> None:
        """Re-lay the columns if the new width calls for other cell widths."""
        if self._shown is not None and self._cell() != self.cell_width:
            walk, cursor = self._shown
            self.load(walk)
            self.show(walk, cursor)

    _shown: tuple[Walkthrough, int] | None = None

    def show(self, walk: Walkthrough, cursor: int) -> None:
        self._shown = (walk, cursor)
        trace = walk.trace
        width = self.cell_width
        for name, record in trace.nodes.items():
            value = Text(brief(record.value, width), style=VALUE) if trace.value_known(name, cursor) else NOT_YET
            grad = Text(brief(record.grad, width), style=GRAD) if trace.grad_known(name, cursor) else NOT_YET
            self.update_cell(name, "value", value)
            self.update_cell(name, "grad", grad)
        if cursor:
            self.move_cursor(row=self.get_row_index(trace.steps[cursor - 1].node), scroll=True)
