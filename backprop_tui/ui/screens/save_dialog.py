"""Save the current lesson's handout (ctrl+s): format, key or blank sheet, file name; errors stay in the dialog."""

from __future__ import annotations

import os
from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from ...handout import WITH_BLANKS, HandoutError, check_blank, handout
from ...lessons import LESSONS, LessonError, Options, PageLesson, SymmetryOptions, Walkthrough
from ...output import TargetError, check_target, write

EXTENSIONS = {"markdown": ".md", "latex": ".tex"}
MIME_TYPES = {"markdown": "text/markdown", "latex": "application/x-tex"}


def default_name(lesson: str, fmt: str, blank: bool) -> str:
    """mlp-handout.md, chain-sheet.tex: the name the dialog offers."""
    return f"{lesson}-{'sheet' if blank else 'handout'}{EXTENSIONS[fmt]}"


def full_path(name: str, directory: str) -> str:
    """The file a typed name means: ~ expanded, relative to the directory the app was started in."""
    return os.path.normpath(os.path.join(directory, os.path.expanduser(name)))


def current_handout(app) -> tuple[str, Options]:
    """The lesson on screen and its options now: a page's as the page keeps them, a walkthrough's as the app does."""
    lesson = app.lesson
    kept = app.options_of(lesson)
    page = app.pages.get(lesson) if isinstance(LESSONS[lesson], PageLesson) else None
    if page is None:
        return lesson, kept
    options = getattr(page, "options", None)
    if isinstance(options, Options):
        return lesson, options
    config = getattr(page, "config", None)  # symmetry keeps a Config: its seed and start change on the page
    if isinstance(kept, SymmetryOptions) and config is not None:
        const = config.const if config.init == "constant" else kept.const
        return lesson, replace(kept, init=config.init, const=const, seed=config.seed)
    return lesson, kept


class Choice(RadioSet, inherit_bindings=False):
    """A row of radio buttons: ← → choose, ↑ ↓ go to the field above or below; enter is the dialog's (it saves).

    `chosen` is the button on at once, before RadioSet's own messages about it are handled.
    """

    BINDINGS = [
        Binding("right", "choose(1)", show=False),
        Binding("left", "choose(-1)", show=False),
        Binding("space", "toggle_button", show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    chosen = 0  # every Choice starts with its first button on

    def action_choose(self, direction: int) -> None:
        """The next (1) or previous (-1) button that is not disabled is on."""
        buttons = list(self.query(RadioButton))
        index = self.chosen
        for _ in buttons:
            index = (index + direction) % len(buttons)
            if not buttons[index].disabled:
                break
        if index != self.chosen:
            self.chosen = index
            buttons[index].value = True  # RadioSet turns the other off, and says it changed

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set is self:  # a click or space: the button it turned on
            self.chosen = event.index


class Dialog(ModalScreen[None]):
    """A small box in the middle of the screen: a title, fields, an inline error line and the keys."""

    CSS_PATH = "save_dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]
    TITLE_TEXT = ""

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = self.TITLE_TEXT

    def action_cancel(self) -> None:
        self.dismiss()

    def show_error(self, message: str, warning: bool = False) -> None:
        """The problem, on the dialog's error line (empty: none)."""
        line = self.query_one("#error", Static)
        line.update(message)
        line.set_class(bool(message), "-shown")
        line.set_class(warning, "-warning")

    def finish(self, message: str) -> None:
        """Close the dialog and say what happened on the app's notice line."""
        self.dismiss()
        say = getattr(self.app, "say", None)
        if say is not None:
            say(message)
        else:
            self.app.notify(message)


class SaveDialog(Dialog):
    """The current lesson's handout to a file: Markdown or LaTeX, the key or (where it asks questions) a sheet."""

    BINDINGS = [Binding("enter", "save", "Save", show=False)]

    def __init__(
        self, lesson: str, options: Options, walk: Walkthrough | None = None, directory: str | None = None
    ) -> None:
        super().__init__()  # no id: a dialog just closed may linger a moment, and ids must be unique
        self.lesson, self.options, self.walk = lesson, options, walk
        self.directory = directory or os.getcwd()
        self.TITLE_TEXT = f"Save the handout · lesson {lesson}"
        try:
            check_blank(lesson, walk)
            self.no_sheet = ""
        except HandoutError:
            self.no_sheet = (
                f"Lesson {lesson} asks no practice questions: it has a key, no blank sheet."
                if lesson not in WITH_BLANKS
                else "This walkthrough is too long for an exercise sheet: its key has every step."
            )
        self.auto_name = default_name(lesson, "markdown", False)
        self.typed = self.auto_name  # the file name field's text as last seen
        self.replacing: str | None = None  # an existing file the next enter replaces
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            with Horizontal(classes="row"):
                yield Label("Format", classes="label")
                with Choice(id="format"):
                    yield RadioButton("Markdown", value=True)
                    yield RadioButton("LaTeX")
            with Horizontal(classes="row"):
                yield Label("Sheet", classes="label")
                with Choice(id="sheet"):
                    yield RadioButton("Key (every answer)", value=True)
                    yield RadioButton("Blank sheet (questions left blank)", disabled=bool(self.no_sheet))
            if self.no_sheet:
                yield Static(self.no_sheet, id="no-sheet", classes="note")
            with Horizontal(classes="row"):
                yield Label("File", classes="label")
                yield Input(self.auto_name, id="name", select_on_focus=False)
            yield Static(id="where", classes="note")
            yield Static(id="error")
            yield Static("enter saves · escape cancels · tab next field · ← → choose", id="keys")

    def on_mount(self) -> None:
        super().on_mount()
        self.show_where()
        self.query_one("#format", Choice).focus()

    @property
    def fmt(self) -> str:
        return "latex" if self.query_one("#format", Choice).chosen == 1 else "markdown"

    @property
    def blank(self) -> bool:
        return self.query_one("#sheet", Choice).chosen == 1

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.follow_choices()

    def follow_choices(self) -> None:
        """A name the dialog offered follows the choices; one the person typed keeps its name, with the extension.

        Also run when saving: enter may come before the message that a choice changed.
        """
        field = self.query_one("#name", Input)
        name = field.value
        if name == self.auto_name:
            name = default_name(self.lesson, self.fmt, self.blank)
        else:
            stem, ext = os.path.splitext(name)
            if ext in EXTENSIONS.values():
                name = stem + EXTENSIONS[self.fmt]
        self.auto_name = default_name(self.lesson, self.fmt, self.blank)
        if name != field.value:
            self.typed = name  # not the person's typing: what was said stays
            field.value = name
            field.cursor_position = len(name)
            self.show_where()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value == self.typed:
            return
        self.typed = event.value
        self.replacing = None
        self.show_error("")
        self.show_where()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def show_where(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        where = "a download in the browser" if self.app.is_web else full_path(name, self.directory) if name else ""
        self.query_one("#where", Static).update(f"→ {where}" if where else "")

    def action_save(self) -> None:
        """Check the name, then make the handout off the screen's thread and write it."""
        if self.saving:
            return
        self.follow_choices()
        name = self.query_one("#name", Input).value.strip()
        if not name or name == "-":
            self.show_error(f"Type a file name, like {default_name(self.lesson, self.fmt, self.blank)}")
            return
        path = full_path(name, self.directory)
        if not self.app.is_web:
            try:
                check_target(path)
            except TargetError as error:
                self.show_error(str(error).replace(path, name, 1))
                return
            if os.path.isfile(path) and self.replacing != path:
                self.replacing = path
                self.show_error(f"{name} exists: enter again replaces it, or change the name.", warning=True)
                return
        self.saving = True
        self.show_error("Writing the handout…", warning=True)
        self.make(path, self.fmt, self.blank)

    @work(thread=True, exclusive=True, group="handout", exit_on_error=False)
    def make(self, path: str, fmt: str, blank: bool) -> None:
        try:
            text = handout(self.lesson, self.options, fmt, blank, self.walk)
        except LessonError as error:
            self.app.call_from_thread(self.failed, str(error))
            return
        except Exception as error:  # noqa: BLE001 — said in the dialog, never a traceback over the lesson
            self.app.call_from_thread(self.failed, f"Cannot make the handout: {error!r}")
            return
        self.app.call_from_thread(self.deliver, path, fmt, blank, text)

    def failed(self, message: str) -> None:
        self.saving = False
        self.show_error(message)

    def deliver(self, path: str, fmt: str, blank: bool, text: str) -> None:
        """Served in a browser, the handout is a download (the app's deliver); else it is written here."""
        deliver = getattr(self.app, "deliver", None)
        if self.app.is_web and deliver is not None:
            self.dismiss()
            deliver(os.path.basename(path), text, MIME_TYPES[fmt])
            return
        try:
            write(path, text)
        except TargetError as error:
            self.failed(str(error))
            return
        kind = "sheet" if blank else "handout"
        self.finish(f"Saved the {'LaTeX' if fmt == 'latex' else 'Markdown'} {kind} to {path}")
