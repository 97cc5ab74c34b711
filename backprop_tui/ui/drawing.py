"""Text layouts of small DAGs with box-drawing edges, for painting labels into.

Pure standard library. `layout_graph` lays a computation graph out left to right
by depth (Sugiyama style: layers, dummy nodes for long edges, barycenter
ordering); `neuron_layout` draws the course's fully connected network figure;
`paint` writes labels into the boxes of either. The geometry depends only on the
graph and the fixed label widths, so it can be computed once and repainted every
frame.
"""

from __future__ import annotations

import codecs
import heapq
from dataclasses import dataclass, field
from itertools import chain, permutations
from typing import Callable, Container, Mapping, Sequence

__all__ = ["Box", "Layout", "layout_graph", "neuron_layout", "paint"]

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
ARROW = "▶"
ELLIPSIS = "⋮"

# Every subset of {up, down, left, right}; a lone direction still draws a line.
_GLYPH = {
    0: " ",
    UP: "│",
    DOWN: "│",
    UP | DOWN: "│",
    LEFT: "─",
    RIGHT: "─",
    LEFT | RIGHT: "─",
    RIGHT | DOWN: "┌",
    LEFT | DOWN: "┐",
    UP | RIGHT: "└",
    UP | LEFT: "┘",
    UP | DOWN | RIGHT: "├",
    UP | DOWN | LEFT: "┤",
    LEFT | RIGHT | DOWN: "┬",
    LEFT | RIGHT | UP: "┴",
    UP | DOWN | LEFT | RIGHT: "┼",
}

# A gutter is: margin, lead-out, one bus column per target, tail, arrow.
_GUTTER_EXTRA = 4
# Bus orders are tried exhaustively up to this many targets in one gutter ...
_MAX_PERMUTED_TARGETS = 3
# ... and scored at all only while targets * (targets + sources) stays this small.
_MAX_SCORED_WORK = 4000
# Moving a run onto a neighbouring blank row: cheaper than a bridge, not free.
_JOG_COST = 0.5


@dataclass(frozen=True)
class Box:
    """Where one node's label goes: a run of `width` cells on line `row` from `col`."""

    row: int
    col: int
    width: int


@dataclass(frozen=True)
class Layout:
    """A drawing with edges only (boxes blank) and the boxes to paint labels into."""

    width: int
    lines: tuple[str, ...]
    boxes: dict[str, Box]


# --------------------------------------------------------------------------- canvas


class _Canvas:
    """Grid of direction sets (bitmasks, one byte per cell) plus literal characters on top.

    Rows are bytearrays so long horizontal runs are drawn with C-speed slice
    operations; only cells where a vertical line crosses a run are visited one by one.
    """

    def __init__(self, height: int, width: int) -> None:
        self.rows = [bytearray(width) for _ in range(height)]
        self.text: dict[tuple[int, int], str] = {}

    def hline(self, row: int, c0: int, c1: int, bridge: Callable[[int], bool] | None = None) -> None:
        """Draw a horizontal run c0..c1; crossed cells where `bridge(col)` holds are hopped over."""
        line = self.rows[row]
        if c1 <= c0:
            return
        line[c0] |= RIGHT
        line[c1] |= LEFT
        inner = line[c0 + 1 : c1]
        line[c0 + 1 : c1] = inner.translate(_JOIN_HORIZONTAL)
        if bridge is None:
            return
        crossed = inner.translate(_IS_CROSSED)
        i = crossed.find(1)
        while i >= 0:
            if bridge(c0 + 1 + i):
                line[c0 + 1 + i] = inner[i]  # stays "│" between two "─": a crossing, not a junction
            i = crossed.find(1, i + 1)

    def vline(self, col: int, r0: int, r1: int) -> None:
        """Draw a vertical run r0..r1 (nothing if it has no length)."""
        for r in range(r0, r1 + 1):
            self.rows[r][col] |= (UP if r > r0 else 0) | (DOWN if r < r1 else 0)

    def put(self, row: int, col: int, char: str) -> None:
        """Place a literal character (arrow, ellipsis) over whatever is there."""
        self.text[row, col] = char

    def render(self) -> tuple[str, ...]:
        """Turn the grid into strings, all as wide as the canvas."""
        lines = [codecs.charmap_decode(row, "strict", _GLYPH_TABLE)[0] for row in self.rows]
        for (r, c), char in self.text.items():
            lines[r] = lines[r][:c] + char + lines[r][c + 1 :]
        return tuple(lines)


_JOIN_HORIZONTAL = bytes(v | LEFT | RIGHT for v in range(256))
_IS_CROSSED = bytes(int(v & (UP | DOWN) == UP | DOWN) for v in range(256))
_GLYPH_TABLE = "".join(_GLYPH.get(v, "?") for v in range(256))  # byte -> glyph, decoded in C


# --------------------------------------------------------------------------- graph model


@dataclass
class _Graph:
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
            if first_use[u] is None or layer[v] < first_use[u]:
                first_use[u] = layer[v]
    for v in range(n):
        if not inputs[v] and first_use[v] is not None:
            layer[v] = first_use[v] - 1
    return layer


def _build_graph(nodes: Sequence[tuple[str, Sequence[str]]], widths: Mapping[str, int]) -> _Graph:
    """Parse, layer, and split long edges into chains through dummy nodes."""
    names, inputs = _parse(nodes)
    n = len(names)
    layer = _assign_layers(inputs)
    g = _Graph(
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


def _connect_source(g: _Graph, u: int, targets: list[int]) -> None:
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
    for upper, lower in zip(layers, layers[1:]):
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
        layers[k] = [n for _, _, n in sorted(zip(keys, range(len(keys)), layers[k]))]


def _order_layers(g: _Graph) -> list[list[int]]:
    """Input order, then barycenter sweeps (keeping the best), then local straightening."""
    layers: list[list[int]] = [[] for _ in range(max(g.layer) + 1)]
    for n in sorted(range(len(g.layer)), key=g.key.__getitem__):
        layers[g.layer[n]].append(n)
    best, best_cost = [list(layer) for layer in layers], _crossings(layers, g.succs)
    top = len(layers)
    for _ in range(2):
        for neighbours, ks in ((g.preds, range(1, top)), (g.succs, range(top - 2, -1, -1))):
            _sweep(layers, neighbours, ks)
            cost = _crossings(layers, g.succs)
            if cost < best_cost:
                best, best_cost = [list(layer) for layer in layers], cost
    _straighten(best, g)
    return best


def _layer_rows(layers: list[list[int]]) -> tuple[dict[int, int], int]:
    """One line per node with a blank line between, each layer centred on the tallest."""
    height = max(2 * len(layer) - 1 for layer in layers)
    rows: dict[int, int] = {}
    for layer in layers:
        top = (height - (2 * len(layer) - 1)) // 2
        for i, n in enumerate(layer):
            rows[n] = top + 2 * i
    return rows, height


def _pair_crossings(a: int, b: int, index: dict[int, int], g: _Graph) -> int:
    """Crossings between the edges of a and b when a sits directly above b."""
    count = 0
    for side in (g.preds, g.succs):
        for p in side[a]:
            for q in side[b]:
                count += index[p] > index[q]
    return count


def _straighten(layers: list[list[int]], g: _Graph, passes: int = 8) -> None:
    """Swap neighbours in a layer when that removes crossings or, at equal crossings, shortens edges."""
    rows, _ = _layer_rows(layers)
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
                if degrees > 2500:
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


# --------------------------------------------------------------------------- gutters


@dataclass
class _Gutter:
    """One gutter's routing problem and, once planned, its bus order."""

    sources: list[int]  # nodes of the left layer with edges into this gutter
    targets: list[int]  # nodes of the right layer with edges from it
    rows: dict[int, int]  # target -> its row; source -> the row its run to the buses uses
    preds: list[list[int]]
    succs: list[list[int]]
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # target -> rows its bus covers
    order: list[int] = field(default_factory=list)  # targets by bus column, left to right
    jogs: dict[int, int] = field(default_factory=dict)  # source -> its own row, when its run moved off it

    def measure_spans(self) -> None:
        """Each bus runs from its target's row to the farthest of its sources' runs."""
        for t in self.targets:
            span_rows = [self.rows[t]] + [self.rows[p] for p in self.preds[t]]
            self.spans[t] = (min(span_rows), max(span_rows))


def _same_row_rules(gt: _Gutter) -> dict[int, set[int]]:
    """A source's other buses must lie left of the bus of the target on its own row.

    Otherwise the source's run and that target's entry run share the row and merge.
    """
    target_at = {gt.rows[t]: t for t in gt.targets}
    before: dict[int, set[int]] = {t: set() for t in gt.targets}
    for s in gt.sources:
        t = target_at.get(gt.rows[s])
        if t is not None:
            before[t].update(u for u in gt.succs[s] if u != t)
    return before


def _honour(order: list[int], before: dict[int, set[int]]) -> list[int]:
    """Stable topological sort of `order` under `before`; cycles are broken at the earliest target."""
    if not any(before.values()):
        return order
    rank = {t: i for i, t in enumerate(order)}
    after: dict[int, list[int]] = {t: [] for t in order}
    missing = {t: len(before[t]) for t in order}
    for t in order:
        for b in before[t]:
            after[b].append(t)
    heap = [(rank[t], t) for t in order if missing[t] == 0]
    heapq.heapify(heap)
    done: set[int] = set()
    result: list[int] = []
    while len(result) < len(order):
        if not heap:  # a cycle of rules: give up on the earliest remaining one
            t = next(t for t in order if t not in done)
            heapq.heappush(heap, (rank[t], t))
        _, t = heapq.heappop(heap)
        if t in done:
            continue
        done.add(t)
        result.append(t)
        for u in after[t]:
            missing[u] -= 1
            if missing[u] == 0 and u not in done:
                heapq.heappush(heap, (rank[u], u))
    return result


def _scorer(gt: _Gutter, before: dict[int, set[int]]) -> Callable[[list[int]], int]:
    """Build the cost of a bus order: crossings, runs through shared buses, broken same-row rules."""
    runs = [(set(gt.succs[s]), gt.rows[s]) for s in gt.sources]
    shared = {t: len(gt.preds[t]) > 1 for t in gt.targets}
    entries = [(t, gt.rows[t]) for t in gt.targets]
    spans = gt.spans
    rules = [(t, b) for t in gt.targets for b in before[t]]

    def cost(order: list[int]) -> int:
        col = {t: i for i, t in enumerate(order)}
        total = 0
        for mine, row in runs:
            for t in order[: max(map(col.__getitem__, mine))]:
                if t in mine:
                    # a run through a bus that also carries other inputs lets those inputs
                    # seem to ride along it to this run's other targets: ambiguous
                    total += 3 if shared[t] else 0
                elif spans[t][0] < row < spans[t][1]:
                    total += 1  # a bridge: a little harder to follow, but unambiguous
        for t, row in entries:
            for u in order[col[t] + 1 :]:
                total += spans[u][0] < row < spans[u][1]  # the entry bridges a later bus
        for t, b in rules:
            total += 10 if col[b] > col[t] else 0  # merged runs: misleading
        return total

    return cost


def _bus_order(gt: _Gutter) -> tuple[list[int], int | None]:
    """Choose the left-to-right order of the targets' buses; also its cost (None: not scored)."""
    before = _same_row_rules(gt)
    if len(gt.targets) <= 1:
        return list(gt.targets), _scorer(gt, before)(gt.targets)
    shared = {t: len(gt.preds[t]) > 1 for t in gt.targets}
    keys: list[Callable[[int], tuple]] = [
        lambda t: (shared[t], gt.rows[t]),  # buses with several inputs last: reached by corners only
        lambda t: (gt.rows[t],),
        lambda t: (shared[t], -gt.rows[t]),
        lambda t: (-gt.rows[t],),
        lambda t: (gt.spans[t][1] - gt.spans[t][0], gt.rows[t]),
    ]
    first = _honour(sorted(gt.targets, key=keys[0]), before)
    if len(gt.targets) * (len(gt.targets) + len(gt.sources)) > _MAX_SCORED_WORK:
        return first, None  # too big to search: the first heuristic is usually fine
    candidates = (_honour(sorted(gt.targets, key=key), before) for key in keys[1:])
    if len(gt.targets) <= _MAX_PERMUTED_TARGETS:
        candidates = chain(candidates, (list(p) for p in permutations(gt.targets)))
    cost_of = _scorer(gt, before)
    best, best_cost = first, cost_of(first)
    seen = {tuple(first)}
    for order in candidates:
        if best_cost == 0:
            break
        if tuple(order) in seen:
            continue
        seen.add(tuple(order))
        cost = cost_of(order)
        if cost < best_cost:  # first of equals wins, so the result is deterministic
            best, best_cost = order, cost
    return best, best_cost


def _merging_sources(gt: _Gutter) -> list[int]:
    """Sources whose run would run into the entry of the target sharing their row."""
    col = {t: i for i, t in enumerate(gt.order)}
    target_at = {gt.rows[t]: t for t in gt.targets}
    bad = []
    for s in gt.sources:
        t = target_at.get(gt.rows[s])
        if t is not None and any(col[u] >= col[t] for u in gt.succs[s] if u != t):
            bad.append(s)
    return bad


def _jog_row(gt: _Gutter, s: int, free: set[int]) -> int | None:
    """A free row next to s's own row, preferably on the side of its targets."""
    row = gt.rows[s]
    towards = sum(gt.rows[t] for t in gt.succs[s]) / len(gt.succs[s])
    for jog in (row + 1, row - 1) if towards > row else (row - 1, row + 1):
        if jog in free:
            return jog
    return None


def _reorder(gt: _Gutter) -> int | None:
    """Recompute spans and bus order for the current runs; return the order's cost."""
    gt.measure_spans()
    gt.order, cost = _bus_order(gt)
    return cost


def _try_jogs(gt: _Gutter, group: list[int], free: set[int]) -> tuple[int, dict[int, int]] | None:
    """Cost of the best bus order with every source in `group` jogged, and their jog rows."""
    saved = dict(gt.rows)
    spare, jogs = set(free), {}
    for s in group:
        jog = _jog_row(gt, s, spare)
        if jog is None:
            gt.rows = saved
            return None
        spare.discard(jog)
        jogs[s] = gt.rows[s] = jog
    cost = _reorder(gt)
    gt.rows = saved
    return None if cost is None else (cost, jogs)


def _plan_gutter(g: _Graph, left: list[int], right: list[int], rows: dict[int, int], height: int) -> _Gutter:
    """Order the buses, moving a source's run off its row (a jog) where that reads better.

    A source sharing its row with a target must pass every bus it feeds before that
    target's bus; stepping its run onto the blank row next to it lifts the rule.
    """
    gt = _Gutter(
        sources=[s for s in left if g.succs[s]],
        targets=[t for t in right if g.preds[t]],
        rows={n: rows[n] for n in left + right},
        preds=g.preds,
        succs=g.succs,
    )
    # rows with no node in either layer (only layers of equal parity share rows at all)
    free = set(range(height)) - {rows[n] for n in left + right}
    cost = _reorder(gt)
    if cost is None:  # too big to score: just keep runs from merging
        for s in _merging_sources(gt):
            jog = _jog_row(gt, s, free)
            if jog is not None:
                free.discard(jog)
                gt.jogs[s], gt.rows[s] = gt.rows[s], jog
        if gt.jogs:
            _reorder(gt)
        return gt
    target_at = {gt.rows[t]: t for t in gt.targets}
    # sources that share a row with a target and feed something else impose same-row rules
    tied = [s for s in gt.sources if gt.rows[s] in target_at and set(g.succs[s]) - {target_at[gt.rows[s]]}]
    if len(gt.targets) > 2 * _MAX_PERMUTED_TARGETS:
        tied = _merging_sources(gt)  # big gutter: only the jogs that avoid merged runs
    while cost > _JOG_COST and tied:
        best = None
        for group in [[s] for s in tied] + ([tied] if len(tied) > 1 else []):
            jogs = _try_jogs(gt, group, free)
            if jogs is not None:
                trial = jogs[0] + _JOG_COST * len(group)
                if trial < cost and (best is None or trial < best[0]):
                    best = (trial, jogs[1])
        if best is None:
            break
        cost = best[0]
        for s, jog in best[1].items():
            free.discard(jog)
            gt.jogs[s], gt.rows[s] = gt.rows[s], jog
            tied.remove(s)
    _reorder(gt)
    return gt


def _draw_gutter(canvas: _Canvas, g: _Graph, gt: _Gutter, xs: tuple[int, int, int, int]) -> None:
    """Draw one gutter: a run from each source to its targets' buses, each bus, each entry arrow."""
    x_left, w_left, x_right, w_right = xs
    jog_col = x_left + w_left + 2
    first_bus = jog_col + (1 if gt.jogs else 0)
    bus = {t: first_bus + i for i, t in enumerate(gt.order)}
    owner = {c: t for t, c in bus.items()}
    arrow = x_right - 1

    def foreign(allowed: Container[int]) -> Callable[[int], bool]:
        return lambda c: c in owner and owner[c] not in allowed

    for t in gt.targets:
        canvas.vline(bus[t], *gt.spans[t])
    for s in gt.sources:
        # dummies have no label: their run starts where the run into them ended
        start = x_left - 1 if g.is_dummy(s) else x_left + g.width[s] + 1
        run_row = gt.rows[s]
        if s in gt.jogs:  # step off the shared row first, then run to the buses
            canvas.hline(gt.jogs[s], start, jog_col)
            canvas.vline(jog_col, min(gt.jogs[s], run_row), max(gt.jogs[s], run_row))
            start = jog_col
        canvas.hline(run_row, start, max(bus[t] for t in g.succs[s]), foreign(set(g.succs[s])))
    for t in gt.targets:
        if g.is_dummy(t):
            canvas.hline(gt.rows[t], bus[t], x_right + w_right, foreign((t,)))  # straight through the layer
        else:
            canvas.hline(gt.rows[t], bus[t], arrow, foreign((t,)))
            canvas.put(gt.rows[t], arrow, ARROW)


# --------------------------------------------------------------------------- public API


def layout_graph(nodes: Sequence[tuple[str, Sequence[str]]], widths: Mapping[str, int]) -> Layout:
    """Lay out a DAG (given in topological order) left to right by depth, edges box-drawn."""
    if not nodes:
        return Layout(0, (), {})
    g = _build_graph(nodes, widths)
    layers = _order_layers(g)
    rows, height = _layer_rows(layers)
    col_width = [max(g.width[n] for n in layer if not g.is_dummy(n)) for layer in layers]
    gutters = [_plan_gutter(g, left, right, rows, height) for left, right in zip(layers, layers[1:])]
    xs = [0]
    for k, gt in enumerate(gutters):
        xs.append(xs[k] + col_width[k] + len(gt.targets) + bool(gt.jogs) + _GUTTER_EXTRA)
    width = xs[-1] + col_width[-1]
    canvas = _Canvas(height, width)
    for k, gt in enumerate(gutters):
        _draw_gutter(canvas, g, gt, (xs[k], col_width[k], xs[k + 1], col_width[k + 1]))
    boxes = {name: Box(rows[v], xs[g.layer[v]], g.width[v]) for v, name in enumerate(g.names)}
    return Layout(width, canvas.render(), boxes)


def _shown_units(n: int, max_units: int) -> list[int | None]:
    """Unit indices to draw in a column; None marks the "⋮" row standing for the rest."""
    if n <= max_units:
        return list(range(n))
    head = max_units // 2
    tail = max_units - head - 1  # the ⋮ row takes one of the max_units rows
    return list(range(head)) + [None] + list(range(n - tail, n))


def _fan(canvas: _Canvas, sources: list[tuple[int, int]], target_rows: list[int], bus: int, arrow: int) -> None:
    """Join every source run (row, start col) to one shared bus and the bus to every target."""
    all_rows = [r for r, _ in sources] + target_rows
    canvas.vline(bus, min(all_rows), max(all_rows))
    for row, start in sources:
        canvas.hline(row, start, bus)
    for row in target_rows:
        canvas.hline(row, bus, arrow)
        canvas.put(row, arrow, ARROW)


def neuron_layout(n_in: int, n_hidden: int, widths: tuple[int, int, int], max_units: int = 6) -> Layout:
    """Lay out the fully connected input → hidden → output figure, eliding long columns with ⋮."""
    if n_in < 1 or n_hidden < 1:
        raise ValueError("need at least one input and one hidden unit")
    if max_units < 3:
        raise ValueError("max_units must leave room for a head, a ⋮ row and a tail")
    if min(widths) < 1:
        raise ValueError("column widths must be at least 1")
    columns = [
        [None if i is None else f"in{i}" for i in _shown_units(n_in, max_units)],
        [None if i is None else f"hid{i}" for i in _shown_units(n_hidden, max_units)],
        ["out"],
    ]
    gutter = 1 + _GUTTER_EXTRA  # a single shared bus column
    xs = [0, widths[0] + gutter, widths[0] + gutter + widths[1] + gutter]
    height = max(2 * len(column) - 1 for column in columns)
    width = xs[2] + widths[2]
    canvas = _Canvas(height, width)
    boxes: dict[str, Box] = {}
    for column, x, w in zip(columns, xs, widths):
        top = (height - (2 * len(column) - 1)) // 2
        for i, name in enumerate(column):
            if name is None:
                canvas.put(top + 2 * i, x + (w - 1) // 2, ELLIPSIS)
            else:
                boxes[name] = Box(top + 2 * i, x, w)
    for k in range(2):
        left = [b for b in boxes.values() if b.col == xs[k]]
        right = [b.row for b in boxes.values() if b.col == xs[k + 1]]
        _fan(canvas, [(b.row, b.col + b.width + 1) for b in left], right, xs[k] + widths[k] + 2, xs[k + 1] - 1)
    return Layout(width, canvas.render(), boxes)


def paint(layout: Layout, labels: Mapping[str, str]) -> list[str]:
    """Write each label into its box, cut or padded to the box width; other boxes stay blank.

    Labels for names without a box (e.g. units elided by ⋮) are ignored.
    """
    lines = list(layout.lines)
    for name, text in labels.items():
        box = layout.boxes.get(name)
        if box is None:
            continue
        line = lines[box.row]
        lines[box.row] = line[: box.col] + text[: box.width].ljust(box.width) + line[box.col + box.width :]
    return lines
