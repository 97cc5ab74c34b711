"""A line or paragraph that says something about the walkthrough at the cursor, whatever the width."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.reactive import var
from textual.widgets import Static

from ...lessons import Walkthrough


class CursorText(Static):
    """Shows `text(walk, cursor)` for its `walk` and `cursor`, which are bound to the app's."""

    walk: var[Walkthrough | None] = var(None, init=False)
    cursor: var[int] = var(0, init=False)

    def __init__(self, text: Callable[[Walkthrough, int], Text], **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = text

    def watch_cursor(self, cursor: int) -> None:
        if self.walk is not None:
            self.update(self.text(self.walk, cursor))
