"""BackpropApp: a cursor over a lesson's trace, rendered as panels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from importlib import import_module
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

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
from ..practice import INVALID, WITH_QUESTIONS, WalkPractice, practice_for
from ..practice.session import LEVELS, WATCH, Session
from ..render.practice import (
    HINT_KEY,
    LEVEL_KEY,
    REVEAL_KEY,
    hidden_why,
    hint_text,
    level_text,
    verdict_text,
)
from ..render.steps import progress_text, why_text
from ..render.styles import NOTICE
from .commands import LessonCommands
from .stepping import Stepping, TooSmall, too_small
from .themes import register_themes, use_palette
from .widgets.answer_bar import AnswerBar, AnswerField
from .widgets.asking import AskingTensorPanel
from .widgets.cursor_text import CursorText
from .widgets.graph_panel import GraphPanel
from .widgets.panel import Panel, RedrawOnResize
from .widgets.step_panel import StepPanel
from .widgets.tensor_panel import TensorPanel

if TYPE_CHECKING:  # lesson expr's input line loads when the lesson is first opened
    from .play import Player
    from .screens.load_params import LoadParamsDialog
    from .widgets.expr_bar import ExprBar

NARROW = 110  # below this width the step panel and the side column share the width equally
FOLD_BELOW = 30  # rows: a shorter terminal opens with the graph folded, leaving its room to the step and why
TENSORS_SHARE = 0.45  # the most of the screen's height the tensors panel takes; then it scrolls
PALETTE_IN_FOOTER = 110  # from this width the Footer has room for ctrl+p too (help always lists it)
INIT_OPTIONS = (MlpOptions, SymmetryOptions)  # the lessons' options with an `init` to cycle through
# The panels tab and shift+tab move between, in that order: the teaching first.
PANELS = {"#step-box": "Current step", "#why-box": "Why", "#tensors-rows": "Tensors", "#graph-box": "Graph"}
# Actions whose keys the answer field takes as text while it has the focus: they leave the Footer then.
TYPED = {
    "next",
    "previous",
    "first",
    "last",
    "forward_end",
    "cycle_init",
    "edit_expr",
    "cycle_unit",
    "toggle_graph",
    "lesson",
    "help",
    "cycle_practice",
    "scroll_step",
}
MESSAGE_STYLES = {"information": "bold", "warning": "bold yellow", "error": "bold red"}


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


LONG_FUNCTION = 4_000  # characters of a typed function: from here it is parsed and built off the screen's thread


def describe(options: Options) -> str:
    """The options a user changed, in a few words: "d = 500, h = 500, init zero"."""
    if isinstance(options, MlpOptions):
        return f"d = {options.d}, h = {options.h}, init {options.init}"
    return "the new options"


def slow_to_build(options: Options) -> bool:
    """A walkthrough that takes longer than a frame to build, so it is built off the screen's thread.

    Building is linear in the network's weights and in the function's length: about 80 ns a
    weight (1 s at d = h = 4096) and a few µs a character of a function (2 s at 50,000 terms,
    with the panels' first drawing).
    """
    if isinstance(options, MlpOptions):
        return options.d * options.h >= 250_000
    if isinstance(options, ExprOptions):
        return len(options.expr) >= LONG_FUNCTION
    return False


def has_page(name: str) -> bool:
    return isinstance(LESSONS[name], PageLesson)


class WalkthroughScreen(Screen[None], inherit_bindings=False):
    """The app's own screen, where nothing takes focus by itself: keys step until e opens the function's input.

    tab and shift+tab move the focus between the panels only (never into lesson expr's
    fields, which would take the stepping keys); the focused panel scrolls with ↑ ↓.
    """

    AUTO_FOCUS = ""
    # Not Screen's own tab and shift+tab: the app's move between the panels (they come in the Footer's order).
    BINDINGS = [Binding("ctrl+c,super+c", "screen.copy_text", "Copy selected text", show=False)]

    def panels(self) -> list[Widget]:
        """The panels that can take the focus now, in tab order (a folded graph cannot)."""
        folded = self.has_class("-graph-folded")
        return [self.query_one(selector) for selector in PANELS if not (folded and selector == "#graph-box")]

    def action_focus_panel(self, direction: int) -> None:
        """The next (1) or previous (-1) panel takes the focus; from none, the step panel or the last one."""
        panels, focused = self.panels(), self.focused
        if focused in panels:
            panels[(panels.index(focused) + direction) % len(panels)].focus()
        else:
            panels[0 if direction > 0 else -1].focus()

    def on_descendant_focus(self) -> None:
        self.mark_focus()

    def on_descendant_blur(self) -> None:
        self.mark_focus()

    def mark_focus(self) -> None:
        """Each panel's title: the focused one says so and which keys scroll it; a folded graph how to open it."""
        focused, folded = self.focused, self.has_class("-graph-folded")
        for selector, title in PANELS.items():
            for panel in self.query(selector):
                box = panel.parent if selector == "#tensors-rows" else panel
                assert isinstance(box, Widget), "a panel sits in its box"
                if selector == "#graph-box" and folded:
                    box.border_title = "Graph · folded: g opens it"
                elif panel is focused:
                    box.border_title = f"▸ {title} · ↑↓ pgup pgdn scroll"
                else:
                    box.border_title = title


class BackpropApp(Stepping, App[None]):
    """Step through backpropagation node by node."""

    CSS_PATH = ["app.tcss", "themes.tcss"]
    TITLE = "backprop-tui"
    COMMANDS = App.COMMANDS | {LessonCommands}
    NOTIFICATION_TIMEOUT = 4
    BINDINGS = [
        Binding("n,space,right", "next", "Next"),
        Binding("p,left", "previous", "Back"),
        Binding("home", "first", "Start", show=False),
        Binding("end", "last", "End", show=False),
        Binding("f", "forward_end", "Fwd end"),
        Binding("i", "cycle_init", "Init"),
        Binding("e", "edit_expr", "Edit"),
        Binding("u", "cycle_unit", "Unit"),
        Binding("g", "toggle_graph", "Graph"),
        *(Binding(lesson.key, f"lesson('{lesson.name}')", lesson.title, show=False) for lesson in LESSONS.values()),
        Binding("tab", "screen.focus_panel(1)", "Panel"),
        Binding("shift+tab", "screen.focus_panel(-1)", "Previous panel", show=False),
        Binding("pagedown", "scroll_step(1)", "Page", key_display="pgdn"),  # "Page": the Footer fits 80 columns
        Binding("pageup", "scroll_step(-1)", "Page up", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding(LEVEL_KEY, "cycle_practice", "Practice", show=False),
        Binding(HINT_KEY, "hint", "Hint"),
        Binding(REVEAL_KEY, "reveal", "Reveal"),
        Binding("ctrl+s", "save_handout", "Save handout", show=False),  # the Footer is full: help lists it
    ]

    walk: var[Walkthrough] = var(None, init=False)  # type: ignore[arg-type]  # set in __init__
    # A new walk comes with the cursor set to 0: the panels draw when it is set, even to the value it had.
    cursor: reactive[int] = reactive(0, init=False, always_update=True)
    unit: var[int] = var(0, init=False)  # the hidden unit whose route lesson mlp works out (u cycles it)
    # None: the graph folds when the terminal is short; True or False: as g last left it
    graph_folded: var[bool | None] = var(None, init=False)
    # The practice level, for every lesson: "watch" shows each step worked, "some" asks some, "all" asks every one.
    # Pages watch it with self.watch(self.app, "practice", callback).
    practice: reactive[str] = reactive("watch", init=False)
    # The current walk's practice (None while it has never been practised); revision: it changed.
    session: var[Session | None] = var(None, init=False)
    revision: var[int] = var(0, init=False)
    player: Player | None = None  # --play: the demo playing into the app (ui/play.py)

    def __init__(
        self,
        lesson: str = DEFAULT_LESSON,
        options: Options | None = None,
        walk: Walkthrough | None = None,
        practice: str = "watch",
    ):
        super().__init__()
        register_themes(self)  # the projector theme, for --theme and the palette's Theme command
        self.set_reactive(BackpropApp.practice, practice)
        self.lesson = lesson
        self.wanted = lesson  # the lesson last asked for: a walk built in the background opens only if it still is
        # Each lesson keeps its own options for the session; those not yet opened start from their defaults.
        self.lesson_options: dict[str, Options] = {lesson: options or LESSONS[lesson].options()}
        # ... and its state: a walkthrough lesson its walk and cursor, a lesson with a page that page.
        self.walks: dict[str, tuple[Walkthrough, int]] = {}
        self.pages: dict[str, Screen] = {}
        self.sessions: dict[str, Session] = {}  # per walkthrough lesson, what the student did in practice
        # per lesson, its walk and the notices of that walk the notice line has shown
        self._seen: dict[str, tuple[Walkthrough, set[int]]] = {}
        self._fresh: list[str] = []  # the notices that became true at the cursor, on the notice line
        self._message: Text | None = None  # what the app last said on the notice line, until the cursor moves
        # The main screen always holds a walkthrough; a lesson with its own page opens over it.
        shown = LESSONS[lesson] if isinstance(LESSONS[lesson], WalkthroughLesson) else LESSONS[DEFAULT_LESSON]
        assert isinstance(shown, WalkthroughLesson)
        self.set_reactive(BackpropApp.walk, walk or shown.build(self.options_of(shown.name)))
        self.set_reactive(BackpropApp.session, self._session_for(self.walk, seen=0))

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
        practised = (BackpropApp.session, BackpropApp.revision)  # what the step asks is hidden until answered
        with Vertical(id="main"):
            yield Static(id="title")  # lesson expr's input line goes below the title when it first opens
            with RedrawOnResize(id="graph-box", classes="panel"):
                yield GraphPanel(id="graph").data_bind(*shown, *practised)
            with Horizontal(id="bottom"):
                with Vertical(id="step-column"):
                    with RedrawOnResize(id="step-box", classes="panel"):
                        yield StepPanel(id="step").data_bind(*shown, BackpropApp.unit, *practised)
                    yield AnswerBar(id="answer-bar")
                with Vertical(id="side"):
                    with Vertical(id="tensors-box", classes="panel"):
                        head = Static(id="tensors-head")
                        yield head
                        with RedrawOnResize(id="tensors-rows"):
                            yield AskingTensorPanel(head, id="tensors").data_bind(*shown, *practised)
                    with Panel(id="why-box", classes="panel"):
                        yield CursorText(self._why, id="why").data_bind(*shown)
            yield Static(id="notice")
            yield CursorText(self._progress, id="progress").data_bind(*shown)
        yield TooSmall("backprop-tui", id="too-small")
        yield Footer(compact=True, show_command_palette=self.size.width >= PALETTE_IN_FOOTER)

    def on_mount(self) -> None:
        self._check_size(self.size.width, self.size.height)
        self.mutate_reactive(BackpropApp.walk)  # the walk from __init__: its title, and lesson expr's fields
        self._fresh = self._fresh_notices()  # and its notices
        self._draw_notice()
        if has_page(self.lesson):
            screen = lesson_screen(self.lesson, self.options)
            self._keep_page(self.lesson, screen)
            self.push_screen(screen)

    def watch_theme(self, theme: str) -> None:
        use_palette(self, theme)  # the panels' ANSI colours follow the theme too

    @property
    def main(self) -> WalkthroughScreen:
        """The walkthrough's screen, at the bottom of the stack even while help or a page is open."""
        screen = self.screen_stack[0]
        assert isinstance(screen, WalkthroughScreen)
        return screen

    def load(self, walk: Walkthrough, cursor: int = 0) -> None:
        """Show a walkthrough at a cursor: a new one from its start, a lesson's kept one where it was left."""
        self.session = self._session_for(walk, seen=cursor)
        self.walk = walk
        self.cursor = cursor

    def watch_walk(self, walk: Walkthrough) -> None:
        title = Text(no_wrap=True, overflow="ellipsis")
        if walk.section:
            title.append(f"{walk.section} · ", style="bold")
        title.append_text(Text.assemble((walk.title, "bold"), "   ", (walk.formula, "grey62")))
        self.query_one("#title", Static).update(title)
        self.main.set_class(walk.lesson == "expr", "-expr")
        if walk.lesson == "expr" and not self.query("#expr-bar"):
            from .widgets.expr_bar import ExprBar  # its input fields load only for lesson expr

            self.query_one("#main").mount(ExprBar(id="expr-bar"), after="#title")
        self.refresh_bindings()

    def watch_cursor(self, cursor: int) -> None:
        """A step moves on from what the app last said; a notice shows on the notice line where it first holds."""
        self._message = None
        self._fresh = self._fresh_notices()
        self._draw_notice()
        for why in self.main.query("#why-box"):
            why.scroll_home(animate=False)  # each step's why from its start, as the step's own panel
        self.call_after_refresh(self._fit_tensors)
        self._show_practice(arrived=True)

    def _fit_tensors(self) -> None:
        """The tensors panel as tall as its rows, up to TENSORS_SHARE of the screen; the why panel gets the rest."""
        rows = self.main.query_one("#tensors-rows", Widget)
        needed = self.main.query_one(TensorPanel).outer_size.height
        rows.styles.height = max(min(needed, int(self.size.height * TENSORS_SHARE) - 3), 1)

    # --- the notice line: walkthrough notices as they become true, and what the app says ---

    def _fresh_notices(self) -> list[str]:
        """Notices of the walk true at the cursor and not shown on the notice line before (each shows once)."""
        walk = self.walk
        if self.lesson != walk.lesson:  # a lesson's page hides this walk: its notices wait until it shows
            return []
        if self._asks(walk, self.cursor):  # a notice could give the answer away: it waits for the reveal
            return []
        seen_walk, seen = self._seen.get(walk.lesson, (None, set()))
        if seen_walk is not walk:
            seen = set()
            self._seen[walk.lesson] = (walk, seen)
        true_now = walk.notices_at(self.cursor)
        fresh = [i for i, notice in enumerate(walk.notices) if notice in true_now and i not in seen]
        seen.update(fresh)
        return [walk.notices[i] for i in fresh]

    def _draw_notice(self) -> None:
        """The notice line: what the app said, then the notices that became true at this step (also in Why)."""
        line = self.query_one("#notice", Static)
        text = Text(no_wrap=True, overflow="ellipsis")
        if self._message is not None:
            text.append_text(self._message)
        for notice in self._fresh:
            text.append("   " if text else "")
            text.append("⚑ " + notice, style=NOTICE)
        line.update(text)
        line.set_class(bool(text), "-shown")

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """One line from the app: on the notice line under the panels, or as a toast over a lesson's page."""
        if self.screen is not self.main:
            self.notify(message, severity=severity)
            return
        self._message = Text(message, style=MESSAGE_STYLES[severity])
        self._draw_notice()

    # deliver(name, text): the one way the app hands the user a file (a handout, an export). Served in a
    # browser (--serve) it becomes a download; in a terminal it is written to the current directory.
    def deliver(self, name: str, text: str, mime_type: str | None = None) -> str | None:
        """Hand `text` to the user as the file `name` and say where it went; returns the path written, if any."""
        import io
        import os

        from ..output import TargetError, write

        if self.is_web:
            self.deliver_text(io.StringIO(text), save_filename=os.path.basename(name), mime_type=mime_type)
            self.say(f"Sent {os.path.basename(name)} to the browser as a download")
            return None
        path = os.path.abspath(name)
        try:
            write(path, text)
        except TargetError as error:
            self.say(str(error), severity="error")
            return None
        self.say(f"Saved {path}")
        return path

    def on_notify(self) -> None:
        """A toast replaces any other (handled before App's own handler adds it): they never stack up."""
        self.clear_notifications()

    # --- sizes and the graph fold ---

    @staticmethod
    def _size_classes(width: int, height: int) -> list[str]:
        classes = ["-too-small"] * too_small(width, height) + ["-narrow"] * (width < NARROW)
        return classes + ["-graph-folded"] * (height < FOLD_BELOW)

    def _check_size(self, width: int, height: int) -> None:
        main = self.main  # the walkthrough's screen, even while help is open
        classes = self._size_classes(width, height)
        for name in ("-too-small", "-narrow"):
            main.set_class(name in classes, name)
        for footer in main.query(Footer):
            footer.show_command_palette = width >= PALETTE_IN_FOOTER
        self._fold(self.graph_folded, height)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)
        self.call_after_refresh(self._fit_tensors)

    def action_toggle_graph(self) -> None:
        """Fold the graph panel to one line, or open it again."""
        self.graph_folded = not self.main.has_class("-graph-folded")

    def watch_graph_folded(self, folded: bool | None) -> None:
        self._fold(folded)

    def _fold(self, folded: bool | None, height: int | None = None) -> None:
        main = self.main  # a resize passes its new height: the app's size may not have caught up yet
        fold = (height or self.size.height) < FOLD_BELOW if folded is None else folded
        main.set_class(fold, "-graph-folded")
        if fold and main.focused is not None and main.focused.id == "graph-box":
            main.set_focus(None)
        main.mark_focus()

    def scroll_box(self) -> Widget:
        """page up and page down scroll the focused panel, else the step panel."""
        focused = self.main.focused
        return focused if isinstance(focused, Panel) else super().scroll_box()

    # --- switching what is shown ---

    def action_lesson(self, name: str) -> None:
        self.switch(name)

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
            self.say("This lesson has no initialization to change; press 1 for the network.", severity="warning")
            return
        options = self.options
        assert isinstance(options, INIT_OPTIONS), "only options with an init field offer starts"
        changed = replace(options, init=init)
        if self.switch(self.lesson, changed) and not slow_to_build(changed):  # else it says it is computing
            self.say(f"Initialization: {init}")

    def switch(self, name: str, options: Options | None = None) -> bool:
        """Open a lesson as it was left, or anew with the options given; one that cannot be built changes nothing."""
        lesson, fresh = LESSONS[name], options is not None
        options = options or self.options_of(name)
        walk, cursor, screen = None, 0, None
        self.wanted = name
        if isinstance(lesson, WalkthroughLesson) and (fresh or name not in self.walks) and slow_to_build(options):
            self.say(f"Computing {name} with {describe(options)}… (what is on screen stays until it is ready)")
            before = self.lesson_options.get(name)
            self.lesson_options[name] = options  # a second key (i again) goes on from these

            def done(built: Walkthrough) -> None:
                if self.wanted == name:
                    self._open(name, options, built, 0, None)
                else:  # the user went elsewhere meanwhile: the lesson opens built when they come back
                    self.walks[name] = (built, 0)

            def failed(error: LessonError) -> None:
                if before is not None:
                    self.lesson_options[name] = before
                self.say(f"Cannot open lesson {name}: {error}", severity="error")

            self.build_in_background(name, options, done, failed)
            return True
        try:
            if isinstance(lesson, WalkthroughLesson):
                kept = None if fresh else self.walks.get(name)
                walk, cursor = kept or (lesson.build(options), 0)
            else:
                kept_page = None if fresh else self.pages.get(name)
                screen = kept_page or lesson_screen(name, options)
        except LessonError as error:
            self.say(f"Cannot open lesson {name}: {error}", severity="error")
            return False
        self._open(name, options, walk, cursor, screen)
        return True

    def _open(self, name: str, options: Options, walk: Walkthrough | None, cursor: int, screen: Screen | None) -> None:
        """Show a lesson that is built: its walk at a cursor, or its page."""
        self.walks[self.walk.lesson] = (self.walk, self.cursor)
        self.lesson_options[name], self.lesson = options, name
        self.refresh_bindings()
        while len(self.screen_stack) > 1 and self.screen is not screen:  # leave help or another lesson's page
            self.pop_screen()  # a kept page stays installed, so popping it does not end it
        if screen is not None and self.screen is not screen:
            self._keep_page(name, screen)
            self.push_screen(screen)
        elif walk is not None:
            self.load(walk, cursor)

    @work(thread=True, exclusive=True, group="build")
    def build_in_background(
        self,
        name: str,
        options: Options | Callable[[], Options],
        done: Callable[[Walkthrough], None],
        failed: Callable | None = None,
    ) -> None:
        """Build a big walkthrough off the screen's thread; a newer build cancels this one, whose walk is dropped.

        `options` may be a function that makes them (lesson expr parses a long function there too).
        """
        worker = get_current_worker()
        lesson = LESSONS[name]
        assert isinstance(lesson, WalkthroughLesson)
        try:
            walk = lesson.build(options() if callable(options) else options)
        except LessonError as error:
            if not worker.is_cancelled:
                report = failed or (lambda error: self.say(f"Cannot open lesson {name}: {error}", severity="error"))
                self.call_from_thread(report, error)
            return
        if not worker.is_cancelled:
            self.call_from_thread(done, walk)

    def _keep_page(self, name: str, screen: Screen) -> None:
        """Install a lesson's page for the session; the page it replaces (not on the stack now) may end."""
        old = self.pages.get(name)
        if old is screen:
            return
        if old is not None:
            self.uninstall_screen(old)
        self.install_screen(screen, f"page-{name}-{id(screen)}")
        self.pages[name] = screen

    def action_cycle_unit(self) -> None:
        """The next hidden unit for the unit-by-unit route of ∂y/∂W⁽⁰⁾ (§3.1(d))."""
        routes = self.walk.units
        if self.walk.lesson != "mlp" or routes is None or not routes.count:
            return
        count = routes.count
        self.unit = (self.unit + 1) % count
        where = "" if self.cursor == routes.cursor else f"; its route shows at step {routes.cursor}"
        self.say(f"Hidden unit {self.unit + 1} of {count}{where}")

    # --- the function and point of lesson expr ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that mean nothing in the current lesson leave the Footer; so do those the answer field types."""
        if action in ("hint", "reveal"):
            return self.screen is self.main and self.asking()
        if action in TYPED and isinstance(self.screen.focused, AnswerField):
            return False
        if action == "cycle_init":
            return bool(self.inits())
        if action == "cycle_unit":
            return self.lesson == "mlp" and self.screen is self.main
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
        bar = event.bar

        def show_error(error: LessonError) -> None:
            bar.error = error if isinstance(error, ExpressionError) else ExpressionError(str(error), "expr")

        def make() -> ExprOptions:
            return options_for(settings, event.function, event.point, keep_old_point=not event.point_edited)

        def show(walk: Walkthrough) -> None:
            self.lesson_options["expr"] = walk_options["made"]
            self.load(walk)
            self.set_focus(None)

        walk_options: dict[str, ExprOptions] = {}

        def made() -> ExprOptions:
            walk_options["made"] = make()
            return walk_options["made"]

        if len(event.function) >= LONG_FUNCTION:  # parsing it takes more than a frame too: all of it off the screen
            self.say("Computing the walkthrough of this function…")
            self.build_in_background("expr", made, show, show_error)
            return
        try:
            options = made()
            walk = lesson.build(options)
        except LessonError as error:  # ExpressionError included
            show_error(error)
            return
        show(walk)

    # --- practice: a step that asks hides what it computes until the student answers or reveals it ---

    def _session_for(self, walk: Walkthrough, seen: int) -> Session | None:
        """The walk's practice session: kept per lesson, made when first practised (steps before `seen` were shown)."""
        kept = self.sessions.get(walk.lesson)
        if kept is not None and kept.walk is walk:
            if kept.level != self.practice:
                kept.set_level(self.practice)
            return kept
        if self.practice == WATCH or walk.lesson not in WITH_QUESTIONS:
            return None
        practice = practice_for(walk.lesson, self.options_of(walk.lesson), walk)
        assert isinstance(practice, WalkPractice), "a walkthrough's practice asks about its steps"
        session = Session(practice, self.practice, walk)
        session.revealed.update(range(seen))  # watched already
        self.sessions[walk.lesson] = session
        return session

    def _asks(self, walk: Walkthrough, cursor: int) -> bool:
        """Whether the step at this cursor of this walk asks (and hides its result) now."""
        session = self.session
        return session is not None and session.walk is walk and cursor > 0 and session.asking(cursor - 1)

    def asking(self) -> bool:
        """Whether the step at the cursor asks now."""
        return self._asks(self.walk, self.cursor)

    def validate_cursor(self, cursor: int) -> int:
        """Moving on stops at the first step that still asks; every step reached on the way is planned in order."""
        session = self.session
        if session is None or session.walk is not self.walk:
            return cursor
        for reached in range(1, cursor + 1):
            session.arrive(reached - 1)
            if session.asking(reached - 1):
                return reached
        return cursor

    def step_to(self, cursor: int) -> None:
        """On a step that asks, moving on opens the answer field instead (ctrl+r reveals the step)."""
        if self.asking() and cursor > self.cursor:
            self.answer_bar.open()
            return
        super().step_to(cursor)

    def watch_practice(self, level: str) -> None:
        self.session = self._session_for(self.walk, seen=self.cursor)
        self.cursor = self.cursor  # the step at the cursor may ask now, or no longer
        self.say(level_text(level))

    def set_practice(self, level: str) -> None:
        self.practice = level

    def action_cycle_practice(self) -> None:
        """watch → some → all → watch."""
        self.practice = LEVELS[(LEVELS.index(self.practice) + 1) % len(LEVELS)]

    @property
    def answer_bar(self) -> AnswerBar:
        return self.main.query_one(AnswerBar)

    def _why(self, walk: Walkthrough, cursor: int) -> Text:
        """Why the step works out as it does, or, while it asks, that this waits: the reasoning gives it away."""
        return hidden_why() if self._asks(walk, cursor) else why_text(walk, cursor)

    def _show_practice(self, arrived: bool = False) -> None:
        """The answer field, the why and the keys for the step at the cursor; arrived: a new question to ask."""
        main, session, asking = self.main, self.session, self.asking()
        main.set_class(asking, "-asking")
        main.query_one("#why", CursorText).update(self._why(self.walk, self.cursor))
        if asking and arrived and session is not None:
            record = session.current(self.cursor - 1)
            assert record is not None, "a step that asks has a question"
            self.answer_bar.ask(record.question.form)
            if self.screen is main:
                self.answer_bar.open()
        elif not asking and isinstance(main.focused, AnswerField):
            main.set_focus(None)
        self.refresh_bindings()

    def _changed(self) -> None:
        """An answer, a hint or a reveal: the panels draw again."""
        self.revision += 1
        self._show_practice()

    def _progress(self, walk: Walkthrough, cursor: int) -> Text:
        """The progress line; the last step is done only once it no longer asks."""
        return progress_text(walk, cursor, asking=self._asks(walk, cursor))

    def _shown(self, message: str) -> None:
        """The step is revealed: its notices may show now, and the app says so."""
        self._changed()
        progress = self.query_one("#progress", CursorText)
        progress.update(self._progress(self.walk, self.cursor))
        self._fresh = self._fresh_notices()
        self.say(message)

    def _next_words(self, index: int) -> str:
        """What to do now that step `index` shows."""
        if index + 1 < len(self.walk.trace):
            return f"{self.walk.trace.steps[index].label} is shown; n goes on."
        return "That was the last step: the summary of your answers is under it (pgdn)."

    def on_answer_bar_answered(self, event: AnswerBar.Answered) -> None:
        """Judge the answer: right moves to the next question (or shows the step), else says why, to try again."""
        session, index, bar = self.session, self.cursor - 1, event.bar
        if session is None or not self.asking():
            return
        typed = event.text.strip()
        if not typed:
            bar.say(Text(f"Type your answer, or {REVEAL_KEY} to reveal the step.", style="grey62"))
            return
        verdict = session.answer(index, typed)
        indent, width = bar.room()
        if verdict.verdict == INVALID:
            bar.say(verdict_text(verdict, typed, width, indent))
            return
        if not verdict.correct or session.asking(index):
            if verdict.correct:
                record = session.current(index)
                assert record is not None
                bar.ask(record.question.form)
            bar.say(verdict_text(verdict, typed, width))
            self._changed()
            return
        self._shown(f"✓ Right. {self._next_words(index)}")

    def action_hint(self) -> None:
        """The next hint of the question asked (up to three), under the answer field and in the step panel."""
        session, index = self.session, self.cursor - 1
        if session is None or not self.asking():
            return
        record = session.current(index)
        assert record is not None
        hint = session.hint(index)
        if hint is None:
            self.answer_bar.say(hint_text(None, len(record.question.hints)))
        self._changed()  # the step panel lists the hints taken

    def action_reveal(self) -> None:
        """Show the step at the cursor now: what was not answered counts as revealed."""
        session, index = self.session, self.cursor - 1
        if session is None or not self.asking():
            return
        session.reveal(index)
        self._shown(f"Revealed. {self._next_words(index)}")

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def on_event(self, event: events.Event) -> None:
        """While a demo plays (--play), the person's first key stops it and goes no further."""
        if self.player is not None and isinstance(event, events.Key) and not event.is_forwarded:
            if self.player.takes(event):
                return
        await super().on_event(event)

    def action_save_handout(self) -> None:
        """Ask where to save the current lesson's handout, and in which format (ctrl+s, the palette)."""
        from .screens.save_dialog import Dialog, SaveDialog, current_handout

        if not isinstance(self.screen, Dialog):  # one dialog at a time: ctrl+s again inside one does nothing
            self.push_screen(SaveDialog(*current_handout(self)))

    def action_load_params(self) -> None:
        """Ask for a problem set's network (a --params file) and open lesson mlp with it."""
        from .screens.load_params import LoadParamsDialog
        from .screens.save_dialog import Dialog

        if isinstance(self.screen, Dialog):
            return
        params = getattr(self.options_of("mlp"), "params", None)
        self.push_screen(LoadParamsDialog(params.source if params is not None else ""))

    def on_load_params_dialog_loaded(self, event: LoadParamsDialog.Loaded) -> None:
        """Open lesson mlp with a network read from a file (a big one says it is computing instead)."""
        options, before = event.options, self.walk
        if self.switch("mlp", options) and self.walk is not before:
            self.say(f"Network from {event.typed}: d = {options.d}, h = {options.h}")
