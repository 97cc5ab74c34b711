"""Computational graphs: nodes, an iterative topological order, forward and backward passes."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterable

import numpy as np

from .notation import default_label
from .ops import Op


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while building many small acyclic objects.

    Graphs, passes and traces allocate thousands of tuples and records and form no
    cycles; left running, the collector's repeated sweeps cost up to a fifth of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class GraphError(ValueError):
    """A graph that cannot be built or run, with a message meant for the user."""


class Node:
    """One value in the graph: a leaf (input or parameter) or the result of an op."""

    __slots__ = ("id", "name", "label", "kind", "op", "inputs", "value")

    def __init__(self, id: int, name: str, label: str, kind: str, op: Op | None, inputs: tuple, value):
        self.id, self.name, self.label, self.kind = id, name, label, kind
        self.op, self.inputs, self.value = op, inputs, value

    def __repr__(self) -> str:
        return f"Node({self.name!r}, {self.kind})"


FLOAT64 = np.dtype(np.float64)  # dtypes of the builtin types are singletons: `is` compares them


def frozen(array) -> np.ndarray:
    """A read-only float64 copy, unless the array already is read-only float64 (then it is shared)."""
    if type(array) is np.ndarray and array.dtype is FLOAT64 and not array.flags.writeable:
        return array
    a = np.array(array, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


def seal(array) -> np.ndarray:
    """Mark a freshly computed result read-only, copying only if it is a view of other data.

    Called for every value and gradient a trace keeps, so the common cases come first.
    """
    if type(array) is np.ndarray and array.dtype is FLOAT64:
        flags = array.flags
        if not flags.writeable:
            return array
        if array.base is None:
            flags.writeable = False
            return array
    else:
        array = np.asarray(array, dtype=np.float64)
        if array.base is None and array.flags.writeable:
            array.flags.writeable = False
            return array
    return frozen(array)


class Graph:
    """A growing DAG. Nodes are created in a topological order, which `order` relies on."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self._names: dict[str, Node] = {}
        self._op_count = 0

    def _add(self, name: str | None, label: str | None, kind: str, op: Op | None, inputs: tuple, value) -> Node:
        if op is not None:
            self._op_count += 1
        name = name or f"z{self._op_count}"
        if name in self._names:
            raise GraphError(f"a node named {name!r} already exists")
        node = Node(len(self.nodes), name, label or default_label(name), kind, op, inputs, value)
        self.nodes.append(node)
        self._names[name] = node
        return node

    def input(self, name: str, value, label: str | None = None) -> Node:
        """A leaf the user supplies (x, or a point's coordinates)."""
        return self._add(name, label, "input", None, (), frozen(value))

    def parameter(self, name: str, value, label: str | None = None) -> Node:
        """A leaf the model learns (weights and biases)."""
        return self._add(name, label, "parameter", None, (), frozen(value))

    def apply(self, op: Op, *inputs: Node, name: str | None = None, label: str | None = None) -> Node:
        """A new node computing op(*inputs); values are computed when the graph runs."""
        if len(inputs) != op.arity:
            raise GraphError(f"{op.name} takes {op.arity} inputs, got {len(inputs)}")
        for node in inputs:
            if node.id >= len(self.nodes) or self.nodes[node.id] is not node:
                raise GraphError(f"{node.name!r} belongs to another graph")
        return self._add(name, label, "op", op, tuple(inputs), None)

    def __getitem__(self, name: str) -> Node:
        return self._names[name]

    def order(self, output: Node) -> list[Node]:
        """The ancestors of output (and output itself) in topological order, without recursion.

        Creation order is already topological, so marking what output reaches and
        walking the ids upward is linear in the graph's size and never recurses.
        """
        reached = bytearray(len(self.nodes))
        reached[output.id] = 1
        stack = [output]
        while stack:
            for parent in stack.pop().inputs:
                if not reached[parent.id]:
                    reached[parent.id] = 1
                    stack.append(parent)
        return [node for node in self.nodes[: output.id + 1] if reached[node.id]]

    def forward(self, order: Iterable[Node]) -> dict[int, np.ndarray]:
        """Every node's value, computed in order."""
        values: dict[int, np.ndarray] = {}
        with np.errstate(all="ignore"):
            for node in order:
                if node.op is None:
                    values[node.id] = node.value
                    continue
                args = [values[p.id] for p in node.inputs]
                try:
                    values[node.id] = seal(node.op.forward(*args))
                except ValueError as error:
                    shapes = ", ".join(str(np.shape(a)) for a in args)
                    raise GraphError(f"{node.name} = {node.op.name}({shapes}): {error}") from None
        return values

    def backward(self, order: list[Node], values: dict[int, np.ndarray], output: Node, record: bool = False):
        """∂output/∂node for every node in order, by reverse accumulation.

        Returns (grads, contributions). With record=True, contributions maps each
        node id to the (consumer, input index, product) terms whose sum is its
        gradient, in the order the consumers were processed.
        """
        grads: dict[int, np.ndarray] = {output.id: np.ones(np.shape(values[output.id]))}
        contributions: dict[int, list] = {}
        with np.errstate(all="ignore"):
            for node in reversed(order):
                if node.op is None:
                    continue
                g = grads[node.id]
                args = [values[p.id] for p in node.inputs]
                out = values[node.id]
                for k, parent in enumerate(node.inputs):
                    part = np.asarray(node.op.vjp(k, g, args, out), dtype=np.float64)
                    previous = grads.get(parent.id)
                    grads[parent.id] = part if previous is None else previous + part
                    if record:
                        contributions.setdefault(parent.id, []).append((node, k, part))
        return grads, contributions

    def value_and_gradients(self, output: Node) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The output's value and ∂output/∂node for every ancestor by name, without a trace."""
        order = self.order(output)
        values = self.forward(order)
        grads, _ = self.backward(order, values, output)
        return values[output.id], {node.name: grads[node.id] for node in order}

    def gradients(self, output: Node) -> dict[str, np.ndarray]:
        """∂output/∂node for every ancestor, by name, without recording a trace."""
        return self.value_and_gradients(output)[1]

    def run(self, output: Node):
        """Forward and backward passes recorded as an immutable Trace."""
        from .trace import build_trace

        with collector_paused():
            order = self.order(output)
            values = self.forward(order)
            grads, contributions = self.backward(order, values, output, record=True)
            return build_trace(order, values, grads, contributions, output)
