"""What every lesson shares: the two kinds of lesson, and the walkthrough a walkthrough lesson builds."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

import numpy as np

from ..engine import Trace
from ..engine.notation import matrix_lines, number, subscript
from .options import LessonError, Options

__all__ = [
    "LessonError",
    "Lesson",
    "PageLesson",
    "UnitRoute",
    "UnitRoutes",
    "Walkthrough",
    "WalkthroughLesson",
    "first_not_finite",
    "plain",
    "why_by_step",
]


def plain(array) -> float | list | None:
    """An array as JSON numbers (nested lists; a bare number for a scalar); inf and nan become null."""
    a = np.asarray(array, dtype=float)
    if np.all(np.isfinite(a)):
        return a.tolist()

    def clean(v):
        return [clean(x) for x in v] if isinstance(v, list) else (v if math.isfinite(v) else None)

    return clean(a.tolist())


@dataclass(frozen=True)
class UnitRoute:
    """§3.1(d) for one hidden unit i, with its numbers: ∂zᵢ/∂Wᵢ⁽⁰⁾ = zᵢ(1−zᵢ)xᵀ, ∂y/∂Wᵢ⁽⁰⁾ = Wᵢ⁽¹⁾ zᵢ(1−zᵢ)xᵀ."""

    unit: int  # 0-based; shown 1-based, as zᵢ with i = unit + 1
    count: int  # how many hidden units there are
    z: float  # zᵢ
    slope: float  # zᵢ(1−zᵢ) = σ′(vᵢ)
    weight: float  # Wᵢ⁽¹⁾ = ∂y/∂zᵢ
    x: np.ndarray  # the input, written xᵀ
    local: np.ndarray  # ∂zᵢ/∂Wᵢ⁽⁰⁾ = zᵢ(1−zᵢ)xᵀ, a row of d
    grad: np.ndarray  # ∂y/∂Wᵢ⁽⁰⁾ = Wᵢ⁽¹⁾ zᵢ(1−zᵢ)xᵀ, a row of d
    bias: float  # ∂y/∂bᵢ⁽⁰⁾ = Wᵢ⁽¹⁾ zᵢ(1−zᵢ)
    matches: bool  # grad equals row i of ∂y/∂W⁽⁰⁾ from the backward pass (to rounding)

    def lines(self, width: int = 80) -> list[str]:
        """The route in symbols and numbers, rows fitted to `width`: what the step panel and exports show."""
        i = self.unit + 1
        k = subscript(str(i))
        z = number(self.z, DIGITS)

        def row(a: np.ndarray) -> str:
            flat = np.reshape(a, (1, -1))
            return matrix_lines(flat, 1, np.size(a), DIGITS, max_width=max(width // 2 - 4, 12))[0]

        return [
            f"Unit by unit (§3.1(d)): hidden unit i = {i} of {self.count}",
            f"  z{k}(1−z{k}) = {z}·(1 − {z}) = {number(self.slope, DIGITS)}",
            f"  ∂z{k}/∂W{k}⁽⁰⁾ = z{k}(1−z{k}) xᵀ",
            f"      = {_factor(self.slope)} · {row(self.x)} = {row(self.local)}",
            f"  ∂y/∂W{k}⁽⁰⁾ = ∂y/∂z{k} · ∂z{k}/∂W{k}⁽⁰⁾ = W{k}⁽¹⁾ z{k}(1−z{k}) xᵀ",
            f"      = {_factor(self.weight)} · {row(self.local)} = {row(self.grad)}",
            f"      {'=' if self.matches else '≠'} row {i} of ∂y/∂W⁽⁰⁾ above",
            f"  ∂y/∂b{k}⁽⁰⁾ = W{k}⁽¹⁾ z{k}(1−z{k}) = {number(self.bias, DIGITS)}, entry {i} of ∂y/∂b⁽⁰⁾",
        ]


# one digit more than the matrices above: 0.24996 · 2 = 0.49992 checks by eye; 0.25 · 2 = 0.4999 does not
DIGITS = 5


def _factor(x: float) -> str:
    """A number as a factor of a product: (−0.5) in parentheses."""
    text = number(x, DIGITS)
    return f"({text})" if text.startswith("−") else text


@dataclass(frozen=True)
class UnitRoutes:
    """The unit-by-unit route shown with one step: `route(i)` works out unit i (0-based) when asked."""

    cursor: int  # the step it goes with
    count: int
    route: Callable[[int], UnitRoute]


def first_not_finite(trace: Trace) -> int | None:
    """The cursor of the first step whose value (forward) or gradient (backward) is not finite, if any."""
    for step in trace.steps:
        if not np.isfinite(step.value).all():
            return step.index + 1
    return None


@dataclass(frozen=True)
class Walkthrough:
    """A lesson's trace plus the words around it."""

    lesson: str
    title: str
    settings: dict  # the settings this walkthrough used, as exported
    trace: Trace
    why: tuple[str, ...]  # one per cursor position: index 0 before any step, k after step k
    notices: tuple[str, ...] = ()  # facts worth a notification, e.g. identical hidden units
    # the cursor from which each notice is true (parallel to notices; missing entries mean from the start)
    notice_from: tuple[int, ...] = ()
    neurons: tuple[str, str, str] | None = None  # (input, hidden, output) node names for the unit picture
    formula: str = ""  # the whole function in one line, for the header
    section: str = ""  # the course section it teaches, e.g. "§3.1", for the header
    # one per cursor like why (missing entries: none): a remark that belongs with the step's maths,
    # e.g. how the course notes write the same result
    asides: tuple[str, ...] = ()
    units: UnitRoutes | None = None  # a step's result worked out unit by unit (mlp's W⁽⁰⁾)

    def aside(self, cursor: int) -> str:
        return self.asides[cursor] if cursor < len(self.asides) else ""

    def notices_at(self, cursor: int) -> tuple[str, ...]:
        """The notices already true at this cursor: none gives away what a later step shows."""
        starts = self.notice_from + (0,) * (len(self.notices) - len(self.notice_from))
        return tuple(notice for notice, start in zip(self.notices, starts, strict=True) if cursor >= start)


@dataclass(frozen=True)
class Lesson:
    """A registry entry: what a lesson is about, its options, and the module that does it.

    The module is imported the first time the lesson is used, so opening one
    lesson does not load the others.
    """

    name: str
    key: str  # the number key that opens it
    title: str
    summary: str
    module: str  # e.g. "backprop_tui.lessons.mlp"
    options: type[Options]

    def _function(self, name: str) -> Callable:
        return getattr(import_module(self.module), name)


@dataclass(frozen=True)
class WalkthroughLesson(Lesson):
    """A lesson whose trace the app steps through in the shared panels; exports render the same trace."""

    def build(self, options: Options) -> Walkthrough:
        """The walkthrough; LessonError when the options cannot be used (e.g. a function that does not parse)."""
        return self._function("build")(options)


@dataclass(frozen=True)
class PageLesson(Lesson):
    """A lesson with a page of its own in the app, and a JSON export of its own results."""

    def export(self, options: Options) -> dict:
        return self._function("export")(options)


def why_by_step(trace: Trace, start: str, forward: dict[str, str], backward: dict[str, str]) -> tuple[str, ...]:
    """Per-cursor explanations from per-node texts; a step without text says nothing new."""
    texts = [start]
    for step in trace.steps:
        table = forward if step.phase == "forward" else backward
        texts.append(table.get(step.node, ""))
    return tuple(texts)
