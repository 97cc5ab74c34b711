"""Every app the snapshot tests photograph, with fixed inputs, and the pilots that set them up.

The snapshot tests (test_snapshots.py) take their apps from here only, so what a
picture shows is decided in one place; their sizes are given with each test.
"""

from __future__ import annotations

from textual.pilot import Pilot

from backprop_tui.lessons import LESSONS
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.symmetry import SymmetryScreen

SIZE = (120, 40)
SMALL = (80, 24)


def lesson(name: str = "mlp", **options) -> BackpropApp:
    """The app opened on a lesson with these options, the others at their defaults."""
    return BackpropApp(name, LESSONS[name].options(**options))


def train(steps: int):
    """A pilot that trains both sides of lesson symmetry, what steps / 10 presses of T do, without the waits."""

    async def run_before(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, SymmetryScreen)
        screen.train(steps)

    return run_before
