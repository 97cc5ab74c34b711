"""The tensors panel: every tensor of the lesson, its value and gradient, or — until computed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...lessons import Walkthrough
from ...render.tables import current_row, render_table, table_height
from .fitted import Fitted


class TensorPanel(Fitted):
    """The rows of all tensors for the app's cursor, fitted to the panel's width.

    Its header is a separate Static (the panel's `head`) so that it stays put while the rows scroll.
    Rows are laid out to fit; one that still does not (a panel narrower than any table) is clipped, not wrapped.
    """

    DEFAULT_CSS = """
    TensorPanel {
        text-wrap: nowrap;
    }
    """

    def __init__(self, head: Static, **kwargs) -> None:
        super().__init__(**kwargs)
        self.head = head

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        box = self.box
        if box is not None and table_height(walk, cursor) > box.content_size.height:
            width -= box.styles.scrollbar_size_vertical  # the rows scroll: their scrollbar takes a column
        header, rows = self.table(walk, cursor, width)
        self.head.update(header)
        self.update(rows)
        row = current_row(walk, cursor)
        if row is not None:
            self._keep_visible(self.parent, row)

    def table(self, walk: Walkthrough, cursor: int, width: int) -> tuple[Text, Text]:
        """The heading and the rows drawn (practice hides what a step asks)."""
        return render_table(walk, cursor, width)

    @staticmethod
    def _keep_visible(box, row: int) -> None:
        """Scroll the panel just enough that the current node's row shows."""
        top, height = int(box.scroll_y), box.scrollable_content_region.height
        if row < top:
            box.scroll_to(y=row, animate=False)
        elif height and row >= top + height:
            box.scroll_to(y=row - height + 1, animate=False)
