"""Load network parameters (the palette): lesson mlp with a problem set's W0, b0, W1, b1 and x from a JSON file."""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from ...lessons import LessonError, MlpOptions
from .save_dialog import Dialog, full_path


def read_params(path: str) -> MlpOptions:
    """Lesson mlp's options from a --params file; LessonError says what is wrong with it, naming the file as typed."""
    try:
        return MlpOptions.from_given({"params": path})
    except LessonError as error:
        raise LessonError(str(error).replace(f"--params {path}", path)) from None


class LoadParamsDialog(Dialog):
    """A path field; enter opens lesson mlp with the file's network, a bad file is said here and changes nothing."""

    BINDINGS = [Binding("enter", "load", "Load", show=False)]
    TITLE_TEXT = "Load network parameters · lesson mlp"

    def __init__(self, path: str = "", directory: str | None = None) -> None:
        super().__init__()  # no id: a dialog just closed may linger a moment, and ids must be unique
        self.path = path
        self.directory = directory or os.getcwd()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                "A JSON object with W0 (h×d), b0, W1, b1 and x, as a problem set gives them; "
                "d and h follow from the shapes. The network you have now stays if the file cannot be used.",
                classes="note",
                id="about",
            )
            with Horizontal(classes="row"):
                yield Label("File", classes="label")
                yield Input(self.path, placeholder="homework.json", id="path", select_on_focus=False)
            yield Static(id="error")
            yield Static("enter loads · escape cancels", id="keys")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_load()

    def action_load(self) -> None:
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            self.show_error("Type the path of a JSON file, like homework.json")
            return
        path = full_path(typed, self.directory) if not os.path.isabs(typed) else typed
        try:
            options = read_params(path)
        except LessonError as error:
            self.show_error(str(error).replace(path, typed))
            return
        self.dismiss()
        self.app.post_message(self.Loaded(options, typed))

    class Loaded(Message):
        """A network read from a file, for the app to open in lesson mlp."""

        def __init__(self, options: MlpOptions, typed: str):
            super().__init__()
            self.options, self.typed = options, typed
