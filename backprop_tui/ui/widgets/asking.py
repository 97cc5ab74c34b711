"""Panels that hide what a practice step asks until it is answered; the tensors panel that does so."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import var

from ...lessons import Walkthrough
from ...practice.session import Session
from ...render.practice import asking_table
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

    def table(self, walk: Walkthrough, cursor: int, width: int) -> tuple[Text, Text]:
        if self.asked(walk, cursor) is None:
            return super().table(walk, cursor, width)
        return asking_table(walk, cursor, width)
