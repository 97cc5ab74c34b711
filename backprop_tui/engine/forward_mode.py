"""Forward-mode differentiation: push one tangent through a graph alongside its values.

Each op node gets its value and its tangent ∂node/∂leaves · t in the same sweep,
from the JVP rules kept beside every primitive in ops.py. Values and tangents
are dropped as soon as their last consumer has run, which is why forward mode
never needs to keep the whole forward pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import Array, GraphError, add_outgrads, as_float64
from .graph import Graph, Node, shape_error


@dataclass(frozen=True)
class JVP:
    """One forward-mode pass: the output's value, its tangent, and the most floats held at once."""

    value: Array
    tangent: Array
    peak_floats: int  # op-node values and tangents alive at the same time, at most


def _tangent_of(node: Node, tangents: Mapping[str, Any]) -> Array | None:
    """The caller's tangent for a leaf in the leaf's shape; None stands for a zero tangent."""
    if node.name not in tangents:
        return None
    assert node.value is not None  # a leaf is built with its value
    t = np.asarray(tangents[node.name], dtype=np.float64)
    if t.shape != node.value.shape:
        raise GraphError(f"the tangent of {node.name} has shape {t.shape}, but {node.name} has {node.value.shape}")
    return t


def _size(tangent: Array | None) -> int:
    return 0 if tangent is None else int(tangent.size)


def jvp(graph: Graph, output: Node, tangents: Mapping[str, Any]) -> JVP:
    """The output and ∂output/∂leaves · tangents, in one sweep from the leaves to the output.

    Leaves not named in tangents are held fixed. A tangent that is known to be
    zero is never multiplied, so a pass in one leaf's direction touches only the
    ops downstream of that leaf.
    """
    unknown = set(tangents) - {n.name for n in graph.nodes if n.op is None}
    if unknown:
        raise GraphError(f"no leaf named {sorted(unknown)[0]!r}")
    order = graph.order(output)
    last_use: dict[int, int] = {}
    for k, node in enumerate(order):
        for parent in node.inputs:
            last_use[parent.id] = k
    values: dict[int, Array] = {}
    dots: dict[int, Array | None] = {}
    held = peak = 0
    with np.errstate(all="ignore"):
        for k, node in enumerate(order):
            op = node.op
            if op is None:
                assert node.value is not None  # a leaf is built with its value
                values[node.id], dots[node.id] = node.value, _tangent_of(node, tangents)
            else:
                args = [values[p.id] for p in node.inputs]
                try:
                    out = as_float64(op.forward(*args))
                except ValueError as error:
                    raise shape_error(node, args, error) from None
                dot = None
                for parent, rule in zip(node.inputs, op.jvp, strict=True):
                    t = dots[parent.id]
                    if t is not None:
                        dot = add_outgrads(dot, as_float64(rule(t, out, *args)))
                values[node.id], dots[node.id] = out, dot
                held += out.size + _size(dot)
                peak = max(peak, held)
            for parent in set(node.inputs):
                if last_use[parent.id] == k:  # nothing later reads it: let it go
                    if parent.op is not None:
                        held -= values[parent.id].size + _size(dots[parent.id])
                    del values[parent.id], dots[parent.id]
    value = values[output.id]
    tangent = dots[output.id]
    return JVP(value, np.zeros_like(value) if tangent is None else tangent, peak)


def jacobian(graph: Graph, output: Node, wrt: str) -> Array:
    """∂vec(output)/∂vec(wrt) (numerator layout, row-major vec): one JVP pass per column."""
    if wrt not in {n.name for n in graph.nodes if n.op is None}:
        raise GraphError(f"no leaf named {wrt!r}")
    leaf = graph[wrt].value
    assert leaf is not None  # a leaf is built with its value
    shape = leaf.shape
    size = int(leaf.size)
    columns = []
    for k in range(size):
        direction = np.zeros(size)
        direction[k] = 1.0
        columns.append(np.ravel(jvp(graph, output, {wrt: direction.reshape(shape)}).tangent))
    return np.stack(columns, axis=1)
