"""The handout of lesson chain (§1): both Jacobians, their product and its check, the wrong order, part (b).

The practice questions (the three Jacobians' shapes and the order of the
product) are the sheet's blanks; the numbers that would answer them (the
matrices, the failed product) are the key's alone.
"""

from __future__ import annotations

from ..engine.notation import superscript
from ..lessons import ChainOptions
from ..lessons import chain as lesson
from ..practice import practice_for
from ..render.figures import below_same, quotient_error, rounding_only
from .document import (
    Alt,
    Answer,
    Blank,
    Block,
    Code,
    Display,
    Document,
    Heading,
    KeyOnly,
    Math,
    Num,
    Paragraph,
    Piece,
    SheetOnly,
    column,
    row,
)
from .setup import command_line, elided_note, power_text, sheet_instructions, title_of

SLICES = 4  # slices of ∂g/∂W written out; more leave out the middle ones


def space(k: int) -> str:
    return "ℝ" + superscript(str(k))


def build(options: ChainOptions) -> Document:
    r = lesson.compute(options)
    practice = practice_for("chain", options)
    asked = {(q.node, q.field): q for q in practice.questions()}
    l, n, m = r.l, r.n, r.m  # noqa: E741
    fn = r.fn
    title = title_of(lesson.SECTION, "The chain rule: the Jacobian of f∘g")
    blocks: list[Block] = [Heading(1, title), *sheet_instructions(True), Heading(2, "Setup")]
    blocks.append(Display((
        (f"g: {space(l)} → {space(n)},  {lesson.G_TEXT}",),
        (f"f: {space(n)} → {space(m)},  {lesson.F_TEXT}",),
    )))
    variant = getattr(options, "variant", None)
    drawn = f"variant {variant} (seed {options.seed})" if getattr(options, "is_variant", False) else (
        f"seed {options.seed}")
    blocks.append(Paragraph((
        f"ℓ = {l}, n = {n}, m = {m}; x, A, a, B and c drawn from {drawn}. Made with ",
        Code(command_line("chain", options)), ".",
    )))
    blocks.append(Paragraph(("The point and the parameters, given in full (vectors are columns):",)))
    given = [("x", column(fn.x)), ("A", column(fn.A)), ("a", column(fn.a)), ("B", column(fn.B)), ("c", column(fn.c))]
    blocks.append(Display(tuple((f"{name} = ", value) for name, value in given)))
    blocks += [note for name, value in given if (note := elided_note(name, value))]

    def answer(node: str, field: str, key: tuple[Piece, ...], blank: Blank) -> Piece:
        q = asked.get((node, field))
        return Answer(key, blank, f"jacobian {node} {field}") if q is not None else Alt(key, key)

    blocks.append(Heading(2, "(a) The Jacobian of f∘g"))
    blocks.append(Paragraph((
        "By the chain rule, wherever g is differentiable at x and f is differentiable at the point g(x) (here "
        "everywhere: sums, products and σ are smooth), the Jacobian of f∘g is a product of two Jacobians, in "
        "numerator layout (one row per output, one column per input):",
    )))
    order = answer("fg", "order", (Math("∂f/∂y (g(x)) · ∂g/∂x (x)"),), Blank("formula"))
    blocks.append(Display((("∂(f∘g)/∂x (x) = ", order),)))
    blocks.append(Display((
        ("∂g/∂x is ", answer("g", "shape", (Math(f"{n}×{l}"),), Blank("shape")),
         ",   ∂f/∂y is ", answer("f", "shape", (Math(f"{m}×{n}"),), Blank("shape")),
         ",   ∂(f∘g)/∂x is ", answer("fg", "shape", (Math(f"{m}×{l}"),), Blank("shape"))),
    )))
    key: list[Block] = [
        Paragraph((f"The shapes line up: ({m}×{n})·({n}×{l}) → {m}×{l}; the inner sizes are both n, because g's "
                   "outputs are f's inputs. At the given x:",)),
        Display((
            ("y = g(x) = ", column(r.y), ",   f(g(x)) = ", column(r.out)),
            (f"∂g/∂x = {lesson.DG_TEXT.split(' = ', 1)[1]} = ", column(r.J_g)),
            (f"∂f/∂y = {lesson.DF_TEXT.split(' = ', 1)[1]} = ", column(r.J_f)),
            ("∂(f∘g)/∂x = ∂f/∂y · ∂g/∂x",),
            (" = ", column(r.J_f), " · ", column(r.J_g)),
            (" = ", column(r.J_fg)),
        )),
        *[note for name, value in (("∂g/∂x", r.J_g), ("∂f/∂y", r.J_f)) if (note := elided_note(name, column(value)))],
        Paragraph(("The check, without any Jacobian rule: central differences of f∘g, one column per input "
                   f"coordinate, with ε = {power_text(lesson.FD_EPSILON)}:",)),
        Display((("∂(f∘g)/∂x ≈ ", column(r.J_fd)),)),
        Paragraph((
            "Largest difference from the product: ", quotient_error(r.fd_error, r.fd_rounding),
            " — they agree as far as differences can tell." if r.fd_error < 1e-6 else " — they disagree.",
            " (A difference quotient carries rounding of about 2e-16·max(|f|, 1)/ε, which differs from machine "
            "to machine: an error about that size or less is written as ≲ a bound.)",
        ), note=True),
    ]
    blocks.append(KeyOnly(tuple(key)))

    blocks.append(Heading(2, "The other order"))
    blocks.append(SheetOnly((Paragraph((
        "What goes wrong with the other order, ∂g/∂x · ∂f/∂y, and why? (Answered on the key.)",
    )),)))
    wrong: list[Block] = [Display(((f"∂g/∂x · ∂f/∂y = ({n}×{l})·({m}×{n})",),))]
    if r.wrong.fits:
        shape = r.wrong.shape or (0, 0)
        wrong.append(Paragraph((f"numpy returns a {shape[0]}×{shape[1]} matrix, and no error.",)))
    else:
        wrong.append(Paragraph(("numpy refuses: ", Code(f"ValueError: {r.wrong.error}"))))
    wrong.append(Paragraph((r.wrong.explanation,)))
    blocks.append(KeyOnly(tuple(wrong)))

    blocks += part_b(r)
    return Document.of(title, blocks, "chain")


def part_b(r: lesson.ChainResult) -> list[Block]:
    p, q, n, m = r.p, r.q, r.n, r.m
    blocks: list[Block] = [Heading(2, "(b) A matrix input W")]
    blocks.append(Paragraph((
        f"Now let g take its weight matrix as the input: g(W) = σ(Wx + a), with W = A a {p}×{q} matrix "
        f"(p = n = {p}, q = ℓ = {q}) and x held fixed. Can ∂g/∂W be written as a matrix?",
    )))
    blocks.append(SheetOnly((Paragraph(("(Worked out on the key.)",), note=True),)))
    shown = list(range(n)) if n <= SLICES else [0, 1, n - 1]
    slices: list[tuple[Piece, ...]] = []
    for i in shown:
        k = str(i + 1).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
        slices.append((f"∂g{k}/∂W = ", column(r.dg_dW[i])))
    key: list[Block] = [
        Paragraph((
            f"Not as one matrix: ∂g/∂W has n·p·q = {n}·{p}·{q} entries, an array of shape {n}×{p}×{q}, one {p}×{q} "
            "slice per output gᵢ. Only row i of slice i is non-zero, because gᵢ depends on row i of W alone"
            + ("." if n <= SLICES else f"; slices 1, 2 and {n} are written out:"),
        )),
        Display(tuple(slices)),
        Paragraph((
            f"Flattening W into vec(W) ∈ ℝ{superscript(str(p * q))} (its rows laid end to end) makes it a Jacobian "
            f"matrix again, {n}×{p * q}: row i is slice i flattened, σ′(uᵢ)·xᵀ in column block i and zero elsewhere, "
            f"which is {lesson.DG_VEC_TEXT}:",
        )),
        Display((("∂g/∂vec(W) = ", column(r.dg_dvecW)),)),
        *[note for note in (elided_note("∂g/∂vec(W)", column(r.dg_dvecW)),) if note],
        Paragraph((
            f"Un-flattened, row i reshaped to {p}×{q} is slice i again: "
            + ("every slice matches." if r.unflattens_to_slices else "a slice does NOT match."),
            " After a step, the gradient is un-flattened the same way before W is updated.",
        )),
        Paragraph((
            f"A gradient step on L(W) = Σⱼ fⱼ(g(W)): ∂L/∂vec(W) = 1ᵀ · ∂f/∂y · ∂g/∂vec(W), "
            f"(1×{m})·({m}×{n})·({n}×{p * q}) → 1×{p * q}, un-flattened to {p}×{q}; with η = ",
            Num(lesson.STEP), ":",
        )),
        Display((
            ("∂L/∂vec(W) = ", row(r.dL_dvecW.reshape(-1))),
            ("W − η ∂L/∂W = ", column(r.fn.A), " - ", Num(lesson.STEP), " · ", column(r.dL_dW)),
            (" = ", column(r.W_next)),
        )),
        Paragraph((
            "Backprop's ∂L/∂W, straight in W's shape, "
            + (f"agrees up to rounding (any difference is {below_same()} of its largest entry)"
               if rounding_only(r.backprop_difference, 1.0) else "differs by "),
            *(() if rounding_only(r.backprop_difference, 1.0) else (Num(r.backprop_difference, 2),
                                                                    " of its largest entry")),
            ". The loss L goes from ", Num(r.loss), " to ", Num(r.loss_next),
            " after the step" + (" (down)." if r.loss_next < r.loss else "."),
        )),
    ]
    blocks.append(KeyOnly(tuple(key)))
    return blocks


__all__ = ["build"]
