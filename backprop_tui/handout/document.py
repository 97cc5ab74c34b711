"""A handout before it is Markdown or LaTeX: headings, paragraphs, display maths, matrices, tables and blanks.

Text pieces are Unicode as the engine writes it (∂y/∂W⁽⁰⁾, z∘(1−z)); each writer
turns it into its own notation. Numbers are Num and Mat, which the writers
print in ASCII (-3.57e-4) so that a reader can paste them. One document holds
both the key and the exercise sheet: an Answer shows its key in the one and a
blank in the other, Alt chooses between two pieces, and KeyOnly blocks (the
explanations, which give the answers away) are left out of the sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..engine.notation import number

# A matrix bigger than this is elided on the page, its middle rows and columns left out.
PAGE_ROWS = 12
PAGE_COLS = 8
DIGITS = 4  # significant digits of a number on the page


def ascii_number(x: float, digits: int = DIGITS) -> str:
    """A number as a reader may paste it into Python: -3.57e-4, inf, nan."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return number(x, digits).replace("−", "-")


@dataclass(frozen=True)
class Math:
    """Notation within a sentence or a display: Unicode as the engine writes it.

    A newline marks where a formula too long for a page may break (LaTeX sets
    the lines one under another; Markdown, in a code block, keeps one line).
    """

    text: str


def broken(text: str, width: int = 64) -> str:
    """A long sum broken before its terms (" + " outside brackets) into lines of about `width` characters."""
    if len(text) <= width:
        return text
    terms, depth, start = [], 0, 0
    for i, c in enumerate(text):
        depth += (c in "([{") - (c in ")]}")
        if depth == 0 and text.startswith(" + ", i):
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    lines = [terms[0]]
    for term in terms[1:]:
        if len(lines[-1]) + 1 + len(term) <= width:
            lines[-1] += " " + term
        else:
            lines.append(term)
    return "\n".join(lines)


@dataclass(frozen=True)
class Code:
    """Text a user typed (a function, a command line), shown as it is typed."""

    text: str


@dataclass(frozen=True)
class Num:
    """One number."""

    value: float
    digits: int = DIGITS
    factor: bool = False  # a factor of a product: in parentheses when negative, 2 · (-0.5)

    @property
    def text(self) -> str:
        text = ascii_number(self.value, self.digits)
        return f"({text})" if self.factor and text.startswith("-") else text


@dataclass(frozen=True, eq=False)
class Mat:
    """A 2-D array as the maths writes it (make vectors columns or rows before); a 1×1 is a number."""

    value: np.ndarray
    digits: int = DIGITS

    def __post_init__(self) -> None:
        a = np.asarray(self.value, dtype=float)
        object.__setattr__(self, "value", a.reshape(1, 1) if a.ndim == 0 else a)
        if self.value.ndim != 2:
            raise ValueError(f"Mat takes a 2-D array, not {self.value.shape}")

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.value.shape
        return rows, cols

    @property
    def elided(self) -> bool:
        rows, cols = self.shape
        return rows > PAGE_ROWS or cols > PAGE_COLS

    def picked(self) -> tuple[list[int | None], list[int | None]]:
        """The rows and columns printed: all when they fit a page, else both ends with None for the gap."""
        rows, cols = self.shape
        return _ends(rows, PAGE_ROWS), _ends(cols, PAGE_COLS)


def _ends(n: int, limit: int) -> list[int | None]:
    if n <= limit:
        return list(range(n))
    head = (limit - 1) // 2 + (limit - 1) % 2
    tail = limit - 1 - head
    return [*range(head), None, *range(n - tail, n)]


def column(a) -> Mat:
    """A vector as a column (the maths' vectors), a matrix as it is, a scalar as 1×1."""
    a = np.asarray(a, dtype=float)
    return Mat(a.reshape(-1, 1) if a.ndim < 2 else a)


def row(a) -> Mat:
    """A vector as a row (a gradient in numerator layout), a matrix as it is."""
    a = np.asarray(a, dtype=float)
    return Mat(a.reshape(1, -1) if a.ndim < 2 else a)


@dataclass(frozen=True)
class Blank:
    """Room for an answer: a number, a shape, a formula, or a matrix of rows × cols boxes."""

    kind: str  # "number", "shape", "formula", "matrix", "order"
    shape: tuple[int, int] = (1, 1)

    @property
    def boxes(self) -> bool:
        """Whether the matrix gets a box per entry (small enough to fill in by hand)."""
        rows, cols = self.shape
        return self.kind == "matrix" and rows <= PAGE_ROWS and cols <= PAGE_COLS


def blank_for(value) -> Blank:
    """The blank for a value of this shape: one line for a number, boxes for a vector or a matrix."""
    a = np.asarray(value)
    if a.size == 1:
        return Blank("number")
    rows, cols = a.shape if a.ndim == 2 else (a.size, 1)
    return Blank("matrix", (rows, cols))


@dataclass(frozen=True)
class Answer:
    """What a practice question asks: the key's pieces in the key, a blank in the exercise sheet."""

    key: tuple[Piece, ...]
    blank: Blank
    question: str = ""  # the practice question's key, e.g. "backward v grad", for tests and graders


@dataclass(frozen=True)
class Alt:
    """One thing in the key and another in the sheet (a number the sheet leaves to the student's own work)."""

    key: tuple[Piece, ...]
    sheet: tuple[Piece, ...]


Piece = str | Math | Code | Num | Mat | Answer | Alt


@dataclass(frozen=True)
class Heading:
    level: int  # 1 the title, 2 a section, 3 a step
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Prose: str pieces are words (with Unicode notation in them), the others as they are."""

    pieces: tuple[Piece, ...]
    note: bool = False  # a remark in smaller or muted type


@dataclass(frozen=True)
class Display:
    """Display maths, one row per line: str pieces are notation."""

    rows: tuple[tuple[Piece, ...], ...]


@dataclass(frozen=True)
class Table:
    """A table of prose cells; `align` has l, r, c or (LaTeX's) p{width} per column: a string of letters or a tuple."""

    header: tuple[tuple[Piece, ...], ...]
    rows: tuple[tuple[tuple[Piece, ...], ...], ...]
    align: str | tuple[str, ...] = ""

    @property
    def columns(self) -> tuple[str, ...]:
        align = tuple(self.align) if self.align else ("l",) * len(self.header)
        return align + ("l",) * (len(self.header) - len(align))


@dataclass(frozen=True)
class KeyOnly:
    """Blocks the answer key has and the exercise sheet leaves out (they give answers away)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class SheetOnly:
    """Blocks only the exercise sheet has (how to fill it in)."""

    blocks: tuple[Block, ...]


Block = Heading | Paragraph | Display | Table | KeyOnly | SheetOnly


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    lesson: str = ""
    labels: tuple[str, ...] = ()  # names of several letters (a variable called rate): one name, not a product
    blanks: int = field(default=0)  # how many answers the sheet leaves blank

    @classmethod
    def of(cls, title: str, blocks: list[Block], lesson: str = "", labels: tuple[str, ...] = ()) -> Document:
        return cls(title, tuple(blocks), lesson, labels, len(answers(tuple(blocks))))


def visible(blocks: tuple[Block, ...], blank: bool) -> list[Block]:
    """The blocks of the key (blank=False) or of the sheet, KeyOnly and SheetOnly resolved."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, KeyOnly):
            if not blank:
                out += visible(block.blocks, blank)
        elif isinstance(block, SheetOnly):
            if blank:
                out += visible(block.blocks, blank)
        else:
            out.append(block)
    return out


def chosen(pieces: tuple[Piece, ...], blank: bool) -> list[Piece]:
    """Pieces with every Alt resolved for the key or the sheet (Answers are left to the writer)."""
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, Alt):
            out += chosen(piece.sheet if blank else piece.key, blank)
        else:
            out.append(piece)
    return out


def _pieces_of(block: Block) -> list[tuple[Piece, ...]]:
    if isinstance(block, Paragraph):
        return [block.pieces]
    if isinstance(block, Display):
        return list(block.rows)
    if isinstance(block, Table):
        return [*block.header, *(cell for r in block.rows for cell in r)]
    return []


def answers(blocks: tuple[Block, ...]) -> list[Answer]:
    """Every Answer in the document, in order (those of KeyOnly blocks excluded: the sheet has no room for them)."""
    found: list[Answer] = []

    def walk(pieces: tuple[Piece, ...]) -> None:
        for piece in pieces:
            if isinstance(piece, Answer):
                found.append(piece)
            elif isinstance(piece, Alt):
                walk(piece.sheet)

    for block in visible(blocks, blank=True):
        for pieces in _pieces_of(block):
            walk(pieces)
    return found
