"""Lesson methods on screen: five gradients side by side, their cost, the ε sweep and the association."""

from __future__ import annotations

import math
import threading
from dataclasses import replace
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from ...engine.notation import number
from ...lessons import LessonError, MethodsOptions, association
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
from ...render.styles import GRAD, HEADING, MUTED, NOTICE, VALUE
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
    """Per method: calls, error against backprop, time, multiply-adds; then what each costs and what times mean."""
    text = Text()
    head = f"{'method':<19}{'calls':>16}{'max |Δ|':>9}{'rel.':>9}{'time':>10}{'mult-adds':>11}\n"
    text.append(head, style=HEADING)
    for key in lesson.METHODS:
        m = r.methods[key]
        text.append(f"{m.title:<19}{calls_text(m):>16}")
        if key == "reverse_mode":
            text.append(f"{'reference':>18}", style=MUTED)
        else:
            text.append(f"{error_columns(r, m):>18}", style=GRAD)
        text.append(f"{duration(m.seconds):>10}{count(m.multiply_adds):>11}\n")
    text.append("\n")
    text.append_text(errors_note(r))
    text.append("\n\nWhat each one costs you (§3.3)\n", style=HEADING)
    text.append_text(drawbacks_text(r))
    text.append(
        "\nTimes are one run on this machine, while the screen is drawn. At these sizes they measure Python's "
        f"cost of each call (walking the graph, numpy on arrays of {r.n} numbers or fewer), not arithmetic: "
        f"reverse mode's {count(r.methods['reverse_mode'].multiply_adds)} multiply-adds take "
        f"{duration(r.methods['reverse_mode'].seconds)}, where a processor does a multiply-add in under a "
        "nanosecond. The counts of calls and multiply-adds are what grow with n.",
        style=MUTED,
    )
    return text


def calls_text(m: lesson.Method) -> str:
    if m.count is None:
        return "formulas"
    return f"{m.count} {m.unit if m.count != 1 else SINGULAR[m.unit]}"


def error_columns(r: lesson.Result, m: lesson.Method) -> str:
    """max |Δ| and rel., 9 wide each: a quotient's to its order of magnitude or bound, an exact method's rounding."""
    if m.key in QUOTIENTS:
        shown = quotient_error(m.max_abs_error, r.rounding)
        rel = r.relative(m.key)
        if not rel.measured:
            return f"{shown:>9}" + "rounding".rjust(9)
        return f"{shown:>9}" + ("∞" if math.isinf(rel.value) else about(rel.value)).rjust(9)
    scale = float(max(abs(r.methods["reverse_mode"].grad)))
    if rounding_only(m.max_rel_error, 1.0):  # 0 here may be a unit in the last place elsewhere
        return f"{'≈ 0':>9}{below_same():>9}"
    if rounding_only(m.max_abs_error, scale):  # rounding on a partial near 0
        return f"{'≈ 0':>9}{'rounding':>9}"
    return f"{number(m.max_abs_error, 2):>9}{number(m.max_rel_error, 2):>9}"


def errors_note(r: lesson.Result) -> Text:
    """What the two error columns mean, with the partial where each quotient's relative error is largest."""
    text = Text(style=MUTED)
    text.append(
        "Errors are against reverse mode. max |Δ|: the largest error of any partial. rel.: the largest error "
        "relative to its own partial, max |Δᵢ|/|gᵢ|, the figure a gradient check compares"
    )
    reference = r.methods["reverse_mode"].grad
    where = []
    for key in QUOTIENTS:
        rel = r.relative(key)
        if rel.measured:
            partial = number(float(reference[rel.index]), 3)
            where.append(f"{SHORT[key]}'s at {r.labels[rel.index]}, a partial of {partial}")
    text.append(f" ({'; '.join(where)})." if where else ".")
    text.append(
        f" Rounding alone moves a quotient by about 2e−16·max(|f|, 1)/ε, here {about(r.rounding)}, and by how "
        "much exactly changes from machine to machine: errors about that small show as ≲ a bound (rel.: "
        "rounding) and are left out of rel., and quotients show only the decimals rounding cannot reach. "
        f"The exact methods agree with reverse mode up to rounding (≈ 0: {below_same()} of each partial)."
    )
    return text


def drawbacks_text(r: lesson.Result) -> Text:
    """The price of each method, in this function's numbers."""
    m = r.methods
    if r.of == "mlp":
        shared = "zᵢ = σ(W⁽⁰⁾ᵢx + b⁽⁰⁾ᵢ), which d + 2 partials need, and W⁽¹⁾ᵢzᵢ(1 − zᵢ), which d + 1 need"
    else:
        shared = "exp(−y) and (1 + x² + y²)², which both partials need"
    rows = (
        (
            "forward_difference",
            f"approximate: its error depends on ε (the sweep below). f is evaluated n + 1 = "
            f"{m['forward_difference'].count} times.",
        ),
        (
            "central_difference",
            "truncation ~ε² instead of ~ε, but still approximate, and twice the evaluations: "
            f"2n = {m['central_difference'].count}.",
        ),
        (
            "analytic",
            "derived by hand, so a slip in the algebra goes unnoticed until a quotient checks it. Written one "
            f"formula per partial, the terms partials share ({shared}) are made again for every partial: "
            f"{count(r.apart.multiply_adds)} multiply-adds instead of {count(m['analytic'].multiply_adds)}. "
            "Reusing them on purpose is backprop done by hand.",
        ),
        ("forward_mode", f"exact, but one pass per parameter: {m['forward_mode'].count} passes."),
        (
            "reverse_mode",
            "exact in one pass, but it keeps every intermediate of the forward pass for the backward pass "
            "(the memory panel).",
        ),
    )
    text = Text()
    for key, words in rows:
        text.append(f"{SHORT[key]:<10}", style=GRAD if key == "reverse_mode" else "bold")
        text.append(words + "\n")
    return text


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
    """What each mode holds, and why either can be the smaller."""
    c = r.association
    mem = c.memory
    kept = ", ".join(f"{label} ({size})" for label, size in mem.kept)
    text = Text()
    text.append(f"In the network (d = {c.d}, h = {c.h}), ", style=MUTED)
    text.append("reverse mode", style=GRAD)
    text.append(
        f" keeps every intermediate of the forward pass until the backward pass has read it: {kept}, "
        f"{mem.reverse_floats} floats, more with every layer. "
    )
    text.append("Forward mode", style=VALUE)
    text.append(
        " keeps only what is still to be read, but carries a tangent beside every value (one direction "
        f"per pass): at most {mem.forward_peak} floats at a time, a node's value and tangent while those of "
        "its input are still held. Measured with more hidden layers:\n"
    )
    text.append(f"{'layers':>6}{'reverse':>9}{'fwd peak':>10}{'smaller':>9}\n", style=HEADING)
    for depth, rev, fwd in mem.by_depth:
        smaller = "reverse" if rev < fwd else "forward" if fwd < rev else "equal"
        text.append(f"{depth:>6}{count(rev):>9}{count(fwd):>10}")
        text.append(f"{smaller:>9}\n", style=GRAD if rev < fwd else VALUE if fwd < rev else None)
    first = next((depth for depth, rev, fwd in mem.by_depth if fwd < rev), None)
    text.append_text(crossing_text(mem.by_depth, first))
    n = lesson.parameter_count(MethodsOptions(d=c.d, h=c.h))  # of this network, whichever function is above
    text.append(
        " Not counted: the parameters, which both keep, and the gradients reverse mode holds while it goes "
        f"back. Forward mode pays in time instead: one pass per parameter, {n} for this network.",
        style=MUTED,
    )
    return text


def crossing_text(by_depth: tuple[tuple[int, int, int], ...], first: int | None) -> Text:
    """When forward mode starts to need less memory than reverse mode, in the table's numbers."""
    one_layer = by_depth[0]
    if first is None:
        words = "Here reverse mode keeps less at every depth measured."
    elif first == one_layer[0]:
        words = "Forward mode needs less at every depth measured, and the gap grows with depth."
    else:
        words = (
            f"With {one_layer[0]} hidden layer the tangents make forward mode's peak the larger "
            f"({count(one_layer[2])} against {count(one_layer[1])}); from {first} layers on reverse mode keeps "
            "more, and the gap grows with depth. The notes' \"forward mode needs less memory\" is about deep "
            "networks."
        )
    return Text(words, style=MUTED)


def title_text(s: MethodsOptions, epsilon: float, computing: bool) -> Text:
    """The lesson, its course section and the options in force, shown as soon as a key changes them."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(" methods ", style="bold reverse")
    text.append(" §3.3", style="bold")
    n = lesson.parameter_count(s)
    if s.function == "mlp":
        what = f" ∇y(θ), network d = {s.d}, h = {s.h}: n = {n}"
    else:
        x, y = lesson.graph_lesson.point(s.at).values()
        what = f" ∇p of §4 at x = {x:g}, y = {y:g}: n = {n}"
    text.append(what, style="bold")
    text.append(f" · ε = {eps_text(epsilon)}", style=MUTED)
    if computing:
        text.append(" · computing…", style=NOTICE)
    return text


BOXES = ("summary", "memory", "sweep-box", "association", "gradients")  # the bordered panels
STALE = 0.55  # the old numbers, dimmed to this opacity while the new ones are computed


class MethodsScreen(LessonPage):
    """One gradient, five ways; the work runs off the UI thread, the newest key's work alone lands."""

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

    result: var[lesson.Result | None]  # the five methods' result, once the first computation lands
    options: MethodsOptions

    def __init__(self, options: MethodsOptions):
        super().__init__(options)
        self.epsilon = lesson.EPSILON
        self.point = options.at  # kept while the network is shown, for switching back to p(x, y)
        self.computing = False
        self.shown = (options, self.epsilon)  # what the result on screen was computed for
        self.worker: Worker[lesson.Result] | None = None  # the newest computation: only its result is shown
        self.one_at_a_time = threading.Lock()  # a called-off computation stops at its next step before another runs

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

    def on_mount(self) -> None:
        super().on_mount()
        self.start()

    def show_state(self) -> None:
        """The options in force in the title; while they are computed, the panels marked as not yet theirs."""
        self.set_title(title_text(self.options, self.epsilon, self.computing))
        for name in BOXES:  # styled in place: a class would restyle the panels' subtree, near a frame's time
            box = self.query_one(f"#{name}")
            box.styles.text_opacity = STALE if self.computing else 1.0
            box.border_subtitle = "computing…" if self.computing else ""

    def refresh_page(self) -> None:
        self.show_state()
        r = self.result
        for name, paint in (
            ("summary", summary_text),
            ("gradients", gradients_text),
            ("sweep-legend", sweep_legend),
            ("association", association_text),
            ("memory", memory_text),
        ):
            text = paint(r) if r is not None else Text("computing…", style=MUTED)
            text.rstrip()
            self.query_one(f"#{name}", Static).update(text)

    # --- the work, off the UI thread ---

    def start(self) -> None:
        """Compute for the options now in force, calling off any computation still running."""
        self.computing = True
        self.show_state()
        work = partial(self.compute, self.options, self.epsilon)
        self.worker = self.run_worker(work, group="compute", exclusive=True, thread=True, exit_on_error=False)

    def compute(self, options: MethodsOptions, epsilon: float) -> lesson.Result:
        """In a worker thread: every method, the sweep and the association; stops early once called off."""
        worker = get_current_worker()
        with self.one_at_a_time:
            return lesson.compute(options, epsilon, lambda: worker.is_cancelled)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.worker:  # called off by a newer key: its result, if any, is dropped
            return
        if event.state == WorkerState.SUCCESS:
            self.computing = False
            self.shown = (self.options, self.epsilon)
            self.result = event.worker.result
        elif event.state == WorkerState.ERROR:
            self.computing = False
            self.notify(str(event.worker.error), title="Cannot compute that", severity="error")
            self.options, self.epsilon = self.shown
            self.show_state()

    # --- keys: the options change at once, the numbers follow ---

    def change(self, changes: dict[str, Any], epsilon: float | None = None) -> None:
        try:
            options = replace(self.options, **changes)  # options check themselves as they are made
        except LessonError as error:
            self.notify(str(error), title="Cannot change that", severity="warning")
            return
        self.options = options
        if epsilon is not None:
            self.epsilon = epsilon
        self.start()

    def action_epsilon(self, direction: int) -> None:
        k = round(math.log10(self.epsilon)) + direction
        if not -15 <= k <= -1:
            now = power(k - direction)
            self.notify(f"ε stays between 10⁻¹⁵ and 10⁻¹, the range of the sweep (now {now}).", timeout=3)
            return
        self.change({}, 10.0**k)

    def action_size(self, name: str, direction: int) -> None:
        old = getattr(self.options, name)
        if name == "d":
            new = old + direction
        else:
            new = old * 2 if direction > 0 else old // 2
        self.change({name: new})

    def action_toggle_of(self) -> None:
        of = "graph" if self.options.function == "mlp" else "mlp"
        if of == "mlp":
            self.point = self.options.at
        at = self.point if of == "graph" else ()
        self.change({"of": of, "at": at})
