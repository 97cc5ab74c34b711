"""Stepping through a walkthrough: the cursor's actions and the too-small view, shared by every stepping screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from ..lessons import Walkthrough

MIN_WIDTH, MIN_HEIGHT = 60, 18


def too_small(width: int, height: int) -> bool:
    """Whether a terminal of this size is too small to step through anything."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmall(Static):
    """What shows instead of the screen while the terminal is too small (its screen has the -too-small class)."""

    def __init__(self, who: str, **kwargs) -> None:
        super().__init__(
            f"Terminal too small.\n{who} needs at least {MIN_WIDTH}×{MIN_HEIGHT}; make the window larger.", **kwargs
        )


class Stepping:
    """The step actions of an App or a Screen that has a `walk` and a reactive `cursor` (a mixin).

    Every action only moves the cursor, kept within the trace; watchers redraw.
    A screen whose steps open on demand overrides `steps` (the walkthrough to step
    through, made when first needed) and `step_to`.
    """

    STEP_BOX = "#step-box"  # the scrolling box that page down and page up move

    walk: Walkthrough | None
    cursor: int | None

    def steps(self) -> Walkthrough:
        """The walkthrough the cursor moves over."""
        assert self.walk is not None
        return self.walk

    def step_to(self, cursor: int) -> None:
        """Move the cursor, kept between the start (0) and the last step."""
        self.cursor = max(0, min(cursor, len(self.steps().trace)))

    def action_next(self) -> None:
        self.step_to(1 if self.cursor is None else self.cursor + 1)

    def action_previous(self) -> None:
        self.step_to((self.cursor or 0) - 1)

    def action_first(self) -> None:
        self.step_to(0)

    def action_last(self) -> None:
        self.step_to(len(self.steps().trace))

    def action_forward_end(self) -> None:
        self.step_to(self.steps().trace.forward_count)

    def scroll_box(self) -> Widget:
        """The box that page down and page up scroll."""
        assert isinstance(self, DOMNode), "Stepping is mixed into an App or a Screen"
        return self.query_one(self.STEP_BOX, Widget)

    def action_scroll_step(self, direction: int) -> None:
        """A page of the scrolling box down (1) or up (-1)."""
        box = self.scroll_box()
        height = box.scrollable_content_region.height
        page = max(height - min(2, height // 3), 1)  # a page, keeping a line or two of the last in view
        box.scroll_to(y=box.scroll_y + direction * page, animate=False)
