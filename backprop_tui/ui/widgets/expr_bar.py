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
from .answer_bar import steady_cursor

ERROR = "bold red"
MIN_EXCERPT = 20  # columns of the typed text shown above the caret, however narrow the screen
ROOM_AFTER_INDENT = 40  # the excerpt starts under its field only while this much room is left after it


class Field(Input):
    """One of the bar's fields; its keys are in the Footer while it has the focus.

    ctrl+u deletes from the cursor to the start, as in a shell; the cursor goes to the
    end whenever the field is opened for editing, so ctrl+u then clears the field.
    """

    BINDINGS = [
        Binding("enter", "submit", "Apply"),
        Binding("tab", "next_field", "Next field"),
        Binding("shift+tab", "next_field", "Next field", show=False),
        Binding("escape", "leave", "Cancel"),
        Binding("ctrl+u", "delete_left_all", "Delete to start"),
    ]

    def on_mount(self) -> None:
        steady_cursor(self)

    def action_next_field(self) -> None:
        """The other field: the function's or the point's, with the cursor at its end."""
        bar = self.query_ancestor(ExprBar)
        bar.open(bar.query_one("#at-input" if self.id == "expr-input" else "#expr-input", Field))

    def action_leave(self) -> None:
        self.query_ancestor(ExprBar).action_leave()


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
            yield Field(placeholder="a function, like x*sin(y) + exp(-x^2)", select_on_focus=False, id="expr-input")
            yield Label("at")
            yield Field(placeholder="the point, like x=1, y=2", select_on_focus=False, id="at-input")
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
        fields = self.query("#expr-input").results(Field)
        for field in fields:
            self.open(field)
            return
        self.call_later(self.edit)

    @staticmethod
    def open(field: Input) -> None:
        """Focus a field with its cursor at the end: nothing left over from an old error's column."""
        field.cursor_position = len(field.value)
        field.focus()

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
