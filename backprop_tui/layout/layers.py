"""A DAG in layers (Sugiyama style): a layer per depth, dummy nodes for long edges, few crossings.

Layers are ordered by barycenter sweeps, keeping the order with the fewest
crossings, then straightened by swapping neighbours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .canvas import ROW_PITCH, column_height

SWEEPS = 2  # rounds of barycenter sweeps, each down then up
STRAIGHTEN_PASSES = 8  # rounds of neighbour swaps at most
HUB_DEGREES = 2500  # neighbours whose degrees multiply to more than this are not swapped: too costly to count


@dataclass
class Graph:
    """Layered graph: ids below `n_real` are the caller's nodes, the rest are dummies."""

    names: list[str]
    n_real: int
    layer: list[int]
    preds: list[list[int]]
    succs: list[list[int]]
    width: list[int]
    key: list[float]  # initial order inside a layer

    def is_dummy(self, n: int) -> bool:
        """Whether node id `n` is a pass-through point of a long edge."""
        return n >= self.n_real


def _parse(nodes: Sequence[tuple[str, Sequence[str]]]) -> tuple[list[str], list[list[int]]]:
    """Check names and topological order; return names and de-duplicated input ids."""
    index: dict[str, int] = {}
    inputs: list[list[int]] = []
    for name, ins in nodes:
        if name in index:
            raise ValueError(f"node {name!r} is listed twice")
        ids = []
        for inp in dict.fromkeys(ins):  # an input listed twice is one edge
            if inp not in index:
                raise ValueError(f"input {inp!r} of {name!r} must appear earlier in the list")
            ids.append(index[inp])
        index[name] = len(inputs)
        inputs.append(ids)
    return list(index), inputs


def _assign_layers(inputs: list[list[int]]) -> list[int]:
    """Ops go one right of their deepest op input; leaves sit just left of their first consumer."""
    n = len(inputs)
    layer = [0] * n
    for v in range(n):  # topological order, so inputs are done already
        if inputs[v]:
            layer[v] = 1 + max(layer[u] for u in inputs[v])  # leaves still count as 0 here
    first_use: list[int | None] = [None] * n
    for v in range(n):
        for u in inputs[v]:
            used = first_use[u]
            if used is None or layer[v] < used:
                first_use[u] = layer[v]
    for v in range(n):
        used = first_use[v]
        if not inputs[v] and used is not None:
            layer[v] = used - 1
    return layer


def build_graph(nodes: Sequence[tuple[str, Sequence[str]]], widths: Mapping[str, int]) -> Graph:
    """Parse, layer, and split long edges into chains through dummy nodes."""
    names, inputs = _parse(nodes)
    n = len(names)
    layer = _assign_layers(inputs)
    g = Graph(
        names=names,
        n_real=n,
        layer=layer,
        preds=[[] for _ in range(n)],
        succs=[[] for _ in range(n)],
        width=[int(widths[name]) for name in names],
        key=[float(i) for i in range(n)],
    )
    consumers: list[list[int]] = [[] for _ in range(n)]
    for v in range(n):
        for u in inputs[v]:
            consumers[u].append(v)
    for u in range(n):
        _connect_source(g, u, consumers[u])
    return g


def _connect_source(g: Graph, u: int, targets: list[int]) -> None:
    """Wire u to its consumers; one shared dummy chain carries u across skipped layers."""
    if not targets:
        return
    carrier = {g.layer[u]: u}  # layer -> the node that carries u's value there
    for k in range(g.layer[u] + 1, max(g.layer[t] for t in targets)):
        d = len(g.layer)
        g.layer.append(k)
        g.preds.append([carrier[k - 1]])
        g.succs.append([])
        g.width.append(0)
        g.key.append(u + 0.5)  # start next to where the source sits in input order
        g.succs[carrier[k - 1]].append(d)
        carrier[k] = d
    for t in targets:
        src = carrier[g.layer[t] - 1]
        g.succs[src].append(t)
        g.preds[t].append(src)


# --------------------------------------------------------------------------- ordering


def _inversions(seq: list[int], size: int) -> int:
    """Count pairs i < j with seq[i] > seq[j] using a Fenwick tree over 0..size-1."""
    tree = [0] * (size + 1)
    total = 0
    for seen, v in enumerate(seq):
        i, not_greater = v + 1, 0
        while i > 0:
            not_greater += tree[i]
            i -= i & -i
        total += seen - not_greater
        i = v + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return total


def _crossings(layers: list[list[int]], succs: list[list[int]]) -> int:
    """Total edge crossings between all adjacent layer pairs."""
    total = 0
    for upper, lower in pairwise(layers):
        index = {n: i for i, n in enumerate(lower)}
        seq: list[int] = []
        for s in upper:
            seq.extend(sorted(index[t] for t in succs[s]))
        total += _inversions(seq, len(lower))
    return total


def _sweep(layers: list[list[int]], neighbours: list[list[int]], ks: range) -> None:
    """Reorder each layer in `ks` by the mean centred position of its neighbours in the previous one."""
    pos: dict[int, float] = {}
    for k in ks:
        prev = layers[k - 1] if ks.step > 0 else layers[k + 1]
        pos.update((m, i - (len(prev) - 1) / 2) for i, m in enumerate(prev))
        keys = []
        for i, n in enumerate(layers[k]):
            nbrs = neighbours[n]
            # nodes without neighbours on this side keep their own (centred) place
            keys.append(sum(pos[m] for m in nbrs) / len(nbrs) if nbrs else i - (len(layers[k]) - 1) / 2)
        layers[k] = [n for _, _, n in sorted(zip(keys, range(len(keys)), layers[k], strict=True))]


def order_layers(g: Graph) -> list[list[int]]:
    """Input order, then barycenter sweeps (keeping the best), then local straightening."""
    layers: list[list[int]] = [[] for _ in range(max(g.layer) + 1)]
    for n in sorted(range(len(g.layer)), key=g.key.__getitem__):
        layers[g.layer[n]].append(n)
    best, best_cost = [list(layer) for layer in layers], _crossings(layers, g.succs)
    top = len(layers)
    for _ in range(SWEEPS):
        for neighbours, ks in ((g.preds, range(1, top)), (g.succs, range(top - 2, -1, -1))):
            _sweep(layers, neighbours, ks)
            cost = _crossings(layers, g.succs)
            if cost < best_cost:
                best, best_cost = [list(layer) for layer in layers], cost
    _straighten(best, g)
    return best


def layer_rows(layers: list[list[int]]) -> tuple[dict[int, int], int]:
    """One line per node with a blank line between, each layer centred on the tallest."""
    height = max(column_height(len(layer)) for layer in layers)
    rows: dict[int, int] = {}
    for layer in layers:
        top = (height - column_height(len(layer))) // 2
        for i, n in enumerate(layer):
            rows[n] = top + ROW_PITCH * i
    return rows, height


def _pair_crossings(a: int, b: int, index: dict[int, int], g: Graph) -> int:
    """Crossings between the edges of a and b when a sits directly above b."""
    count = 0
    for side in (g.preds, g.succs):
        for p in side[a]:
            for q in side[b]:
                count += index[p] > index[q]
    return count


def _straighten(layers: list[list[int]], g: Graph, passes: int = STRAIGHTEN_PASSES) -> None:
    """Swap neighbours in a layer when that removes crossings or, at equal crossings, shortens edges."""
    rows, _ = layer_rows(layers)
    index = {n: i for layer in layers for i, n in enumerate(layer)}

    def length(n: int, row: int) -> int:
        return sum(abs(row - rows[m]) for m in g.preds[n]) + sum(abs(row - rows[m]) for m in g.succs[n])

    dirty = set(range(len(layers)))  # a swap only affects decisions in its own and adjacent layers
    for _ in range(passes):
        todo, dirty = sorted(dirty), set()
        for k in todo:
            layer = layers[k]
            for i in range(len(layer) - 1):
                a, b = layer[i], layer[i + 1]
                degrees = (len(g.preds[a]) + len(g.succs[a])) * (len(g.preds[b]) + len(g.succs[b]))
                if degrees > HUB_DEGREES:
                    continue  # hubs: not worth the quadratic pair count
                gain = _pair_crossings(a, b, index, g) - _pair_crossings(b, a, index, g)
                if gain < 0:
                    continue
                ra, rb = rows[a], rows[b]
                shorter = length(a, rb) + length(b, ra) < length(a, ra) + length(b, rb)
                if gain > 0 or shorter:
                    layer[i], layer[i + 1] = b, a
                    index[a], index[b] = i + 1, i
                    rows[a], rows[b] = rb, ra
                    dirty.update((k - 1, k, k + 1))
        dirty &= set(range(len(layers)))
        if not dirty:
            break
