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
GAP = 2
WIDEST = 1000  # more cells than any terminal has: a value written in this many is written whole
SPLITS = 16  # splits of a narrow row between value and gradient tried at most
ROWS = 200  # a bigger table shows this many rows around the current node, so a key press costs the same at any size


def _shape(shape: tuple[int, ...]) -> str:
    return shape_text(shape) if shape else "scalar"


@lru_cache(maxsize=4)
def _name_width(trace: Trace) -> int:
    """The width of the name column: the longest label and shape of the whole table, once per trace."""
    return max(len(r.label) + 1 + len(_shape(r.shape)) for r in trace.nodes.values())


@lru_cache(maxsize=4)
def _whole_widths(trace: Trace) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Every value's and every gradient's width when written whole, once per trace."""
    values = tuple(len(brief(r.value, WIDEST)) for r in trace.nodes.values())
    grads = tuple(len(brief(r.grad, WIDEST)) for r in trace.nodes.values())
    return values, grads


def _entries(text: str) -> int:
    """How many entries a brief text shows."""
    return sum(part != "…" for part in text.strip("[]").split())


def _shown(trace: Trace, value: int, grad: int) -> int:
    """Entries the table shows with these value and gradient cells (values and gradients of every row)."""
    return sum(
        _entries(brief(r.value, value)) + _entries(brief(r.grad, grad)) for r in trace.nodes.values()
    )


@lru_cache(maxsize=16)
def cell_widths(trace: Trace, width: int) -> tuple[int, int, int]:
    """The name, value and gradient columns' widths in `width` cells (GAP between columns).

    Each column gets what its widest entry needs when both fit. Else the split shows
    the most entries (the fairest split among equals), each column a third of the
    room at least, trying the splits at which a row's value or gradient becomes
    whole; a table too long to count splits evenly unless one column needs less than half.
    """
    name = _name_width(trace)
    values, grads = _whole_widths(trace)
    value, grad = max(max(values), len("value")), max(grads)
    room = max(width - name - 2 * GAP, 2 * len("[…]"))  # narrower than that, lines run over
    if value + grad <= room:
        return name, value, room - value
    half = room // 2
    if value <= half:
        return name, value, room - value
    if grad <= room - half:
        return name, room - grad, grad
    if len(values) > ROWS:
        return name, half, room - half
    least, most = max(room // 3, len("[…]")), room - max(room // 3, len("[…]"))  # each column a third at least
    splits = {half} | {v for v in values if least <= v <= most} | {room - g for g in grads if least <= room - g <= most}
    if len(splits) > SPLITS:  # a sample of them, always with the even one
        ordered = sorted(splits)
        splits = {half} | {ordered[k * len(ordered) // SPLITS] for k in range(SPLITS)}
    best = max(splits, key=lambda v: (_shown(trace, v, room - v), min(v, room - v)))
    return name, best, room - best


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
    name_width, cell, grad_cell = cell_widths(trace, width)
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
        line.append(brief(record.grad, grad_cell) if known else NOT_YET, style=GRAD if known else PENDING)
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


def table_height(walk: Walkthrough, cursor: int) -> int:
    """The lines of render_table's rows: one per node drawn, and a line for the rows left out either side."""
    first, last = row_window(walk, cursor)
    return last - first + (first > 0) + (last < len(walk.trace.nodes))
