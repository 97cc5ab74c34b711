"""The scrolling boxes the app's panels sit in."""

from __future__ import annotations

from textual.containers import VerticalScroll

from .fitted import Fitted


class Panel(VerticalScroll, can_focus=False):
    """A scrolling panel that leaves every key to the app: arrows step, they do not scroll."""


class RedrawOnResize(Panel):
    """A panel whose content's arrangement depends on the panel's width: its Fitted child draws again."""

    def on_resize(self) -> None:
        for child in self.children:
            assert isinstance(child, Fitted), "a RedrawOnResize panel holds Fitted widgets"
            child.redraw()
