"""The immutable record of a forward and backward pass: one Step per node per phase."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from types import MappingProxyType
from typing import Callable, Mapping

import numpy as np

from .arrays import Array, GraphError, frozen, seal
from .graph import Node
from .notation import column_text, shape_text
from .ops import Op

# a path's share of a node's gradient: (consumer, the node's input index in it, the product)
Contribution = tuple[Node, int, Array]

# Local Jacobians bigger than this many entries are described, not built:
# ∂v/∂vec(W⁽⁰⁾) at d = 784, h = 256 would be 51 million numbers.
JACOBIAN_LIMIT = 1_000_000

FORWARD, BACKWARD = "forward", "backward"


@dataclass(frozen=True, eq=False)
class NodeRecord:
    """A node's identity, shape, value and final gradient."""

    name: str
    label: str
    kind: str  # "input", "parameter" or "op"
    op: str | None
    inputs: tuple[str, ...]
    formula: str | None  # "v = W⁽⁰⁾x + b⁽⁰⁾" for op nodes
    value: np.ndarray
    grad: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def is_matrix(self) -> bool:
        return self.value.ndim == 2


@dataclass(frozen=True, eq=False)
class Term:
    """One path's share of a gradient: ∂out/∂consumer · ∂consumer/∂node."""

    consumer: str
    consumer_label: str
    input_index: int
    upstream: np.ndarray  # ∂out/∂consumer, in the consumer's shape
    product: np.ndarray  # this path's contribution, in the node's shape
    _op: Op = field(repr=False)
    _args: tuple = field(repr=False)
    _out: np.ndarray = field(repr=False)
    _input_labels: tuple[str, ...] = field(repr=False)
    _wrt: str = field(repr=False)  # the node as it appears under ∂, e.g. vec(W⁽⁰⁾)
    # the derivative's text and the Jacobian, once asked for, are kept in the instance's own
    # __dict__: a trace has a term per path, and a cache dict for each is one more object per
    # path for the garbage collector to walk

    @property
    def derivative(self) -> str:
        """The local derivative, e.g. "∂z/∂v = diag(σ′(v)) = diag(z∘(1−z))"; written when first read."""
        text = self.__dict__.get("_derivative")
        if text is None:
            local = self._op.derivative_text(
                self.input_index, self.consumer_label, self._input_labels, [np.shape(a) for a in self._args]
            )
            text = self.__dict__["_derivative"] = f"{_partial(self.consumer_label, self._wrt)} = {local}"
        return text

    @property
    def jacobian_shape(self) -> tuple[int, int]:
        return (int(self._out.size), int(self._args[self.input_index].size))

    @property
    def elementwise(self) -> bool:
        return self._op.elementwise

    def local_jacobian(self) -> np.ndarray | None:
        """The explicit local Jacobian (numerator layout), or None when it is too big to build."""
        state = self.__dict__
        if "_jacobian" not in state:
            rows, cols = self.jacobian_shape
            if rows * cols > JACOBIAN_LIMIT:
                state["_jacobian"] = None
            else:
                # built after the passes, when a screen or an export asks: overflow gives ±∞
                # or nan on the entry (the lessons' notices say so), never a numpy warning
                with np.errstate(all="ignore"):
                    state["_jacobian"] = frozen(self._op.jacobian[self.input_index](self._out, *self._args))
        return state["_jacobian"]


@dataclass(frozen=True, eq=False)
class Step:
    """One node's computation in one phase."""

    index: int
    phase: str  # FORWARD or BACKWARD
    node: str
    label: str
    value: np.ndarray  # forward: the node's value; backward: ∂out/∂node in the node's shape
    inputs: tuple[str, ...] = ()  # forward: the op's inputs
    operators: tuple[str, ...] = ()  # forward: how the inputs combine, ("·", "+") for Wx + b, if the op says
    terms: tuple[Term, ...] = ()  # backward: one per path to the output
    # (function, *arguments) that write (equation, shapes) when first read: training loops
    # and big graphs record many steps that nobody ever displays. A plain tuple rather than
    # a partial, and no graph nodes in it, so a trace holds fewer objects and no graph.
    _describe: tuple = field(default=(lambda: ("", ""),), repr=False)

    def _text(self, which: str) -> str:
        # The two strings are kept in the instance's dict once written: functools.cached_property
        # does the same behind a lock that made reading every step of a big trace 3× slower, and
        # keeping them as a tuple would leave one more object per step for the collector to walk.
        state = self.__dict__
        text = state.get(which)
        if text is None:
            write, *arguments = self._describe
            state["_equation"], state["_shapes"] = write(*arguments)
            text = state[which]
        return text

    @property
    def equation(self) -> str:
        """Symbolic: "v = W⁽⁰⁾x + b⁽⁰⁾" or "∂y/∂v = ∂y/∂z · ∂z/∂v"."""
        return self._text("_equation")

    @property
    def shapes(self) -> str:
        """The shapes of the step's product, e.g. "(1×4)·(4×4) → 1×4"."""
        return self._text("_shapes")


@dataclass(frozen=True, eq=False)
class Trace:
    """All nodes in topological order and all steps, forward first, then backward."""

    output: str
    nodes: Mapping[str, NodeRecord]
    steps: tuple[Step, ...]
    forward_count: int
    _step_of: Mapping[tuple[str, str], int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.steps)

    def step_index(self, phase: str, node: str) -> int | None:
        """The 0-based index of node's step in phase, or None (leaves have no forward step)."""
        return self._step_of.get((phase, node))

    def value_known(self, node: str, done: int) -> bool:
        """Whether node's value is computed once the first `done` steps have run."""
        i = self._step_of.get((FORWARD, node))
        return i is None or i < done

    def grad_known(self, node: str, done: int) -> bool:
        """Whether ∂out/∂node is computed once the first `done` steps have run."""
        i = self._step_of.get((BACKWARD, node))
        return i is not None and i < done


def _partial(out: str, of: str) -> str:
    return f"∂{out}/∂{of}"


def _wrt(record: Node, value: np.ndarray) -> str:
    """How a node appears under ∂: matrices are flattened, as in ∂y/∂vec(W⁽⁰⁾)."""
    return f"vec({record.label})" if value.ndim == 2 else record.label


def _forward_texts(record: NodeRecord, op: Op, args: tuple) -> tuple[str, str]:
    """The equation of a forward step (the node's formula) and the shapes going in and out."""
    return record.formula, _forward_shapes(op, args, record.value)


_columns = lru_cache(maxsize=1024)(column_text)  # a graph has few distinct shapes and many steps


def _forward_shapes(op: Op, args: tuple, value: np.ndarray) -> str:
    shapes = [_columns(a.shape) for a in args]
    out = _columns(value.shape)
    if op.shapes is not None:
        return op.shapes.format(*shapes, out=out)
    return ", ".join(f"({s})" for s in shapes) + f" → {out}"


def _backward_texts(out_label: str, wrt: str, value: np.ndarray, terms: tuple[Term, ...], is_output: bool) -> tuple[str, str]:
    """The equation of a backward step (a sum over paths) and the shapes of its products."""
    lhs = _partial(out_label, wrt)
    if is_output:
        return f"{lhs} = 1", "1×1"
    paths = " + ".join(f"{_partial(out_label, t.consumer_label)} · {_partial(t.consumer_label, wrt)}" for t in terms)
    return f"{lhs} = {paths}", _backward_shapes(value, terms)


def _backward_shapes(node_value: np.ndarray, terms: tuple[Term, ...]) -> str:
    n = node_value.size
    if not terms:
        return "1×1"
    sizes = [t._out.size for t in terms]
    product = {rows: f"(1×{rows})·({rows}×{n})" for rows in set(sizes)}  # a node used 50,000 times has few sizes
    products = " + ".join(map(product.__getitem__, sizes))
    text = f"{products} → 1×{n}"
    if node_value.ndim == 2:
        text += f", un-flattened to {shape_text(node_value.shape)}"
    return text


def _maker(cls: type) -> Callable[..., object]:
    """A constructor for a frozen dataclass that fills the instance's __dict__ at once.

    The generated __init__ of a frozen dataclass sets each field through
    object.__setattr__; a trace creates a record per node and per path, and
    that made up over a quarter of the time to build one. A field left out reads its
    default from the class, as dataclasses arrange; default factories run here.
    """
    factories = [(f.name, f.default_factory) for f in fields(cls) if f.default_factory is not MISSING]
    new = object.__new__

    def make(**values):
        record = new(cls)
        state = record.__dict__
        for name, factory in factories:
            state[name] = factory()
        state.update(values)
        return record

    return make


_node_record, _step, _term = _maker(NodeRecord), _maker(Step), _maker(Term)


def build_trace(order: list[Node], values: dict, grads: dict, contributions: dict, output: Node) -> Trace:
    """Turn the passes' results into read-only records and Steps."""
    if np.size(values[output.id]) != 1:
        raise GraphError(f"the output {output.name} must be a scalar to backpropagate, not {np.shape(values[output.id])}")
    out_label = output.label
    records: dict[str, NodeRecord] = {}
    steps: list[Step] = []
    inputs_of: dict[int, tuple] = {}  # op node id -> (input labels, input values), shared by its terms
    for node in order:
        value, grad = values[node.id], grads[node.id]
        if grad.shape != value.shape:
            grad = grad.reshape(value.shape)
        op = node.op
        if op is None:
            names = labels = args = ()
        else:
            names = tuple(p.name for p in node.inputs)
            labels = tuple(p.label for p in node.inputs)
            args = tuple(values[p.id] for p in node.inputs)
            inputs_of[node.id] = (labels, args)
        record = records[node.name] = _node_record(
            name=node.name,
            label=node.label,
            kind=node.kind,
            op=op.name if op else None,
            inputs=names,
            formula=op.formula_text(node.label, labels) if op else None,
            value=value,
            grad=seal(grad),
        )
        if op is not None:
            steps.append(
                _step(
                    index=len(steps),
                    phase=FORWARD,
                    node=node.name,
                    label=node.label,
                    value=value,
                    inputs=names,
                    operators=op.operators or (),
                    _describe=(_forward_texts, record, op, args),
                )
            )
    forward_count = len(steps)

    for node in reversed(order):
        value = values[node.id]
        wrt = _wrt(node, value)
        terms = tuple(
            _term(
                consumer=consumer.name,
                consumer_label=consumer.label,
                input_index=k,
                upstream=records[consumer.name].grad,
                product=seal(part if part.shape == value.shape else part.reshape(value.shape)),
                _op=consumer.op,
                _args=inputs_of[consumer.id][1],
                _out=values[consumer.id],
                _input_labels=inputs_of[consumer.id][0],
                _wrt=wrt,
            )
            for consumer, k, part in contributions.get(node.id, ())
        )
        steps.append(
            _step(
                index=len(steps),
                phase=BACKWARD,
                node=node.name,
                label=node.label,
                value=records[node.name].grad,
                terms=terms,
                _describe=(_backward_texts, out_label, wrt, value, terms, node is output),
            )
        )

    step_of = MappingProxyType({(s.phase, s.node): s.index for s in steps})
    return Trace(output.name, MappingProxyType(records), tuple(steps), forward_count, step_of)
