"""What a drawing is (edges in lines of text, boxes to write labels into) and the grid it is drawn on."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping
from dataclasses import dataclass

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
ARROW = "▶"
ELLIPSIS = "⋮"
MARGIN = 1  # blank cells between a box and the line leaving it
ROW_PITCH = 2  # lines from one node to the next in a column: a blank line between them

# Every subset of {up, down, left, right}; a lone direction still draws a line.
GLYPH = {
    0: " ",
    UP: "│",
    DOWN: "│",
    UP | DOWN: "│",
    LEFT: "─",
    RIGHT: "─",
    LEFT | RIGHT: "─",
    RIGHT | DOWN: "┌",
    LEFT | DOWN: "┐",
    UP | RIGHT: "└",
    UP | LEFT: "┘",
    UP | DOWN | RIGHT: "├",
    UP | DOWN | LEFT: "┤",
    LEFT | RIGHT | DOWN: "┬",
    LEFT | RIGHT | UP: "┴",
    UP | DOWN | LEFT | RIGHT: "┼",
}


@dataclass(frozen=True)
class Box:
    """Where one node's label goes: a run of `width` cells on line `row` from `col`."""

    row: int
    col: int
    width: int


@dataclass(frozen=True)
class Layout:
    """A drawing with edges only (boxes blank) and the boxes to paint labels into."""

    width: int
    lines: tuple[str, ...]
    boxes: dict[str, Box]


def column_height(count: int) -> int:
    """Lines taken by a column of `count` nodes, ROW_PITCH apart."""
    return ROW_PITCH * count - 1


class Canvas:
    """Grid of direction sets (bitmasks, one byte per cell) plus literal characters on top.

    Rows are bytearrays so long horizontal runs are drawn with C-speed slice
    operations; only cells where a vertical line crosses a run are visited one by one.
    """

    def __init__(self, height: int, width: int) -> None:
        self.rows = [bytearray(width) for _ in range(height)]
        self.text: dict[tuple[int, int], str] = {}

    def hline(self, row: int, c0: int, c1: int, bridge: Callable[[int], bool] | None = None) -> None:
        """Draw a horizontal run c0..c1; crossed cells where `bridge(col)` holds are hopped over."""
        line = self.rows[row]
        if c1 <= c0:
            return
        line[c0] |= RIGHT
        line[c1] |= LEFT
        inner = line[c0 + 1 : c1]
        line[c0 + 1 : c1] = inner.translate(_JOIN_HORIZONTAL)
        if bridge is None:
            return
        crossed = inner.translate(_IS_CROSSED)
        i = crossed.find(1)
        while i >= 0:
            if bridge(c0 + 1 + i):
                line[c0 + 1 + i] = inner[i]  # stays "│" between two "─": a crossing, not a junction
            i = crossed.find(1, i + 1)

    def vline(self, col: int, r0: int, r1: int) -> None:
        """Draw a vertical run r0..r1 (nothing if it has no length)."""
        for r in range(r0, r1 + 1):
            self.rows[r][col] |= (UP if r > r0 else 0) | (DOWN if r < r1 else 0)

    def put(self, row: int, col: int, char: str) -> None:
        """Place a literal character (arrow, ellipsis) over whatever is there."""
        self.text[row, col] = char

    def render(self) -> tuple[str, ...]:
        """Turn the grid into strings, all as wide as the canvas."""
        lines = [codecs.charmap_decode(row, "strict", _GLYPH_TABLE)[0] for row in self.rows]
        for (r, c), char in self.text.items():
            lines[r] = lines[r][:c] + char + lines[r][c + 1 :]
        return tuple(lines)


_JOIN_HORIZONTAL = bytes(v | LEFT | RIGHT for v in range(256))
_IS_CROSSED = bytes(int(v & (UP | DOWN) == UP | DOWN) for v in range(256))
_GLYPH_TABLE = "".join(GLYPH.get(v, "?") for v in range(256))  # byte -> glyph, decoded in C


def paint(layout: Layout, labels: Mapping[str, str]) -> list[str]:
    """Write each label into its box, cut or padded to the box width; other boxes stay blank.

    Labels for names without a box (e.g. units elided by ⋮) are ignored.
    """
    lines = list(layout.lines)
    for name, text in labels.items():
        box = layout.boxes.get(name)
        if box is None:
            continue
        line = lines[box.row]
        lines[box.row] = line[: box.col] + text[: box.width].ljust(box.width) + line[box.col + box.width :]
    return lines
