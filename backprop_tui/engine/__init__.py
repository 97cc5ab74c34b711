"""The autodiff engine: numpy only, never textual or rich.

    from backprop_tui.engine import Graph, ops, passes
    g = Graph()
    x = g.input("x", [1.0, 2.0])
    ...
    trace = passes.run(g, output_node)
"""

from . import ops, passes
from .arrays import GraphError
from .graph import Graph, Node
from .ops import Op
from .trace import BACKWARD, FORWARD, NodeRecord, Step, Term, Trace

__all__ = [
    "BACKWARD",
    "FORWARD",
    "Graph",
    "GraphError",
    "Node",
    "NodeRecord",
    "Op",
    "Step",
    "Term",
    "Trace",
    "ops",
    "passes",
]
