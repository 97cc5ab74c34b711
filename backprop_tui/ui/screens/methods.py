"""Lesson methods on screen: five gradients side by side, their cost, the ε sweep and the association."""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import Static

from ...engine.notation import number
from ...lessons import MethodsOptions, association
from ...lessons import methods as lesson
from ...render.figures import (
    about,
    below_same,
    best_error,
    quotient_error,
    quotient_value,
    rounding_only,
    same_text,
)
from ...render.plot import Series, braille_plot, power
from ...render.styles import GRAD, HEADING, MUTED, VALUE
from .lesson_page import LessonPage, no_steps, panel

FORWARD_STYLE, CENTRAL_STYLE = "cyan", "dark_orange"
SINGULAR = {"passes": "pass", "evaluations": "evaluation"}
MAX_ROWS = 24  # parameters listed before the middle is elided
PLOT_ROWS = 14
FLOOR = 1e-18  # an error of exactly 0 is drawn here, below any rounding error
QUOTIENTS = ("forward_difference", "central_difference")
SHORT = {
    "forward_difference": "fwd diff",
    "central_difference": "central",
    "analytic": "analytic",
    "forward_mode": "fwd mode",
    "reverse_mode": "reverse",
}


def duration(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def eps_text(eps: float) -> str:
    return power(round(math.log10(eps)))


def gradients_text(r: lesson.Result) -> Text:
    """One row per parameter, one column per method, in the issue's order; quotients to their rounding."""
    width = max(len(label) for label in r.labels) + 2
    text = Text()
    text.append("θ".ljust(width), style=HEADING)
    for key in lesson.METHODS:
        text.append(SHORT[key].rjust(12), style=HEADING)
    text.append("\n")
    rows: list[int | None] = list(range(r.n))
    if r.n > MAX_ROWS:
        rows = rows[: MAX_ROWS // 2] + [None] + rows[r.n - MAX_ROWS // 2 + 1 :]
    for i in rows:
        if i is None:
            text.append("⋮".center(width) + "\n", style=MUTED)
            continue
        text.append(r.labels[i].ljust(width))
        for key in lesson.METHODS:
            style = GRAD if key == "reverse_mode" else None
            value = float(r.methods[key].grad[i])
            shown = quotient_value(value, r.rounding) if key in QUOTIENTS else number(value, 7)
            text.append(shown.rjust(12), style=style)
        text.append("\n")
    if r.n > MAX_ROWS:
        text.append(f"{r.n} parameters; the middle ones are elided.\n", style=MUTED)
    return text


def summary_text(r: lesson.Result) -> Text:
    """Per method: calls, error against backprop, time, multiply-adds."""
    text = Text()
    head = f"{'method':<19}{'calls':>16}{'max |Δ|':>9}{'rel.':>9}{'time':>10}{'mult-adds':>11}\n"
    text.append(head, style=HEADING)
    for key in lesson.METHODS:
        m = r.methods[key]
        calls = "formulas" if m.count is None else f"{m.count} {m.unit if m.count != 1 else SINGULAR[m.unit]}"
        text.append(f"{m.title:<19}{calls:>16}")
        if key == "reverse_mode":
            text.append(f"{'reference':>18}", style=MUTED)
        else:
            text.append(f"{error_columns(m, r.rounding):>18}", style=GRAD)
        text.append(f"{duration(m.seconds):>10}{count(m.multiply_adds):>11}\n")
    text.append(
        f"\nDifferences use ε = {eps_text(r.epsilon)}. Errors are against reverse mode. Calls are counted as they "
        "happen: evaluations of f, or passes through the graph. Multiply-adds count every product done "
        "(matrix times vector, a local derivative applied); exp and σ count one per entry. "
        f"Rounding alone moves a difference quotient by about 2e−16·max(|f|, 1)/ε, here {about(r.rounding)}, "
        "and by how much exactly changes from machine to machine: an error about that size or less shows as "
        "≲ a bound, and quotients only to the decimals rounding cannot reach. The exact methods agree with "
        f"reverse mode up to rounding (≈ 0: {below_same()} of the largest partial).",
        style=MUTED,
    )
    return text


def error_columns(m: lesson.Method, rounding: float) -> str:
    """max |Δ| and rel., 9 wide each: a quotient's to its order of magnitude or bound, an exact method's rounding."""
    if m.key in QUOTIENTS:
        shown = quotient_error(m.max_abs_error, rounding)
        return f"{shown:>9}" + ("rounding" if shown.startswith("≲") else about(m.max_rel_error)).rjust(9)
    if rounding_only(m.max_rel_error, 1.0):  # 0 here may be a unit in the last place elsewhere
        return f"{'≈ 0':>9}{below_same():>9}"
    return f"{number(m.max_abs_error, 2):>9}{number(m.max_rel_error, 2):>9}"


class SweepPlot(Widget):
    """The ε sweep on log–log axes, drawn to the widget's width; its result is bound to the page's."""

    DEFAULT_CSS = "SweepPlot { height: auto; }"

    result: reactive[lesson.Result | None] = reactive(None, layout=True, always_update=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return PLOT_ROWS + 2

    def render(self) -> Text:
        r = self.result
        if r is None:
            return Text()
        best_f, best_c = r.best("forward"), r.best("central")

        def log(p, which):
            return (math.log10(p.epsilon), math.log10(max(getattr(p, which), FLOOR)))

        logs = [log(p, which)[1] for p in r.sweep for which in ("forward_error", "central_error")]
        y_range = (math.floor(min(logs)), math.ceil(max(logs)))
        series = [
            Series(tuple(log(p, "forward_error") for p in r.sweep), FORWARD_STYLE, log(best_f, "forward_error")),
            Series(tuple(log(p, "central_error") for p in r.sweep), CENTRAL_STYLE, log(best_c, "central_error")),
        ]
        x_range = (round(math.log10(lesson.SWEEP[-1])), round(math.log10(lesson.SWEEP[0])))
        lines = braille_plot(series, max(self.size.width, 30), PLOT_ROWS + 2, x_range, y_range, math.log10(r.epsilon))
        return Text("\n").join(lines)


def sweep_legend(r: lesson.Result) -> Text:
    best_f, best_c = r.best("forward"), r.best("central")
    text = Text()
    text.append("━ forward difference", style=FORWARD_STYLE)
    text.append(f"  best ε = {eps_text(best_f.epsilon)}, error {best_error(best_f.rounding)}\n")
    text.append("━ central difference", style=CENTRAL_STYLE)
    text.append(f"  best ε = {eps_text(best_c.epsilon)}, error {best_error(best_c.rounding)}\n")
    text.append("◆ best ε   ┊ the ε in use (e / E)\n", style=MUTED)
    text.append(
        f"Largest error over all {r.n} partials against ε. Going right, ε grows and the quotient drifts from the "
        "slope (truncation: ~ε for the forward quotient, ~ε² for the central one). Going left, f(θ + εe) and "
        "f(θ) agree in more and more digits, and their difference is mostly rounding (~1/ε): its exact size "
        "there differs from machine to machine.",
        style=MUTED,
    )
    return text


def product_line(p: association.Product) -> str:
    (a, b), (_, c) = p.left, p.right
    return f"({a}×{b})·({b}×{c}) → {a}×{c}"


def association_text(r: lesson.Result) -> Text:
    c = r.association
    names = [name for name, _ in c.factors]
    text = Text()
    text.append(f"In the network with d = {c.d}, h = {c.h}:\n", style=MUTED)
    text.append(" · ".join(f"{name} ({s[0]}×{s[1]})" for name, s in c.factors) + "\n", style=HEADING)
    groupings = {
        "reverse": f"reverse: ({names[0]} · {names[1]}) · {names[2]}",
        "forward": f"forward: {names[0]} · ({names[1]} · {names[2]})",
    }
    totals = {}
    for way in ("reverse", "forward"):
        text.append(groupings[way] + "\n", style=GRAD if way == "reverse" else VALUE)
        for p in c.products[way]:
            text.append(f"  {product_line(p):<26}{count(p.multiply_adds):>12} multiply-adds\n")
        totals[way] = association.total(c.products[way])
        text.append(f"  {'total':<26}{count(totals[way]):>12}\n", style="bold")
    ratio = totals["forward"] / totals["reverse"]
    text.append(
        # the network's gradients are of order 1 at most: rounding differences are far below 1e−12 of 1
        f"Same ∂y/∂vec(W⁽⁰⁾) either way (largest difference from backprop: {same_text(c.agreement, 1.0)}); "
        f"the forward grouping costs {ratio:.3g}× as much: it multiplies matrix by matrix where reverse "
        "multiplies a row by a matrix.\n\n",
        style=MUTED,
    )
    text.append(f"As h grows (d = {c.d}):\n", style=HEADING)
    text.append(f"{'h':>5}{'reverse':>14}{'forward':>17}{'ratio':>8}\n", style=HEADING)
    for h, rev, fwd in c.growth:
        style = "bold" if h == c.h else None
        text.append(f"{h:>5}{count(rev):>14}{count(fwd):>17}{fwd / rev:>8.3g}\n", style=style)
    return text


def memory_text(r: lesson.Result) -> Text:
    mem = r.association.memory
    kept = ", ".join(f"{label} ({size})" for label, size in mem.kept)
    text = Text()
    text.append(
        f"In the network (d = {r.association.d}, h = {r.association.h}), reverse mode keeps the forward pass's "
        f"intermediates for the backward pass: {kept}, "
        f"{mem.reverse_floats} floats. Forward mode drops each value and tangent once used: "
        f"at most {mem.forward_peak} at a time. Measured with more hidden layers:\n"
    )
    text.append(f"{'layers':>6}{'reverse keeps':>15}{'forward peak':>14}\n", style=HEADING)
    for depth, rev, fwd in mem.by_depth:
        text.append(f"{depth:>6}{count(rev):>15}{count(fwd):>14}\n")
    text.append("Memory stays flat with forward mode, but it takes a pass per parameter.", style=MUTED)
    return text


def title_text(r: lesson.Result, s: MethodsOptions) -> Text:
    text = Text()
    text.append(" methods ", style="bold reverse")
    if r.of == "mlp":
        what = f"  ∇y(θ), θ = all n = {r.n} parameters of the network (d = {s.d}, h = {s.h})"
    else:
        x, y = lesson.graph_lesson.point(s.at).values()
        what = f"  ∇p(x, y) of §4 at x = {x:g}, y = {y:g}: n = 2"
    text.append(what, style="bold")
    text.append(f"  ·  ε = {eps_text(r.epsilon)}", style=MUTED)
    return text


class MethodsScreen(LessonPage):
    """One gradient, five ways."""

    CSS_PATH = ["lesson_page.tcss", "methods.tcss"]

    BINDINGS = [
        Binding("e", "epsilon(1)", "ε ×10", group=Binding.Group("ε ×10 ÷10", compact=True)),
        Binding("E", "epsilon(-1)", "ε ÷10", group=Binding.Group("ε ×10 ÷10", compact=True)),
        Binding("d", "size('d', 1)", "d +1", group=Binding.Group("d +1 −1", compact=True)),
        Binding("D", "size('d', -1)", "d −1", group=Binding.Group("d +1 −1", compact=True)),
        Binding("h", "size('h', 1)", "h ×2", group=Binding.Group("h ×2 ÷2", compact=True)),
        Binding("H", "size('h', -1)", "h ÷2", group=Binding.Group("h ×2 ÷2", compact=True)),
        Binding("o", "toggle_of", "of mlp/graph"),
        no_steps("n,space,right,p,left,f"),
    ]

    result: var[lesson.Result]  # the page's result, here the five methods'
    options: MethodsOptions

    def __init__(self, options: MethodsOptions):
        super().__init__(options)
        self.result = lesson.compute(options)
        self.point = options.at  # kept while the network is shown, for switching back to p(x, y)

    def panels(self) -> ComposeResult:
        with Vertical(classes="row"):
            yield panel("summary", "Five ways to the gradient")
            yield panel("memory", "Memory: what each mode keeps")
        with Vertical(classes="row"):
            with Vertical(id="sweep-box", classes="panel") as box:
                box.border_title = "ε sweep: error of the difference quotients"
                yield SweepPlot(id="sweep").data_bind(MethodsScreen.result)
                yield Static(id="sweep-legend")
            yield panel("association", "§3.3(c): one product, two groupings")
        yield panel("gradients", "Every partial, side by side")

    def refresh_page(self) -> None:
        r = self.result
        self.set_title(title_text(r, self.options))
        for name, paint in (
            ("summary", summary_text),
            ("gradients", gradients_text),
            ("sweep-legend", sweep_legend),
            ("association", association_text),
            ("memory", memory_text),
        ):
            text = paint(r)
            text.rstrip()
            self.query_one(f"#{name}", Static).update(text)

    def _rerun(self, changes: dict[str, object], epsilon: float) -> None:
        result = self.recompute(changes, lambda s: lesson.compute(s, epsilon))
        if isinstance(result, lesson.Result):  # None when the change was refused
            self.result = result

    def action_epsilon(self, direction: int) -> None:
        k = round(math.log10(self.result.epsilon)) + direction
        if not -15 <= k <= -1:
            now = power(k - direction)
            self.notify(f"ε stays between 10⁻¹⁵ and 10⁻¹, the range of the sweep (now {now}).", timeout=3)
            return
        self._rerun({}, 10.0**k)

    def action_size(self, name: str, direction: int) -> None:
        old = getattr(self.options, name)
        if name == "d":
            new = old + direction
        else:
            new = old * 2 if direction > 0 else old // 2
        self._rerun({name: new}, self.result.epsilon)

    def action_toggle_of(self) -> None:
        of = "graph" if self.result.of == "mlp" else "mlp"
        if of == "mlp":
            self.point = self.options.at
        at = self.point if of == "graph" else ()
        self._rerun({"of": of, "at": at}, self.result.epsilon)
