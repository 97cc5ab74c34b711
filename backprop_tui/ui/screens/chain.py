"""Lesson chain on screen: two Jacobians, their product, its check, the wrong order, a matrix input."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.widgets import Static

from ...engine.notation import brief, number, subscript, superscript
from ...lessons import ChainOptions
from ...lessons import chain as lesson
from ...render.figures import below_same, quotient_error, rounding_only
from ...render.matrices import Block, row_width, side_by_side
from ...render.plot import power
from ...render.styles import GRAD, HEADING, MUTED, NOTICE, VALUE
from ..widgets.sized import Sized
from .lesson_page import LessonPage, no_steps, panel

ERROR = "bold red"


def space(k: int) -> str:
    """ℝᵏ, with the exponent raised."""
    return "ℝ" + superscript(str(k))


def functions_text(r: lesson.ChainResult, width: int) -> Text:
    l, n, m = r.l, r.n, r.m  # noqa: E741
    text = Text()
    text.append(f"g: {space(l)} → {space(n)}   ", style=HEADING)
    text.append(f"{lesson.G_TEXT}   A is {n}×{l}, a has {n} {'entry' if n == 1 else 'entries'}\n")
    text.append(f"f: {space(n)} → {space(m)}   ", style=HEADING)
    text.append(f"{lesson.F_TEXT}   B is {m}×{n}, c has {m} {'entry' if m == 1 else 'entries'}\n")
    width = max(width // 3 - 8, 12)
    text.append("x = ", style=MUTED)
    text.append(brief(r.fn.x, width), style=VALUE)
    text.append("   y = g(x) = ", style=MUTED)
    text.append(brief(r.y, width), style=VALUE)
    text.append("   f(g(x)) = ", style=MUTED)
    text.append(brief(r.out, width) + "\n\n", style=VALUE)
    text.append("∂(f∘g)/∂x (x) = ∂f/∂y (g(x)) · ∂g/∂x (x)", style="bold")
    text.append(f"   ({m}×{n})·({n}×{l}) → {m}×{l}\n", style=MUTED)
    text.append(
        "This holds where g is differentiable at x and f is differentiable at the point g(x). Here both are "
        "differentiable everywhere (sums, products and σ are smooth), so it holds at every x. The local "
        f"rules the engine uses: {lesson.DG_TEXT}, {lesson.DF_TEXT}."
    )
    return text


def product_text(r: lesson.ChainResult, width: int) -> Text:
    text = side_by_side(
        [
            Block("∂f/∂y at g(x)", r.J_f, GRAD),
            Block("∂g/∂x at x", r.J_g, GRAD),
            Block("∂(f∘g)/∂x", r.J_fg, f"bold {GRAD}"),
        ],
        ["·", "="],
        width,
    )
    text.append("\n\n")
    check = side_by_side(
        [Block(f"finite differences of f∘g (central, ε = {power(-6)})", r.J_fd, VALUE)], [], width
    )
    text.append_text(check)
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


def wrong_text(r: lesson.ChainResult, shown: bool) -> Text:
    (n, l), (m, _) = r.J_g.shape, r.J_f.shape  # noqa: E741
    text = Text()
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
    """∂gᵢ/∂W for as many outputs i as fit whole: the first ones, ⋯, the last."""

    def block(i: int) -> Block:
        return Block(f"∂g{subscript(str(i + 1))}/∂W", r.dg_dW[i], GRAD)

    one = row_width(side_by_side([block(0)], [], 10**6, 5)) + 3
    shown = max(1, min(r.n, (width + 3) // one))
    chosen = list(range(r.n)) if shown >= r.n else list(range(shown - 1)) + [r.n - 1]
    gaps = [" "] * (len(chosen) - 1)
    if shown < r.n and gaps:
        gaps[-1] = "⋯"
    return side_by_side([block(i) for i in chosen], gaps, width, 5)


def matrix_text(r: lesson.ChainResult, width: int) -> Text:
    p, q, n, m = r.p, r.q, r.n, r.m
    text = Text()
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
    text.append(" — row i is slice i with its rows laid end to end; it is a Jacobian matrix again.\n")
    text.append_text(side_by_side([Block("∂g/∂vec(W)", r.dg_dvecW, GRAD)], [], width, 5))
    text.append("\n")
    text.append(f"Un-flattened: row i reshaped to {p}×{q} is slice i again; ", style=MUTED)
    text.append("every slice matches.\n\n" if r.unflattens_to_slices else "a slice does NOT match.\n\n", style=MUTED)
    text.append("A gradient step on L(W) = Σⱼ fⱼ(g(W)): ", style=HEADING)
    text.append(
        f"∂L/∂vec(W) = 1ᵀ · ∂f/∂y · ∂g/∂vec(W), (1×{m})·({m}×{n})·({n}×{p * q}) → 1×{p * q}, "
        f"un-flattened to {p}×{q}:\n"
    )
    text.append_text(
        side_by_side(
            [Block("W", r.fn.A, VALUE), Block("∂L/∂W", r.dL_dW, GRAD), Block("W − η ∂L/∂W", r.W_next, VALUE)],
            [f"− {number(lesson.STEP)} ·", "="],
            width,
            5,
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
    text.append(f"  f∘g with g: {space(r.l)} → {space(r.n)} and f: {space(r.n)} → {space(r.m)}", style="bold")
    text.append(f"  ·  ℓ = {r.l}, n = {r.n}, m = {r.m}, seed {seed}", style=MUTED)
    return text


class ChainScreen(LessonPage):
    """§1: the chain rule as a product of Jacobians."""

    BINDINGS = [
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

    wrong_shown: var[bool] = var(False, init=False)
    result: var[lesson.ChainResult]  # the page's result, here the chain rule's
    options: ChainOptions

    def __init__(self, options: ChainOptions):
        super().__init__(options)
        self.result = lesson.compute(options)

    def panels(self) -> ComposeResult:
        yield panel("functions", "The functions and the rule", Sized(id="functions"))
        yield panel("product", "(a) Jacobian of f∘g as a product", Sized(id="product"))
        yield panel("wrong", "The other order")
        yield panel("matrix", "(b) A matrix input W", Sized(id="matrix"))

    def refresh_page(self) -> None:
        r = self.result
        self.set_title(title_text(r, self.options.seed))
        self.query_one("#functions", Sized).paint(lambda w: functions_text(r, w))
        self.query_one("#product", Sized).paint(lambda w: product_text(r, w))
        self._draw_wrong()
        self.query_one("#matrix", Sized).paint(lambda w: matrix_text(r, w))

    def watch_wrong_shown(self) -> None:
        self._draw_wrong()

    def _draw_wrong(self) -> None:
        self.query_one("#wrong", Static).update(wrong_text(self.result, self.wrong_shown))

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
