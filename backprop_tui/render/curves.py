"""Curves drawn with text: two loss histories on one log-scaled braille plot, and a log sparkline.

Pure functions from numbers to rich Text, so the screen can redraw them every
autoplay tick and tests can read them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from rich.text import Text

from ..engine.notation import number
from .plot import power
from .styles import MUTED

# Bit of each dot of a braille cell, by (column 0–1, row 0–3) inside the cell.
_BIT = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
FLOOR = 1e-16  # losses below this (or exactly 0) are drawn on it
LABEL = 6  # room for a y-axis label like 10⁻¹²
BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Curve:
    """One history to draw: its values by step, a colour and whether its line is dotted."""

    name: str
    values: Sequence[float]
    style: str
    dotted: bool = False

    @property
    def key(self) -> str:
        """How the curve looks, for the legend: a solid or a dotted run of braille."""
        return "⠄⠄⠄" if self.dotted else "⠤⠤⠤"


def _samples(values: Sequence[float], count: int) -> list[tuple[float, float]]:
    """(fraction of the way along, value) at up to `count` evenly spread steps, last step included."""
    n = len(values)
    if n == 0:
        return []
    picks: Sequence[int]
    if n <= count:
        picks = range(n)
    else:
        picks = sorted({round(i * (n - 1) / (count - 1)) for i in range(count)})
    last = max(n - 1, 1)
    return [(k / last, values[k]) for k in picks]


def _log(value: float) -> float | None:
    if not math.isfinite(value) or value < 0:
        return None
    return math.log10(max(value, FLOOR))


def log_range(curves: Sequence[Curve], count: int) -> tuple[int, int]:
    """Whole decades that hold every drawable value of every curve."""
    logs = [v for c in curves for _, x in _samples(c.values, count) if (v := _log(x)) is not None]
    if not logs:
        return -1, 0
    low, high = math.floor(min(logs)), math.ceil(max(logs))
    return (low, high) if high > low else (low, low + 1)


def loss_plot(curves: Sequence[Curve], width: int, height: int) -> Text:
    """A legend line, then `height - 1` rows of plot with decade labels on a log axis, steps along x."""
    cols, rows = max(width - LABEL - 1, 8), max(height - 3, 2)  # legend, axis and step labels take 3
    dots_x, dots_y = 2 * cols, 4 * rows
    low, high = log_range(curves, dots_x)
    cells = [[0] * cols for _ in range(rows)]
    owner: list[list[dict[int, int]]] = [[{} for _ in range(cols)] for _ in range(rows)]  # dots per curve

    def put(x: int, y: int, curve: int) -> None:
        row, col = y // 4, x // 2
        cells[row][col] |= _BIT[x % 2][y % 4]
        owner[row][col][curve] = owner[row][col].get(curve, 0) + 1

    for index, curve in enumerate(curves):
        points: list[tuple[int, int] | None] = []
        for fraction, value in _samples(curve.values, dots_x):
            lg = _log(value)
            if lg is None:
                points.append(None)
                continue
            x = round(fraction * (dots_x - 1))
            y = round((high - lg) / (high - low) * (dots_y - 1))
            points.append((x, min(max(y, 0), dots_y - 1)))
        if len(points) == 1 and points[0] is not None:
            points = points * 2
        drawn, last = 0, None
        for a, b in pairwise(points):
            if a is None or b is None:
                continue
            steps = max(abs(b[0] - a[0]), abs(b[1] - a[1]), 1)
            for s in range(steps + 1):
                dot = (round(a[0] + (b[0] - a[0]) * s / steps), round(a[1] + (b[1] - a[1]) * s / steps))
                if dot == last:
                    continue
                last, drawn = dot, drawn + 1
                if curve.dotted and drawn % 2 == 0:
                    continue  # every other dot along the line: dotted, unlike a solid line even without colour
                put(*dot, index)

    text = Text(no_wrap=True, overflow="crop")
    for curve in curves:
        final = curve.values[-1] if len(curve.values) else float("nan")
        text.append(curve.key + " ", style=curve.style)
        text.append(f"{curve.name} ", style=f"bold {curve.style}")
        text.append(f"{number(final, 3) if math.isfinite(final) else 'diverged'}    ", style=MUTED)
    text.append("\n")
    label_rows = {round((high - k) / (high - low) * (rows - 1)): k for k in _decades(low, high, rows)}
    for r in range(rows):
        label = power(label_rows[r]) if r in label_rows else ""
        text.append(label.rjust(LABEL) + "┤" if label else " " * LABEL + "│", style=MUTED)
        for c in range(cols):
            bits = cells[r][c]
            if not bits:
                text.append(" ")
                continue
            mine = owner[r][c]
            text.append(chr(0x2800 + bits), style=curves[max(mine, key=mine.__getitem__)].style)
        text.append("\n")
    steps = max((len(c.values) for c in curves), default=1) - 1
    axis = " " * LABEL + "└" + "─" * cols
    end = f"step {steps}"
    text.append(axis + "\n", style=MUTED)
    text.append(" " * (LABEL + 1) + "0" + end.rjust(cols - 1), style=MUTED)
    return text


def _decades(low: int, high: int, rows: int) -> list[int]:
    """Decades to label, thinned so labels never need more rows than there are."""
    span, slots = high - low, max(rows // 2, 1)
    step = next((s for s in (1, 2, 3, 4, 5, 10, 20) if span / s <= slots), math.ceil(span / slots))
    return [k for k in range(high, low - 1, -step)]


def sparkline(values: Sequence[float], width: int) -> Text:
    """The values over time as bars on a log scale; exact zeros as a dotted baseline."""
    picks = _samples(values, width)
    # the largest value in each bucket, so a short spike still shows
    n = len(values)
    shown = []
    for i, (fraction, _) in enumerate(picks):
        start = round(picks[i - 1][0] * (n - 1)) + 1 if i else 0
        stop = round(fraction * (n - 1)) + 1
        bucket = [v for v in values[start:stop] if math.isfinite(v)]
        shown.append(max(bucket) if bucket else float("nan"))
    logs = [math.log10(v) for v in shown if math.isfinite(v) and v > 0]
    text = Text(no_wrap=True, overflow="crop")
    lo, hi = (min(logs), max(logs)) if logs else (0.0, 0.0)
    for v in shown:
        if not math.isfinite(v):
            text.append("?", style="red")
        elif v <= 0:
            text.append("·", style=MUTED)
        else:
            level = len(BARS) // 2 if hi - lo < 1e-9 else round((math.log10(v) - lo) / (hi - lo) * (len(BARS) - 1))
            text.append(BARS[level])
    return text
