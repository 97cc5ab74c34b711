"""A small line plot in braille dots (2×4 per cell), with axes labelled in powers of ten."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from rich.text import Text

from ..engine.notation import superscript
from .styles import MUTED

# Bit of each dot in a braille cell, by (column, row) inside the cell.
_DOTS = {(0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (1, 0): 0x08, (1, 1): 0x10, (1, 2): 0x20, (0, 3): 0x40, (1, 3): 0x80}
LABEL = 6  # width of a y-axis label such as 10⁻¹⁵


@dataclass(frozen=True)
class Series:
    """Points (x, y) already on the plot's scale, drawn joined, in one style; `mark` gets a ◆."""

    points: tuple[tuple[float, float], ...]
    style: str
    mark: tuple[float, float] | None = None


def power(k: int) -> str:
    """10 to an integer power, as on the axes: 10⁻⁶."""
    return "10" + superscript(str(k))


def _ticks(low: int, high: int, slots: int) -> list[int]:
    """Integer exponents from low to high, thinned so at most `slots` of them are labelled."""
    span = max(high - low, 1)
    step = next(s for s in (1, 2, 3, 5, 10, 20) if span / s <= max(slots - 1, 1))
    return [k for k in range(low, high + 1) if (k - low) % step == 0]


def braille_plot(
    series: list[Series],
    width: int,
    height: int,
    x_range: tuple[int, int],
    y_range: tuple[int, int],
    vline: float | None = None,
) -> list[Text]:
    """Lines of a plot `width` cells wide and `height` rows tall, axes and tick labels included."""
    cols, rows = max(width - LABEL - 1, 4), max(height - 2, 3)
    (x0, x1), (y0, y1) = x_range, y_range
    y1 = max(y1, y0 + 1)  # a flat series still gets a decade of height
    bits = [[0] * cols for _ in range(rows)]
    owner: list[list[str | None]] = [[None] * cols for _ in range(rows)]

    def dot(x: float, y: float) -> tuple[int, int]:
        dx = round((x - x0) / (x1 - x0) * (2 * cols - 1))
        dy = round((y1 - y) / (y1 - y0) * (4 * rows - 1))
        return dx, min(max(dy, 0), 4 * rows - 1)

    for s in series:
        pts = [dot(x, y) for x, y in s.points if math.isfinite(y)]
        if len(pts) == 1:
            pts = pts * 2
        for (ax, ay), (bx, by) in pairwise(pts):
            steps = max(abs(bx - ax), abs(by - ay), 1)
            for k in range(steps + 1):
                px, py = round(ax + (bx - ax) * k / steps), round(ay + (by - ay) * k / steps)
                if 0 <= px < 2 * cols:
                    bits[py // 4][px // 2] |= _DOTS[(px % 2, py % 4)]
                    owner[py // 4][px // 2] = s.style
    marks = {}
    for s in series:
        if s.mark is not None and math.isfinite(s.mark[1]):
            px, py = dot(*s.mark)
            marks[(py // 4, px // 2)] = s.style
    guide = dot(vline, y0)[0] // 2 if vline is not None else None
    y_ticks = {round((y1 - k) / (y1 - y0) * (rows - 1)): k for k in _ticks(y0, y1, rows // 2 + 1)}
    lines = []
    for r in range(rows):
        line = Text()
        line.append(power(y_ticks[r]).rjust(LABEL) + "┤" if r in y_ticks else " " * LABEL + "│", style=MUTED)
        for c in range(cols):
            if (r, c) in marks:
                line.append("◆", style=f"bold {marks[(r, c)]}")
            elif bits[r][c]:
                line.append(chr(0x2800 + bits[r][c]), style=owner[r][c])
            elif c == guide:
                line.append("┊", style=MUTED)
            else:
                line.append(" ")
        lines.append(line)
    x_ticks = _ticks(x0, x1, max(cols // 7, 2))
    axis = [" "] * cols
    labels = [" "] * (cols + LABEL)
    for k in x_ticks:
        c = dot(k, y0)[0] // 2
        axis[c] = "┬"
        text = power(k)
        start = min(max(c - len(text) // 2, 0), cols - len(text))
        if all(ch == " " for ch in labels[LABEL + start - 1 : LABEL + start + len(text) + 1]):
            labels[LABEL + start : LABEL + start + len(text)] = text
    lines.append(Text(" " * LABEL + "└" + "".join(axis).replace(" ", "─"), style=MUTED))
    lines.append(Text(" " + "".join(labels), style=MUTED))
    return lines
