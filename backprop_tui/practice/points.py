"""The lesson re-run at other points, so a formula can be checked as a function and not at one point only.

The points are drawn once per lesson and options, from a fixed seed, around the
lesson's own point: each variable moves by a normal draw of spread
½·max(1, |value|). A point where any value or gradient of the graph is not
finite (outside a logarithm's domain, say) is skipped and another drawn, up to
MAX_DRAWS; if that finds fewer than OTHER_POINTS (the lesson's point is outside
the domain, or so far out that everything overflows), the rest are drawn around
the origin, spread ½. With fewer good points than wanted, formulas are checked on
those found.

Every series here holds one number per point, the lesson's own point first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import Any

import numpy as np

from ..engine import BACKWARD, Trace
from ..lessons import Options, Walkthrough
from ..lessons.draws import Normals

OTHER_POINTS = 5
MAX_DRAWS = 30
SEED = 446  # fixed: the same points for every student and every run


def _finite(trace: Trace) -> bool:
    return all(np.isfinite(r.value).all() and np.isfinite(r.grad).all() for r in trace.nodes.values())


class Points:
    """The lesson's trace at its own point and at OTHER_POINTS others, and series read from them."""

    def __init__(
        self, walk: Walkthrough, options: Options, build: Callable[[Options], Walkthrough], others: bool = True
    ):
        self.walk = walk
        self.options = options
        self._build = build
        self.others = others  # False: the lesson's own point alone, for judging a number
        self._series: dict[tuple[str, ...], np.ndarray] = {}

    @cached_property
    def traces(self) -> tuple[Trace, ...]:
        """The lesson's own trace first, then the others (built on first use, then kept)."""
        if not self.others:
            return (self.walk.trace,)
        at: dict[str, float] = self.walk.settings["at"]
        names = list(at)
        here = np.array([at[n] for n in names], dtype=float)
        draws = Normals(SEED)
        traces = [self.walk.trace]
        lesson_options: Any = self.options  # graph's and expr's options both have a point, `at`
        # around the lesson's point first; where that finds too few (a point outside the domain,
        # or far out where everything overflows), around the origin
        for centre in (here, np.zeros(len(names))):
            spread = 0.5 * np.maximum(1.0, np.abs(centre))
            for _ in range(MAX_DRAWS):
                if len(traces) > OTHER_POINTS:
                    break
                point = centre + spread * draws.normal(size=len(names))
                options = replace(lesson_options, at=tuple(zip(names, map(float, point), strict=True)))
                trace = self._build(options).trace
                if _finite(trace):
                    traces.append(trace)
        return tuple(traces)

    @property
    def count(self) -> int:
        return len(self.traces)

    def point(self, k: int) -> dict[str, float]:
        """The variables' values at point k."""
        trace = self.traces[k]
        return {name: float(r.value) for name, r in trace.nodes.items() if r.kind != "op"}

    def _read(self, key: tuple[str, ...], read: Callable[[Trace], float]) -> np.ndarray:
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = np.array([read(t) for t in self.traces], dtype=float)
            series.flags.writeable = False
        return series

    def value(self, node: str) -> np.ndarray:
        return self._read(("value", node), lambda t: float(t.nodes[node].value))

    def grad(self, node: str) -> np.ndarray:
        """∂output/∂node at every point."""
        return self._read(("grad", node), lambda t: float(t.nodes[node].grad))

    def use(self, use: tuple[str, str]) -> np.ndarray:
        """What a formula's name stands for: ("value", node) or ("grad", node)."""
        return self.value(use[1]) if use[0] == "value" else self.grad(use[1])

    def local(self, node: str, term: int) -> np.ndarray:
        """The local derivative of the node's term-th path (its consumer w.r.t. one slot) at every point."""

        def read(t: Trace) -> float:
            jacobian = t.steps[t.step_of[(BACKWARD, node)]].terms[term].local_jacobian()
            return float(jacobian[0, 0]) if jacobian is not None else float("nan")

        return self._read(("local", node, str(term)), read)

    def upstream(self, node: str, term: int) -> np.ndarray:
        """∂output/∂consumer of the node's term-th path at every point."""

        def read(t: Trace) -> float:
            return float(t.steps[t.step_of[(BACKWARD, node)]].terms[term].upstream)

        return self._read(("upstream", node, str(term)), read)

    def product(self, node: str, term: int) -> np.ndarray:
        """The term-th path's share of ∂output/∂node at every point."""

        def read(t: Trace) -> float:
            return float(t.steps[t.step_of[(BACKWARD, node)]].terms[term].product)

        return self._read(("product", node, str(term)), read)
