"""What every lesson shares: its settings, the walkthrough it builds, and its errors."""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import import_module
from typing import Callable

import numpy as np

from ..engine import Trace

MAX_D = 4096
MAX_H = 4096


def plain(array) -> float | list | None:
    """An array as JSON numbers (nested lists; a bare number for a scalar); inf and nan become null."""
    a = np.asarray(array, dtype=float)
    if np.all(np.isfinite(a)):
        return a.tolist()

    def clean(v):
        return [clean(x) for x in v] if isinstance(v, list) else (v if math.isfinite(v) else None)

    return clean(a.tolist())


class LessonError(ValueError):
    """Settings a lesson cannot use, with a one-line message for the user."""


@dataclass(frozen=True)
class Settings:
    """Options from the command line or the app; each lesson reads the ones it needs."""

    d: int = 2
    h: int = 4
    init: str = "random"  # random, zero or constant
    const: float = 0.5
    seed: int = 0
    x: tuple[float, ...] | None = None  # mlp input; None means the default
    at: tuple[tuple[str, float], ...] = ()  # graph point, e.g. (("x", 1.0), ("y", 2.0))
    # Options of later lessons; None means the lesson's own default.
    lr: float | None = None
    steps: int | None = None
    data: str | None = None
    activation: str | None = None
    of: str | None = None
    l: int | None = None  # noqa: E741 — the course's name for g's input size
    n: int | None = None
    m: int | None = None
    expr: str | None = None


@dataclass(frozen=True)
class Walkthrough:
    """A lesson's trace plus the words around it."""

    lesson: str
    title: str
    settings: dict  # the settings this walkthrough used, as exported
    trace: Trace
    why: tuple[str, ...]  # one per cursor position: index 0 before any step, k after step k
    notices: tuple[str, ...] = ()  # facts worth a notification, e.g. identical hidden units
    neurons: tuple[str, str, str] | None = None  # (input, hidden, output) node names for the unit picture
    formula: str = ""  # the whole function in one line, for the header


@dataclass(frozen=True)
class Lesson:
    """A registry entry: what a lesson is about, and the module that does it.

    The module is imported the first time the lesson is used, so opening one
    lesson does not load the others. A walkthrough lesson's module defines
    `build`; the app shows its trace in the shared panels and the export
    renders that trace. A lesson with its own picture names its `screen`
    ("module:Class", a Screen taking the Settings), and its module defines
    `check` to validate settings and `export` for its own JSON.
    """

    name: str
    key: str  # the number key that opens it
    title: str
    summary: str
    module: str  # e.g. "backprop_tui.lessons.mlp"
    variables: tuple[str, ...] = ()  # names --at may set
    options: tuple[str, ...] = ()  # command-line options this lesson reads
    screen: str | None = None

    def _function(self, name: str) -> Callable:
        return getattr(import_module(self.module), name)

    @property
    def build(self) -> Callable[[Settings], Walkthrough] | None:
        return None if self.screen else self._function("build")

    @property
    def check(self) -> Callable[[Settings], None] | None:
        return self._function("check") if self.screen else None

    @property
    def export(self) -> Callable[[Settings], dict] | None:
        return self._function("export") if self.screen else None

    def validate(self, settings: Settings) -> Walkthrough | None:
        """Raise LessonError for unusable settings; a walkthrough lesson returns its walkthrough."""
        if self.screen:
            self.check(settings)
            return None
        return self.build(settings)


def why_by_step(trace: Trace, start: str, forward: dict[str, str], backward: dict[str, str]) -> tuple[str, ...]:
    """Per-cursor explanations from per-node texts; a step without text says nothing new."""
    texts = [start]
    for step in trace.steps:
        table = forward if step.phase == "forward" else backward
        texts.append(table.get(step.node, ""))
    return tuple(texts)
