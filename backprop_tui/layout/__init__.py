"""Pure text layout of graphs and of the network's unit picture, standard library only.

`layout_graph` lays a computation graph out left to right by depth (Sugiyama
style: layers, dummy nodes for long edges, barycenter ordering, buses routed
through the gutters); `neuron_layout` draws the course's fully connected
network figure; `paint` writes labels into the boxes of either. `Pieces` lays
out the neighbourhood of one node of a graph too big to draw whole.
"""

from .canvas import Box, Layout, paint
from .graph import layout_graph
from .pieces import FULL_LIMIT, MORE, Pieces
from .units import MAX_UNITS, neuron_layout, shown_units

__all__ = [
    "FULL_LIMIT",
    "MAX_UNITS",
    "MORE",
    "Box",
    "Layout",
    "Pieces",
    "layout_graph",
    "neuron_layout",
    "paint",
    "shown_units",
]
