"""Big graphs drawn a piece at a time: the nodes nearest the current step, laid out on demand.

A typed function can have thousands of nodes; laid out whole, its drawing is
tens of thousands of cells wide and every key press would repaint all of it.
Past FULL_LIMIT nodes the graph panel draws only the current node, what it is
computed from (two levels back) and what uses it (one level on), with "…"
where edges lead to nodes that are not drawn. Each piece is laid out once and
kept, so a key press costs the same at any graph size.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence

from .canvas import Layout
from .graph import layout_graph

FULL_LIMIT = 40  # graphs with more nodes than this are drawn a piece at a time
CONSUMERS = 4  # of the current node, drawn at most
KEPT = 64  # pieces kept laid out
MORE = "…"  # the label of a stand-in for nodes that are not drawn


class Pieces:
    """The neighbourhood of any node of a big graph, laid out and cached."""

    def __init__(self, nodes: Sequence[tuple[str, Sequence[str]]], widths: Mapping[str, int]):
        self.position = {name: k for k, (name, _) in enumerate(nodes)}
        self.inputs = {name: tuple(dict.fromkeys(ins)) for name, ins in nodes}
        self.consumers: dict[str, list[str]] = {name: [] for name, _ in nodes}
        for name, ins in self.inputs.items():
            for parent in ins:
                self.consumers[parent].append(name)
        self.widths = widths
        self.total = len(nodes)
        self._kept: OrderedDict[str, tuple[Layout, tuple[str, ...]]] = OrderedDict()

    def near(self, centre: str) -> list[str]:
        """Centre, its inputs and theirs, and its first few consumers, in topological order."""
        chosen = dict.fromkeys([centre, *self.inputs[centre]])
        for parent in self.inputs[centre]:
            chosen.update(dict.fromkeys(self.inputs[parent]))
        chosen.update(dict.fromkeys(self.consumers[centre][:CONSUMERS]))
        return sorted(chosen, key=self.position.__getitem__)

    def around(self, centre: str) -> tuple[Layout, tuple[str, ...]]:
        """The layout of centre's piece and the real nodes in it (stand-ins are named MORE + name)."""
        if centre in self._kept:
            self._kept.move_to_end(centre)
            return self._kept[centre]
        names = self.near(centre)
        drawn = set(names)
        nodes: list[tuple[str, tuple[str, ...]]] = []
        widths: dict[str, int] = {}
        later: list[tuple[str, tuple[str, ...]]] = []
        for name in names:
            ins = tuple(p for p in self.inputs[name] if p in drawn)
            if len(ins) < len(self.inputs[name]):  # some inputs are not drawn
                nodes.append((MORE + "<" + name, ()))
                widths[MORE + "<" + name] = 1
                ins += (MORE + "<" + name,)
            nodes.append((name, ins))
            widths[name] = self.widths[name]
            if any(c not in drawn for c in self.consumers[name]):
                later.append((MORE + ">" + name, (name,)))
                widths[MORE + ">" + name] = 1
        piece = (layout_graph(nodes + later, widths), tuple(names))
        self._kept[centre] = piece
        if len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        return piece
