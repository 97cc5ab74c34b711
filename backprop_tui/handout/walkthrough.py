"""The handout of a walkthrough lesson (mlp, graph, expr): the setup, every step, the final gradients.

Each step is written three ways: symbolically (the engine's equation), with
shapes, and with the numbers — for a backward step each path's upstream × local
product and their sum. What the practice questions ask (a value, a shape, a
local derivative, a gradient) is an Answer: blank on the exercise sheet. On the
sheet a later step shows a computed value by its name, not its number, so that
no step gives an earlier one's answer away; the inputs and parameters are given.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine import BACKWARD, FORWARD, Step, Term
from ..engine.notation import shape_text
from ..engine.trace import local_partial
from ..lessons import Walkthrough
from ..practice import Practice, Question
from ..practice.questions import GRAD, LOCAL, SHAPE, VALUE, gradient_shape
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
    Mat,
    Math,
    Num,
    Paragraph,
    Piece,
    blank_for,
    broken,
    column,
    row,
)
from .numbers import ascii_numbers
from .setup import command_line, elided_note, sheet_instructions, title_of

JACOBIAN_SHOWN = 100_000  # a local Jacobian with more entries is written as its rule, not built for the page


def _number_or_matrix(value, as_row: bool = False) -> Piece:
    a = np.asarray(value, dtype=float)
    if a.size == 1:
        return Num(float(a.reshape(())))
    return row(a) if as_row else column(a)


def _rhs(text: str) -> str:
    return text.split(" = ", 1)[-1]


class WalkthroughHandout:
    def __init__(self, walk: Walkthrough, options, practice: Practice | None):
        self.walk = walk
        self.options = options
        self.practice = practice
        self.trace = walk.trace
        self.out = self.trace.nodes[self.trace.output].label
        self.scalar = all(r.value.size == 1 for r in self.trace.nodes.values())

    # --- questions ---

    def questions(self, index: int) -> Sequence[Question]:
        if self.practice is None:
            return ()
        return self.practice.step_questions(index)  # type: ignore[attr-defined]

    def answer(self, question: Question | None, key: tuple[Piece, ...], blank: Blank) -> Piece:
        """An Answer when the practice asks this, else the key as it is (key and sheet alike)."""
        if question is None:
            return Alt(key, key)
        return Answer(key, blank, " ".join(str(k) for k in question.key if k is not None))

    # --- the parts ---

    def build(self) -> Document:
        walk = self.walk
        blocks: list[Block] = [Heading(1, title_of(walk.section, walk.title))]
        blocks += sheet_instructions(self.practice is not None)
        blocks += self.setup()
        for step in self.trace.steps:
            blocks += self.step(step)
        blocks += self.final()
        labels = tuple(sorted({r.label for r in self.trace.nodes.values() if len(r.label) > 1}))
        return Document.of(title_of(walk.section, walk.title), blocks, walk.lesson, labels)

    def setup(self) -> list[Block]:
        walk = self.walk
        blocks: list[Block] = [Heading(2, "Setup")]
        if walk.lesson == "expr":
            text = " ".join(str(walk.settings.get("expr", "")).split())
            names = ", ".join(r.name for r in self.trace.nodes.values() if r.kind != "op")  # as typed
            blocks.append(Paragraph(("The function, as typed: ", Code(f"f({names}) = {text}"))))
        elif walk.formula:
            blocks.append(Display(((Math(walk.formula),),)))
        if self.options is not None:
            blocks.append(Paragraph(("Made with ", Code(command_line(walk.lesson, self.options)), ".")))
        leaves = [r for r in self.trace.nodes.values() if r.kind != "op"]
        what = "The inputs and parameters" if any(r.kind == "parameter" for r in leaves) else "The point"
        blocks.append(Paragraph((f"{what}, given in full{'' if self.scalar else ' (vectors are columns)'}:",)))
        if all(r.value.size == 1 for r in leaves):
            rows: list[tuple[Piece, ...]] = [tuple(
                p for k, r in enumerate(leaves) for p in ((",  " if k else "") + f"{r.label} = ", Num(float(r.value)))
            )]
        else:
            rows = [(f"{r.label} = ", _number_or_matrix(r.value)) for r in leaves]
        blocks.append(Display(tuple(rows)))
        for r in leaves:
            note = elided_note(r.label, _number_or_matrix(r.value))
            if note:
                blocks.append(note)
        ops = [r for r in self.trace.nodes.values() if r.kind == "op" and r.formula]
        if ops and walk.lesson != "mlp":
            blocks.append(Paragraph(("Its intermediate nodes, computed in this order:",)))
            blocks.append(Display(tuple((Math(r.formula or ""),) for r in ops)))
        return blocks

    def step(self, step: Step) -> list[Block]:
        k = step.index + 1
        blocks: list[Block] = [Heading(2, f"Step {k} of {len(self.trace)} · {step.phase} · {step.label}")]
        blocks += self.forward(step) if step.phase == FORWARD else self.backward(step)
        walk = self.walk
        said = [n for n in walk.notices_at(k) if n not in walk.notices_at(k - 1)]
        extra = [walk.aside(k), walk.why[k] if k < len(walk.why) else "", *said]
        words = [Paragraph((text,), note=text in said) for text in extra if text]
        if words:
            blocks.append(KeyOnly(tuple(words)))
        return blocks

    def forward(self, step: Step) -> list[Block]:
        questions = {q.field: q for q in self.questions(step.index)}
        value = self.answer(questions.get(VALUE), (_number_or_matrix(step.value),), blank_for(step.value))
        blocks: list[Block] = [] if step.numbers else [Display(((Math(step.equation),),))]
        if not self.scalar:
            blocks.append(Paragraph(("Shapes: ", Math(step.shapes))))
        if step.numbers:
            plugged = step.numbers.rsplit(" = ", 1)[0] + " = "
            computed = any(self.trace.nodes[n].kind == "op" for n in step.inputs)
            # on the sheet an earlier step's value is the student's own: its name, not its number
            shown: Piece = Alt((plugged,), (step.equation + " = ",)) if computed else plugged
            blocks.append(Display(((shown, value),)))
            return blocks
        operands = step.operands()
        leafy = [self.trace.nodes[n].kind != "op" for n in step.inputs]
        if len(leafy) != len(operands):
            leafy = [False] * len(operands)
        pieces: list[Piece] = []
        for k, ((title, operand), leaf) in enumerate(zip(operands, leafy, strict=True)):
            shown = _number_or_matrix(operand)
            pieces.append(shown if leaf else Alt((shown,), (Math(title),)))
            pieces.append(f" {step.operators[k]} " if k < len(step.operators) else " = ")
        pieces.append(value)
        blocks.append(Display((tuple(pieces),)))
        note = elided_note(step.label, _number_or_matrix(step.value))
        if note:
            blocks.append(note)
        return blocks

    def backward(self, step: Step) -> list[Block]:
        questions = self.questions(step.index)
        shape_q = next((q for q in questions if q.field == SHAPE), None)
        grad_q = next((q for q in questions if q.field == GRAD), None)
        locals_q = {q.consumer: q for q in questions if q.field == LOCAL}
        record = self.trace.nodes[step.node]
        label = record.label
        gradient = f"∂{self.out}/∂{label}"
        equation = Display(((Math(broken(step.equation)),),))
        # the output's equation, ∂y/∂y = 1, is its own answer
        blocks: list[Block] = [KeyOnly((equation,)) if not step.terms and grad_q is not None else equation]
        if not self.scalar:
            shapes = Paragraph(("Shapes: ", Math(step.shapes)))
            if shape_q is not None:
                blocks.append(KeyOnly((shapes,)))
                dims = gradient_shape(record.value.shape)
                blocks.append(Paragraph((
                    f"The shape of {gradient}: ",
                    self.answer(shape_q, (Math(shape_text(dims)),), Blank("shape")),
                )))
            else:
                blocks.append(shapes)
        # the local derivatives, one per consumer (a consumer taking the node twice has one, the sum)
        rows: list[tuple[Piece, ...]] = []
        by_consumer: dict[str, list[Term]] = {}
        for t in step.terms:
            by_consumer.setdefault(t.consumer, []).append(t)
        for consumer, terms in by_consumer.items():
            q = locals_q.get(consumer)
            first = terms[0]
            name = local_partial(first.consumer_label, first.wrt) if len(terms) > 1 else first.local
            if q is None:
                rows += [(Math(t.derivative),) for t in terms]
                continue
            formula = first.rule if len(terms) == 1 else q.expected_text  # its every form: diag(σ′(v)) = diag(z∘(1−z))
            key: list[Piece] = [Math(broken(formula))]
            numbers = _local_numbers(terms)
            if numbers is not None and not (isinstance(numbers, Num) and ascii_numbers(formula) == numbers.text):
                key += [" = ", numbers]
            blank = Blank("formula") if self.scalar or first.jacobian_shape != (1, 1) else Blank("number")
            rows.append((f"{name} = ", self.answer(q, tuple(key), blank)))
        if rows:
            blocks.append(Display(tuple(rows)))
        slots = [t for terms in by_consumer.values() if len(terms) > 1 for t in terms]
        together = step.together()
        if slots or together:  # a consumer taking the node in several inputs: each input's share, then their sum
            blocks.append(KeyOnly((
                Display(tuple((Math(t.derivative),) for t in slots)), *(Paragraph((line,)) for line in together),
            )))
        paths = self.paths(step)
        if paths:
            blocks.append(KeyOnly((Paragraph(("Each path's upstream × local product:",)), Display(tuple(paths)))))
        grad = record.grad
        shown = _number_or_matrix(grad, as_row=True)
        key_pieces: list[Piece] = [shown]
        if grad_q is not None and ascii_numbers(grad_q.expected_text) not in ("1", ascii_text(shown)):
            key_pieces = [Math(broken(grad_q.expected_text)), " = ", shown]
        rows_shape = gradient_shape(record.value.shape)
        blank = (Blank("formula" if self.scalar else "number") if grad.size == 1
                 else Blank("matrix", (rows_shape[0], rows_shape[-1])))
        blocks.append(Display(((f"{gradient} = ", self.answer(grad_q, tuple(key_pieces), blank)),)))
        note = elided_note(gradient, shown)
        if note:
            blocks.append(note)
        routes = self.routes(step)
        if routes:
            blocks.append(KeyOnly(tuple(routes)))
        return blocks

    def paths(self, step: Step) -> list[tuple[Piece, ...]]:
        """Each path's upstream × local = product, then their sum: numbers, matrices or (too big) the rule."""
        if not step.terms:
            return []
        rows: list[tuple[Piece, ...]] = []
        for t in step.terms:
            upstream = np.asarray(t.upstream, dtype=float)
            product = np.asarray(t.product, dtype=float)
            J = _jacobian(t)
            via = f"via {t.via}:  "
            if upstream.size == 1 and product.size == 1 and J is not None:
                rows.append((via, Num(float(upstream.reshape(()))), " · ", Num(float(J.reshape(())), factor=True),
                             " = ", Num(float(product.reshape(())))))
                continue
            local: Piece = Mat(J) if J is not None else Math(t.rule)
            rows.append((via, _number_or_matrix(upstream, as_row=True), " · ", local))
            rows.append((" = ", row(product.reshape(-1))))
            if product.ndim == 2 and product.shape[0] > 1:
                rows.append((f"un-flattened to {shape_text(product.shape)}:  ", Mat(product)))
        if len(step.terms) > 1:
            parts: list[Piece] = ["sum:  "]
            for k, t in enumerate(step.terms):
                shown = _number_or_matrix(t.product, as_row=True)
                if isinstance(shown, Num) and k and shown.value < 0:  # 6 - 0.0451, not 6 + -0.0451
                    parts += [" - ", Num(-shown.value)]
                else:
                    parts += [" + " if k else "", shown]
            parts += [" = ", _number_or_matrix(step.value, as_row=True)]
            rows.append(tuple(p for p in parts if p != ""))
        return rows

    def routes(self, step: Step) -> list[Block]:
        """mlp's W⁽⁰⁾ step worked out unit by unit (§3.1(d)), for every unit of a small network, else unit 1."""
        units = self.walk.units
        if units is None or step.index + 1 != units.cursor or not units.count:
            return []
        count = units.count if units.count <= 4 else 1
        blocks: list[Block] = [Paragraph((
            "Unit by unit (§3.1(d)): ∂zᵢ/∂Wᵢ⁽⁰⁾ = zᵢ(1−zᵢ)xᵀ and ∂y/∂Wᵢ⁽⁰⁾ = Wᵢ⁽¹⁾ zᵢ(1−zᵢ)xᵀ, row i of ∂y/∂W⁽⁰⁾"
            + (":" if count == units.count else f"; unit 1 of {units.count}:"),
        ))]
        rows: list[tuple[Piece, ...]] = []
        for i in range(count):
            r = units.route(i)
            k = str(i + 1).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
            rows.append((f"z{k}(1−z{k}) = ", Num(r.z, 5), " · (1 − ", Num(r.z, 5), ") = ", Num(r.slope, 5)))
            rows.append((f"∂y/∂W{k}⁽⁰⁾ = W{k}⁽¹⁾ z{k}(1−z{k}) xᵀ = ", Num(r.weight, 5), " · ", Num(r.slope, 5),
                         " · ", row(r.x), " = ", row(r.grad)))
        blocks.append(Display(tuple(rows)))
        return blocks

    def final(self) -> list[Block]:
        leaves = [r for r in self.trace.nodes.values() if r.kind != "op"]
        blocks: list[Block] = [Heading(2, "Final gradients")]
        layout = "" if self.scalar else (
            " (numerator layout: a vector's gradient is a row, a matrix's has the matrix's shape)"
        )
        what = "every input and parameter" if not self.scalar else "every variable"
        blocks.append(Paragraph((f"The gradient of {self.out} with respect to {what}{layout}:",)))
        rows: list[tuple[Piece, ...]] = []
        for r in leaves:
            step = self.trace.step_index(BACKWARD, r.name)
            q = None
            if step is not None:
                q = next((q for q in self.questions(step) if q.field == GRAD), None)
            shown = _number_or_matrix(r.grad, as_row=True)
            dims = gradient_shape(r.value.shape)
            blank = Blank("number") if r.grad.size == 1 else Blank("matrix", (dims[0], dims[-1]))
            rows.append((f"∂{self.out}/∂{r.label} = ", self.answer(q, (shown,), blank)))
        blocks.append(Display(tuple(rows)))
        return blocks


def ascii_text(piece: Piece) -> str:
    return piece.text if isinstance(piece, Num) else ""


def _jacobian(t: Term) -> np.ndarray | None:
    rows, cols = t.jacobian_shape
    if rows * cols > JACOBIAN_SHOWN:
        return None
    return t.local_jacobian()


def _local_numbers(terms: list[Term]) -> Piece | None:
    """A consumer's local Jacobian in numbers (its slots added up), or None when it is too big to print."""
    parts = [_jacobian(t) for t in terms]
    if any(p is None for p in parts):
        return None
    total = np.sum([p for p in parts if p is not None], axis=0)
    return Num(float(total.reshape(()))) if total.size == 1 else Mat(total)


def build(walk: Walkthrough, options, practice: Practice | None) -> Document:
    return WalkthroughHandout(walk, options, practice).build()


__all__ = ["build"]
