"""The graph panel: the walkthrough's graph with the cursor's values or gradients, the current node in view."""

from __future__ import annotations

from textual.geometry import Region

from ...lessons import Walkthrough
from ...render.graph import GraphPicture, legend
from .fitted import Fitted


class GraphPanel(Fitted):
    """Nodes laid out by depth with box-drawing edges; values forward, gradients backward."""

    _picture: GraphPicture | None = None

    def picture(self, walk: Walkthrough) -> GraphPicture:
        """The walk's graph, laid out once per walk: geometry never changes while stepping."""
        if self._picture is None or self._picture.walk is not walk:
            self._picture = GraphPicture(walk)
        return self._picture

    def draw(self, walk: Walkthrough, cursor: int, width: int) -> None:
        picture = self.picture(walk).paint(cursor, width)
        self.update(picture.text)
        box = picture.current
        if box is not None:
            self.call_after_refresh(self._reveal, Region(box.col, box.row, box.width, 1))
        assert self.box is not None, "drawn only once the panel around it has a width"
        self.box.border_subtitle = legend(walk, cursor)

    def _reveal(self, region: Region) -> None:
        """Scroll the panel so the current node's box shows."""
        if self.box is not None:
            self.box.scroll_to_region(region.translate(self.virtual_region.offset), animate=False)
