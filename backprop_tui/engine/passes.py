"""The passes over a graph: forward (values), backward (gradients by reverse accumulation), and run (both, traced)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .arrays import Array, add_outgrads, as_float64, collector_paused, seal
from .graph import Graph, Node, shape_error
from .trace import Contribution, Trace, build_trace


def forward(order: Iterable[Node]) -> dict[int, Array]:
    """Every node's value by node id, computed in order (read-only float64)."""
    values: dict[int, Array] = {}
    with np.errstate(all="ignore"):
        for node in order:
            op = node.op
            if op is None:
                assert node.value is not None  # a leaf is built with its value
                values[node.id] = node.value
                continue
            args = [values[p.id] for p in node.inputs]
            try:
                values[node.id] = seal(op.forward(*args))
            except ValueError as error:
                raise shape_error(node, args, error) from None
    return values


def backward(
    order: Sequence[Node], values: dict[int, Array], output: Node, record: bool = False
) -> tuple[dict[int, Array], dict[int, list[Contribution]]]:
    """∂output/∂node for every node in order, by node id, by reverse accumulation.

    Returns (grads, contributions). With record=True, contributions maps each
    node id to the (consumer, input index, product) terms whose sum is its
    gradient, in the order the consumers were processed.
    """
    grads: dict[int, Array] = {output.id: np.ones(np.shape(values[output.id]))}
    contributions: dict[int, list[Contribution]] = {}
    with np.errstate(all="ignore"):
        for node in reversed(order):
            op = node.op
            if op is None:
                continue
            g = grads[node.id]
            args = [values[p.id] for p in node.inputs]
            out = values[node.id]
            # Where a node's value is not finite it has no derivative: nothing finite flows through it.
            undefined = not np.isfinite(out).all()
            for k, (parent, vjp) in enumerate(zip(node.inputs, op.vjp, strict=True)):
                part = as_float64(vjp(g, out, *args))
                if undefined:
                    part = np.full(np.shape(part), np.nan)
                grads[parent.id] = add_outgrads(grads.get(parent.id), part)
                if record:
                    contributions.setdefault(parent.id, []).append((node, k, part))
    return grads, contributions


def value_and_gradients(graph: Graph, output: Node) -> tuple[Array, dict[str, Array]]:
    """The output's value and ∂output/∂node for every ancestor by name, without a trace."""
    order = graph.order(output)
    values = forward(order)
    grads, _ = backward(order, values, output)
    return values[output.id], {node.name: grads[node.id] for node in order}


def gradients(graph: Graph, output: Node) -> dict[str, Array]:
    """∂output/∂node for every ancestor, by name, without recording a trace."""
    return value_and_gradients(graph, output)[1]


def run(graph: Graph, output: Node) -> Trace:
    """Forward and backward passes recorded as an immutable Trace."""
    with collector_paused():
        order = graph.order(output)
        values = forward(order)
        grads, contributions = backward(order, values, output, record=True)
        return build_trace(order, values, grads, contributions, output)
