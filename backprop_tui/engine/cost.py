"""Counting the multiply-adds a pass really performs, by wrapping a graph's ops.

The rule, per call: an element-wise op does one per output entry (its forward,
or its diagonal local derivative applied to a gradient or tangent); affine
out = Wx + b does one per entry of W in its forward and in every VJP or JVP
through W or x, and none through b (the identity). Any other op is charged
the size of its explicit local Jacobian. Nothing is estimated: a call that is
never made costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from . import ops
from .graph import Graph
from .ops import Op


@dataclass
class Tally:
    """Multiply-adds and calls counted so far, by kind of call."""

    multiply_adds: int = 0
    calls: dict[str, int] = field(default_factory=lambda: {"forward": 0, "vjp": 0, "jvp": 0})

    def reset(self) -> None:
        self.multiply_adds = 0
        self.calls = {kind: 0 for kind in self.calls}


def multiply_adds(op: Op, kind: str, i: int, inputs, out) -> int:
    """Multiply-adds of one call: kind "forward" (i unused), "vjp" or "jvp" through input i."""
    size = int(np.size(out))
    if op.elementwise:
        return size
    if op is ops.affine or op.name == "affine":
        return 0 if kind != "forward" and i == 2 else int(np.size(inputs[0]))
    return size if kind == "forward" else op.jacobian_size(i, inputs, np.asarray(out))


def counted(op: Op, tally: Tally) -> Op:
    """The same op, adding the cost of each forward, VJP and JVP call to tally."""

    def forward(*inputs):
        out = op.forward(*inputs)
        tally.calls["forward"] += 1
        tally.multiply_adds += multiply_adds(op, "forward", 0, inputs, out)
        return out

    def vjp(i, g, inputs, out):
        tally.calls["vjp"] += 1
        tally.multiply_adds += multiply_adds(op, "vjp", i, inputs, out)
        return op.vjp(i, g, inputs, out)

    def jvp(i, t, inputs, out):
        tally.calls["jvp"] += 1
        tally.multiply_adds += multiply_adds(op, "jvp", i, inputs, out)
        return op.jvp(i, t, inputs, out)

    return replace(op, forward=forward, vjp=vjp, jvp=jvp)


def instrument(graph: Graph) -> Tally:
    """Make every op node of graph count its work into one new Tally, and return it."""
    tally = Tally()
    for node in graph.nodes:
        if node.op is not None:
            node.op = counted(node.op, tally)
    return tally
