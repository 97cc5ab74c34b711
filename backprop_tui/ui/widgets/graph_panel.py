"""The graph panel: the walkthrough's graph with the cursor's values or gradients, the current node in view.

In practice, the value or gradient the step asks for is drawn as "?" until it is answered."""

from __future__ import annotations

from textual.geometry import Region

from ...lessons import Walkthrough
from ...render.graph import legend
from ...render.practice import AskingPicture
from .asking import Asking


class GraphPanel(Asking):
    """Nodes laid out by depth with box-drawing edges; values forward, gradients backward.

    The picture is laid out for the columns the panel shows: all of its width, less
    its scrollbar when the picture is taller than the panel.
    """

    _picture: AskingPicture | None = None
    _drawn: tuple[int, int] = (0, 0)  # the width the picture was laid out for, and its widest line

    def picture(self, walk: Walkthrough) -> AskingPicture:
        """The walk's graph, laid out once per walk and width: geometry never changes while stepping."""
        if self._picture is None or self._picture.walk is not walk:
            self._picture = AskingPicture(walk)
        return self._picture

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        assert self.box is not None, "drawn only once the panel around it has a width"
        shown = self.box.scrollable_content_region.width  # less the scrollbar, when it has one
        room = min(width, shown) if shown else width
        painter = self.picture(walk)
        painter.hidden = self.asked(walk, cursor)
        picture = painter.paint(cursor, room)
        self.update(picture.text)
        self._drawn = room, max((line.cell_len for line in picture.text.split("\n")), default=0)
        self.call_after_refresh(self._refit)
        box = picture.current
        if box is not None:
            self.call_after_refresh(self._reveal, Region(box.col, box.row, box.width, 1))
        self.box.border_subtitle = legend(walk, cursor)

    def _refit(self) -> None:
        """Draw again, narrower, when a scrollbar that came with this picture covers part of it."""
        shown = self.box.scrollable_content_region.width if self.box is not None else 0
        room, widest = self._drawn
        if shown and widest > shown and room > shown and self.walk is not None:
            self.draw(self.walk, self.cursor, shown)

    def _reveal(self, region: Region) -> None:
        """Scroll the panel so the current node's box shows."""
        if self.box is not None:
            self.box.scroll_to_region(region.translate(self.virtual_region.offset), animate=False)
