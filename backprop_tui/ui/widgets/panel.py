"""The scrolling boxes the app's panels sit in."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll

from .fitted import Fitted


class Panel(VerticalScroll, inherit_bindings=False):
    """A scrolling panel that leaves the stepping keys to the app: ← → home end step, they do not scroll.

    Focused (tab), ↑ and ↓ scroll it a line; the app's page up and page down scroll the focused panel.
    """

    BINDINGS = [
        Binding("up", "scroll_up", "Scroll", show=False),
        Binding("down", "scroll_down", "Scroll", show=False),
    ]


class RedrawOnResize(Panel):
    """A panel whose content's arrangement depends on the panel's width: its Fitted child draws again."""

    def on_resize(self) -> None:
        for child in self.children:
            assert isinstance(child, Fitted), "a RedrawOnResize panel holds Fitted widgets"
            child.redraw()
