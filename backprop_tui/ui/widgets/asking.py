"""Panels that hide what a practice step asks until it is answered; the tensors panel that does so."""

from __future__ import annotations

from textual.reactive import var

from ...lessons import Walkthrough
from ...practice.session import Session
from ...render.practice import asking_table
from ...render.tables import current_row, table_height
from .fitted import Fitted
from .tensor_panel import TensorPanel


class Asking(Fitted):
    """A panel bound to the app's practice `session` too; `revision` changes whenever an answer changes it."""

    session: var[Session | None] = var(None, init=False)
    revision: var[int] = var(0, init=False)

    def watch_revision(self) -> None:
        self.redraw()

    def session_of(self, walk: Walkthrough) -> Session | None:
        """The session of this walk, if it is practised (a session left from another walk is not)."""
        session = self.session
        return session if session is not None and session.walk is walk else None

    def asked(self, walk: Walkthrough, cursor: int) -> str | None:
        """The node whose value or gradient the step at the cursor asks for, or None."""
        session = self.session_of(walk)
        if session is None or not cursor or not session.asking(cursor - 1):
            return None
        return walk.trace.steps[cursor - 1].node


class AskingTensorPanel(TensorPanel, Asking):
    """The tensors panel, the asked value or gradient shown as "?"."""

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        if self.asked(walk, cursor) is None:
            super().draw(walk, cursor, width)
            return
        box = self.box
        if box is not None and table_height(walk, cursor) > box.content_size.height:
            width -= box.styles.scrollbar_size_vertical
        header, rows = asking_table(walk, cursor, width)
        self.head.update(header)
        self.update(rows)
        row = current_row(walk, cursor)
        if row is not None:
            self._keep_visible(self.parent, row)
