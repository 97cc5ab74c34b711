"""The immutable record of a forward and backward pass: one Step per node per phase.

Records are frozen dataclasses with slots. What only a screen or an export reads
(the steps' equations and shapes, a term's derivative text and local Jacobian) is
written when first read and kept in a slot of the record that holds None until
then: training loops and big graphs record many steps that nobody ever displays.
Slots rather than instance dicts keep a 50,000-term trace small, and reading its
texts allocates nothing but the texts for the garbage collector to walk.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from string import Formatter
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np

from .arrays import Array, GraphError, frozen, seal
from .graph import Node
from .notation import column_text, number, shape_text
from .ops import Op

# a path's share of a node's gradient: (consumer, the node's input index in it, the product)
Contribution = tuple[Node, int, Array]

# Local Jacobians bigger than this many entries are described, not built:
# ∂v/∂vec(W⁽⁰⁾) at d = 784, h = 256 would be 51 million numbers.
JACOBIAN_LIMIT = 1_000_000

FORWARD, BACKWARD = "forward", "backward"

T = TypeVar("T")


def _keep(record: object, slot: str, value: T) -> T:
    """Fill a frozen record's cache slot: the one write a record takes after it is built."""
    object.__setattr__(record, slot, value)
    return value


@dataclass(frozen=True, eq=False, slots=True)
class NodeRecord:
    """A node's identity, shape, value and final gradient."""

    name: str
    label: str
    kind: str  # "input", "parameter" or "op"
    op: str | None
    inputs: tuple[str, ...]
    formula: str | None  # "v = W⁽⁰⁾x + b⁽⁰⁾" for op nodes
    value: Array
    grad: Array

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def is_matrix(self) -> bool:
        return self.value.ndim == 2


@dataclass(frozen=True, eq=False, slots=True)
class Site:
    """An op node as its backward terms see it: the op, its inputs' values and labels, its value."""

    op: Op
    args: tuple[Array, ...]
    labels: tuple[str, ...]
    out: Array


def local_partial(out: str, of: str, slot: str = "") -> str:
    """The consumer's own partial derivative, its other inputs held fixed, marked so that it
    cannot be read as the output's total derivative: local[∂z/∂v], local[∂z₃/∂z₂, left factor]."""
    return f"local[{_partial(out, of)}{', ' + slot if slot else ''}]"


@dataclass(frozen=True, eq=False, slots=True)
class Term:
    """One path's share of a gradient: ∂out/∂consumer · local[∂consumer/∂node]."""

    consumer: str
    consumer_label: str
    input_index: int
    upstream: Array  # ∂out/∂consumer, in the consumer's shape
    product: Array  # this path's contribution, in the node's shape
    site: Site = field(repr=False)  # the consumer
    wrt: str = field(repr=False)  # the node as it appears under ∂, e.g. vec(W⁽⁰⁾)
    slot: str = ""  # the input's role when the consumer takes the node in several inputs: "left factor"
    _derivative: str | None = field(default=None, init=False, repr=False)
    _jacobian: Array | None = field(default=None, init=False, repr=False)

    @property
    def via(self) -> str:
        """The path's name: the consumer, and the input it fills when it fills several: "z₃, left factor"."""
        return f"{self.consumer_label}, {self.slot}" if self.slot else self.consumer_label

    @property
    def local(self) -> str:
        """The marked local factor: local[∂z/∂v]."""
        return local_partial(self.consumer_label, self.wrt, self.slot)

    @property
    def derivative(self) -> str:
        """The local derivative, e.g. "local[∂z/∂v] = diag(σ′(v)) = diag(z∘(1−z))"."""
        if self._derivative is not None:
            return self._derivative
        site = self.site
        shapes = [a.shape for a in site.args]
        rule = site.op.derivative_text(self.input_index, self.consumer_label, site.labels, shapes)
        return _keep(self, "_derivative", f"{self.local} = {rule}")

    @property
    def rule(self) -> str:
        """The local derivative's formula alone: "diag(σ′(v)) = diag(z∘(1−z))"."""
        return self.derivative[len(self.local) + 3 :]

    @property
    def jacobian_shape(self) -> tuple[int, int]:
        return (int(self.site.out.size), int(self.site.args[self.input_index].size))

    @property
    def elementwise(self) -> bool:
        return self.site.op.elementwise

    @property
    def jacobian_blocks(self) -> tuple[int, int] | None:
        """What the local Jacobian is made of, (rows, cols) of a block: I ⊗ xᵀ of 1×len(x) ones."""
        site = self.site
        rule = site.op.blocks
        return None if rule is None else rule(self.input_index, site.out, *site.args)

    def local_jacobian(self) -> Array | None:
        """The explicit local Jacobian (numerator layout), or None when it is too big to build."""
        if self._jacobian is not None:
            return self._jacobian
        rows, cols = self.jacobian_shape
        if rows * cols > JACOBIAN_LIMIT:
            return None
        site = self.site
        # built after the passes, when a screen or an export asks: overflow gives ±∞
        # or nan on the entry (the lessons' notices say so), never a numpy warning
        with np.errstate(all="ignore"):
            return _keep(self, "_jacobian", frozen(site.op.jacobian[self.input_index](site.out, *site.args)))


# (function, *arguments) that write a step's (equation, shapes): a plain tuple, and no graph nodes in it
Recipe = tuple[Any, ...]


def _no_texts() -> tuple[str, str, str]:
    return "", "", ""


@dataclass(frozen=True, eq=False, slots=True)
class Step:
    """One node's computation in one phase."""

    index: int
    phase: str  # FORWARD or BACKWARD
    node: str
    label: str
    value: Array  # forward: the node's value; backward: ∂out/∂node in the node's shape
    inputs: tuple[str, ...] = ()  # forward: the op's inputs
    operators: tuple[str, ...] = ()  # forward: what follows each input side by side, ("·", "+", "=") for Wx + b = v
    terms: tuple[Term, ...] = ()  # backward: one per path to the output
    recipe: Recipe = field(default=(_no_texts,), repr=False)
    site: Site | None = field(default=None, repr=False)  # forward: the op and its inputs
    _equation: str | None = field(default=None, init=False, repr=False)
    _shapes: str | None = field(default=None, init=False, repr=False)
    _numbers: str | None = field(default=None, init=False, repr=False)

    def _write(self) -> tuple[str, str, str]:
        write: Callable[..., tuple[str, str, str]] = self.recipe[0]
        equation, shapes, numbers = write(*self.recipe[1:])
        _keep(self, "_numbers", numbers)
        return _keep(self, "_equation", equation), _keep(self, "_shapes", shapes), numbers

    @property
    def equation(self) -> str:
        """Symbolic: "v = W⁽⁰⁾x + b⁽⁰⁾" or "∂y/∂v = ∂y/∂z · ∂z/∂v"."""
        return self._equation if self._equation is not None else self._write()[0]

    @property
    def shapes(self) -> str:
        """The shapes of the step's product, e.g. "(1×4)·(4×4) → 1×4"."""
        return self._shapes if self._shapes is not None else self._write()[1]

    @property
    def numbers(self) -> str:
        """A scalar forward step with its numbers: "z₂ = 1 + x² + y² = 1 + 1² + 2² = 6"; else ""."""
        return self._numbers if self._numbers is not None else self._write()[2]

    def operands(self) -> tuple[tuple[str, Array], ...]:
        """A forward step's inputs as they stand side by side in the maths, (title, value) each: W⁽⁰⁾ᵀ, say."""
        site = self.site
        if site is None:
            return ()
        if site.op.display is not None:
            return site.op.display(site.labels, site.args)
        return tuple(zip(site.labels, site.args, strict=True))

    def together(self) -> tuple[str, ...]:
        """For each consumer that takes this node in several inputs, its local derivatives added up:
        "z₃ takes z₂ as both inputs: local[∂z₃/∂z₂] = z₂ + z₂ = 2z₂"."""
        lines = []
        by_consumer: dict[str, list[Term]] = {}
        for term in self.terms:
            by_consumer.setdefault(term.consumer, []).append(term)
        for terms in by_consumer.values():
            if len(terms) < 2:
                continue
            first = terms[0]
            many = "both" if len(terms) == 2 else f"{len(terms)} of its"
            rules = [t.rule for t in terms]
            total = signed_join(rules)
            simpler = _added_up(rules)
            lines.append(
                f"{first.consumer_label} takes {self.label} as {many} inputs: "
                f"{local_partial(first.consumer_label, first.wrt)} = {total}"
                + (f" = {simpler}" if simpler and simpler != total else "")
            )
        return tuple(lines)


@dataclass(frozen=True, eq=False, slots=True)
class Trace:
    """All nodes in topological order and all steps, forward first, then backward."""

    output: str
    nodes: Mapping[str, NodeRecord]
    steps: tuple[Step, ...]
    forward_count: int
    step_of: Mapping[tuple[str, str], int] = field(repr=False)  # (phase, node) -> index

    def __len__(self) -> int:
        return len(self.steps)

    def step_index(self, phase: str, node: str) -> int | None:
        """The 0-based index of node's step in phase, or None (leaves have no forward step)."""
        return self.step_of.get((phase, node))

    def value_known(self, node: str, done: int) -> bool:
        """Whether node's value is computed once the first `done` steps have run."""
        i = self.step_of.get((FORWARD, node))
        return i is None or i < done

    def grad_known(self, node: str, done: int) -> bool:
        """Whether ∂out/∂node is computed once the first `done` steps have run."""
        i = self.step_of.get((BACKWARD, node))
        return i is not None and i < done


def _partial(out: str, of: str) -> str:
    return f"∂{out}/∂{of}"


def signed_join(terms: Sequence[str]) -> str:
    """Terms added as a person writes them: 6 − 0.0451, not 6 + −0.0451."""
    out = terms[0]
    for term in terms[1:]:
        out += f" − {term[1:]}" if term.startswith("−") else f" + {term}"
    return out


_NAME = re.compile(r"[^\W\d_][\w⁽⁾⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉]*\Z")


def _as_number(text: str) -> float | None:
    try:
        return float(text.replace("−", "-"))
    except ValueError:
        return None


def _added_up(rules: Sequence[str]) -> str | None:
    """Several local derivatives' sum, simpler when it can be: 1 + 1 = 2, z₂ + z₂ = 2z₂; else None."""
    values = [_as_number(r) for r in rules]
    if all(v is not None for v in values):
        return number(sum(v for v in values if v is not None))
    if len(set(rules)) > 1:
        return None
    rule, k = rules[0], len(rules)
    if _NAME.match(rule):
        return f"{k}{rule}"
    return f"{k}·{rule}" if not any(c in rule for c in " +−") else f"{k}·({rule})"


_POWERS = "^⁰¹²³⁴⁵⁶⁷⁸⁹⁻"


def plug_in(formula: str, values: Sequence[str]) -> str:
    """An op's formula with numbers for its inputs: "{out} = 1 + {0}² + {1}²" with 1 and 2 → "1 + 1² + 2²".

    A negative number gets parentheses unless the formula already has them around it:
    (−1)², 1 + (−2), σ(−2); so does 1e−5 under a power, (1e−5)²; a number standing
    right after a digit, a letter or another input gets an explicit ·: 6·0.1353/6.
    """
    parts = list(Formatter().parse(formula))
    out = ""
    for k, (literal, name, _, _) in enumerate(parts):
        out += literal
        if name is None or name == "out":
            continue
        text = values[int(name)]
        after = parts[k + 1][0][:1] if k + 1 < len(parts) else ""
        before = out[-1:]
        enclosed = (before, after) in (("(", ")"), ("|", "|"))
        # 1e−5 needs them only where a power or a sign would take part of it: (1e−5)², −(1e−5)
        tight = "e" in text and ((after and after in _POWERS) or (before and before in "^−"))
        if not enclosed and (text.startswith("−") or tight):
            text = f"({text})"
        if before.isalnum() or before in ")⁾":
            text = "·" + text
        out += text
    return out.removeprefix(" = ")


def _wrt(node: Node, value: Array) -> str:
    """How a node appears under ∂: matrices are flattened, as in ∂y/∂vec(W⁽⁰⁾)."""
    return f"vec({node.label})" if value.ndim == 2 else node.label


def _forward_texts(record: NodeRecord, site: Site) -> tuple[str, str, str]:
    """The equation of a forward step (the node's formula), the shapes going in and out, and for
    scalars the formula with the inputs' numbers plugged in."""
    shapes = [column_text(a.shape) for a in site.args]
    text = site.op.shapes_text(site.labels, shapes, column_text(record.value.shape))
    formula = record.formula or ""
    numbers = ""
    if record.value.size == 1 and all(a.size == 1 for a in site.args):
        values = [number(float(np.reshape(a, -1)[0])) for a in site.args]
        result = number(float(np.reshape(record.value, -1)[0]))
        numbers = f"{formula} = {plug_in(site.op.formula, values)} = {result}"
    return formula, text, numbers


def _backward_texts(
    out_label: str, wrt: str, value: Array, terms: tuple[Term, ...], is_output: bool
) -> tuple[str, str, str]:
    """The equation of a backward step (a sum over paths) and the shapes of its products."""
    lhs = _partial(out_label, wrt)
    if is_output:
        return f"{lhs} = 1", "1×1", ""
    paths = " + ".join(f"{_partial(out_label, t.consumer_label)} · {t.local}" for t in terms)
    return f"{lhs} = {paths}", _backward_shapes(value, terms), ""


def _backward_shapes(node_value: Array, terms: tuple[Term, ...]) -> str:
    n = node_value.size
    if not terms:
        return "1×1"
    products = " + ".join(f"(1×{t.site.out.size})·({t.site.out.size}×{n})" for t in terms)
    text = f"{products} → 1×{n}"
    if node_value.ndim == 2:
        text += f", un-flattened to {shape_text(node_value.shape)}"
    return text


def build_trace(
    order: list[Node],
    values: dict[int, Array],
    grads: dict[int, Array],
    contributions: dict[int, list[Contribution]],
    output: Node,
) -> Trace:
    """Turn the passes' results into read-only records and Steps."""
    if np.size(values[output.id]) != 1:
        shape = np.shape(values[output.id])
        raise GraphError(f"the output {output.name} must be a scalar to backpropagate, not {shape}")
    out_label = output.label
    records: dict[str, NodeRecord] = {}
    steps: list[Step] = []
    sites: dict[int, Site] = {}  # op node id -> what its terms need, shared by them
    for node in order:
        value, grad = values[node.id], grads[node.id]
        if grad.shape != value.shape:
            grad = grad.reshape(value.shape)
        op = node.op
        if op is None:
            records[node.name] = NodeRecord(node.name, node.label, node.kind, None, (), None, value, seal(grad))
            continue
        names = tuple(p.name for p in node.inputs)
        labels = tuple(p.label for p in node.inputs)
        site = sites[node.id] = Site(op, tuple(values[p.id] for p in node.inputs), labels, value)
        formula = op.formula_text(node.label, labels)
        grad = seal(grad)
        record = records[node.name] = NodeRecord(node.name, node.label, node.kind, op.name, names, formula, value, grad)
        recipe: Recipe = (_forward_texts, record, site)
        steps.append(Step(len(steps), FORWARD, node.name, node.label, value, names, op.joins, (), recipe, site))
    forward_count = len(steps)

    for node in reversed(order):
        value = values[node.id]
        wrt = _wrt(node, value)
        paths = contributions.get(node.id, ())
        # a consumer that takes the node in several inputs has a path through each: they are named apart
        repeated = Counter(consumer.id for consumer, _, _ in paths)
        terms = tuple(
            Term(
                consumer.name,
                consumer.label,
                k,
                records[consumer.name].grad,
                seal(part if part.shape == value.shape else part.reshape(value.shape)),
                sites[consumer.id],
                wrt,
                consumer.op.slot_name(k) if repeated[consumer.id] > 1 and consumer.op is not None else "",
            )
            for consumer, k, part in paths
        )
        grad = records[node.name].grad
        recipe = (_backward_texts, out_label, wrt, value, terms, node is output)
        steps.append(Step(len(steps), BACKWARD, node.name, node.label, grad, (), (), terms, recipe))

    step_of = MappingProxyType({(s.phase, s.node): s.index for s in steps})
    return Trace(output.name, MappingProxyType(records), tuple(steps), forward_count, step_of)
