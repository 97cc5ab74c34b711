"""Lesson expr's input line: the function and the point to type, and what is wrong with them."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.widgets import Input, Label, Static

from ...lessons import Walkthrough
from ...lessons.expr import ExpressionError, point_text

ERROR = "bold red"
MIN_EXCERPT = 20  # columns of the typed text shown above the caret, however narrow the screen
ROOM_AFTER_INDENT = 40  # the excerpt starts under its field only while this much room is left after it


class ExprBar(Vertical):
    """f = [function] at [point]; under them, what was wrong with the last Enter.

    The fields show the app's walk while it is one of lesson expr. Enter in either
    field posts Submitted with the text of both; the app builds the walkthrough and
    either loads it (the fields follow the walk) or sets `error`. Escape leaves the
    fields, showing the function on screen again, not what was typed.
    """

    BINDINGS = [Binding("escape", "leave", "Back to stepping", show=False)]

    class Submitted(Message):
        """Enter in a field: the function and the point as typed."""

        def __init__(self, bar: ExprBar, function: str, point: str, point_edited: bool) -> None:
            super().__init__()
            self.bar = bar
            self.function = function
            self.point = point
            self.point_edited = point_edited  # False: the point is the one shown, so it may drop variables

        @property
        def control(self) -> ExprBar:
            return self.bar

    walk: var[Walkthrough | None] = var(None, init=False)
    error: var[ExpressionError | None] = var(None, init=False)

    _point = ""  # the point as the field showed it for the walk

    def compose(self) -> ComposeResult:
        with Horizontal(id="expr-fields"):
            yield Label("f =")
            yield Input(placeholder="a function, like x*sin(y) + exp(-x^2)", select_on_focus=False, id="expr-input")
            yield Label("at")
            yield Input(placeholder="the point, like x=1, y=2", select_on_focus=False, id="at-input")
        yield Static(id="expr-error")

    def on_mount(self) -> None:
        self.watch(self.app, "walk", self._follow)

    def _follow(self, walk: Walkthrough) -> None:
        if walk.lesson == "expr":
            self.walk = walk

    def watch_walk(self, walk: Walkthrough) -> None:
        self._show(walk)

    def _show(self, walk: Walkthrough) -> None:
        """The fields show the function and point just built; any error is gone."""
        self.query_one("#expr-input", Input).value = walk.settings["expr"]
        self._point = point_text(walk.settings["at"])
        self.query_one("#at-input", Input).value = self._point
        self.error = None

    def watch_error(self, error: ExpressionError | None) -> None:
        """The message, and for a syntax error the text with a caret under the offending character."""
        box = self.query_one("#expr-error", Static)
        if error is None:
            box.remove_class("-shown")
            return
        field = self.query_one("#expr-input" if error.field == "expr" else "#at-input", Input)
        room = box.content_size.width or self.app.size.width - 2
        # the excerpt starts under the field's own text, when there is room for it there
        indent = min(max(field.content_region.x - 1, 0), max(room - ROOM_AFTER_INDENT, 0))  # the box has padding 1
        text = Text(no_wrap=True, overflow="ellipsis")
        caret = error.caret(max(MIN_EXCERPT, room - indent - 2))
        if caret is not None:
            assert error.position is not None, "only an error with a position has a caret"
            text.append(" " * indent + caret[0] + "\n")
            text.append(" " * indent + caret[1] + "\n", style=ERROR)
            field.cursor_position = error.position
        text.append(str(error), style=ERROR)
        box.update(text)
        box.add_class("-shown")
        field.focus()

    def edit(self) -> None:
        """Put the keys into the function's field; a bar mounted a moment ago composes its fields first."""
        fields = self.query("#expr-input")
        if fields:
            fields.first().focus()
        else:
            self.call_later(self.edit)

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        point = self.query_one("#at-input", Input).value
        self.post_message(self.Submitted(self, self.query_one("#expr-input", Input).value, point, point != self._point))

    def action_leave(self) -> None:
        """Back to stepping, the fields showing the walk again."""
        self.app.set_focus(None)
        if self.walk is not None:
            self._show(self.walk)
