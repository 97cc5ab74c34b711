"""A panel of the walkthrough at the cursor, laid out for the width of the box around it."""

from __future__ import annotations

from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from ...lessons import Walkthrough


class Fitted(Static):
    """Draws its `walk` at its `cursor` once the box around it has a width, and again whenever that width changes.

    Both are bound to the app's (`data_bind`). The app moves its cursor to 0 with
    every new walk, so a panel draws when its cursor is set and only remembers a
    new walk. Before the first layout the box has no width; drawing then would be
    thrown away a moment later (and would slow the first frame), so the box's first
    resize draws instead.
    """

    walk: var[Walkthrough | None] = var(None, init=False)
    cursor: var[int] = var(0, init=False)

    def watch_cursor(self) -> None:
        self.redraw()

    @property
    def box(self) -> Widget | None:
        """The panel around this one, once it is mounted in one."""
        parent = self.parent
        return parent if isinstance(parent, Widget) else None

    def redraw(self) -> None:
        """Draw the walk at the cursor for the box's width, if it has one yet."""
        box = self.box
        width = box.content_size.width if box is not None else 0
        if width and self.walk is not None:
            self.draw(self.walk, self.cursor, width)

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        raise NotImplementedError
