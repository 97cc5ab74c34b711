"""What every lesson shares: the two kinds of lesson, and the walkthrough a walkthrough lesson builds."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

import numpy as np

from ..engine import Trace
from .options import LessonError, Options

__all__ = ["LessonError", "Lesson", "PageLesson", "Walkthrough", "WalkthroughLesson", "plain", "why_by_step"]


def plain(array) -> float | list | None:
    """An array as JSON numbers (nested lists; a bare number for a scalar); inf and nan become null."""
    a = np.asarray(array, dtype=float)
    if np.all(np.isfinite(a)):
        return a.tolist()

    def clean(v):
        return [clean(x) for x in v] if isinstance(v, list) else (v if math.isfinite(v) else None)

    return clean(a.tolist())


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
