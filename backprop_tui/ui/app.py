"""BackpropApp: a cursor over a lesson's trace, rendered as panels."""

from __future__ import annotations

from dataclasses import fields, replace
from importlib import import_module
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..lessons import (
    DEFAULT_LESSON,
    LESSONS,
    ExprOptions,
    LessonError,
    MlpOptions,
    Options,
    PageLesson,
    SymmetryOptions,
    Walkthrough,
    WalkthroughLesson,
)
from ..render.steps import progress_text, why_text
from .commands import LessonCommands
from .stepping import Stepping, TooSmall, too_small
from .widgets.cursor_text import CursorText
from .widgets.graph_panel import GraphPanel
from .widgets.panel import Panel, RedrawOnResize
from .widgets.step_panel import StepPanel
from .widgets.tensor_panel import TensorPanel

if TYPE_CHECKING:  # lesson expr's input line loads when the lesson is first opened
    from .widgets.expr_bar import ExprBar

NARROW = 110  # below this width the step panel and the side column share the width equally
INIT_OPTIONS = (MlpOptions, SymmetryOptions)  # the lessons' options with an `init` to cycle through


# The pages of the lessons that have one; a page's module loads when the lesson is first opened.
PAGES = {
    "symmetry": "backprop_tui.ui.screens.symmetry:SymmetryScreen",
    "methods": "backprop_tui.ui.screens.methods:MethodsScreen",
    "chain": "backprop_tui.ui.screens.chain:ChainScreen",
}


def lesson_screen(name: str, options: Options) -> Screen:
    """Import and build a lesson's own page."""
    module, _, cls = PAGES[name].partition(":")
    return getattr(import_module(module), cls)(options)


def has_page(name: str) -> bool:
    return isinstance(LESSONS[name], PageLesson)


class WalkthroughScreen(Screen[None]):
    """The app's own screen, where nothing takes focus by itself: keys step until e opens the function's input."""

    AUTO_FOCUS = ""


class BackpropApp(Stepping, App[None]):
    """Step through backpropagation node by node."""

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tui"
    COMMANDS = App.COMMANDS | {LessonCommands}
    BINDINGS = [
        Binding("n,space,right", "next", "Next"),
        Binding("p,left", "previous", "Back"),
        Binding("home", "first", "Start", show=False),
        Binding("end", "last", "End", show=False),
        Binding("f", "forward_end", "End of forward"),
        Binding("i", "cycle_init", "Init"),
        Binding("e", "edit_expr", "Edit function"),
        *(Binding(lesson.key, f"lesson('{lesson.name}')", lesson.title, show=False) for lesson in LESSONS.values()),
        Binding("pagedown", "scroll_step(1)", "Scroll step", show=False),
        Binding("pageup", "scroll_step(-1)", "Scroll step", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    walk: var[Walkthrough] = var(None, init=False)  # type: ignore[arg-type]  # set in __init__
    # A new walk comes with the cursor set to 0: the panels draw when it is set, even to the value it had.
    cursor: reactive[int] = reactive(0, init=False, always_update=True)

    def __init__(self, lesson: str = DEFAULT_LESSON, options: Options | None = None, walk: Walkthrough | None = None):
        super().__init__()
        self.lesson = lesson
        # Each lesson keeps its own options for the session; those not yet opened start from their defaults.
        self.lesson_options: dict[str, Options] = {lesson: options or LESSONS[lesson].options()}
        # The main screen always holds a walkthrough; a lesson with its own page opens over it.
        shown = LESSONS[lesson] if isinstance(LESSONS[lesson], WalkthroughLesson) else LESSONS[DEFAULT_LESSON]
        assert isinstance(shown, WalkthroughLesson)
        self.set_reactive(BackpropApp.walk, walk or shown.build(self.options_of(shown.name)))

    def options_of(self, name: str) -> Options:
        """The options a lesson opens with: those it last had, else its defaults."""
        return self.lesson_options.setdefault(name, LESSONS[name].options())

    @property
    def options(self) -> Options:
        """The current lesson's options."""
        return self.options_of(self.lesson)

    def get_default_screen(self) -> Screen[None]:
        # Born with its size classes: adding one later restyles every widget.
        return WalkthroughScreen(id="_default", classes=" ".join(self._size_classes(*self.size)))

    def compose(self) -> ComposeResult:
        shown = (BackpropApp.walk, BackpropApp.cursor)
        with Vertical(id="main"):
            yield Static(id="title")  # lesson expr's input line goes below the title when it first opens
            with RedrawOnResize(id="graph-box", classes="panel"):
                yield GraphPanel(id="graph").data_bind(*shown)
            with Horizontal(id="bottom"):
                with RedrawOnResize(id="step-box", classes="panel"):
                    yield StepPanel(id="step").data_bind(*shown)
                with Vertical(id="side"):
                    with Vertical(id="tensors-box", classes="panel"):
                        head = Static(id="tensors-head")
                        yield head
                        with RedrawOnResize(id="tensors-rows"):
                            yield TensorPanel(head, id="tensors").data_bind(*shown)
                    with Panel(id="why-box", classes="panel"):
                        yield CursorText(why_text, id="why").data_bind(*shown)
            yield CursorText(progress_text, id="progress").data_bind(*shown)
        yield TooSmall("backprop-tui", id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#graph-box").border_title = "Graph"
        self.query_one("#step-box").border_title = "Current step"
        self.query_one("#tensors-box").border_title = "Tensors"
        self.query_one("#why-box").border_title = "Why"
        self._check_size(self.size.width, self.size.height)
        self.mutate_reactive(BackpropApp.walk)  # the walk from __init__: its title, and lesson expr's fields
        if has_page(self.lesson):
            self.push_screen(lesson_screen(self.lesson, self.options))

    def load(self, walk: Walkthrough) -> None:
        """Show a new walkthrough from its start."""
        self.walk = walk
        self.cursor = 0

    def watch_walk(self, walk: Walkthrough) -> None:
        title = Text.assemble((walk.title, "bold"), "   ", (walk.formula, "grey62"), no_wrap=True, overflow="ellipsis")
        self.query_one("#title", Static).update(title)
        self.screen_stack[0].set_class(walk.lesson == "expr", "-expr")
        if walk.lesson == "expr" and not self.query("#expr-bar"):
            from .widgets.expr_bar import ExprBar  # its input fields load only for lesson expr

            self.query_one("#main").mount(ExprBar(id="expr-bar"), after="#title")
        self.refresh_bindings()
        if not has_page(self.lesson):  # a lesson with its own page hides this walkthrough
            for notice in walk.notices:
                self.notify(notice, title="Note", timeout=8)

    @staticmethod
    def _size_classes(width: int, height: int) -> list[str]:
        return ["-too-small"] * too_small(width, height) + ["-narrow"] * (width < NARROW)

    def _check_size(self, width: int, height: int) -> None:
        main = self.screen_stack[0]  # the walkthrough's screen, even while help is open
        classes = self._size_classes(width, height)
        for name in ("-too-small", "-narrow"):
            main.set_class(name in classes, name)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    # --- switching what is shown ---

    def action_lesson(self, name: str) -> None:
        self.switch(name, self.options_of(name))

    def action_cycle_init(self) -> None:
        """random → zero → constant: §3.2 without leaving the app (a lesson's own starts, in order)."""
        inits, options = self.inits(), self.options
        if not isinstance(options, INIT_OPTIONS):
            self.switch_init("")  # says this lesson has no starts to choose
            return
        self.switch_init(inits[(inits.index(options.init) + 1) % len(inits)])

    def inits(self) -> tuple[str, ...]:
        """The starts the current lesson offers, or none."""
        for f in fields(self.options):
            if f.name == "init":
                return tuple(f.metadata["kind"])
        return ()

    def switch_init(self, init: str) -> None:
        if init not in self.inits():
            self.notify("This lesson has no initialization to change; press 1 for the network.", severity="warning")
            return
        options = self.options
        assert isinstance(options, INIT_OPTIONS), "only options with an init field offer starts"
        self.switch(self.lesson, replace(options, init=init))
        self.notify(f"Initialization: {init}", timeout=3)

    def switch(self, name: str, options: Options) -> None:
        """Open a lesson; one that cannot be built leaves the current one on screen."""
        lesson = LESSONS[name]
        try:
            walk = lesson.build(options) if isinstance(lesson, WalkthroughLesson) else None
            screen = None if walk is not None else lesson_screen(name, options)
        except LessonError as error:
            self.notify(str(error), title="Cannot open lesson", severity="error")
            return
        self.lesson_options[name], self.lesson = options, name
        self.refresh_bindings()
        while len(self.screen_stack) > 1:  # leave help or another lesson's screen
            self.pop_screen()
        if screen is not None:
            self.push_screen(screen)
        elif walk is not None:
            self.load(walk)

    # --- the function and point of lesson expr ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that mean nothing in the current lesson leave the Footer."""
        if action == "cycle_init":
            return bool(self.inits())
        if action == "edit_expr":
            return self.lesson == "expr" and self.screen is self.screen_stack[0]
        return True

    def action_edit_expr(self) -> None:
        from .widgets.expr_bar import ExprBar

        self.query_one("#expr-bar", ExprBar).edit()

    def on_expr_bar_submitted(self, event: ExprBar.Submitted) -> None:
        """Enter in either field rebuilds the walkthrough; an error leaves the current one on screen."""
        from ..lessons.expr import ExpressionError, options_for

        lesson, settings = LESSONS["expr"], self.options_of("expr")
        assert isinstance(lesson, WalkthroughLesson) and isinstance(settings, ExprOptions)
        try:
            options = options_for(settings, event.function, event.point, keep_old_point=not event.point_edited)
            walk = lesson.build(options)
        except ExpressionError as error:
            event.bar.error = error
            return
        except LessonError as error:
            event.bar.error = ExpressionError(str(error), "expr")
            return
        self.lesson_options["expr"] = options
        self.load(walk)
        self.set_focus(None)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())
