"""Every tensor of the lesson: name and shape, value and gradient, or — until computed."""

from __future__ import annotations

from functools import lru_cache
from itertools import islice

from rich.text import Text

from ..engine import Trace
from ..engine.notation import brief, shape_text
from ..lessons import Walkthrough
from .styles import CURRENT_ROW, GRAD, HEADING, MUTED, PENDING, VALUE

NOT_YET = "—"
MIN_CELL, MAX_CELL = 10, 28
GAP = 2
ROWS = 200  # a bigger table shows this many rows around the current node, so a key press costs the same at any size


def _shape(shape: tuple[int, ...]) -> str:
    return shape_text(shape) if shape else "scalar"


@lru_cache(maxsize=4)
def _name_width(trace: Trace) -> int:
    """The width of the name column: the longest label and shape of the whole table, once per trace."""
    return max(len(r.label) + 1 + len(_shape(r.shape)) for r in trace.nodes.values())


def row_window(walk: Walkthrough, cursor: int) -> tuple[int, int]:
    """The first and one-past-last node rows to draw: all of them, or ROWS around the current node."""
    total = len(walk.trace.nodes)
    if total <= ROWS:
        return 0, total
    centre = list(walk.trace.nodes).index(walk.trace.steps[cursor - 1].node) if cursor else 0
    first = max(0, min(centre - ROWS // 2, total - ROWS))
    return first, first + ROWS


def render_table(walk: Walkthrough, cursor: int, width: int) -> tuple[Text, Text]:
    """The header and one aligned row per node in topological order, the current node highlighted.

    Plain text rather than a DataTable: it redraws in a fraction of the time on every key press.
    """
    trace = walk.trace
    name_width = _name_width(trace)
    cell = max(MIN_CELL, min(MAX_CELL, (width - name_width - 2 * GAP) // 2))
    current = trace.steps[cursor - 1].node if cursor else None
    output = trace.nodes[trace.output].label
    header = Text("tensor".ljust(name_width + GAP) + "value".ljust(cell + GAP) + f"∂{output}/∂·", style=HEADING)
    rows = []
    first, last = row_window(walk, cursor)
    if first:
        rows.append(Text(f"… {first:,} rows above", style=MUTED))
    for name, record in islice(trace.nodes.items(), first, last):
        label, shape = record.label, _shape(record.shape)
        line = Text(no_wrap=True)
        line.append(label + " ")
        line.append(shape, style=MUTED)
        line.pad_right(name_width + GAP - line.cell_len)
        known = trace.value_known(name, cursor)
        value = brief(record.value, cell) if known else NOT_YET
        line.append(value.ljust(cell + GAP), style=VALUE if known else PENDING)
        known = trace.grad_known(name, cursor)
        line.append(brief(record.grad, cell) if known else NOT_YET, style=GRAD if known else PENDING)
        if name == current:
            line.stylize(CURRENT_ROW)
        rows.append(line)
    if last < len(trace.nodes):
        rows.append(Text(f"… {len(trace.nodes) - last:,} rows below", style=MUTED))
    return header, Text("\n", no_wrap=True).join(rows)



def current_row(walk: Walkthrough, cursor: int) -> int | None:
    """The line of render_table's rows that holds the current node (None before the first step)."""
    if not cursor:
        return None
    first, _ = row_window(walk, cursor)
    return list(walk.trace.nodes).index(walk.trace.steps[cursor - 1].node) - first + (1 if first else 0)
