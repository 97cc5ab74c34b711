"""A graph compiled for re-running: new leaf values in, the output and the gradients it asks for out.

Training evaluates one graph thousands of times with new parameters. Building a
Graph per step spends most of its time on bookkeeping (nodes, names, the
topological order, read-only copies, gradients nobody uses); a Tape does that
bookkeeping once and then only calls the same ops' forward and VJP functions.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Callable, Iterable

import numpy as np

from .graph import FLOAT64, Graph, GraphError, Node


def _float_array(a) -> np.ndarray:
    return a if type(a) is np.ndarray and a.dtype is FLOAT64 else np.asarray(a, dtype=np.float64)


def _gather(slots: tuple[int, ...]) -> Callable[[list], tuple]:
    """values -> the tuple of values at these slots, in C (itemgetter alone returns a bare item for one slot)."""
    if len(slots) == 1:
        (slot,) = slots
        return lambda values: (values[slot],)
    return itemgetter(*slots)


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
        self._nodes = order
        self._inputs = [tuple(slot[p.id] for p in node.inputs) for node in order]
        self._forward = [
            (i, node.op.forward, _gather(self._inputs[i])) for i, node in enumerate(order) if node.op is not None
        ]
        self._backward = []
        for i, node in reversed(list(enumerate(order))):
            if node.op is None or not needed[i]:
                continue
            parents = tuple((k, j) for k, j in enumerate(self._inputs[i]) if needed[j])
            self._backward.append((i, node.op.vjp, _gather(self._inputs[i]), parents))
        self._wrt = [(node.name, i) for i, node in enumerate(order) if node.name in wanted]
        self._seed = np.ones(np.shape(output.value) if output.op is None else ())  # ∂out/∂out for a scalar output
        self._seed.flags.writeable = False

    def __call__(self, **leaves: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The output's value and ∂output/∂leaf for the wanted leaves, at these leaf values (others as built).

        Run once per training step, so it is written for few Python operations per node.
        """
        values = self._start.copy()
        for name, value in leaves.items():
            slot = self._leaf.get(name)
            if slot is None:
                raise GraphError(f"the tape has no leaf named {name!r}")
            values[slot] = _float_array(value)
        ndarray, float64 = np.ndarray, FLOAT64
        with np.errstate(all="ignore"):
            for i, forward, gather in self._forward:
                try:
                    value = forward(*gather(values))
                except ValueError as error:
                    raise self._shape_error(i, values, error) from None
                values[i] = value if type(value) is ndarray and value.dtype is float64 else _float_array(value)
            grads: list = [None] * len(values)
            grads[-1] = self._seed if self._seed.shape == values[-1].shape else np.ones(values[-1].shape)
            for i, vjp, gather, parents in self._backward:
                g, out, args = grads[i], values[i], gather(values)
                for k, j in parents:
                    part = vjp(k, g, args, out)
                    previous = grads[j]
                    grads[j] = part if previous is None else previous + part
        return values[-1], {name: _float_array(grads[i]) for name, i in self._wrt}

    def _shape_error(self, slot: int, values: list, error: ValueError) -> GraphError:
        node, inputs = self._nodes[slot], self._inputs[slot]
        shapes = ", ".join(str(np.shape(values[j])) for j in inputs)
        return GraphError(f"{node.name} = {node.op.name}({shapes}): {error}")
