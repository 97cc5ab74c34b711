"""The step panel: everything about the cursor's step, fitted to the panel's width."""

from __future__ import annotations

from textual.reactive import var

from ...lessons import Walkthrough
from ...render.steps import render_step
from .fitted import Fitted


class StepPanel(Fitted):
    """Shows render_step for the app's cursor, from its top at every step; `unit` is the hidden unit worked out."""

    unit: var[int] = var(0, init=False)  # bound to the app's: the unit mlp's per-unit route shows (u)

    def watch_cursor(self) -> None:
        super().watch_cursor()
        if self.box is not None:
            self.box.scroll_home(animate=False)

    def watch_unit(self) -> None:
        self.redraw()

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        self.update(render_step(walk, cursor, width, unit=self.unit))
