"""A graph compiled for re-running: new leaf values in, the output and the gradients it asks for out.

Training evaluates one graph thousands of times with new parameters. Building a
Graph per step spends most of its time on bookkeeping (nodes, names, the
topological order, read-only copies, gradients nobody uses); a Tape does that
bookkeeping once and then only calls the same ops' forward and VJP functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

import numpy as np

from .arrays import FLOAT64, Array, GraphError, add_outgrads, as_float64
from .graph import Graph, Node, shape_error
from .ops import Rule

Gather = Callable[[list[Any]], tuple[Any, ...]]


def _gather(slots: tuple[int, ...]) -> Gather:
    """values -> the tuple of values at these slots, in C (itemgetter alone returns a bare item for one slot)."""
    if len(slots) == 1:
        (slot,) = slots
        return lambda values: (values[slot],)
    return itemgetter(*slots)


class Tape:
    """Forward and reverse passes of `graph` up to `output`, with gradients for the leaves in `wrt` only.

    Slots follow graph.order(output), so the output is always the last slot.
    """

    def __init__(self, graph: Graph, output: Node, wrt: Iterable[str]) -> None:
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
        self._start: list[Array | None] = [node.value if node.op is None else None for node in order]
        self._nodes = order
        self._inputs = [tuple(slot[p.id] for p in node.inputs) for node in order]
        self._forward: list[tuple[int, Callable[..., Any], Gather]] = []
        # (slot, gather its inputs, (VJP rule, input slot) for each input whose gradient is needed)
        self._backward: list[tuple[int, Gather, tuple[tuple[Rule, int], ...]]] = []
        for i, node in enumerate(order):
            if node.op is not None:
                self._forward.append((i, node.op.forward, _gather(self._inputs[i])))
        for i, node in reversed(list(enumerate(order))):
            if node.op is None or not needed[i]:
                continue
            parents = tuple((vjp, j) for vjp, j in zip(node.op.vjp, self._inputs[i], strict=True) if needed[j])
            self._backward.append((i, _gather(self._inputs[i]), parents))
        self._wrt = [(node.name, i) for i, node in enumerate(order) if node.name in wanted]
        self._seed = np.ones(output.value.shape if output.value is not None else ())  # ∂out/∂out for a scalar output
        self._seed.flags.writeable = False

    def __call__(self, **leaves: Any) -> tuple[Array, dict[str, Array]]:
        """The output's value and ∂output/∂leaf for the wanted leaves, at these leaf values (others as built).

        Run once per training step, so it is written for few Python operations per node.
        """
        values = self._start.copy()
        for name, value in leaves.items():
            slot = self._leaf.get(name)
            if slot is None:
                raise GraphError(f"the tape has no leaf named {name!r}")
            values[slot] = as_float64(value)
        ndarray, float64 = np.ndarray, FLOAT64
        with np.errstate(all="ignore"):
            for i, forward, gather in self._forward:
                args = gather(values)
                try:
                    value = forward(*args)
                except ValueError as error:
                    raise shape_error(self._nodes[i], args, error) from None
                values[i] = value if type(value) is ndarray and value.dtype is float64 else as_float64(value)
            result = values[-1]  # the output is the last slot
            assert result is not None
            grads: list[Array | None] = [None] * len(values)
            grads[-1] = self._seed if self._seed.shape == result.shape else np.ones(result.shape)
            for i, gather, parents in self._backward:
                g, out, args = grads[i], values[i], gather(values)
                for vjp, j in parents:
                    grads[j] = add_outgrads(grads[j], vjp(g, out, *args))
        return result, {name: as_float64(grads[i]) for name, i in self._wrt}
