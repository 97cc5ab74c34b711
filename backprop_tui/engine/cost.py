"""Counting the multiply-adds a pass really performs, on a copy of a graph whose ops count their calls.

Each op carries its own rule (Op.cost): an element-wise op does one per output
entry (its forward, or its diagonal local derivative applied to a gradient or
tangent); affine out = Wx + b one per entry of W in its forward and in every
VJP or JVP through W or x, and none through b (the identity); any other op pays
the size of its explicit local Jacobian. Nothing is estimated: a call that is
never made costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .arrays import Array
from .graph import Graph
from .ops import Op, Rule


@dataclass
class Tally:
    """Multiply-adds and calls counted so far, by kind of call."""

    multiply_adds: int = 0
    calls: dict[str, int] = field(default_factory=lambda: {"forward": 0, "vjp": 0, "jvp": 0})

    def reset(self) -> None:
        self.multiply_adds = 0
        self.calls = {kind: 0 for kind in self.calls}


def counted(op: Op, tally: Tally) -> Op:
    """The same op, adding the cost of each forward, VJP and JVP call to tally."""

    def forward(*inputs: Array) -> Any:
        out = op.forward(*inputs)
        tally.calls["forward"] += 1
        tally.multiply_adds += op.cost("forward", 0, out, *inputs)
        return out

    def rule_of(kind: str, i: int, rule: Rule) -> Rule:
        def counted_rule(tangent_or_grad: Array, ans: Array, *inputs: Array) -> Any:
            tally.calls[kind] += 1
            tally.multiply_adds += op.cost(kind, i, ans, *inputs)
            return rule(tangent_or_grad, ans, *inputs)

        return counted_rule

    return replace(
        op,
        forward=forward,
        vjp=tuple(rule_of("vjp", i, rule) for i, rule in enumerate(op.vjp)),
        jvp=tuple(rule_of("jvp", i, rule) for i, rule in enumerate(op.jvp)),
    )


def instrument(graph: Graph) -> tuple[Graph, Tally]:
    """A copy of graph whose every op counts its work into one new Tally, and that Tally.

    The copy has the same names, labels, leaf values and node ids; graph itself is left as it was.
    """
    tally = Tally()
    copy = Graph()
    wrapped: dict[int, Op] = {}  # one counting op per distinct op
    for node in graph.nodes:
        op = node.op
        if op is None:
            add_leaf = copy.input if node.kind == "input" else copy.parameter
            add_leaf(node.name, node.value, label=node.label)
            continue
        counting = wrapped.get(id(op))
        if counting is None:
            counting = wrapped[id(op)] = counted(op, tally)
        copy.apply(counting, *(copy.nodes[p.id] for p in node.inputs), name=node.name, label=node.label)
    return copy, tally
