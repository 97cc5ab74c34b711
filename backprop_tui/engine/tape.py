"""A graph compiled for re-running: new leaf values in, the output and the gradients it asks for out.

Training evaluates one graph thousands of times with new parameters. Building a
Graph per step spends most of its time on bookkeeping (nodes, names, the
topological order, read-only copies, gradients nobody uses); a Tape does that
bookkeeping once and then only calls the same ops' forward and VJP functions.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .graph import Graph, GraphError, Node


class Tape:
    """Forward and reverse passes of `graph` up to `output`, with gradients for the leaves in `wrt` only.

    Slots follow graph.order(output), so the output is always the last slot.
    """

    def __init__(self, graph: Graph, output: Node, wrt: Iterable[str]):
        order = graph.order(output)
        slot = {node.id: i for i, node in enumerate(order)}
        wanted = set(wrt)
        missing = wanted - {node.name for node in order if node.op is None}
        if missing:
            raise GraphError(f"{', '.join(sorted(missing))} is not a leaf that {output.name} depends on")
        # A node's gradient is needed when a wanted leaf lies at or behind it.
        needed = [False] * len(order)
        for i, node in enumerate(order):
            needed[i] = node.name in wanted or any(needed[slot[p.id]] for p in node.inputs)
        self._leaf = {node.name: i for i, node in enumerate(order) if node.op is None}
        self._start = [node.value if node.op is None else None for node in order]
        self._forward = [
            (i, node, tuple(slot[p.id] for p in node.inputs)) for i, node in enumerate(order) if node.op is not None
        ]
        self._backward = []
        for i, node in reversed(list(enumerate(order))):
            if node.op is None or not needed[i]:
                continue
            inputs = tuple(slot[p.id] for p in node.inputs)
            parents = tuple((k, j) for k, j in enumerate(inputs) if needed[j])
            self._backward.append((i, node.op.vjp, inputs, parents))
        self._wrt = [(node.name, i) for i, node in enumerate(order) if node.name in wanted]

    def __call__(self, **leaves: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The output's value and ∂output/∂leaf for the wanted leaves, at these leaf values (others as built)."""
        values = self._start.copy()
        for name, value in leaves.items():
            slot = self._leaf.get(name)
            if slot is None:
                raise GraphError(f"the tape has no leaf named {name!r}")
            values[slot] = np.asarray(value, dtype=np.float64)
        with np.errstate(all="ignore"):
            for i, node, inputs in self._forward:
                try:
                    values[i] = np.asarray(node.op.forward(*[values[j] for j in inputs]), dtype=np.float64)
                except ValueError as error:
                    shapes = ", ".join(str(np.shape(values[j])) for j in inputs)
                    raise GraphError(f"{node.name} = {node.op.name}({shapes}): {error}") from None
            grads: list = [None] * len(values)
            grads[-1] = np.ones(values[-1].shape)
            for i, vjp, inputs, parents in self._backward:
                g, out, args = grads[i], values[i], [values[j] for j in inputs]
                for k, j in parents:
                    part = vjp(k, g, args, out)
                    grads[j] = part if grads[j] is None else grads[j] + part
        return values[-1], {name: np.asarray(grads[i], dtype=np.float64) for name, i in self._wrt}
