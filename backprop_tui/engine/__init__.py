"""The autodiff engine: numpy only, never textual or rich.

    from backprop_tui.engine import Graph, ops
    g = Graph()
    x = g.input("x", [1.0, 2.0])
    ...
    trace = g.run(output_node)
"""

from . import ops
from .graph import Graph, GraphError, Node
from .ops import Op
from .trace import BACKWARD, FORWARD, NodeRecord, Step, Term, Trace

__all__ = ["BACKWARD", "FORWARD", "Graph", "GraphError", "Node", "NodeRecord", "Op", "Step", "Term", "Trace", "ops"]
