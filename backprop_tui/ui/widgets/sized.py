"""A Static whose text is laid out for its own width."""

from __future__ import annotations

from textual.widgets import Static


class Sized(Static):
    """A Static whose text depends on its width: painted again whenever the width changes."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.painter = None
        self._width = 0

    def paint(self, painter) -> None:
        """Set the function width → Text and draw it now."""
        self.painter = painter
        self._draw()

    def _draw(self) -> None:
        if self.painter is None:
            return
        self._width = self.content_size.width or max(self.app.size.width - 8, 40)
        self.clear_cached_dimensions()  # the height was measured for the text drawn at the old width
        self.update(self.painter(self._width))

    def on_resize(self) -> None:
        if self.content_size.width and self.content_size.width != self._width:
            self.call_after_refresh(self._draw)  # drawing inside the resize would not re-measure the height
