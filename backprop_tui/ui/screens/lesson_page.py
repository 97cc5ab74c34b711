"""A lesson that is one scrolling page of panels instead of a walkthrough of steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from ...lessons import LessonError, Options
from ..stepping import TooSmall, too_small

WIDE = 118  # from this width the panels of a .row stand side by side
NOTE_SECONDS = 8  # how long the page's own note line says what a key did

ResultT = TypeVar("ResultT")


def panel(id: str, title: str, widget: Static | None = None) -> Static:
    """A bordered, titled panel of the page."""
    widget = widget or Static(id=id)
    widget.add_class("panel")
    widget.border_title = title
    return widget


def no_steps(keys: str) -> Binding:
    """The app's stepping keys, caught on a page that has no steps (minus those the page uses)."""
    return Binding(keys, "no_steps", show=False)


class Body(VerticalScroll):
    """The page itself: up, down, page up and page down scroll it."""


class LessonPage(Screen[None]):
    """Title line, a scrolling body and the Footer; stepping keys explain that there are no steps."""

    BINDINGS = [
        Binding("home", "top", show=False),
        Binding("end", "bottom", show=False),
    ]

    CSS_PATH = ["lesson_page.tcss"]
    # Whether the page answers keys on a line of its own above the Footer, which covers no
    # text and leaves with the page, rather than in a toast over the panels.
    NOTES_INLINE = False

    # What the lesson computed: every panel is drawn from it. Results hold arrays, so a new one is never compared.
    result: var[object] = var(None, init=False, always_update=True)

    def __init__(self, options: Options):
        super().__init__()
        self.options = options
        self._note_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="page-title")
        with Body(id="page-body"):
            yield from self.panels()
        yield from self.asking()
        yield Static(id="page-note")
        yield TooSmall("This lesson", id="page-small")
        yield Footer()

    def panels(self) -> ComposeResult:
        """The lesson's own panels, top to bottom; those in a .row stand side by side when wide."""
        yield from ()

    def asking(self) -> ComposeResult:
        """What the page asks in practice, below the scrolling body (always in view): nothing by default."""
        yield from ()

    def on_mount(self) -> None:
        self._check_size(self.app.size.width, self.app.size.height)
        self.query_one(Body).focus()
        self.refresh_page()

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def on_screen_resume(self) -> None:
        """Back on screen as it was left (the app keeps a page for the session): sized for the terminal now."""
        self._check_size(self.app.size.width, self.app.size.height)

    def _check_size(self, width: int, height: int) -> None:
        self.set_class(width >= WIDE, "-wide")
        # too small, the page is not laid out at all: text wrapped to a column or two takes seconds
        self.set_class(too_small(width, height), "-too-small")

    def set_title(self, text: Text) -> None:
        self.query_one("#page-title", Static).update(text)

    def watch_result(self) -> None:
        if self.is_mounted:  # the first result, set in __init__, is drawn on mount
            self.clear_note()  # whatever it said was about the page before
            self.refresh_page()

    def tell(self, message: str, severity: SeverityLevel = "warning") -> None:
        """Answer a key: on the page's note line (NOTES_INLINE) for a few seconds, else in a toast."""
        if not self.NOTES_INLINE:
            self.notify(message, severity=severity, timeout=4)
            return
        note = self.query_one("#page-note", Static)
        note.update(message)
        note.set_class(True, "-shown")
        note.set_class(severity != "information", "-warning")
        if self._note_timer is not None:
            self._note_timer.stop()
        self._note_timer = self.set_timer(NOTE_SECONDS, self.clear_note)

    def clear_note(self) -> None:
        if self._note_timer is not None:
            self._note_timer.stop()
            self._note_timer = None
        self.query_one("#page-note", Static).set_class(False, "-shown")

    def refresh_page(self) -> None:
        """Redraw every panel from the lesson's current result."""

    def recompute(self, changes: dict[str, object], compute: Callable[[Any], ResultT]) -> ResultT | None:
        """Run the lesson with some options changed; on bad options say why and keep the old result."""
        try:
            options = replace(self.options, **changes)  # options check themselves as they are made
            result = compute(options)
        except LessonError as error:
            self.tell(f"Cannot change that: {error}")
            return None
        self.options = options
        return result

    def action_no_steps(self) -> None:
        self.tell("This lesson is one page, not a walkthrough: the keys below change it, ↑ ↓ scroll.", "information")

    def action_top(self) -> None:
        self.query_one(Body).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one(Body).scroll_end(animate=False)
