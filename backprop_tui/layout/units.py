"""The course's picture of the network: every input joined to every hidden unit, every hidden unit to the output."""

from __future__ import annotations

from .canvas import ARROW, ELLIPSIS, MARGIN, ROW_PITCH, Box, Canvas, Layout, column_height
from .routing import BUS_OFFSET, GUTTER_EXTRA

MAX_UNITS = 6  # units drawn in a column before the middle ones are elided with ⋮


def shown_units(n: int, max_units: int) -> list[int | None]:
    """Unit indices to draw in a column; None marks the "⋮" row standing for the rest."""
    if n <= max_units:
        return list(range(n))
    head = max_units // 2
    tail = max_units - head - 1  # the ⋮ row takes one of the max_units rows
    return list(range(head)) + [None] + list(range(n - tail, n))


def _fan(canvas: Canvas, sources: list[tuple[int, int]], target_rows: list[int], bus: int, arrow: int) -> None:
    """Join every source run (row, start col) to one shared bus and the bus to every target."""
    all_rows = [r for r, _ in sources] + target_rows
    canvas.vline(bus, min(all_rows), max(all_rows))
    for row, start in sources:
        canvas.hline(row, start, bus)
    for row in target_rows:
        canvas.hline(row, bus, arrow)
        canvas.put(row, arrow, ARROW)


def neuron_layout(n_in: int, n_hidden: int, widths: tuple[int, int, int], max_units: int = MAX_UNITS) -> Layout:
    """Lay out the fully connected input → hidden → output figure, eliding long columns with ⋮."""
    if n_in < 1 or n_hidden < 1:
        raise ValueError("need at least one input and one hidden unit")
    if max_units < 3:
        raise ValueError("max_units must leave room for a head, a ⋮ row and a tail")
    if min(widths) < 1:
        raise ValueError("column widths must be at least 1")
    columns: list[list[str | None]] = [
        [None if i is None else f"in{i}" for i in shown_units(n_in, max_units)],
        [None if i is None else f"hid{i}" for i in shown_units(n_hidden, max_units)],
        ["out"],
    ]
    gutter = 1 + GUTTER_EXTRA  # a single shared bus column
    xs = [0, widths[0] + gutter, widths[0] + gutter + widths[1] + gutter]
    height = max(column_height(len(column)) for column in columns)
    width = xs[2] + widths[2]
    canvas = Canvas(height, width)
    boxes: dict[str, Box] = {}
    for column, x, w in zip(columns, xs, widths, strict=True):
        top = (height - column_height(len(column))) // 2
        for i, name in enumerate(column):
            if name is None:
                canvas.put(top + ROW_PITCH * i, x + (w - 1) // 2, ELLIPSIS)
            else:
                boxes[name] = Box(top + ROW_PITCH * i, x, w)
    for k in range(2):
        left = [b for b in boxes.values() if b.col == xs[k]]
        right = [b.row for b in boxes.values() if b.col == xs[k + 1]]
        sources = [(b.row, b.col + b.width + MARGIN) for b in left]
        _fan(canvas, sources, right, xs[k] + widths[k] + BUS_OFFSET, xs[k + 1] - 1)
    return Layout(width, canvas.render(), boxes)
