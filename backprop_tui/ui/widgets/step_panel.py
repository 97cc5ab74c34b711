"""The step panel: everything about the cursor's step, fitted to the panel's width; in practice, its question."""

from __future__ import annotations

from textual.reactive import var

from ...lessons import Walkthrough
from ...practice.session import WATCH
from ...render.practice import question_text, score_line, summary_text
from ...render.steps import render_step
from .asking import Asking


class StepPanel(Asking):
    """Shows render_step for the app's cursor, from its top at every step; `unit` is the hidden unit worked out.

    While the step asks (practice), the question instead; at the last step of a walk
    practised, the summary of every answer under the step. The score is the box's subtitle.
    """

    unit: var[int] = var(0, init=False)  # bound to the app's: the unit mlp's per-unit route shows (u)

    def watch_cursor(self) -> None:
        super().watch_cursor()
        if self.box is not None:
            self.box.scroll_home(animate=False)

    def watch_unit(self) -> None:
        self.redraw()

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        box = self.box
        if box is not None and not box.show_vertical_scrollbar:
            # room for the scrollbar a long step brings, so no line wraps when it appears
            width = max(width - box.styles.scrollbar_size_vertical, 1)
        session = self.session_of(walk)
        if self.box is not None:
            practised = session is not None and session.level != WATCH
            self.box.border_subtitle = score_line(session, width - 4) if session and practised else ""
        if session is not None and self.asked(walk, cursor) is not None:
            self.update(question_text(session, cursor - 1, width))
            return
        text = render_step(walk, cursor, width, unit=self.unit)
        if session is not None and cursor == len(walk.trace) and session.asked():
            text.append("\n")
            text.append_text(summary_text(session))
        self.update(text)
