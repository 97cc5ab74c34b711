"""A lesson page's answer box: a question, a one-line field, what was said of the last answer, and a score.

The box only shows and reads text; the page judges. `Quiz` keeps a run of the
practice core's questions (which are asked, which are known, hints, the score).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ...engine.expr import caret_lines
from ...practice import CORRECT, INVALID, Question, Verdict, judge
from . import answer_bar

ERROR = "bold red"
RIGHT = "bold green"
WRONG = "bold yellow"
LEVELS = ("watch", "some", "all")  # the app's practice levels; the pages ask in both "some" and "all"


def practice_level(app: object) -> str:
    """The app's practice level, "watch" while the app has none."""
    level = getattr(app, "practice", "watch")
    return level if level in LEVELS else "watch"


def caret_text(typed: str, message: str, position: int | None, width: int) -> Text:
    """An answer that cannot be read: the text around the problem, a caret under it, then why."""
    text = Text()
    if position is not None:
        shown, caret = caret_lines(typed, position, max(width - 2, 20))
        text.append(f"  {shown}\n")
        text.append(f"  {caret}\n", style=ERROR)
    text.append(message, style=ERROR)
    return text


# --- a run of questions ---


@dataclass
class Record:
    """What happened to one question: the first answer read, tries, hints, and how it ended."""

    question: Question
    first: str | None = None  # the first answer that could be read
    first_right: bool = False
    tries: int = 0  # answers read (those that could not be read are not counted)
    hints: int = 0
    state: str = "open"  # "open", "right" or "revealed"
    said: list[str] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.state != "open"


class Quiz:
    """The practice core's questions asked one after another; each is known once answered right or revealed."""

    def __init__(self, questions: tuple[Question, ...]):
        self.records = [Record(q) for q in questions]

    @property
    def current(self) -> Record | None:
        return next((r for r in self.records if not r.closed), None)

    @property
    def done(self) -> bool:
        return self.current is None

    @property
    def number(self) -> int:
        """1-based position of the current question (one past the last when done)."""
        return sum(1 for r in self.records if r.closed) + 1

    def known(self, node: str, field: str) -> bool:
        return any(r.closed for r in self.records if r.question.node == node and r.question.field == field)

    def answer(self, typed: str) -> Verdict:
        """Judge the current question's answer; a right one closes it, one that cannot be read counts for nothing."""
        record = self.current
        assert record is not None, "a finished quiz asks nothing"
        verdict = judge(record.question, typed)
        if verdict.verdict == INVALID:
            return verdict
        if record.tries == 0:
            record.first = typed.strip()
            record.first_right = verdict.verdict == CORRECT
        record.tries += 1
        if verdict.verdict == CORRECT:
            record.state = "right"
        return verdict

    def hint(self) -> str | None:
        """The current question's next hint, or None when every hint has been given."""
        record = self.current
        if record is None or record.hints >= len(record.question.hints):
            return None
        record.hints += 1
        return record.question.hints[record.hints - 1]

    def given_hints(self) -> tuple[str, ...]:
        record = self.current
        return () if record is None else record.question.hints[: record.hints]

    def reveal(self) -> Record | None:
        record = self.current
        if record is not None:
            record.state = "revealed"
        return record

    def score(self) -> str:
        """"2 of 4 right first time · 1 hint · 1 revealed"."""
        first = sum(r.first_right for r in self.records)
        hints = sum(r.hints for r in self.records)
        revealed = sum(r.state == "revealed" for r in self.records)
        return (
            f"{first} of {len(self.records)} right first time · {hints} hint{'' if hints == 1 else 's'}"
            f" · {revealed} revealed"
        )

    def summary(self) -> Text:
        """One line per question: the answer, the student's first one, and how it ended."""
        text = Text()
        for k, r in enumerate(self.records):
            q = r.question
            text.append("\n" if k else "")
            text.append(f"{q.subject[:1].upper()}{q.subject[1:]}: ", style="bold")
            text.append(q.expected_text)
            if r.state == "open":
                text.append("  not answered yet", style="dim")
                continue
            if r.first is None:
                how, style = "revealed without an answer", WRONG
            elif r.first_right:
                how, style = f"you: {r.first}, right first time", RIGHT
            elif r.state == "right":
                how, style = f"you: {r.first} first, right after {r.tries} tries", WRONG
            else:
                how, style = f"you: {r.first} first, then revealed", WRONG
            text.append(f"  {how}", style=style)
            if r.hints:
                text.append(f" · {r.hints} hint{'' if r.hints == 1 else 's'}", style="dim")
        return text


# --- the box ---


class AnswerField(answer_bar.AnswerField):
    """The one-line answer: enter hands it to the page, escape leaves it (the page says what that means).

    The walkthrough's own field, so that the app's keys it types as text leave the Footer here too.
    """

    def action_leave(self) -> None:
        self.post_message(PageAnswer.Left())


class PredictionField(AnswerField):
    """The answer field of a prediction, which escape skips."""

    BINDINGS = [Binding("escape", "leave", "Skip")]


class PageAnswer(Vertical):
    """A prompt, the answer field, what the page said of the last answer, and a score line.

    Enter in the field posts Answered, escape posts Left; the page judges and
    calls `ask`, `say`, `score` or `close`. The page's .tcss places the box.
    """

    DEFAULT_CSS = """
    PageAnswer {
        height: auto;
    }
    PageAnswer #answer-input {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    PageAnswer #answer-input:focus {
        background: $primary 30%;
    }
    PageAnswer.-closed #answer-input, PageAnswer #answer-feedback, PageAnswer #answer-score {
        display: none;
    }
    PageAnswer #answer-feedback.-shown, PageAnswer #answer-score.-shown {
        display: block;
    }
    PageAnswer #answer-score {
        color: $text-muted;
    }
    """

    class Answered(Message):
        """Enter in the field: the text as typed."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Left(Message):
        """Escape in the field."""

    def __init__(self, placeholder: str = "your answer", field: type[AnswerField] = AnswerField, **kwargs) -> None:
        super().__init__(**kwargs)
        self._placeholder = placeholder
        self._field = field

    def compose(self) -> ComposeResult:
        yield Static(id="answer-prompt")
        yield self._field(placeholder=self._placeholder, select_on_focus=False, compact=True, id="answer-input")
        yield Static(id="answer-feedback")
        yield Static(id="answer-score")

    @property
    def field(self) -> AnswerField:
        return self.query_one("#answer-input", AnswerField)

    @property
    def asking(self) -> bool:
        """Whether the field is on screen to take an answer."""
        return not self.has_class("-closed")

    def ask(self, prompt: Text | str, focus: bool = True) -> None:
        """Show a new question over an empty field, which takes the keys unless told not to."""
        self.set_class(False, "-closed")
        self.prompt(prompt)
        self.say("")
        self.field.value = ""
        if focus:
            self.open()

    def prompt(self, prompt: Text | str) -> None:
        """Say the question again (another width, a changed score) without touching what is typed."""
        self.query_one("#answer-prompt", Static).update(prompt)

    def open(self) -> None:
        """The keys go into the field, its cursor at the end."""
        self.field.cursor_position = len(self.field.value)
        self.field.focus()

    def close(self, prompt: Text | str) -> None:
        """No field: only a line (what was predicted, or a summary), the feedback and the score stay."""
        self.set_class(True, "-closed")
        self.query_one("#answer-prompt", Static).update(prompt)
        if self.field.has_focus:
            self.screen.set_focus(None)

    def say(self, feedback: Text | str) -> None:
        box = self.query_one("#answer-feedback", Static)
        box.update(feedback)
        box.set_class(bool(str(feedback)), "-shown")

    def score(self, text: Text | str) -> None:
        box = self.query_one("#answer-score", Static)
        box.update(text)
        box.set_class(bool(str(text)), "-shown")

    def feedback_width(self) -> int:
        return self.query_one("#answer-feedback", Static).content_size.width or max(self.app.size.width - 4, 40)

    @on(Input.Submitted, "#answer-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(event.value))
