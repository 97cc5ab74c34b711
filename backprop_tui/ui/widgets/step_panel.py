"""The step panel: everything about the cursor's step, fitted to the panel's width."""

from __future__ import annotations

from ...lessons import Walkthrough
from ...render.steps import render_step
from .fitted import Fitted


class StepPanel(Fitted):
    """Shows render_step for the app's cursor, from its top at every step."""

    def watch_cursor(self) -> None:
        super().watch_cursor()
        if self.box is not None:
            self.box.scroll_home(animate=False)

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        self.update(render_step(walk, cursor, width))
