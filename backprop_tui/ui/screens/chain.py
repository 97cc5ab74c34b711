"""Lesson chain on screen: two Jacobians, their product, its check, the wrong order, a matrix input."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.widgets import Static

from ...engine.notation import brief, number, shape_text, subscript, superscript
from ...lessons import ChainOptions
from ...lessons import chain as lesson
from ...practice import CORRECT, INVALID, Question, practice_for
from ...render.figures import below_same, quotient_error, rounding_only
from ...render.matrices import centred_row
from ...render.plot import power
from ...render.styles import GRAD, HEADING, MUTED, NOTICE, VALUE
from ..widgets.page_answer import RIGHT, WRONG, PageAnswer, Quiz, caret_text, practice_level
from ..widgets.sized import Sized
from .lesson_page import Body, LessonPage, no_steps, panel

ERROR = "bold red"
# What practice asks about, by key: the shapes of ∂g/∂x, ∂f/∂y and ∂(f∘g)/∂x, and the product's order.
ASKED = frozenset({"g", "f", "fg", "order"})
ROWS = 6  # a matrix's rows drawn before ⋮ (the page scrolls, but 64 rows of four matrices would bury the text)
MAX_SLICES = 8  # slices of ∂g/∂W drawn, wrapping onto more lines; more leave out the middle ones (⋯)
GAP = 3  # columns between two matrices in a row, an operator between them


# --- matrices drawn whole whenever they fit the panel's width ---


def _pick(n: int, keep: int) -> list[int | None]:
    """0 … n−1 if they fit in `keep` slots, else the first and last ones with None for the gap (which takes a slot)."""
    if n <= keep:
        return list(range(n))
    head = max((keep - 1 + 1) // 2, 1)
    tail = max(keep - 1 - head, 1)
    return list(range(head)) + [None] + list(range(n - tail, n))


def _around(n: int, keep: int, must: int) -> list[int | None]:
    """Like _pick, but index `must` is always among those kept (a slice's non-zero row)."""
    if n <= keep:
        return list(range(n))
    chosen = {must}
    order = [i // 2 if i % 2 == 0 else n - 1 - i // 2 for i in range(n)]  # 0, n−1, 1, n−2, …
    for i in order:
        trial = _with_gaps(n, chosen | {i})
        if len(trial) > keep:
            break
        chosen.add(i)
    return _with_gaps(n, chosen)


def _with_gaps(n: int, chosen: set[int]) -> list[int | None]:
    out: list[int | None] = []
    last = -1
    for i in sorted(chosen):
        if i != last + 1:
            out.append(None)
        out.append(i)
        last = i
    if last != n - 1:
        out.append(None)
    return out


def _ranges(n: int, shown: list[int | None]) -> str:
    """The 1-based indices left out, as ranges: "3", "4–9", "2, 5–7"."""
    kept = {i for i in shown if i is not None}
    runs: list[tuple[int, int]] = []
    for i in range(n):
        if i not in kept:
            if runs and runs[-1][1] == i - 1:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
    return ", ".join(str(a + 1) if a == b else f"{a + 1}–{b + 1}" for a, b in runs)


def grid(a: np.ndarray, rows: list[int | None], cols: list[int | None], block: int = 0) -> list[str]:
    """The chosen rows and columns of a matrix in brackets; ⋮ and … where some are left out.

    With `block` > 0 the columns come in blocks of that many, and ┊ stands between two blocks.
    """
    a = np.asarray(a, dtype=float)
    cells = [[("…" if c is None else number(float(a[r, c]))) for c in cols] for r in rows if r is not None]
    widths = [max(1, *(len(row[j]) for row in cells)) for j in range(len(cols))]

    def joint(j: int) -> str:  # what stands between column j and column j + 1
        here, there = cols[j], cols[j + 1]
        if block and (here is None or there is None or here // block != there // block):
            return " ┊ "
        return " "

    lines = []
    values = iter(cells)
    for r in rows:
        row = next(values) if r is not None else ["⋮" if c is not None else "" for c in cols]
        line = ""
        for j, (cell, w) in enumerate(zip(row, widths, strict=True)):
            line += cell.center(w) if r is None else cell.rjust(w)
            if j < len(cols) - 1:
                line += joint(j)
        lines.append(line)
    if len(lines) == 1:
        return [f"[{lines[0]}]"]
    edges = [("┌", "┐")] + [("│", "│")] * (len(lines) - 2) + [("└", "┘")]
    return [f"{left}{line}{right}" for (left, right), line in zip(edges, lines, strict=True)]


@dataclass(frozen=True)
class Drawn:
    """A matrix as drawn: its title, its shape, its lines and, if something had to be left out, what."""

    title: str
    shape: tuple[int, int]
    lines: list[str]
    style: str
    left_out: str = ""

    def cells(self) -> list[tuple[str, str | None]]:
        head: list[tuple[str, str | None]] = [(self.title, HEADING), (f"({self.shape[0]}×{self.shape[1]})", MUTED)]
        return head + [(line, self.style) for line in self.lines]

    @property
    def width(self) -> int:
        return max(len(text) for text, _ in self.cells())


def _matrix(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return a.reshape(-1, 1) if a.ndim < 2 else a


def draw(title: str, array: np.ndarray, style: str, width: int | None, rows: list[int | None] | None = None) -> Drawn:
    """A matrix with every column when it fits `width` (None: no limit), else as many first and last ones as fit."""
    a = _matrix(array)
    n, m = a.shape
    rows = rows if rows is not None else _pick(n, ROWS)  # rows left out show as ⋮
    cols: list[int | None] = list(range(m)) if width is None else _pick(m, _columns_that_fit(a, rows, width))
    lines = grid(a, rows, cols)
    return Drawn(title, (n, m), lines, style, f"columns {_ranges(m, cols)}" if None in cols else "")


def _columns_that_fit(a: np.ndarray, rows: list[int | None], width: int) -> int:
    """The most column slots (… taking one) whose grid is at most `width` wide, and never fewer than 2.

    Each column's width is measured once and the widths added up: trying every count by drawing
    the grid took seconds for the 64×4096 ∂g/∂vec(W).
    """
    shown = [r for r in rows if r is not None]
    m = a.shape[1]
    widths = [max(1, *(len(number(float(a[r, c]))) for r in shown)) for c in range(m)]

    def span(keep: int) -> int:  # the grid's width: the cells, a space between two, the brackets
        cols = _pick(m, keep)
        return sum(1 if c is None else widths[c] for c in cols) + len(cols) - 1 + 2

    low, high = 2, m  # span grows with keep: find the largest keep with span(keep) <= width
    if span(high) <= width:
        return high
    while low < high:
        middle = (low + high + 1) // 2
        if span(middle) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def draw_blocks(title: str, array: np.ndarray, style: str, width: int, block: int) -> Drawn:
    """∂g/∂vec(W): row i is non-zero only in column block i. Left out are whole blocks with their rows,
    so every row drawn shows its own block, and the diagonal of blocks stays in view."""
    a = _matrix(array)
    n, m = a.shape
    chosen: list[int | None] = []
    lines: list[str] = []
    for keep in range(n if n <= ROWS else ROWS - 1, 1, -1):  # blocks (and rows) shown; a gap takes a row of its own
        chosen = _with_gaps(n, set(range((keep + 1) // 2)) | set(range(n - keep // 2, n)))
        cols: list[int | None] = []
        for i in chosen:
            cols.extend([None] if i is None else range(i * block, (i + 1) * block))
        lines = grid(a, chosen, cols, block)
        if max(map(len, lines)) <= width:
            break
    if not lines or max(map(len, lines)) > width:
        # even two blocks are wider than the panel: the first row and the last, whose non-zero
        # blocks are the first and the last, with columns left out between them
        return draw(title, a, style, width, rows=_with_gaps(n, {0, n - 1}))
    if None not in chosen:
        return Drawn(title, (n, m), lines, style)
    gone = _ranges(n, chosen)
    one = gone.isdigit()
    return Drawn(title, (n, m), lines, style,
                 f"row {gone} and its column block" if one else f"rows {gone} and their column blocks")


def arrange(drawn: list[Drawn], operators: list[str]) -> Text:
    """Matrices side by side, centred on the tallest, each operator between two middles."""
    return centred_row([d.cells() for d in drawn], [d.width for d in drawn], operators)


def _row_width(drawn: list[Drawn], operators: list[str]) -> int:
    return sum(d.width for d in drawn) + sum(len(op) + 2 for op in operators)


def matrices(items: list[tuple[str, np.ndarray, str]], operators: list[str], width: int) -> Text:
    """Matrices with operators between them: in one row when all fit whole, else one under another.

    A matrix is never cut to make a row fit: the row stacks first. Only a matrix
    wider than the panel on its own leaves columns out, and a note says which.
    """
    whole = [draw(title, a, style, None) for title, a, style in items]
    if _row_width(whole, operators) <= width:
        text = arrange(whole, operators)
        drawn = whole
    else:
        drawn = [draw(title, a, style, width) for title, a, style in items]
        text = Text()
        for k, d in enumerate(drawn):
            text.append_text(arrange([d], []))
            if k < len(operators):
                text.append(f"\n{operators[k]}\n", style="bold")
    return text + notes(drawn)


def notes(drawn: list[Drawn]) -> Text:
    """One muted line per matrix that had to leave something out."""
    text = Text()
    for d in drawn:
        if d.left_out:
            text.append(f"\n{d.title}: {d.left_out} not shown, to fit the panel (a wider terminal shows them)",
                        style=MUTED)
    return text




def space(k: int) -> str:
    """ℝᵏ, with the exponent raised."""
    return "ℝ" + superscript(str(k))


def functions_text(r: lesson.ChainResult, width: int, shown: frozenset[str] = ASKED) -> Text:
    """The two functions, x and its images, and the rule; in practice without what the questions ask (`shown`)."""
    l, n, m = r.l, r.n, r.m  # noqa: E741
    text = Text()
    text.append(f"g: {space(l)} → {space(n)}   ", style=HEADING)
    text.append(lesson.G_TEXT + "   ")
    text.append(f"A is {n}×{l}, " if "g" in shown else "")  # A's shape is ∂g/∂x's: asked first
    text.append(f"a has {n} {'entry' if n == 1 else 'entries'}\n")
    text.append(f"f: {space(n)} → {space(m)}   ", style=HEADING)
    text.append(lesson.F_TEXT + "   ")
    text.append(f"B is {m}×{n}, " if "f" in shown else "")
    text.append(f"c has {m} {'entry' if m == 1 else 'entries'}\n")
    values = [("x = ", r.fn.x), ("y = g(x) = ", r.y), ("f(g(x)) = ", r.out)]
    whole = [(label, brief(vector, 10**6)) for label, vector in values]
    if sum(len(label) + len(written) + 3 for label, written in whole) - 3 <= width:  # one line, every entry
        for k, (label, written) in enumerate(whole):
            text.append(("   " if k else "") + label, style=MUTED)
            text.append(written, style=VALUE)
    else:  # a line each, as many entries as the panel's width holds
        for k, (label, vector) in enumerate(values):
            text.append(("\n" if k else "") + label, style=MUTED)
            text.append(brief(vector, max(width - len(label), 12)), style=VALUE)
    text.append("\n\n")
    if "order" in shown:
        text.append("∂(f∘g)/∂x (x) = ∂f/∂y (g(x)) · ∂g/∂x (x)", style="bold")
    else:
        text.append("∂(f∘g)/∂x (x) = a product of ∂g/∂x (x) and ∂f/∂y (g(x))", style="bold")  # as asked, g first
        text.append("   in which order: asked below", style=MUTED)
    if shown >= ASKED:
        text.append(f"   ({m}×{n})·({n}×{l}) → {m}×{l}", style=MUTED)
    text.append("\n")
    text.append(
        "This holds where g is differentiable at x and f is differentiable at the point g(x). Here both are "
        "differentiable everywhere (sums, products and σ are smooth), so it holds at every x."
    )
    if shown >= ASKED:  # the rules name A and B, and so the shapes
        text.append(f" The local rules the engine uses: {lesson.DG_TEXT}, {lesson.DF_TEXT}.")
    return text


def product_hidden(r: lesson.ChainResult, shown: frozenset[str]) -> Text:
    """Part (a) while practice asks: each Jacobian's shape once it is known, "?" until then, and no matrix."""
    text = Text()
    rows = [("∂g/∂x at x", "g", r.J_g.shape), ("∂f/∂y at g(x)", "f", r.J_f.shape), ("∂(f∘g)/∂x", "fg", r.J_fg.shape)]
    for title, key, shape in rows:
        text.append(f"{title:<16}", style=HEADING)
        text.append((shape_text(shape) if key in shown else "?") + "\n", style="bold")
    text.append(f"{'the product':<16}", style=HEADING)
    text.append("∂(f∘g)/∂x = " + ("∂f/∂y · ∂g/∂x" if "order" in shown else "? · ?"), style="bold")
    text.append(
        "\n\nThe matrices, their product and its check by finite differences show once every question below "
        "is answered or revealed.",
        style=MUTED,
    )
    return text


def product_text(r: lesson.ChainResult, width: int, shown: frozenset[str] = ASKED) -> Text:
    if not shown >= ASKED:
        return product_hidden(r, shown)
    text = matrices(
        [("∂f/∂y at g(x)", r.J_f, GRAD), ("∂g/∂x at x", r.J_g, GRAD), ("∂(f∘g)/∂x", r.J_fg, f"bold {GRAD}")],
        ["·", "="],
        width,
    )
    text.append("\n\n")
    text.append_text(matrices([(f"finite differences of f∘g (central, ε = {power(-6)})", r.J_fd, VALUE)], [], width))
    text.append("\n\nlargest difference from the product: ", style=MUTED)
    text.append(quotient_error(r.fd_error, r.fd_rounding), style="bold")
    verdict = "  — they agree as far as differences can tell" if r.fd_error < 1e-6 else "  — they disagree"
    text.append(verdict, style=MUTED)
    text.append(
        "\n(a difference quotient carries rounding of about 2e−16·max(|f|, 1)/ε, different on every machine: "
        "an error about that size or less shows as ≲ a bound)",
        style=MUTED,
    )
    return text


def wrong_text(r: lesson.ChainResult, shown: bool, asking: bool = False) -> Text:
    (n, l), (m, _) = r.J_g.shape, r.J_f.shape  # noqa: E741
    text = Text()
    if asking:  # its sizes and its failure would answer the questions
        text.append("The other order comes once the questions below are answered or revealed.", style=MUTED)
        return text
    if not shown:
        text.append(f"Press w to multiply the other way round: ∂g/∂x · ∂f/∂y, ({n}×{l})·({m}×{n}).", style=MUTED)
        return text
    text.append(f"∂g/∂x · ∂f/∂y = ({n}×{l})·({m}×{n})\n", style="bold")
    if r.wrong.fits:
        assert r.wrong.shape is not None, "a product that fits has a shape"
        text.append(f"numpy returns a {r.wrong.shape[0]}×{r.wrong.shape[1]} matrix, no error.\n", style=NOTICE)
    else:
        text.append("ValueError: ", style=ERROR)
        text.append(r.wrong.error + "\n", style=ERROR)
    text.append(r.wrong.explanation)
    return text


def slices_text(r: lesson.ChainResult, width: int) -> Text:
    """∂gᵢ/∂W for every output i (the first and last ones if there are many), as many to a line as fit.

    Each slice keeps its row i in view, the one row that is not zero.
    """
    n = r.n
    chosen = _pick(n, MAX_SLICES)
    drawn: list[Drawn | None] = [
        None if i is None else draw(f"∂g{subscript(str(i + 1))}/∂W", r.dg_dW[i], GRAD, width, _around(r.p, ROWS, i))
        for i in chosen
    ]
    lines: list[list[Drawn]] = [[]]
    used = 0
    for d in drawn:
        if d is None:
            continue
        if lines[-1] and used + GAP + d.width > width:
            lines.append([])
            used = 0
        used += (GAP if lines[-1] else 0) + d.width
        lines[-1].append(d)
    text = Text()
    for k, line in enumerate(lines):
        text.append("\n\n" if k else "")
        text.append_text(arrange(line, [" "] * (len(line) - 1)))
    if None in chosen:
        text.append(f"\n⋯ slices {_ranges(n, chosen)} are left out: each is zero but for its own row", style=MUTED)
    cut = {d.left_out for d in drawn if d is not None and d.left_out}
    if cut:
        text.append(f"\nin each slice, {' or '.join(sorted(cut))} not shown, to fit the panel", style=MUTED)
    return text


def matrix_text(r: lesson.ChainResult, width: int, asking: bool = False) -> Text:
    p, q, n, m = r.p, r.q, r.n, r.m
    text = Text()
    if asking:  # its shapes and its product 1ᵀ · ∂f/∂y · ∂g/∂vec(W) would answer the questions
        text.append(
            "Part (b), g as a function of its weight matrix W, follows once the questions of part (a) are "
            "answered or revealed.",
            style=MUTED,
        )
        return text
    text.append(f"The same g as a function of its weight matrix W = A, a {p}×{q} matrix (p = n, q = ℓ), ", style="bold")
    text.append("x held fixed: g(W) = σ(Wx + a).\n\n")
    text.append(f"∂g/∂W has shape {n}×{p}×{q}", style=HEADING)
    text.append(
        f": one {p}×{q} slice per output gᵢ. Only row i of slice i is non-zero, "
        "because gᵢ depends on row i of W alone.\n"
    )
    text.append_text(slices_text(r, width))
    text.append("\n\n")
    text.append(f"Flattened: ∂g/∂vec(W) is {n}×{p * q}", style=HEADING)
    text.append(
        f" — row i is slice i with its {p} rows laid end to end, so it is a Jacobian matrix again. "
        f"Its {p} blocks of {q} columns (┊) are those of {lesson.DG_VEC_TEXT}: row i is σ′(uᵢ)·xᵀ in block i, "
        "zero elsewhere.\n"
    )
    vec = draw_blocks("∂g/∂vec(W)", r.dg_dvecW, GRAD, width, q)
    text.append_text(arrange([vec], []) + notes([vec]))
    text.append("\n")
    text.append(f"Un-flattened: row i reshaped to {p}×{q} is slice i again; ", style=MUTED)
    text.append("every slice matches.\n\n" if r.unflattens_to_slices else "a slice does NOT match.\n\n", style=MUTED)
    text.append("A gradient step on L(W) = Σⱼ fⱼ(g(W)): ", style=HEADING)
    text.append(
        f"∂L/∂vec(W) = 1ᵀ · ∂f/∂y · ∂g/∂vec(W), (1×{m})·({m}×{n})·({n}×{p * q}) → 1×{p * q}, "
        f"un-flattened to {p}×{q}:\n"
    )
    text.append_text(
        matrices(
            [("W", r.fn.A, VALUE), ("∂L/∂W", r.dL_dW, GRAD), ("W − η ∂L/∂W", r.W_next, VALUE)],
            [f"− {number(lesson.STEP)} ·", "="],
            width,
        )
    )
    text.append("\n\nbackprop's ∂L/∂W, straight in W's shape, ", style=MUTED)
    if rounding_only(r.backprop_difference, 1.0):  # even 0: another machine may round differently
        text.append("agrees up to rounding", style="bold")
        text.append(f" (any difference is {below_same()} of its largest entry)", style=MUTED)
    else:
        text.append("differs by ", style=MUTED)
        text.append(f"{number(r.backprop_difference, 2)} of its largest entry", style="bold")
    text.append(".   L: ", style=MUTED)
    text.append(f"{number(r.loss)} → {number(r.loss_next)}", style="bold")
    text.append(" after the step" + (" (down)" if r.loss_next < r.loss else ""), style=MUTED)
    return text


def title_text(r: lesson.ChainResult, seed: int) -> Text:
    text = Text()
    text.append(" chain ", style="bold reverse")
    text.append(f"  {lesson.SECTION} · ", style=HEADING)
    text.append(f"f∘g with g: {space(r.l)} → {space(r.n)} and f: {space(r.n)} → {space(r.m)}", style="bold")
    text.append(f"  ·  ℓ = {r.l}, n = {r.n}, m = {r.m}, seed {seed}", style=MUTED)
    return text


def example_shape(expected: tuple[int, ...]) -> str:
    """A shape to show how one is typed that is neither the answer nor its transpose."""
    for a, b in ((5, 7), (6, 8), (7, 9)):
        if {(a, b), (b, a)}.isdisjoint({tuple(expected), tuple(expected)[::-1]}):
            return f"{a}x{b}"
    return "5x7"  # not reached: at most one of the three pairs meets a 2-D shape or its transpose


def form_of(question: Question) -> str:
    """What to type, the page's own words: the core's example shape can be the very answer (2x3 for f∘g)."""
    if question.field == "shape":
        like = example_shape(question.expected)
        return f"a shape, like {like}, {like.replace('x', '×')} or ({like.replace('x', ', ')})"
    return "fg or gf (f and g in the order they multiply)"


def asked_keys(quiz: Quiz) -> frozenset[str]:
    """What the student knows by now: the Jacobians whose shape, and whether the order, is answered or revealed."""
    keys = {node for node in ("g", "f", "fg") if quiz.known(node, "shape")}
    return frozenset(keys | ({"order"} if quiz.known("fg", "order") else set()))


class ChainScreen(LessonPage):
    """§1: the chain rule as a product of Jacobians.

    In practice (the app's level some or all) the page first asks the shapes of
    ∂g/∂x, ∂f/∂y and ∂(f∘g)/∂x and which order multiplies them, one after
    another in the box under the page; what a question asks stays hidden ("?")
    until it is answered right or revealed. New sizes ask again.
    """

    BINDINGS = [
        Binding("a", "answer", "Answer"),  # practice first: the Footer cuts what does not fit on the right
        Binding("ctrl+t", "hint", "Hint"),
        Binding("ctrl+r", "reveal", "Reveal"),
        Binding("l", "size('l', 1)", "ℓ +1", group=Binding.Group("ℓ +1 −1", compact=True)),
        Binding("L", "size('l', -1)", "ℓ −1", group=Binding.Group("ℓ +1 −1", compact=True)),
        Binding("n", "size('n', 1)", "n +1", group=Binding.Group("n +1 −1", compact=True)),
        Binding("N", "size('n', -1)", "n −1", group=Binding.Group("n +1 −1", compact=True)),
        Binding("m", "size('m', 1)", "m +1", group=Binding.Group("m +1 −1", compact=True)),
        Binding("M", "size('m', -1)", "m −1", group=Binding.Group("m +1 −1", compact=True)),
        Binding("w", "wrong_order", "Wrong order"),
        Binding("r", "reseed", "New draw"),
        no_steps("space,right,p,left,f"),
    ]

    NOTES_INLINE = True
    PAGE_KEYS = ("size", "reseed")  # typed into the answer field while it has the keys

    wrong_shown: var[bool] = var(False, init=False)
    result: var[lesson.ChainResult]  # the page's result, here the chain rule's
    options: ChainOptions

    def __init__(self, options: ChainOptions):
        super().__init__(options)
        self.result = lesson.compute(options)
        self.level = "watch"  # the app's practice level, read on mount and followed after
        self.quiz: Quiz | None = None  # the questions for the current sizes, made when practice first asks
        self._quiz_sizes: tuple[int, int, int] | None = None
        self._asked: Question | None = None  # the question the box shows, so a redraw keeps what is typed
        self._feedback = Text()  # what the page said of the last answer, hint or reveal

    def panels(self) -> ComposeResult:
        yield panel("functions", "The functions and the rule", Sized(id="functions"))
        yield panel("answers", "Your answers", Static(id="answers", classes="-idle"))
        yield panel("product", "(a) Jacobian of f∘g as a product", Sized(id="product"))
        yield panel("wrong", "The other order")
        yield panel("matrix", "(b) A matrix input W", Sized(id="matrix"))

    def asking(self) -> ComposeResult:
        yield PageAnswer(placeholder="your answer, then enter", id="ask", classes="-idle")

    def on_mount(self) -> None:
        self.level = practice_level(self.app)
        if hasattr(type(self.app), "practice"):  # the app's reactive level
            self.watch(self.app, "practice", self._level_changed, init=False)
        self.call_after_refresh(self._focus_answer)  # after the page has put the focus on its body

    def on_screen_resume(self) -> None:
        self._focus_answer()

    def _focus_answer(self) -> None:
        if self.practising:
            self.query_one(PageAnswer).open()

    def _level_changed(self, level: str) -> None:
        self.level = practice_level(self.app)
        self.refresh_page()
        self._focus_answer()

    # --- practice state ---

    @property
    def practising(self) -> bool:
        """Whether a question waits for an answer."""
        return self.level != "watch" and self.quiz is not None and not self.quiz.done

    def shown(self) -> frozenset[str]:
        """What the panels may show: everything when watching, else what has been answered or revealed."""
        if self.level == "watch" or self.quiz is None:
            return ASKED
        return asked_keys(self.quiz)

    def _sync_quiz(self) -> None:
        """Questions for the current sizes: new sizes ask again (a new draw keeps the shapes, and the answers)."""
        if self.level == "watch" and self.quiz is None:
            return
        sizes = lesson.sizes(self.options)
        if self.quiz is None or self._quiz_sizes != sizes:
            self.quiz = Quiz(practice_for("chain", self.options).questions())
            self._quiz_sizes = sizes
            self._feedback = Text()

    # --- drawing ---

    def refresh_page(self) -> None:
        r = self.result
        self._sync_quiz()
        shown = self.shown()
        hidden = not shown >= ASKED
        self.set_title(title_text(r, self.options.seed))
        self.query_one("#functions", Sized).paint(lambda w: functions_text(r, w, shown))
        self.query_one("#product", Sized).paint(lambda w: product_text(r, w, shown))
        self._draw_wrong()
        self.query_one("#matrix", Sized).paint(lambda w: matrix_text(r, w, hidden))
        self._draw_answers()

    def watch_wrong_shown(self) -> None:
        self._draw_wrong()

    def _draw_wrong(self) -> None:
        self.query_one("#wrong", Static).update(wrong_text(self.result, self.wrong_shown, not self.shown() >= ASKED))

    def _draw_answers(self) -> None:
        """The box under the page (while a question waits) and, once all are answered, the summary panel."""
        quiz, box = self.quiz, self.query_one(PageAnswer)
        practice = self.level != "watch" and quiz is not None
        summary = self.query_one("#answers", Static)
        summary.set_class(not (practice and quiz is not None and quiz.done), "-idle")
        box.set_class(not self.practising, "-idle")
        if not practice or quiz is None:
            return
        if quiz.done:
            text = quiz.summary()
            text.append(f"\n{quiz.score()}", style=MUTED)
            summary.update(text)
            return
        record = quiz.current
        assert record is not None, "a quiz that is not done has a question"
        q = record.question
        prompt = Text()
        prompt.append(f"Question {quiz.number} of {len(quiz.records)} · ", style=HEADING)
        prompt.append(q.prompt, style="bold")
        prompt.append(f"\n{form_of(q)}; enter checks", style=MUTED)  # the other keys are in the Footer
        said = self._feedback.copy()
        for k, hint in enumerate(quiz.given_hints(), 1):
            said.append("\n" if said.plain else "")
            said.append(f"Hint {k} of {len(q.hints)}: ", style="bold")
            said.append(hint)
        if q is self._asked:  # the same question: what is typed stays, and so does the focus
            box.prompt(prompt)
        else:  # a new question: the field is emptied; the keys stay where they are (new sizes come from the body)
            box.ask(prompt, focus=False)
            self._asked = q
        box.say(said)
        box.score(quiz.score())

    def _say(self, feedback: Text) -> None:
        """What the page says of the last answer (or key), under the field until the next one."""
        self._feedback = feedback
        self._draw_answers()

    # --- keys ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Practice keys only while a question waits; the page's own keys leave the Footer while the field has them."""
        typing = self._typing()
        if action in ("hint", "reveal"):
            return self.practising
        if action == "answer":
            return self.practising and not typing
        if action == "wrong_order":
            return self.shown() >= ASKED and not typing
        if action in self.PAGE_KEYS:
            return not typing
        return True

    def _typing(self) -> bool:
        focused = self.focused
        return focused is not None and focused.id == "answer-input"

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    @on(PageAnswer.Answered)
    def _answered(self, event: PageAnswer.Answered) -> None:
        quiz = self.quiz
        if not self.practising or quiz is None or quiz.current is None:
            return
        q = quiz.current.question
        typed = event.text
        if not typed.strip():
            self._say(Text("Type an answer first: " + form_of(q), style=WRONG))
            return
        verdict = quiz.answer(typed)
        if verdict.verdict == INVALID:
            # the core's message for an order names the right one as its example: the page says it its own way
            message = "type fg or gf: f and g in the order they multiply" if q.field == "order" else verdict.message
            self._say(caret_text(typed, message, verdict.position, self.query_one(PageAnswer).feedback_width()))
            return
        if verdict.verdict == CORRECT:
            self._after_closing(Text.assemble(("Right: ", RIGHT), f"{q.subject} is {q.expected_text}."))
            return
        said = Text(verdict.diagnosis or "Not quite.", style=WRONG)
        said.append(" Try again, or ctrl+t for a hint.", style=MUTED)
        self._say(said)

    def _after_closing(self, said: Text) -> None:
        """A question answered or revealed: the panels show what it asked, the box the next question."""
        self._feedback = said
        self.refresh_page()
        if self.quiz is not None and self.quiz.done:
            self.tell(f"Every question answered or revealed: {self.quiz.score()}. "
                      "The product and part (b) are on the page now.", "information")
            self.query_one(Body).focus()

    @on(PageAnswer.Left)
    def _left(self) -> None:
        self.query_one(Body).focus()

    def action_answer(self) -> None:
        self._focus_answer()

    def action_hint(self) -> None:
        if not self.practising or self.quiz is None:
            return
        if self.quiz.hint() is None:
            self._say(Text("No more hints: ctrl+r reveals the answer.", style=MUTED))
        else:
            self._draw_answers()

    def action_reveal(self) -> None:
        if not self.practising or self.quiz is None:
            return
        record = self.quiz.reveal()
        assert record is not None, "a question waits while practising"
        q = record.question
        self._after_closing(Text.assemble(("Revealed: ", WRONG), f"{q.subject} is {q.expected_text}."))

    def action_size(self, name: str, direction: int) -> None:
        current = lesson.sizes(self.options)[("l", "n", "m").index(name)]
        result = self.recompute({name: current + direction}, lesson.compute)
        if result is not None:
            self.result = result

    def action_wrong_order(self) -> None:
        self.wrong_shown = not self.wrong_shown

    def action_reseed(self) -> None:
        result = self.recompute({"seed": self.options.seed + 1}, lesson.compute)
        if result is not None:
            self.result = result
