"""Edges between two adjacent layers, routed through the gutter between them.

Each source's run goes right to the vertical buses of its targets, one bus
column per target; each bus ends in a run into its target with an arrow. The
order of the buses is chosen to keep crossings few and runs unambiguous.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from itertools import chain, permutations

from .canvas import ARROW, MARGIN, Canvas
from .layers import Graph

BUS_OFFSET = MARGIN + 1  # the margin and a lead-out: the first bus column after a box's right edge
GUTTER_EXTRA = BUS_OFFSET + 2  # plus a tail and the arrow; a gutter adds one bus column per target
MAX_PERMUTED_TARGETS = 3  # bus orders are tried exhaustively up to this many targets in one gutter ...
MAX_SCORED_WORK = 4000  # ... and scored at all only while targets * (targets + sources) stays this small
JOG_COST = 0.5  # moving a run onto a neighbouring blank row: cheaper than a bridge, not free
# What the score of a bus order charges:
SHARED_BUS_COST = 3  # a run through a bus that also carries other inputs: ambiguous
BRIDGE_COST = 1  # a run hopping over a bus: a little harder to follow, but unambiguous
MERGE_COST = 10  # a run merging into another target's entry: misleading


@dataclass
class Gutter:
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

    @property
    def columns(self) -> int:
        """Columns between the two layers."""
        return len(self.targets) + bool(self.jogs) + GUTTER_EXTRA


def _same_row_rules(gt: Gutter) -> dict[int, set[int]]:
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


def _scorer(gt: Gutter, before: dict[int, set[int]]) -> Callable[[list[int]], int]:
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
                    total += SHARED_BUS_COST if shared[t] else 0
                elif spans[t][0] < row < spans[t][1]:
                    total += BRIDGE_COST
        for t, row in entries:
            for u in order[col[t] + 1 :]:
                total += BRIDGE_COST * (spans[u][0] < row < spans[u][1])  # the entry bridges a later bus
        for t, b in rules:
            total += MERGE_COST if col[b] > col[t] else 0
        return total

    return cost


def _bus_order(gt: Gutter) -> tuple[list[int], int | None]:
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
    if len(gt.targets) * (len(gt.targets) + len(gt.sources)) > MAX_SCORED_WORK:
        return first, None  # too big to search: the first heuristic is usually fine
    candidates: Iterator[list[int]] = (_honour(sorted(gt.targets, key=key), before) for key in keys[1:])
    if len(gt.targets) <= MAX_PERMUTED_TARGETS:
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


def _merging_sources(gt: Gutter) -> list[int]:
    """Sources whose run would run into the entry of the target sharing their row."""
    col = {t: i for i, t in enumerate(gt.order)}
    target_at = {gt.rows[t]: t for t in gt.targets}
    bad = []
    for s in gt.sources:
        t = target_at.get(gt.rows[s])
        if t is not None and any(col[u] >= col[t] for u in gt.succs[s] if u != t):
            bad.append(s)
    return bad


def _jog_row(gt: Gutter, s: int, free: set[int]) -> int | None:
    """A free row next to s's own row, preferably on the side of its targets."""
    row = gt.rows[s]
    towards = sum(gt.rows[t] for t in gt.succs[s]) / len(gt.succs[s])
    for jog in (row + 1, row - 1) if towards > row else (row - 1, row + 1):
        if jog in free:
            return jog
    return None


def _reorder(gt: Gutter) -> int | None:
    """Recompute spans and bus order for the current runs; return the order's cost."""
    gt.measure_spans()
    gt.order, cost = _bus_order(gt)
    return cost


def _try_jogs(gt: Gutter, group: list[int], free: set[int]) -> tuple[int, dict[int, int]] | None:
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


def plan_gutter(g: Graph, left: list[int], right: list[int], rows: dict[int, int], height: int) -> Gutter:
    """Order the buses, moving a source's run off its row (a jog) where that reads better.

    A source sharing its row with a target must pass every bus it feeds before that
    target's bus; stepping its run onto the blank row next to it lifts the rule.
    """
    gt = Gutter(
        sources=[s for s in left if g.succs[s]],
        targets=[t for t in right if g.preds[t]],
        rows={n: rows[n] for n in left + right},
        preds=g.preds,
        succs=g.succs,
    )
    # rows with no node in either layer (only layers of equal parity share rows at all)
    free = set(range(height)) - {rows[n] for n in left + right}
    cost: float | None = _reorder(gt)  # jogs add a fractional JOG_COST each
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
    if len(gt.targets) > 2 * MAX_PERMUTED_TARGETS:
        tied = _merging_sources(gt)  # big gutter: only the jogs that avoid merged runs
    while cost > JOG_COST and tied:
        best = None
        for group in [[s] for s in tied] + ([tied] if len(tied) > 1 else []):
            jogs = _try_jogs(gt, group, free)
            if jogs is not None:
                trial = jogs[0] + JOG_COST * len(group)
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


def draw_gutter(canvas: Canvas, g: Graph, gt: Gutter, xs: tuple[int, int, int, int]) -> None:
    """Draw one gutter: a run from each source to its targets' buses, each bus, each entry arrow."""
    x_left, w_left, x_right, w_right = xs
    jog_col = x_left + w_left + BUS_OFFSET
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
        start = x_left - 1 if g.is_dummy(s) else x_left + g.width[s] + MARGIN
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
