"""The questions each step asks, each knowing its true answer, its hints and what may be typed.

A forward step asks the node's value. A backward step asks, in this order:
  shape   the shape of the gradient ∂out/∂node in numerator layout: a row 1×n for
          a vector of n entries, the node's own shape for a matrix (the gradient
          over vec(W) folded back, as the step panel shows it), 1×1 for a scalar;
          asked only where some shape in the step is not 1×1;
  local   the local derivative ∂consumer/∂node, once per consumer: a consumer that
          takes the node in two slots (z = x·x) has one local derivative, the sum of
          both slots' (x + x); the output has no consumer and is asked nothing local;
  grad    the gradient ∂out/∂node.
Lesson chain asks the shapes of ∂g/∂x, ∂f/∂y and ∂(f∘g)/∂x, and which product
order gives the last. Lessons symmetry and methods ask nothing.

`practice_for(lesson, options)` gives a lesson's Practice, kept per (lesson,
options) so the lesson re-run at other points is built once, not per answer.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as member
from typing import Any

import numpy as np

from ..engine import BACKWARD, FORWARD, Step, Term, Trace
from ..engine.notation import number, shape_text, superscript
from ..lessons import LESSONS, Options, Walkthrough, WalkthroughLesson
from .answers import Names
from .points import Points

VALUE, SHAPE, LOCAL, GRAD, ORDER = "value", "shape", "local", "grad", "order"
FIELDS = (SHAPE, LOCAL, GRAD, VALUE, ORDER)
JACOBIAN = "jacobian"  # the phase of lesson chain's questions
WITH_QUESTIONS = ("mlp", "graph", "expr", "chain")
SCALAR_LESSONS = ("graph", "expr")
CACHED = 8  # lessons (with their options) whose practice is kept


class QuestionError(ValueError):
    """A question that does not exist (unknown node, field or phase); the message is one line for the user."""


@dataclass(frozen=True, eq=False)
class Question:
    """One thing to predict, with its true answer.

    expected is an array of numbers (the node's shape for a value or gradient,
    rows × columns for a local Jacobian), a tuple of sizes for a shape, or "f"
    (∂f/∂y first) for an order. expected_text is the answer as the app writes
    it: a formula in the lesson's labels (−6z₁/z₂², ∂z₄/∂z₂ · 2x), a shape (1×4),
    or the product.
    """

    practice: Practice = member(repr=False)
    phase: str
    node: str
    field: str
    consumer: str | None
    step: int | None  # index into the trace's steps; None for lesson chain
    prompt: str  # e.g. "∂z₄/∂z₂ = ?"
    form: str  # what to type, e.g. "a number, or a formula in x, y, z1…z4"
    expected: Any
    expected_text: str
    hints: tuple[str, ...]  # at most three, to be given one per request
    kind: str  # the step type, e.g. "local:sigmoid", for deciding which steps still need a worked example
    formulas: bool = False  # formulas in the lesson's names are accepted (scalar lessons)
    names: Names | None = member(default=None, repr=False)
    terms: tuple[int, ...] = ()  # the step's terms this question is about (local: the consumer's slots)
    diagonal: bool = False  # a local Jacobian that is diagonal: its diagonal alone may be typed
    subject: str = ""  # what is asked, for sentences: "∂z₄/∂x", "the value of z₂"

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        return (self.phase, self.node, self.field, self.consumer)


def _rhs(text: str) -> str:
    """What follows the first " = " of an equation (all of it when there is none)."""
    return text.split(" = ", 1)[-1]


def _last(text: str) -> str:
    """The last form of a chain of equal forms: "diag(σ′(v)) = diag(z∘(1−z))" → "diag(z∘(1−z))"."""
    return text.rsplit(" = ", 1)[-1]


def _wrapped(text: str) -> str:
    """A factor in parentheses when a sum, a sign or a space stands outside all of its own."""
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth == 0 and c in "+−- ":
            return f"({text})"
    return text


class Practice:
    """A lesson's questions. Subclasses: WalkPractice (mlp, graph, expr) and ChainPractice."""

    lesson: str
    settings: dict

    def questions(self) -> tuple[Question, ...]:
        """Every question the lesson asks, in the order it asks them."""
        raise NotImplementedError

    def question(self, phase: str, node: str, field: str, consumer: str | None = None) -> Question:
        """The question about node's field in phase (and consumer, for a local); QuestionError if there is none."""
        raise NotImplementedError


class WalkPractice(Practice):
    """Questions on a walkthrough's steps; for graph and expr formulas are judged at other points too."""

    def __init__(self, walk: Walkthrough, options: Options, lesson: WalkthroughLesson):
        self.walk = walk
        self.options = options
        self.lesson = walk.lesson
        self.settings = walk.settings
        self.trace: Trace = walk.trace
        self.scalar = walk.lesson in SCALAR_LESSONS
        self.points = Points(walk, options, lesson.build)  # the lesson's point and others, for formulas
        self.here = Points(walk, options, lesson.build, others=False)  # its point alone, for numbers
        self._questions: dict[tuple[str, str, str, str | None], Question] = {}
        self.memo: dict[tuple[object, ...], Any] = {}  # what judging computes once per question (diagnose.py)
        self._labels = {name: r.label for name, r in self.trace.nodes.items()}
        self._out = self._labels[self.trace.output]

    # --- what exists ---

    def step_questions(self, index: int) -> tuple[Question, ...]:
        """The questions step `index` (0-based, into trace.steps) asks, in order."""
        step = self.trace.steps[index]
        if step.phase == FORWARD:
            return (self.question(FORWARD, step.node, VALUE),)
        asked: list[Question] = []
        if step.node == self.trace.output:
            return (self.question(BACKWARD, step.node, GRAD),)
        if not self._all_scalar(step):
            asked.append(self.question(BACKWARD, step.node, SHAPE))
        for consumer in self.consumers(step.node):
            if self._local_size(step, consumer) <= LOCAL_LIMIT:
                asked.append(self.question(BACKWARD, step.node, LOCAL, consumer))
        asked.append(self.question(BACKWARD, step.node, GRAD))
        return tuple(asked)

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for i in range(len(self.trace.steps)) for q in self.step_questions(i))

    def consumers(self, node: str) -> tuple[str, ...]:
        """The distinct nodes that take node as an input, in the order its backward step lists them."""
        index = self.trace.step_index(BACKWARD, node)
        if index is None:
            return ()
        return tuple(dict.fromkeys(t.consumer for t in self.trace.steps[index].terms))

    def _all_scalar(self, step: Step) -> bool:
        return step.value.size == 1 and all(t.site.out.size == 1 for t in step.terms)

    def _local_size(self, step: Step, consumer: str) -> int:
        rows, cols = next(t.jacobian_shape for t in step.terms if t.consumer == consumer)
        return rows * cols

    def _node_list(self) -> str:
        names = list(self._labels)
        return ", ".join(names[:10]) + (", …" if len(names) > 10 else "")

    def question(self, phase: str, node: str, field: str, consumer: str | None = None) -> Question:
        key = (phase, node, field, consumer)
        known = self._questions.get(key)
        if known is not None:
            return known
        self._check(phase, node, field)
        if field == LOCAL:
            consumers = self.consumers(node)
            if not consumers:
                raise QuestionError(f"{node} is the output: no node uses it, so it has no local derivative")
            if consumer is None:
                if len(consumers) > 1:
                    raise QuestionError(
                        f"{node} is used by {len(consumers)} nodes ({', '.join(consumers)}): "
                        "give its local derivatives one per consumer"
                    )
                consumer = consumers[0]
            elif consumer not in consumers:
                raise QuestionError(f"{consumer!r} does not use {node} (its consumers: {', '.join(consumers)})")
            key = (phase, node, field, consumer)
            known = self._questions.get(key)
            if known is not None:
                return known
        elif consumer is not None:
            raise QuestionError(f"only a local derivative names a consumer, not {field}")
        made = self._make(phase, node, field, consumer)
        self._questions[key] = made
        return made

    def _check(self, phase: str, node: str, field: str) -> None:
        if node not in self.trace.nodes:
            raise QuestionError(f"lesson {self.lesson} has no node {node!r} (its nodes: {self._node_list()})")
        if field not in (VALUE, SHAPE, LOCAL, GRAD):
            raise QuestionError(f"unknown field {field!r} (use value, shape, local or grad)")
        if phase not in (FORWARD, BACKWARD):
            raise QuestionError(f"phase must be forward or backward, not {phase!r}")
        if field == VALUE and phase != FORWARD:
            raise QuestionError(f"value goes with phase forward (the value of {node} is computed on the way forward)")
        if field != VALUE and phase != BACKWARD:
            raise QuestionError(f"{field} goes with phase backward")
        if phase == FORWARD and self.trace.step_index(FORWARD, node) is None:
            kind = self.trace.nodes[node].kind
            article = "an" if kind[:1] in "aeiou" else "a"
            raise QuestionError(f"{node} has no forward step: it is {article} {kind}, given from the start")

    # --- making a question ---

    def _names(self, index: int, asked: tuple[str, str] | None) -> Names:
        trace = self.trace
        if trace.steps[index].phase == FORWARD:
            values = frozenset(n for n in trace.nodes if trace.value_known(n, index))
            grads: frozenset[str] = frozenset()
        else:
            values = frozenset(trace.nodes)
            grads = frozenset(n for n in trace.nodes if trace.grad_known(n, index))
        return Names(self._labels, trace.output, values, grads, asked)

    def _form(self, expected: np.ndarray, names: Names | None) -> str:
        if self.scalar and names is not None:
            known = [n for n in self._labels if n in names.values]
            shown = ", ".join(known[:6]) + (", …" if len(known) > 6 else "")
            recent = [s.node for s in self.trace.steps if s.phase == BACKWARD and s.node in names.grads]
            if not recent:
                return f"a number, or a formula in {shown}"
            out = self.trace.output
            return f"a number, or a formula in {shown}; d{out}/d{recent[-1]} and so on for gradients found already"
        if expected.size == 1:
            return "a number"
        if expected.ndim == 2 and min(expected.shape) > 1:
            return f"a {shape_text(expected.shape)} matrix, row by row: [[…], […]]"
        return f"{expected.size} numbers separated by commas"

    def _make(self, phase: str, node: str, field: str, consumer: str | None) -> Question:
        trace = self.trace
        record = trace.nodes[node]
        index = trace.step_index(phase, node)
        assert index is not None
        step = trace.steps[index]
        label, out = record.label, self._out
        formulas = self.scalar
        if field == VALUE:
            expected = np.asarray(record.value)
            site_inputs = [trace.nodes[n] for n in step.inputs]
            shown = ", ".join(f"{r.label} = {number(r.value.item())}" for r in site_inputs if r.value.size == 1)
            hints = [f"{step.equation}: compute it from {', '.join(dict.fromkeys(r.label for r in site_inputs))}"]
            if not self.scalar:
                hints.append(f"shapes: {step.shapes}")
            elif shown:
                hints.append(f"here {shown}")
            names = self._names(index, (VALUE, node))
            return Question(
                self, phase, node, field, None, index,
                prompt=f"{step.equation}. Its value?",
                form=self._form(expected, names if formulas else None),
                expected=expected,
                expected_text=_rhs(record.formula or step.equation),
                hints=tuple(hints),
                kind=f"value:{record.op}",
                formulas=formulas,
                names=names,
                subject=f"the value of {label}",
            )
        if field == SHAPE:
            dims = gradient_shape(record.value.shape)
            layout = (
                f"the gradient of a matrix is folded back into the matrix's own shape, {shape_text(dims)}"
                if record.is_matrix
                else f"∂{out}/∂{label}: one row for the one output {out}, one column per entry of {label}"
            )
            return Question(
                self, phase, node, field, None, index,
                prompt=f"The shape of ∂{out}/∂{label}?",
                form="a shape: ROWSxCOLS or (ROWS, COLS)",
                expected=dims,
                expected_text="×".join(map(str, dims)),
                hints=(step.equation, f"numerator layout: {layout}", f"shapes: {step.shapes}"),
                kind=f"shape:{'matrix' if record.is_matrix else 'vector' if record.value.size > 1 else 'scalar'}",
                subject=f"the shape of ∂{out}/∂{label}",
            )
        if field == LOCAL:
            slots = tuple(k for k, t in enumerate(step.terms) if t.consumer == consumer)
            terms = [step.terms[k] for k in slots]
            first = terms[0]
            jacobians = [t.local_jacobian() for t in terms]
            if any(j is None for j in jacobians):
                rows, cols = first.jacobian_shape
                raise QuestionError(
                    f"∂{first.consumer_label}/∂{first.wrt} has {rows * cols:,} entries, too many to ask for"
                )
            total = np.sum([j for j in jacobians if j is not None], axis=0)
            if self.scalar:
                total = total.reshape(())
            text = " + ".join(_last(_rhs(t.derivative)) for t in terms)
            consumer_record = trace.nodes[first.consumer]
            rows, cols = first.jacobian_shape
            shape_hint = f"∂{first.consumer_label}/∂{first.wrt} is {rows}×{cols}"
            if first.elementwise and rows > 1:
                shape_hint += ", diagonal: the op acts entry by entry"
            hints = [f"{consumer_record.formula}: differentiate it with respect to {label}"]
            if not self.scalar:
                hints.append(shape_hint)
            hints.append("; ".join(dict.fromkeys(t.derivative for t in terms)))
            names = self._names(index, None)
            return Question(
                self, phase, node, field, first.consumer, index,
                prompt=f"The local derivative ∂{first.consumer_label}/∂{first.wrt}?",
                form=self._form(total, names if formulas else None),
                expected=total,
                expected_text=text,
                hints=tuple(hints),
                kind=f"local:{consumer_record.op}",
                formulas=formulas,
                names=names,
                terms=slots,
                diagonal=first.elementwise and rows == cols and rows > 1,
                subject=f"∂{first.consumer_label}/∂{first.wrt}",
            )
        # GRAD
        expected = np.asarray(record.grad)
        hints = [step.equation]
        if not self.scalar:
            hints.append(f"shapes: {step.shapes}")
        if step.terms:
            hints.append("; ".join(dict.fromkeys(t.derivative for t in step.terms)))
        names = self._names(index, (GRAD, node))
        return Question(
            self, phase, node, field, None, index,
            prompt=f"The gradient ∂{out}/∂{label}?",
            form=self._form(expected, names if formulas else None),
            expected=expected,
            expected_text=gradient_text(out, trace.output, step.terms),
            hints=tuple(hints),
            kind="grad:output" if not step.terms else "grad:paths" if len(step.terms) > 1 else "grad:path",
            formulas=formulas,
            names=names,
            terms=tuple(range(len(step.terms))),
            subject=f"∂{out}/∂{label}",
        )


LOCAL_LIMIT = 1_000_000  # entries of a local Jacobian that may be asked (as trace.JACOBIAN_LIMIT)


def gradient_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """∂(scalar)/∂node in numerator layout: 1×n for a vector, the node's own shape for a matrix, 1×1 for a scalar."""
    if len(shape) == 2:
        return shape
    return (1, int(np.prod(shape)))


def gradient_text(out: str, output: str, terms: Sequence[Term]) -> str:
    """∂out/∂node as a sum over paths of upstream · local, e.g. "∂z₄/∂z₃ · 3x² + ∂z₄/∂z₂ · 2x"."""
    if not terms:
        return "1"
    parts = []
    for t in terms:
        local = _last(_rhs(t.derivative))
        upstream = f"∂{out}/∂{t.consumer_label}"
        parts.append(local if t.consumer == output else upstream if local == "1" else f"{upstream} · {_wrapped(local)}")
    return " + ".join(parts)


# --- lesson chain ---


class ChainPractice(Practice):
    """Lesson chain: the shapes of ∂g/∂x, ∂f/∂y and their product, and which order multiplies them."""

    def __init__(self, options: Options):
        from ..lessons import chain

        self.lesson = "chain"
        self.options = options
        self.l, self.n, self.m = chain.sizes(options)  # type: ignore[arg-type]
        self.settings = {"l": self.l, "n": self.n, "m": self.m}
        self.wrong = chain.wrong_order(np.zeros((self.n, self.l)), np.zeros((self.m, self.n)))
        self._questions = {q.key: q for q in self._make()}

    def _space(self, k: int) -> str:
        return f"ℝ{superscript(str(k))}"

    def _make(self) -> list[Question]:
        l, n, m = self.l, self.n, self.m  # noqa: E741
        rows = "numerator layout: a Jacobian has one row per output and one column per input"
        g = f"g: {self._space(l)} → {self._space(n)}"
        f = f"f: {self._space(n)} → {self._space(m)}"
        shapes = [
            ("g", "∂g/∂x", (n, l), f"the Jacobian of {g}", f"g has {n} outputs and {l} inputs"),
            ("f", "∂f/∂y", (m, n), f"the Jacobian of {f}", f"f has {m} outputs and {n} inputs"),
            ("fg", "∂(f∘g)/∂x", (m, l), f"the Jacobian of f∘g: {self._space(l)} → {self._space(m)}",
             f"(m×n)·(n×ℓ) = ({m}×{n})·({n}×{l})"),
        ]
        made = [
            Question(
                self, JACOBIAN, node, SHAPE, None, None,
                prompt=f"The shape of {symbol}, {what}?",
                form="a shape: ROWSxCOLS or (ROWS, COLS)",
                expected=dims,
                expected_text=f"{dims[0]}×{dims[1]}",
                hints=(rows, hint),
                kind=f"shape:{node}",
                subject=f"the shape of {symbol}",
            )
            for node, symbol, dims, what, hint in shapes
        ]
        made.append(
            Question(
                self, JACOBIAN, "fg", ORDER, None, None,
                prompt="Which product is ∂(f∘g)/∂x: ∂f/∂y · ∂g/∂x (fg) or ∂g/∂x · ∂f/∂y (gf)?",
                form="fg or gf",
                expected="f",
                expected_text="∂f/∂y · ∂g/∂x",
                hints=(
                    f"∂f/∂y is {m}×{n} and ∂g/∂x is {n}×{l}",
                    "a product (a×b)·(c×d) needs b = c, and the sizes in the middle must be the same quantity",
                    "g's outputs are f's inputs: the chain rule pairs them",
                ),
                kind="order",
                subject="the order of the product",
            )
        )
        return made

    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions.values())

    def question(self, phase: str, node: str, field: str, consumer: str | None = None) -> Question:
        if node not in ("g", "f", "fg"):
            raise QuestionError(f"lesson chain has no node {node!r} (its Jacobians: g, f, fg)")
        if field not in (SHAPE, ORDER):
            raise QuestionError(f"unknown field {field!r} for lesson chain (use shape, or order for fg)")
        if phase != JACOBIAN:
            raise QuestionError(f"phase must be {JACOBIAN} in lesson chain, not {phase!r}")
        if consumer is not None:
            raise QuestionError("lesson chain has no local derivatives")
        question = self._questions.get((phase, node, field, None))
        if question is None:
            raise QuestionError(f"only fg has an order (the product ∂f/∂y · ∂g/∂x), not {node}")
        return question


# --- one practice per lesson and options ---

_CACHE: OrderedDict[tuple[str, Options], Practice] = OrderedDict()


def practice_for(lesson: str, options: Options, walk: Walkthrough | None = None) -> Practice:
    """The practice of a lesson at these options, kept for the next call (give the walk if it is built already).

    QuestionError for a lesson that asks nothing (symmetry, methods) or an unknown one.
    """
    key = (lesson, options)
    known = _CACHE.get(key)
    if known is not None:
        _CACHE.move_to_end(key)
        return known
    entry = LESSONS.get(lesson)
    if entry is None:
        raise QuestionError(f"unknown lesson {lesson!r}")
    if lesson not in WITH_QUESTIONS:
        raise QuestionError(
            f"lesson {lesson} asks no questions to check (questions come with {', '.join(WITH_QUESTIONS)})"
        )
    made: Practice
    if isinstance(entry, WalkthroughLesson):
        made = WalkPractice(walk if walk is not None else entry.build(options), options, entry)
    else:
        made = ChainPractice(options)
    _CACHE[key] = made
    while len(_CACHE) > CACHED:
        _CACHE.popitem(last=False)
    return made


def clear_cache() -> None:
    """Forget every kept practice (tests, or an app that changes a lesson's function often)."""
    _CACHE.clear()
