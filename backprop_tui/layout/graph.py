"""A computation graph laid out left to right by depth, its edges box-drawn.

The geometry depends only on the graph and the fixed label widths, so it can
be computed once and repainted every frame (see canvas.paint).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

from .canvas import Box, Canvas, Layout
from .layers import build_graph, layer_rows, order_layers
from .routing import draw_gutter, plan_gutter


def layout_graph(nodes: Sequence[tuple[str, Sequence[str]]], widths: Mapping[str, int]) -> Layout:
    """Lay out a DAG (given in topological order) left to right by depth, edges box-drawn."""
    if not nodes:
        return Layout(0, (), {})
    g = build_graph(nodes, widths)
    layers = order_layers(g)
    rows, height = layer_rows(layers)
    col_width = [max(g.width[n] for n in layer if not g.is_dummy(n)) for layer in layers]
    gutters = [plan_gutter(g, left, right, rows, height) for left, right in pairwise(layers)]
    xs = [0]
    for k, gt in enumerate(gutters):
        xs.append(xs[k] + col_width[k] + gt.columns)
    width = xs[-1] + col_width[-1]
    canvas = Canvas(height, width)
    for k, gt in enumerate(gutters):
        draw_gutter(canvas, g, gt, (xs[k], col_width[k], xs[k + 1], col_width[k + 1]))
    boxes = {name: Box(rows[v], xs[g.layer[v]], g.width[v]) for v, name in enumerate(g.names)}
    return Layout(width, canvas.render(), boxes)
