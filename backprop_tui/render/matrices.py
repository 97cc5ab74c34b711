"""Matrices set side by side in text, with titles, shapes and operators between them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.text import Text

from ..engine.notation import matrix_lines, shape_text
from .styles import HEADING, MUTED

MAX_COLS = 100  # columns a matrix starts with at most; no panel shows more


@dataclass(frozen=True)
class Block:
    """A titled matrix, its shape written under the title.

    `blocks=(r, c)`: the matrix is made of r×c blocks (I ⊗ xᵀ of 1×len(x) ones),
    elided only between whole blocks (see matrix_lines).
    """

    title: str
    array: np.ndarray
    style: str | None = None
    blocks: tuple[int, int] | None = None


def _cell(block: Block, cols: int, max_rows: int) -> list[tuple[str, str | None]]:
    head = [(block.title, HEADING), (f"({shape_text(np.shape(block.array))})", MUTED)]
    lines = matrix_lines(block.array, max_rows, cols, blocks=block.blocks)
    return head + [(line, block.style) for line in lines]


def _columns(array: np.ndarray) -> int:
    """Columns of the array as matrix_lines draws it (a vector as one row)."""
    shape = np.shape(array)
    return shape[-1] if shape else 1


def _width(cell: list[tuple[str, str | None]]) -> int:
    return max(len(t) for t, _ in cell)


def side_by_side(blocks: list[Block], operators: list[str], width: int, max_rows: int = 6) -> Text:
    """Blocks in one row, each operator centred between two matrices.

    Every matrix starts with all its columns (up to what `width` could hold); while
    the row is wider than `width`, the widest matrix gives up a column (elided with …).
    """
    gap = sum(len(op) + 2 for op in operators)  # the operators and a space either side
    room = min(MAX_COLS, max(width // 2, 1))  # a column takes a digit and a space at least
    cols = [min(room, _columns(b.array)) for b in blocks]
    cells = [_cell(b, c, max_rows) for b, c in zip(blocks, cols, strict=True)]
    while sum(map(_width, cells)) + gap > width:
        widest = max((k for k in range(len(blocks)) if cols[k] > 1), key=lambda k: _width(cells[k]), default=None)
        if widest is None:
            break
        cols[widest] -= 1
        cells[widest] = _cell(blocks[widest], cols[widest], max_rows)
    if len(blocks) > 1 and sum(map(_width, cells)) + gap > width:
        return _stacked(blocks, operators, width, max_rows)
    return centred_row(cells, [_width(c) for c in cells], operators)


def centred_row(cells: list[list[tuple[str, str | None]]], widths: list[int], operators: list[str]) -> Text:
    """Titled matrices (two title lines, then rows) side by side, each centred on the tallest, titles on top,
    so the operators sit between middles."""
    tallest = max(len(c) for c in cells) - 2
    cells = [c[:2] + [("", None)] * ((tallest - (len(c) - 2)) // 2) + c[2:] for c in cells]
    height = max(len(c) for c in cells)
    middle = 2 + (tallest - 1) // 2
    text = Text()
    for row in range(height):
        for k, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            content, style = cell[row] if row < len(cell) else ("", None)
            text.append(content.ljust(w), style=style)
            if k < len(operators):
                op = operators[k]
                text.append(f" {op if row == middle else ' ' * len(op)} ")
        text.append("\n")
    text.rstrip()
    return text


def _stacked(blocks: list[Block], operators: list[str], width: int, max_rows: int) -> Text:
    """Too narrow for one row: each matrix under the previous one, the operator on a line between."""
    text = Text()
    for k, block in enumerate(blocks):
        text.append_text(side_by_side([block], [], width, max_rows))
        if k < len(operators):
            text.append(f"\n{operators[k].strip() or ' '}\n", style="bold")
    return text


def row_width(text: Text) -> int:
    """The widest line of a rendered row."""
    return max(len(line) for line in text.plain.split("\n"))

