"""Fixtures of the UI tests: reading panels, recording notifications, and steady figures for the pictures."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from textual.app import App
from textual.widgets import Static

from backprop_tui.lessons import methods


@pytest.fixture
def text() -> Callable[[App, str], str]:
    """text(app, selector): the visible text of a Static on the app's current screen."""

    def text(app: App, selector: str) -> str:
        return str(app.screen.query_one(selector, Static).visual)

    return text


@pytest.fixture
def notifications() -> Callable[[App], list[str]]:
    """notifications(app): a list that collects the messages the app shows as notifications from then on."""

    def record(app: App) -> list[str]:
        messages: list[str] = []
        original = app.notify

        def notify(message, *args, **kwargs):
            messages.append(str(message))
            return original(message, *args, **kwargs)

        app.notify = notify  # type: ignore[method-assign]
        return messages

    return record


@pytest.fixture
def steady_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every time lesson methods measures is 100 µs, so its pictures are the same on every run."""
    ticks = itertools.count()
    monkeypatch.setattr(methods, "clock", lambda: next(ticks) * 1e-4)


@pytest.fixture
def steady_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ε sweep's left half is rounding, a little different on every machine: pictures plot a fixed V.

    The screen writes rounding as bounds, but a plot draws every point where it
    falls; these errors are truncation (0.1ε, 0.1ε²) plus a fixed share of rounding.
    """

    def sweep(f, reference):
        points = []
        for eps in methods.SWEEP:
            rounding = methods.rounding(1.0, eps)
            points.append(methods.SweepPoint(eps, 0.1 * eps + 0.5 * rounding, 0.1 * eps**2 + 0.3 * rounding, rounding))
        return tuple(points)

    monkeypatch.setattr(methods, "sweep", sweep)
