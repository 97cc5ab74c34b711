"""A step as text: the chain-rule product symbolically, with shapes and with numbers; the progress line."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from ..engine import BACKWARD, Step, Term
from ..engine.notation import matrix_lines, number, shape_text
from ..engine.trace import signed_join
from ..lessons import Walkthrough
from .matrices import Block, row_width, side_by_side
from .styles import GRAD, HEADING, MUTED, NOTICE, VALUE

MAX_ROWS = 8  # rows of a tall matrix shown, head and tail
ALL_ROWS = 12  # a matrix with no more rows than this is shown whole
SIDE_BY_SIDE_COLS = 100  # side_by_side starts each matrix with at most this many columns
BAR = "grey37"  # the part of the progress bar still to go
MAX_LEAVES = 50  # listed before the first step; a typed function can have thousands of variables
INDENT = 2  # matrices are drawn two cells in from the panel's edge


def row_limit(array: np.ndarray) -> int:
    """How many rows of a matrix to show: all of them unless it is tall."""
    rows = np.shape(array)[0] if np.ndim(array) == 2 else 1
    return rows if rows <= ALL_ROWS else MAX_ROWS


def fitted_lines(
    array: np.ndarray, width: int, max_rows: int | None = None, blocks: tuple[int, int] | None = None
) -> list[str]:
    """matrix_lines with every column that fits in `width` cells: a matrix that fits is never elided.

    The columns are first estimated from the widths of the formatted numbers (both ends,
    as an elided matrix shows them), so matrix_lines only has to check the estimate.
    """
    a = np.asarray(array, dtype=float)
    rows = row_limit(a) if max_rows is None else max_rows
    if a.ndim == 0:
        return matrix_lines(a, rows, 1)
    grid = a.reshape(1, -1) if a.ndim == 1 else a
    return matrix_lines(grid, rows, _columns_that_fit(grid, rows, width), blocks=blocks, max_width=width)


def _columns_that_fit(a: np.ndarray, rows: int, width: int) -> int:
    """The most columns of `a` whose numbers fit in `width` cells, brackets, gaps and … included."""
    n = a.shape[1]
    reach = min(n, max(width // 2, 1))  # columns from either end that could ever be shown
    shown = a if a.shape[0] <= rows else np.concatenate([a[: rows // 2 + 1], a[-(rows // 2 + 1) :]])

    def widths(columns: np.ndarray) -> list[int]:
        return [max(len(number(float(v))) for v in shown[:, j]) for j in columns]

    if n <= 2 * reach:
        every = widths(np.arange(n))
        if sum(every) + n - 1 + 2 <= width:
            return n
        head, tail = every[:reach], every[::-1][:reach]
    else:
        head, tail = widths(np.arange(reach)), widths(np.arange(n - 1, n - 1 - reach, -1))
    for k in range(min(n - 1, 2 * reach), 2, -1):  # k slots: k//2 from the head, the rest but … from the tail
        h = max(k // 2, 1)
        t = max(k - 1 - h, 1)
        if sum(head[:h]) + sum(tail[:t]) + 1 + (h + t) + 2 <= width:
            return k
    return 3


class _Matrices:
    """Writes titled matrices into text, with as many columns as the panel's width allows."""

    def __init__(self, text: Text, width: int):
        self.text = text
        self.width = width

    def product(self, blocks: list[Block], operators: list[str]) -> bool:
        """Blocks side by side, like the maths (A · B = C), if they fit without eliding more; else False."""
        if any(np.shape(b.array)[-1:] > (SIDE_BY_SIDE_COLS,) for b in blocks):
            return False
        rows = max(row_limit(b.array) for b in blocks)
        row = side_by_side(blocks, operators, 10_000, rows)
        if row_width(row) > self.width:
            return False
        self.text.append_text(row)
        self.text.append("\n")
        return True

    def __call__(
        self, title: str, array: np.ndarray, style: str, column: bool = False, blocks: tuple[int, int] | None = None
    ) -> None:
        """A titled matrix block; a vector that is a column in the maths gets a ᵀ after its row."""
        a, text = np.asarray(array), self.text
        text.append(f"{title}", style=HEADING)
        text.append(f"  ({_dims(a, column)})\n", style=MUTED)
        room = self.width - INDENT - (1 if column and a.ndim == 1 else 0)
        lines = fitted_lines(a, max(room, 8), blocks=blocks)
        for i, line in enumerate(lines):
            text.append(" " * INDENT + line, style=style)
            if column and a.ndim == 1 and i == len(lines) - 1:
                text.append("ᵀ", style=style)
            text.append("\n")


def _dims(a: np.ndarray, column: bool) -> str:
    if a.ndim == 2:
        return shape_text(a.shape)
    if a.ndim == 1:
        return f"{a.size}×1" if column else f"1×{a.size}"
    return "1×1"


def _column(a: np.ndarray) -> np.ndarray:
    """A value as the maths writes it: vectors as columns, scalars as 1×1."""
    a = np.asarray(a)
    return a.reshape(-1, 1) if a.ndim < 2 else a


def _row(a: np.ndarray) -> np.ndarray:
    """A gradient as the row vector it is in numerator layout (a matrix's gradient flattened)."""
    return np.reshape(a, (1, -1))


def _forward(text: Text, matrix: _Matrices, walk: Walkthrough, step: Step) -> None:
    if step.numbers:  # scalars: the formula with the numbers plugged in says it all
        text.append(step.numbers + "\n", style="bold")
        text.append("shapes  ", style=MUTED)
        text.append(step.shapes + "\n")
        return
    text.append(step.equation + "\n", style="bold")
    text.append("shapes  ", style=MUTED)
    text.append(step.shapes + "\n\n")
    operands = step.operands()
    blocks = [Block(title, _column(value), VALUE) for title, value in operands]
    blocks.append(Block(step.label, _column(step.value), VALUE))
    operators = list(step.operators)
    if matrix.product(blocks, operators):
        return
    # too wide side by side: one under the other, each titled with the operator before it
    before = ["", *operators]
    for block, op in zip(blocks, before, strict=True):
        matrix(f"{op} {block.title}".strip(), block.array, VALUE)


def _scalar(a: np.ndarray) -> str:
    """The one entry of a 1×1 (or 1, or 0-d) array."""
    return number(np.asarray(a).item())


def _factor(a: np.ndarray) -> str:
    """A number as a factor of a product: negative ones in parentheses, 2 · (−0.5)."""
    text = _scalar(a)
    return f"({text})" if text.startswith("−") else text


def _scalar_terms(text: Text, walk: Walkthrough, step: Step) -> None:
    """All factors are numbers: each path on one line, then the sum."""
    out = walk.trace.nodes[walk.trace.output].label
    for term in step.terms:
        local = term.local_jacobian()
        assert local is not None, "a 1×1 Jacobian is never too big to build"
        text.append(f"via {term.via}: ", style=MUTED)
        text.append(f"{_scalar(term.upstream)} · {_factor(local)} = ")
        text.append(_scalar(term.product) + "\n", style=GRAD)
    if len(step.terms) > 1:
        text.append(f"sum: ∂{out}/∂{step.label} = ", style=MUTED)
        text.append(signed_sum([_scalar(t.product) for t in step.terms]) + " = ")
        text.append(_scalar(step.value) + "\n", style=f"bold {GRAD}")


def signed_sum(terms: list[str]) -> str:
    """Numbers added as a person writes them: 6 − 0.0451, not 6 + −0.0451."""
    return signed_join(terms)


def _tensor_term(text: Text, matrix: _Matrices, walk: Walkthrough, step: Step, term: Term) -> None:
    """Upstream row · local Jacobian = this path's row, each with its shape."""
    out = walk.trace.nodes[walk.trace.output].label
    wrt = f"vec({step.label})" if step.value.ndim == 2 else step.label
    if len(step.terms) > 1:
        text.append(f"path via {term.via}\n", style=HEADING)
    J = term.local_jacobian()
    upstream = Block(f"∂{out}/∂{term.consumer_label}", _row(term.upstream), GRAD)
    product = Block(f"∂{out}/∂{wrt}", _row(term.product), GRAD)
    blocks = term.jacobian_blocks
    if J is not None:
        local = Block(term.local, J, VALUE, blocks)
        if matrix.product([upstream, local, product], ["·", "="]):
            return
    matrix(upstream.title, upstream.array, GRAD)
    rows, cols = term.jacobian_shape
    if J is None:
        text.append(f"· {term.local}", style=HEADING)
        text.append(f"  ({rows}×{cols})\n", style=MUTED)
        text.append(f"  {term.rule}: {rows * cols:,} entries, too many to build;\n", style=VALUE)
        text.append("  the product is computed without it.\n", style=MUTED)
    else:
        matrix(f"· {term.local}", J, VALUE, blocks=blocks)
    via = f" via {term.via}" if len(step.terms) > 1 else ""
    matrix(f"= ∂{out}/∂{wrt}{via}", _row(term.product), GRAD)


def _backward(text: Text, matrix: _Matrices, walk: Walkthrough, step: Step) -> None:
    text.append(step.equation + "\n", style="bold")
    for term in step.terms:
        text.append("  " + term.derivative + "\n", style=VALUE)
    for line in step.together():
        text.append("  " + line + "\n", style=VALUE)
    text.append("shapes  ", style=MUTED)
    text.append(step.shapes + "\n\n")
    if not step.terms:
        text.append("1", style=f"bold {GRAD}")
        text.append("  — the output's derivative with respect to itself\n", style=MUTED)
        return
    if step.value.size == 1 and all(t.upstream.size == 1 for t in step.terms):
        _scalar_terms(text, walk, step)
        return
    for term in step.terms:
        _tensor_term(text, matrix, walk, step, term)
    if len(step.terms) > 1:
        matrix(f"sum of the {len(step.terms)} paths", _row(step.value), f"bold {GRAD}")
    if step.value.ndim == 2:
        text.append(f"\nun-flattened to {step.label}'s own shape\n", style=MUTED)
        matrix(f"∂{walk.trace.nodes[walk.trace.output].label}/∂{step.label}", step.value, f"bold {GRAD}")


def render_step(walk: Walkthrough, cursor: int, width: int = 80, unit: int = 0) -> Text:
    """Everything about step `cursor` (1-based; 0 is the start, before any step), fitted to width.

    `unit` (0-based, taken modulo the number of hidden units) picks the hidden unit whose
    route the step that has one (mlp's W⁽⁰⁾) works out unit by unit.
    """
    text = Text()
    matrix = _Matrices(text, width)
    trace = walk.trace
    if cursor == 0:
        text.append(walk.formula + "\n\n", style="bold")
        text.append("Nothing is computed yet. The leaves are given:\n\n", style=MUTED)
        leaves = [record for record in trace.nodes.values() if record.kind != "op"]
        for record in leaves[:MAX_LEAVES]:
            matrix(record.label, record.value, VALUE, column=True)
        if len(leaves) > MAX_LEAVES:
            text.append(f"… and {len(leaves) - MAX_LEAVES:,} more\n", style=MUTED)
        return text
    step = trace.steps[cursor - 1]
    (_backward if step.phase == BACKWARD else _forward)(text, matrix, walk, step)
    units = walk.units
    if units is not None and cursor == units.cursor and units.count:
        text.append("\n")
        lines = units.route(unit % units.count).lines(width)
        text.append(lines[0] + "\n", style=HEADING)
        style = VALUE  # the forward side, ∂zᵢ/∂Wᵢ⁽⁰⁾; from the first ∂y/ line on, gradients of the output
        for line in lines[1:]:
            style = GRAD if "∂y/" in line else style
            text.append(line + "\n", style=style)
    aside = walk.aside(cursor)
    if aside:
        text.append("\n" + aside + "\n", style=MUTED)
    return text


def phase(walk: Walkthrough, cursor: int) -> str:
    """start, forward or backward: where the cursor is in the trace."""
    return "start" if cursor == 0 else "forward" if cursor <= walk.trace.forward_count else "backward"


def progress_text(walk: Walkthrough, cursor: int, width: int = 24, asking: bool = False) -> Text:
    """Phase, step k of N and a small bar; the last step says the walk is done unless it still `asking`."""
    total, where = len(walk.trace), phase(walk, cursor)
    node = walk.trace.steps[cursor - 1].label if cursor else ""
    filled = round(width * cursor / total) if total else 0
    text = Text()
    text.append(f" {walk.lesson} ", style="bold reverse")
    text.append(f"  {where} pass" if cursor else "  start", style="bold")
    text.append(f" · step {cursor} of {total}" + (f" · {node}" if node else "") + "  ")
    text.append("━" * filled, style=GRAD if where == "backward" else VALUE)
    text.append("─" * (width - filled), style=BAR)
    if cursor == total and not asking:
        text.append("  done — home to start over", style=MUTED)
    return text


def why_text(walk: Walkthrough, cursor: int) -> Text:
    """Why this step matters, then the walkthrough's notices."""
    why = Text(walk.why[cursor])
    for notice in walk.notices_at(cursor):
        why.append("\n\n" + notice, style=NOTICE)
    return why
