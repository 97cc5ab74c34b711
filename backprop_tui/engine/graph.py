"""Computational graphs: nodes and an iterative topological order. The passes over them are in passes.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .arrays import Array, GraphError, frozen
from .notation import default_label
from .ops import Op


class Node:
    """One value in the graph: a leaf (input or parameter, with its value) or the result of an op."""

    __slots__ = ("id", "name", "label", "kind", "op", "inputs", "value")

    def __init__(
        self, id: int, name: str, label: str, kind: str, op: Op | None, inputs: tuple[Node, ...], value: Array | None
    ) -> None:
        self.id, self.name, self.label, self.kind = id, name, label, kind
        self.op, self.inputs, self.value = op, inputs, value

    def __repr__(self) -> str:
        return f"Node({self.name!r}, {self.kind})"


def shape_error(node: Node, args: Sequence[Any], error: ValueError) -> GraphError:
    """What the user reads when node's op refuses the shapes of its inputs."""
    shapes = ", ".join(str(np.shape(a)) for a in args)
    op = node.op.name if node.op is not None else node.kind
    return GraphError(f"{node.name} = {op}({shapes}): {error}")


class Graph:
    """A growing DAG. Nodes are created in a topological order, which `order` relies on."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self._names: dict[str, Node] = {}
        self._op_count = 0

    def _add(
        self,
        name: str | None,
        label: str | None,
        kind: str,
        op: Op | None,
        inputs: tuple[Node, ...],
        value: Array | None,
    ) -> Node:
        if op is not None:
            self._op_count += 1
        name = name or f"z{self._op_count}"
        if name in self._names:
            raise GraphError(f"a node named {name!r} already exists")
        node = Node(len(self.nodes), name, label or default_label(name), kind, op, inputs, value)
        self.nodes.append(node)
        self._names[name] = node
        return node

    def input(self, name: str, value: Any, label: str | None = None) -> Node:
        """A leaf the user supplies (x, or a point's coordinates)."""
        return self._add(name, label, "input", None, (), frozen(value))

    def parameter(self, name: str, value: Any, label: str | None = None) -> Node:
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
