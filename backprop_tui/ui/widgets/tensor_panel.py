"""Every tensor of the lesson: name and shape, value and gradient, or — until computed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...engine.notation import brief, shape_text
from ...lessons import Walkthrough
from .styles import CURRENT_ROW, GRAD, HEADING, MUTED, PENDING, VALUE

NOT_YET = "—"
MIN_CELL, MAX_CELL = 10, 28
GAP = 2


def _shape(shape: tuple[int, ...]) -> str:
    return shape_text(shape) if shape else "scalar"


def render_table(walk: Walkthrough, cursor: int, width: int) -> tuple[Text, Text]:
    """The header and one aligned row per node in topological order, the current node highlighted.

    Plain text rather than a DataTable: it redraws in a fraction of the time on every key press.
    """
    trace = walk.trace
    names = {name: (r.label, _shape(r.shape)) for name, r in trace.nodes.items()}
    name_width = max(len(label) + 1 + len(shape) for label, shape in names.values())
    cell = max(MIN_CELL, min(MAX_CELL, (width - name_width - 2 * GAP) // 2))
    current = trace.steps[cursor - 1].node if cursor else None
    output = trace.nodes[trace.output].label
    header = Text("tensor".ljust(name_width + GAP) + "value".ljust(cell + GAP) + f"∂{output}/∂·", style=HEADING)
    rows = []
    for name, record in trace.nodes.items():
        label, shape = names[name]
        line = Text(no_wrap=True)
        line.append(label + " ")
        line.append(shape, style=MUTED)
        line.pad_right(name_width + GAP - line.cell_len)
        known = trace.value_known(name, cursor)
        line.append(brief(record.value, cell).ljust(cell + GAP) if known else NOT_YET.ljust(cell + GAP), style=VALUE if known else PENDING)
        known = trace.grad_known(name, cursor)
        line.append(brief(record.grad, cell) if known else NOT_YET, style=GRAD if known else PENDING)
        if name == current:
            line.stylize(CURRENT_ROW)
        rows.append(line)
    return header, Text("\n", no_wrap=True).join(rows)


class TensorPanel(Static):
    """The rows of all tensors for the app's cursor, fitted to the panel's width.

    Its header is a separate Static (the panel's `head`) so that it stays put while the rows scroll.
    """

    def __init__(self, head: Static, **kwargs) -> None:
        super().__init__(**kwargs)
        self.head = head

    _shown: tuple[Walkthrough, int] | None = None

    def show(self, walk: Walkthrough, cursor: int) -> None:
        self._shown = (walk, cursor)
        box = self.parent
        width = box.content_size.width if box is not None and box.content_size.width else 60
        header, rows = render_table(walk, cursor, width)
        self.head.update(header)
        self.update(rows)
        if cursor and box is not None:
            self._keep_visible(box, list(walk.trace.nodes).index(walk.trace.steps[cursor - 1].node))

    @staticmethod
    def _keep_visible(box, row: int) -> None:
        """Scroll the panel just enough that the current node's row shows."""
        top, height = int(box.scroll_y), box.scrollable_content_region.height
        if row < top:
            box.scroll_to(y=row, animate=False)
        elif height and row >= top + height:
            box.scroll_to(y=row - height + 1, animate=False)

    def redraw(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)
