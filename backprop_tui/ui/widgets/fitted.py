"""A panel whose content is laid out for the width of the box around it."""

from __future__ import annotations

from textual.widgets import Static

from ...lessons import Walkthrough


class Fitted(Static):
    """Draws the app's cursor once the box around it has a width, and again whenever that width changes.

    Before the first layout the box has no width; drawing then would be thrown
    away a moment later (and would slow the first frame), so the state is only
    remembered until the box's first resize calls redraw.
    """

    _shown: tuple[Walkthrough, int] | None = None

    def show(self, walk: Walkthrough, cursor: int) -> None:
        self._shown = (walk, cursor)
        box = self.parent
        width = box.content_size.width if box is not None else 0
        if width:
            self.draw(walk, cursor, width)

    def redraw(self) -> None:
        """Draw the last shown state again, e.g. after the panel changed width."""
        if self._shown is not None:
            self.show(*self._shown)

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        raise NotImplementedError
