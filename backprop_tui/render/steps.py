"""A step as text: the chain-rule product symbolically, with shapes and with numbers; the progress line."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from ..engine import BACKWARD, Step, Term
from ..engine.notation import matrix_lines, number, shape_text
from ..lessons import Walkthrough
from .matrices import Block, row_width, side_by_side
from .styles import GRAD, HEADING, MUTED, NOTICE, VALUE

MAX_ROWS = 6
BAR = "grey37"  # the part of the progress bar still to go
MAX_LEAVES = 50  # listed before the first step; a typed function can have thousands of variables
CELL = 10  # a number and its gap, for fitting columns into the panel's width


class _Matrices:
    """Writes titled matrices into text, with as many columns as the panel's width allows."""

    def __init__(self, text: Text, width: int):
        self.text = text
        self.width = width
        self.cols = max(3, min(8, (width - 4) // CELL))

    def product(self, blocks: list[Block], operators: list[str]) -> bool:
        """Blocks side by side, like the maths (A · B = C), if they fit without eliding more; else False."""
        row = side_by_side(blocks, operators, 10_000, MAX_ROWS)
        if row_width(row) > self.width:
            return False
        self.text.append_text(row)
        self.text.append("\n")
        return True

    def __call__(self, title: str, array: np.ndarray, style: str, column: bool = False) -> None:
        """A titled matrix block; a vector that is a column in the maths gets a ᵀ after its row."""
        a, text = np.asarray(array), self.text
        text.append(f"{title}", style=HEADING)
        text.append(f"  ({_dims(a, column)})\n", style=MUTED)
        lines = matrix_lines(a, MAX_ROWS, self.cols)
        for i, line in enumerate(lines):
            text.append("  " + line, style=style)
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
    nodes = walk.trace.nodes
    text.append(step.equation + "\n", style="bold")
    text.append("shapes  ", style=MUTED)
    text.append(step.shapes + "\n\n")
    inputs = [nodes[name] for name in step.inputs]
    blocks = [Block(r.label, _column(r.value), VALUE) for r in inputs] + [Block(step.label, _column(step.value), VALUE)]
    operators = [*step.operators, "="] if step.operators else [","] * (len(inputs) - 1) + ["→"]
    if matrix.product(blocks, operators):
        return
    for record in inputs:
        matrix(record.label, record.value, VALUE, column=True)
    matrix(f"→ {step.label}", step.value, VALUE, column=True)


def _scalar(a: np.ndarray) -> str:
    """The one entry of a 1×1 (or 1, or 0-d) array."""
    return number(np.asarray(a).item())


def _scalar_terms(text: Text, walk: Walkthrough, step: Step) -> None:
    """All factors are numbers: each path on one line, then the sum."""
    out = walk.trace.nodes[walk.trace.output].label
    for term in step.terms:
        local = term.local_jacobian()
        assert local is not None, "a 1×1 Jacobian is never too big to build"
        text.append(f"via {term.consumer_label}: ", style=MUTED)
        text.append(f"{_scalar(term.upstream)} · {_scalar(local)} = ")
        text.append(_scalar(term.product) + "\n", style=GRAD)
    if len(step.terms) > 1:
        text.append(f"sum: ∂{out}/∂{step.label} = ", style=MUTED)
        text.append(signed_sum([_scalar(t.product) for t in step.terms]) + " = ")
        text.append(_scalar(step.value) + "\n", style=f"bold {GRAD}")


def signed_sum(terms: list[str]) -> str:
    """Numbers added as a person writes them: 6 − 0.0451, not 6 + −0.0451."""
    out = terms[0]
    for term in terms[1:]:
        out += f" − {term[1:]}" if term.startswith("−") else f" + {term}"
    return out


def _tensor_term(text: Text, matrix: _Matrices, walk: Walkthrough, step: Step, term: Term) -> None:
    """Upstream row · local Jacobian = this path's row, each with its shape."""
    out = walk.trace.nodes[walk.trace.output].label
    wrt = f"vec({step.label})" if step.value.ndim == 2 else step.label
    if len(step.terms) > 1:
        text.append(f"path via {term.consumer_label}\n", style=HEADING)
    J = term.local_jacobian()
    upstream = Block(f"∂{out}/∂{term.consumer_label}", _row(term.upstream), GRAD)
    product = Block(f"∂{out}/∂{wrt}", _row(term.product), GRAD)
    if J is not None:
        local = Block(f"∂{term.consumer_label}/∂{wrt}", J, VALUE)
        if matrix.product([upstream, local, product], ["·", "="]):
            return
    matrix(upstream.title, upstream.array, GRAD)
    rows, cols = term.jacobian_shape
    if J is None:
        text.append(f"· ∂{term.consumer_label}/∂{wrt}", style=HEADING)
        text.append(f"  ({rows}×{cols})\n", style=MUTED)
        rule = term.derivative.split(" = ", 1)[-1]
        text.append(f"  {rule}: {rows * cols:,} entries, too many to build;\n", style=VALUE)
        text.append("  the product is computed without it.\n", style=MUTED)
    else:
        matrix(f"· ∂{term.consumer_label}/∂{wrt}", J, VALUE)
    via = f" via {term.consumer_label}" if len(step.terms) > 1 else ""
    matrix(f"= ∂{out}/∂{wrt}{via}", _row(term.product), GRAD)


def _backward(text: Text, matrix: _Matrices, walk: Walkthrough, step: Step) -> None:
    text.append(step.equation + "\n", style="bold")
    for term in step.terms:
        text.append("  " + term.derivative + "\n", style=VALUE)
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


def render_step(walk: Walkthrough, cursor: int, width: int = 80) -> Text:
    """Everything about step `cursor` (1-based; 0 is the start, before any step), fitted to width."""
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
    return text



def phase(walk: Walkthrough, cursor: int) -> str:
    """start, forward or backward: where the cursor is in the trace."""
    return "start" if cursor == 0 else "forward" if cursor <= walk.trace.forward_count else "backward"


def progress_text(walk: Walkthrough, cursor: int, width: int = 24) -> Text:
    """Phase, step k of N and a small bar."""
    total, where = len(walk.trace), phase(walk, cursor)
    node = walk.trace.steps[cursor - 1].label if cursor else ""
    filled = round(width * cursor / total) if total else 0
    text = Text()
    text.append(f" {walk.lesson} ", style="bold reverse")
    text.append(f"  {where} pass" if cursor else "  start", style="bold")
    text.append(f" · step {cursor} of {total}" + (f" · {node}" if node else "") + "  ")
    text.append("━" * filled, style=GRAD if where == "backward" else VALUE)
    text.append("─" * (width - filled), style=BAR)
    if cursor == total:
        text.append("  done — home to start over", style=MUTED)
    return text


def why_text(walk: Walkthrough, cursor: int) -> Text:
    """Why this step matters, then the walkthrough's notices."""
    why = Text(walk.why[cursor])
    for notice in walk.notices:
        why.append("\n\n" + notice, style=NOTICE)
    return why
