"""The answer field under the step panel while a step asks, and the line that judges what was typed."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static


class AnswerField(Input):
    """One line for the answer; enter posts it, escape goes back to stepping (n comes back here)."""

    BINDINGS = [
        Binding("enter", "submit", "Check"),
        Binding("escape", "leave", "Leave field"),
    ]

    def on_mount(self) -> None:
        steady_cursor(self)

    def action_leave(self) -> None:
        self.app.set_focus(None)


def steady_cursor(field: Input) -> None:
    """No blinking in a headless app: a picture of it (a test's, --screenshot's) must not depend on the blink."""
    if field.app.is_headless:
        field.cursor_blink = False


class AnswerBar(Vertical):
    """answer › [field]; under it, the verdict on the last answer or why it could not be read.

    Shown (class -asking on the screen) only while the step at the cursor asks. The app
    judges: enter posts Answered with the text; the app calls `say` with the verdict.
    """

    class Answered(Message):
        """Enter in the field: the text as typed."""

        def __init__(self, bar: AnswerBar, text: str) -> None:
            super().__init__()
            self.bar = bar
            self.text = text

        @property
        def control(self) -> AnswerBar:
            return self.bar

    def compose(self) -> ComposeResult:
        with Horizontal(id="answer-line"):
            yield Label("answer ›", id="answer-label")
            yield AnswerField(select_on_focus=False, id="answer-input")
        yield Static(id="answer-message")

    @property
    def field(self) -> AnswerField:
        return self.query_one(AnswerField)

    def ask(self, form: str) -> None:
        """A new question: an empty field whose placeholder says what to type, nothing said yet."""
        self.field.value = ""
        self.field.placeholder = form
        self.say(None)

    def say(self, text: Text | None) -> None:
        """The lines under the field (None: nothing)."""
        message = self.query_one("#answer-message", Static)
        message.update(text or "")
        message.set_class(text is not None, "-shown")

    def room(self) -> tuple[int, int]:
        """Where the typed text starts in the message's lines, and the columns left from there (for a caret)."""
        width = max(self.content_size.width - 2, 20)  # the message's padding
        indent = max(self.field.content_region.x - self.content_region.x - 1, 0)
        if width - indent < 20:
            indent = 0
        return indent, width - indent

    def open(self) -> None:
        """Put the keys into the field, the cursor at the end of what is typed."""
        self.field.cursor_position = len(self.field.value)
        self.field.focus()

    @on(Input.Submitted, "#answer-input")
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(self, event.value))
