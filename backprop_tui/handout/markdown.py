"""A handout as Markdown: notation in Unicode, numbers in ASCII, displays in code blocks with matrices drawn."""

from __future__ import annotations

import re

from .document import (
    Alt,
    Answer,
    Blank,
    Code,
    Display,
    Document,
    Heading,
    Mat,
    Math,
    Num,
    Paragraph,
    Piece,
    Table,
    ascii_number,
    chosen,
    visible,
)
from .numbers import ascii_numbers

BLANK = "____"
WIDE_BLANK = "__________"


def blank_text(blank: Blank) -> list[str]:
    """A blank as lines: underscores, or a box of them per entry of a small matrix."""
    rows, cols = blank.shape
    if blank.kind == "matrix" and blank.boxes:
        cells = " ".join([BLANK] * cols)
        return _bracket([cells] * rows)
    if blank.kind == "matrix":
        return [f"{WIDE_BLANK} ({rows}×{cols})"]
    if blank.kind == "formula":
        return [WIDE_BLANK]
    return [BLANK]


def _bracket(lines: list[str]) -> list[str]:
    if len(lines) == 1:
        return [f"[{lines[0]}]"]
    edges = [("┌", "┐")] + [("│", "│")] * (len(lines) - 2) + [("└", "┘")]
    return [f"{left}{line}{right}" for (left, right), line in zip(edges, lines, strict=True)]


def matrix_text(m: Mat) -> list[str]:
    """A matrix in brackets, columns right-aligned; ⋮ and … where a matrix too big for a page is elided."""
    a = m.value
    if a.size == 1:
        return [ascii_number(float(a[0, 0]), m.digits)]
    rows, cols = m.picked()
    cells = [
        ["…" if c is None else ascii_number(float(a[r, c]), m.digits) for c in cols] for r in rows if r is not None
    ]
    widths = [max(len(line[j]) for line in cells) for j in range(len(cols))]
    lines = []
    values = iter(cells)
    for r in rows:
        if r is None:
            lines.append(" ".join(("⋮" if c is not None else " ").center(w) for c, w in zip(cols, widths, strict=True)))
        else:
            lines.append(" ".join(cell.rjust(w) for cell, w in zip(next(values), widths, strict=True)))
    return _bracket(lines)


def _box(piece: Piece, blank: bool) -> list[str]:
    """A piece as lines of text (one for most, several for a matrix)."""
    if isinstance(piece, str):
        return [ascii_numbers(piece)]
    if isinstance(piece, Math):
        return [ascii_numbers(piece.text.replace("\n", " "))]  # a code block scrolls: a long formula keeps one line
    if isinstance(piece, Code):
        return [piece.text]
    if isinstance(piece, Num):
        return [piece.text]
    if isinstance(piece, Mat):
        return matrix_text(piece)
    if isinstance(piece, Answer):
        return blank_text(piece.blank) if blank else side_by_side([_box(p, blank) for p in chosen(piece.key, blank)])
    if isinstance(piece, Alt):
        return side_by_side([_box(p, blank) for p in chosen(piece.sheet if blank else piece.key, blank)])
    raise TypeError(f"cannot write {type(piece).__name__}")


def side_by_side(boxes: list[list[str]]) -> list[str]:
    """Boxes of lines next to each other, each centred on the tallest one's middle line."""
    if not boxes:
        return [""]
    tallest = max(len(b) for b in boxes)
    middle = (tallest - 1) // 2
    lines = [""] * tallest
    for box in boxes:
        width = max(len(line) for line in box)
        top = middle - (len(box) - 1) // 2
        for i in range(tallest):
            k = i - top
            lines[i] += (box[k] if 0 <= k < len(box) else "").ljust(width)
    return [line.rstrip() for line in lines]


def inline(pieces: tuple[Piece, ...], blank: bool) -> str:
    """Pieces of prose on one line: a matrix becomes [a b; c d], a blank underscores."""
    out = []
    for piece in chosen(pieces, blank):
        if isinstance(piece, str):
            out.append(ascii_numbers(piece))
        elif isinstance(piece, Code):
            out.append(_code_span(piece.text))
        elif isinstance(piece, Mat):
            out.append(_flat(piece))
        elif isinstance(piece, Answer):
            out.append(" ".join(blank_text(piece.blank)) if blank and len(blank_text(piece.blank)) == 1
                       else (f"{BLANK} ({piece.blank.shape[0]}×{piece.blank.shape[1]})" if blank
                             else inline(piece.key, blank)))
        else:
            out.append(_box(piece, blank)[0])
    return "".join(out)


def _flat(m: Mat) -> str:
    a = m.value
    if a.size == 1:
        return ascii_number(float(a[0, 0]), m.digits)
    rows, cols = m.picked()
    parts = []
    for r in rows:
        if r is None:
            parts.append("⋮")
            continue
        parts.append(" ".join("…" if c is None else ascii_number(float(a[r, c]), m.digits) for c in cols))
    return "[" + "; ".join(parts) + "]"


def _code_span(text: str) -> str:
    """Text in backticks, as many as it needs; whitespace (a newline, a tab) as single spaces."""
    text = " ".join(text.split())
    ticks = max((len(run) for run in re.findall(r"`+", text)), default=0) + 1
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return "`" * ticks + pad + text + pad + "`" * ticks


def _cell(pieces: tuple[Piece, ...], blank: bool) -> str:
    return inline(pieces, blank).replace("|", "\\|").replace("\n", " ")


def write(doc: Document, blank: bool = False) -> str:
    """The document as Markdown: the answer key, or with blank=True the exercise sheet."""
    out: list[str] = []
    for block in visible(doc.blocks, blank):
        if isinstance(block, Heading):
            out += ["#" * min(block.level, 6) + " " + ascii_numbers(block.text), ""]
        elif isinstance(block, Paragraph):
            text = inline(block.pieces, blank)
            out += [f"*{text}*" if block.note and "*" not in text else text, ""]
        elif isinstance(block, Display):
            lines: list[str] = []
            tall = False
            for k, r in enumerate(block.rows):
                drawn = side_by_side([_box(p, blank) for p in chosen(r, blank)])
                if k and (tall or len(drawn) > 1):
                    lines.append("")  # a matrix gets a line of room above and below
                lines += drawn
                tall = len(drawn) > 1
            fence = "`" * max(3, 1 + max((len(x) for line in lines for x in re.findall(r"`+", line)), default=0))
            out += [fence, *lines, fence, ""]
        elif isinstance(block, Table):
            header = [_cell(c, blank) for c in block.header]
            rule = ["---:" if a == "r" else ":---:" if a == "c" else "---" for a in block.columns]
            out += ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
            out += ["| " + " | ".join(_cell(c, blank) for c in r) + " |" for r in block.rows]
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
