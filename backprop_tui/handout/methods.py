"""The handout of lesson methods (§3.3): one gradient five ways, the ε sweep, the two groupings' costs.

Only figures that are the same on every machine are written: counts of calls and
multiply-adds, and errors to the digits rounding leaves alone (a bound where
rounding decides them). Times are left out: they measure this machine.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.notation import layer_label
from ..lessons import MethodsOptions
from ..lessons import association as assoc
from ..lessons import methods as lesson
from ..lessons.mlp import default_x
from ..render.figures import about, below_same, best_error, quotient_error, quotient_value, rounding_only, same_text
from .document import Block, Code, Display, Document, Heading, Num, Paragraph, Piece, Table
from .setup import command_line, power_text, title_of

SHOWN_PARTIALS = 24  # rows of the every-partial table before its middle is left out
QUOTIENTS = ("forward_difference", "central_difference")
SINGULAR = {"passes": "pass", "evaluations": "evaluation"}


def calls(m: lesson.Method) -> str:
    if m.count is None:
        return "formulas"
    return f"{m.count} {m.unit if m.count != 1 else SINGULAR[m.unit]}"


def error_cells(r: lesson.Result, m: lesson.Method) -> tuple[str, str]:
    """max |Δ| and the largest relative error, as the page writes them: bounds where rounding decides."""
    if m.key == "reverse_mode":
        return "reference", "reference"
    if m.key in QUOTIENTS:
        shown = quotient_error(m.max_abs_error, r.rounding)
        rel = r.relative(m.key)
        if not rel.measured:
            return shown, "rounding"
        return shown, "∞" if math.isinf(rel.value) else about(rel.value)
    scale = float(max(abs(r.methods["reverse_mode"].grad)))
    if rounding_only(m.max_rel_error, 1.0):
        return "≈ 0", below_same()
    if rounding_only(m.max_abs_error, scale):
        return "≈ 0", "rounding"
    return f"{m.max_abs_error:.2g}", f"{m.max_rel_error:.2g}"


def drawbacks(r: lesson.Result) -> list[tuple[str, str]]:
    m = r.methods
    if r.of == "mlp":
        shared = "zᵢ = σ(W⁽⁰⁾ᵢx + b⁽⁰⁾ᵢ), needed by d + 2 partials, and W⁽¹⁾ᵢzᵢ(1 − zᵢ), needed by d + 1"
    else:
        shared = "exp(−y) and (1 + x² + y²)², needed by both partials"
    return [
        ("forward difference", f"an approximation whose error depends on ε (the sweep below); f is evaluated "
                               f"n + 1 = {m['forward_difference'].count} times."),
        ("central difference", f"error of order ε² rather than ε, but still approximate, and 2n = "
                               f"{m['central_difference'].count} evaluations."),
        ("analytic (by hand)", "a formula derived on paper, where a slip goes unnoticed until a difference quotient "
                               f"checks it. Written as one formula per partial, shared terms ({shared}) are made "
                               f"again for every partial: {r.apart.multiply_adds} multiply-adds instead of "
                               f"{m['analytic'].multiply_adds}. Sharing them on purpose is backprop done by hand."),
        ("forward-mode AD", f"exact, but one pass per entry of θ: {m['forward_mode'].count} passes."),
        ("reverse-mode AD", "exact in one backward pass, at the price of keeping every intermediate value of the "
                            "forward pass until the backward pass has used it."),
    ]


def build(options: MethodsOptions) -> Document:
    r = lesson.compute(options)
    title = title_of("§3.3", "One gradient, five ways")
    blocks: list[Block] = [Heading(1, title), Heading(2, "Setup")]
    if r.of == "mlp":
        blocks.append(Paragraph((
            f"f(θ) = y, the output of the 1-hidden-layer network of §3.1 with d = {options.d} inputs and "
            f"h = {options.h} hidden units, at its input x = ({', '.join(Num(v).text for v in default_x(options.d))})"
            " and its random start drawn from seed "
            f"{options.seed}; θ holds W⁽⁰⁾, b⁽⁰⁾, W⁽¹⁾ and b⁽¹⁾, row by row: n = {r.n} numbers.",
        )))
    else:
        x, y = lesson.graph_lesson.point(options.at).values()
        blocks.append(Paragraph((
            "f(θ) = p(x, y) = 6·exp(−y)/(1 + x² + y²) + 2x³ of §4, with θ = (x, y) = (", Num(x), ", ", Num(y),
            f"): n = {r.n} numbers.",
        )))
    blocks.append(Paragraph((
        "At θ, f(θ) = ", Num(r.value, 7), f"; both difference quotients use ε = {power_text(r.epsilon)}. Made with ",
        Code(command_line("methods", options)), ". Every θᵢ is in the table of partials below.",
    )))

    blocks.append(Heading(2, "Five ways to the gradient"))
    rows = []
    for key in lesson.METHODS:
        m = r.methods[key]
        shown, rel = error_cells(r, m)
        rows.append(((m.title,), (calls(m),), (shown,), (rel,), (str(m.multiply_adds),)))
    blocks.append(Table((("method",), ("calls",), ("max |Δ|",), ("rel.",), ("multiply-adds",)), tuple(rows), "lrrrr"))
    blocks.append(Paragraph((
        "Errors are against reverse mode. max |Δ| is the largest error of any partial; rel. the largest error "
        "relative to its own partial, max |Δᵢ|/|gᵢ|, the figure a gradient check compares. Rounding alone moves a "
        f"difference quotient by about 2e-16·max(|f|, 1)/ε, here {about(r.rounding)}, by an amount that changes "
        "from machine to machine: errors that small are written as ≲ a bound. The exact methods agree with reverse "
        f"mode up to rounding (≈ 0: {below_same()} of each partial). Times are left out: they measure the machine, "
        "and at these sizes Python's cost per call, not arithmetic.",
    ), note=True))
    blocks.append(Table(
        (("method",), ("what it costs you",)),
        tuple(((name,), (words,)) for name, words in drawbacks(r)),
        ("l", "p{12cm}"),
    ))

    blocks.append(Heading(2, "Every partial, five ways"))
    blocks += partials(r, lesson.function_of(options).theta)

    blocks.append(Heading(2, "The ε sweep"))
    blocks += sweep(r)

    blocks.append(Heading(2, "§3.3(c): one product, two groupings"))
    blocks += groupings(r.association)
    return Document.of(title, blocks, "methods")


def partials(r: lesson.Result, theta: np.ndarray) -> list[Block]:
    indices: list[int | None] = list(range(r.n))
    if r.n > SHOWN_PARTIALS:
        half = SHOWN_PARTIALS // 2
        indices = [*range(half), None, *range(r.n - half + 1, r.n)]
    rows: list[tuple[tuple[Piece, ...], ...]] = []
    for i in indices:
        if i is None:
            rows.append((("⋮",), ("",), *[("",) for _ in lesson.METHODS]))
            continue
        cells: list[tuple[Piece, ...]] = [(r.labels[i],), (Num(float(theta[i]), 7),)]
        for key in lesson.METHODS:
            value = float(r.methods[key].grad[i])
            text = quotient_value(value, r.rounding) if key in QUOTIENTS else None
            cells.append((text,) if text is not None else (Num(value, 7),))
        rows.append(tuple(cells))
    heads = ("θᵢ", "value", "fwd diff", "central", "analytic", "fwd mode", "reverse")
    blocks: list[Block] = [Table(tuple((h,) for h in heads), tuple(rows), "lrrrrrr")]
    note = "The difference quotients show only the decimals their rounding cannot reach."
    if r.n > SHOWN_PARTIALS:
        note += f" {r.n} partials: the middle ones are left out; the JSON export holds them all."
    blocks.append(Paragraph((note,), note=True))
    return blocks


def sweep(r: lesson.Result) -> list[Block]:
    rows = []
    for p in r.sweep:
        rows.append((
            (power_text(p.epsilon) + (" (in use)" if math.isclose(p.epsilon, r.epsilon) else ""),),
            (quotient_error(p.forward_error, p.rounding),),
            (quotient_error(p.central_error, p.rounding),),
            (about(p.rounding),),
        ))
    best_f, best_c = r.best("forward"), r.best("central")
    return [
        Table((("ε",), ("forward difference",), ("central difference",), ("rounding alone",)), tuple(rows), "lrrr"),
        Paragraph((
            f"Best ε: {power_text(best_f.epsilon)} for the forward quotient (error {best_error(best_f.rounding)}), "
            f"{power_text(best_c.epsilon)} for the central one (error {best_error(best_c.rounding)}). Going up the "
            "table ε shrinks: truncation error falls (like ε for the forward quotient, ε² for the central one) while "
            "f(θ + εe) and f(θ) agree in more and more digits, so their difference is more and more rounding, "
            "which grows like 1/ε. The best ε sits where the two meet.",
        )),
    ]


def groupings(c: assoc.Association) -> list[Block]:
    names = [name for name, _ in c.factors]
    shapes = " · ".join(f"{name} ({s[0]}×{s[1]})" for name, s in c.factors)
    ways = {
        "reverse": f"reverse mode: ({names[0]} · {names[1]}) · {names[2]}",
        "forward": f"forward mode: {names[0]} · ({names[1]} · {names[2]})",
    }
    rows: list[tuple[Piece, ...]] = [(f"∂y/∂vec({layer_label('W0')}) = {shapes}",)]
    totals = {}
    for way in ("reverse", "forward"):
        rows.append((ways[way],))
        for p in c.products[way]:
            (a, b), (_, k) = p.left, p.right
            rows.append((f"({a}×{b})·({b}×{k}) → {a}×{k}:  {p.multiply_adds} multiply-adds",))
        totals[way] = assoc.total(c.products[way])
        rows.append((f"total:  {totals[way]} multiply-adds",))
    blocks: list[Block] = [
        Paragraph((f"In the network with d = {c.d}, h = {c.h}, the gradient of y with respect to W⁽⁰⁾ is a product "
                   "of three Jacobians, and a product of three can be grouped two ways:",)),
        Display(tuple(rows)),
        Paragraph((
            f"Both give the same ∂y/∂vec(W⁽⁰⁾) (largest difference from backprop: {same_text(c.agreement, 1.0)}); "
            f"the forward grouping costs {totals['forward'] / totals['reverse']:.3g} times as much, because it "
            "multiplies a matrix by a matrix where reverse mode multiplies a row by a matrix.",
        )),
        Paragraph((f"As h grows (d = {c.d}):",)),
        Table(
            (("h",), ("reverse",), ("forward",), ("ratio",)),
            tuple(((str(h),), (str(rev),), (str(fwd),), (f"{fwd / rev:.3g}",)) for h, rev, fwd in c.growth),
            "rrrr",
        ),
    ]
    mem = c.memory
    blocks.append(Paragraph((
        f"Memory, measured: reverse mode keeps every intermediate of the forward pass, {mem.reverse_floats} "
        f"floats here; forward mode keeps only what is still to be read, with a tangent beside each value, at "
        f"most {mem.forward_peak} floats at a time. With more hidden layers:",
    )))
    blocks.append(Table(
        (("hidden layers",), ("reverse keeps",), ("forward-mode peak",)),
        tuple(((str(depth),), (str(rev),), (str(fwd),)) for depth, rev, fwd in mem.by_depth),
        "rrr",
    ))
    return blocks


__all__ = ["build"]
