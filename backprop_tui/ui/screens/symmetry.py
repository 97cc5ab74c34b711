"""Lesson symmetry on screen: a constant start and a random start trained side by side."""

from __future__ import annotations

import math
import re
import time
from dataclasses import replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from ...engine.notation import layer_label, number
from ...lessons import SymmetryOptions, Walkthrough
from ...lessons import symmetry as lesson
from ...lessons.draws import Normals
from ...render.curves import Curve, sparkline
from ...render.matrices import Block, row_width, side_by_side
from ...render.steps import phase, render_step
from ...render.styles import GRAD, HEADING, MUTED, VALUE
from ..stepping import Stepping, TooSmall, too_small
from ..widgets.loss_plot import LossPlot
from ..widgets.page_answer import ERROR, RIGHT, WRONG, PageAnswer, PredictionField, caret_text, practice_level

SIDE_STYLES = ("orange1", "deep_sky_blue1")  # the symmetric side's colour, the random side's
UNIT_STYLES = ("green3", "magenta", "yellow", "dodger_blue1", "red1", "cyan", "orchid", "chartreuse1")
CONSTANTS = (0.0, 0.3, 0.5, 1.0, -0.5)  # what c cycles through; 0 is the zero start
NUDGE = 1e-3  # standard deviation of the perturbation s adds
NUDGE_SEED = 12345
RATE = 60  # autoplay steps per second
TICK = 1 / 30  # seconds between autoplay frames
MAX_PER_TICK = 10  # catch up after a slow frame, but never freeze the screen doing it
SHORT = 32  # below this height the step view replaces the sides as well as the plot
CELL = 7  # a prediction and its gap
MAX_UNITS = lesson.MAX_UNITS
PREDICT_AT = lesson.DEFAULT_STEPS  # practice asks how many distinct units each side has after this many steps
# the actions of keys the answer field takes as text: out of the Footer while it has the keys
TYPED = frozenset({"train", "autoplay", "reseed", "cycle_constant", "nudge", "next", "previous", "forward_end"})


def side_name(run: lesson.Run) -> str:
    """How a side is called on screen: "zero", "constant 0.3" or "random (seed 0)"."""
    if run.init == "random":
        return f"random (seed {run.seed})"
    return "zero" if run.init == "zero" else f"constant {number(run.const or 0.0)}"


def _shown_units(h: int, rows: int) -> list[int | None]:
    """Units to list in at most `rows` rows: all, or the first ones, None for a "⋮" row, and the last."""
    if h <= rows:
        return list(range(h))
    return list(range(max(rows - 2, 1))) + [None, h - 1]


def _column_widths(columns: list[list[str]], heads: list[str]) -> list[int]:
    """Each column as wide as its widest entry (or heading) plus one space, so that no two entries ever touch."""
    return [max(len(head), *(len(entry) for entry in column)) + 1 for column, head in zip(columns, heads, strict=True)]


def unit_table(run: lesson.Run, width: int, rows: int = MAX_UNITS, grouped: bool = True) -> Text:
    """W⁽⁰⁾ rows, b⁽⁰⁾ and W⁽¹⁾ per hidden unit; units that are the same share a colour and say so ("=1").

    Not `grouped` (a prediction of the counts is awaited), each unit has a colour of its own and no "=1".

    Every column is as wide as its widest entry plus a space: three significant
    digits when the table fits the width, else two; W⁽⁰⁾'s last columns give way
    to "…" only when even two digits do not fit.
    """
    W0, b0, W1 = run.params["W0"], run.params["b0"], run.params["W1"]
    h, d = W0.shape
    groups = run.groups() if grouped else list(range(h))
    colour = {g: UNIT_STYLES[i % len(UNIT_STYLES)] for i, g in enumerate(dict.fromkeys(groups))}
    units = _shown_units(h, rows)
    shown = [i for i in units if i is not None]
    label = max(2 + 2 * len(str(h)), len("unit") + 1)  # "●12=3", or the heading "unit" and a space
    w0_head, b0_head, w1_head = f"{layer_label('W0')} row", layer_label("b0"), layer_label("W1")

    def table(digits: int, cols: list[int | None]) -> tuple[list[list[str]], list[int], int]:
        columns = [["…"] * len(shown) if c is None else [number(float(W0[i, c]), digits) for i in shown] for c in cols]
        columns += [[number(float(b0[i]), digits) for i in shown], [number(float(W1[0, i]), digits) for i in shown]]
        widths = _column_widths(columns, [""] * len(cols) + [b0_head, w1_head])
        spare = len(w0_head) + 1 - sum(widths[: len(cols)])  # the W⁽⁰⁾ heading spans its columns
        if spare > 0:
            widths[0] += spare
        return columns, widths, label + sum(widths)

    everything: list[int | None] = list(range(d))
    for digits in (3, 2):
        columns, widths, total = table(digits, everything)
        if total <= width:
            break
    else:  # still too wide: W⁽⁰⁾'s last columns give way, one by one
        kept = d - 1
        while kept > 1:
            columns, widths, total = table(2, [*range(kept), None])
            if total <= width:
                break
            kept -= 1
        else:
            columns, widths, total = table(2, [0, None])
    cols = len(columns) - 2
    text = Text(no_wrap=True, overflow="crop")
    text.append("unit".ljust(label), style=HEADING)
    text.append(" " + w0_head.center(sum(widths[:cols]) - 1), style=HEADING)  # a space, as before every column
    text.append(b0_head.rjust(widths[-2]) + w1_head.rjust(widths[-1]) + "\n", style=HEADING)
    row = 0
    for i in units:
        if i is None:
            text.append(f" ⋮  {h - len(shown)} more units\n", style=MUTED)
            continue
        style = colour[groups[i]]
        text.append("●", style=style)
        text.append(str(i + 1), style=f"bold {style}")
        text.append((f"={groups[i] + 1}" if groups[i] != i else "").ljust(label - 1 - len(str(i + 1))), style=MUTED)
        for column, w in zip(columns, widths, strict=True):
            text.append(column[row].rjust(w), style=style)
        text.append("\n")
        row += 1
    text.append(f"{layer_label('b1')} = ", style=MUTED)
    text.append(number(float(run.params["b1"]), 4), style=VALUE)
    return text


def side_text(run: lesson.Run, width: int, rows: int = MAX_UNITS, counted: bool = True) -> Text:
    """One side: the distinct-unit counter, the table, the loss and the largest row difference over time.

    Without `counted` (a prediction is awaited) the counter shows "?".
    """
    h = run.params["W0"].shape[0]
    distinct = run.distinct()
    text = Text(no_wrap=True, overflow="crop")
    text.append("distinct hidden units: ", style=HEADING)
    if counted:
        text.append(f"{distinct} of {h}\n", style="bold green" if distinct == h else "bold yellow")
    else:
        text.append(f"? of {h}\n", style="bold")
    text.append_text(unit_table(run, width, rows, counted))
    text.append("   loss ", style=MUTED)
    text.append(number(run.loss, 4) if not run.diverged else "diverged", style=VALUE)
    gap = run.gaps[-1]
    text.append("\nlargest row difference: ", style=MUTED)
    text.append(("0 exactly" if gap == 0 else number(gap, 3)) + "\n", style=VALUE)
    text.append("over time, log ", style=MUTED)
    text.append_text(sparkline(run.gaps, max(width - 15, 4)))
    return text


def predictions_text(runs: tuple[lesson.Run, lesson.Run]) -> Text:
    """Every data point: its bits, its target and both sides' predictions."""
    X, t = runs[0].problem.X, runs[0].problem.t
    outcomes = [run.outcome for run in runs]
    d = X.shape[1]
    text = Text(no_wrap=True, overflow="crop")
    text.append("x".ljust(max(d, 1) + 2) + "t".rjust(2), style=HEADING)
    for run, style in zip(runs, SIDE_STYLES, strict=True):
        short = "zero" if run.init == "zero" else "const" if run.init == "constant" else "rand"
        text.append(short.rjust(CELL), style=f"bold {style}")
    for n in range(X.shape[0]):
        text.append("\n" + "".join(str(int(v)) for v in X[n]).ljust(max(d, 1) + 2), style=MUTED)
        text.append(f"{int(t[n])}".rjust(2))
        for outcome, style in zip(outcomes, SIDE_STYLES, strict=True):
            value = float(outcome.predictions[n])
            text.append(" " + (number(value, 2) if math.isfinite(value) else "—").rjust(CELL - 1),
                        style=f"bold {style}" if outcome.right[n] else style)
    return text


def notes(runs: tuple[lesson.Run, lesson.Run], event: str | None) -> tuple[str, list[str]]:
    """The note under the sides: its title and lines, each said only once it is true and shown.

    Why only b⁽¹⁾ moves waits for a training step, which shows it (before it, it
    would give away §3.2(b)); divergence and a nudge are said while they hold.
    """
    lines = []
    stuck = [run.outcome.stuck for run in runs if run.step >= 1 and run.outcome.stuck]
    lines += stuck[:1]
    diverged = [side_name(run) for run in runs if run.diverged]
    if diverged:
        who = "Both sides" if len(diverged) == 2 else f"The {diverged[0]} side"
        lines.append(f"{who} diverged: the learning rate {number(runs[0].problem.lr)} is too large.")
    symmetric = runs[0]
    if symmetric.nudged_at is not None:
        lines.append(
            f"Nudged at step {symmetric.nudged_at}: every parameter of the {side_name(symmetric)} side moved by about "
            f"{number(NUDGE)}, so its units differ, get different gradients, and training can pull them apart."
        )
    if event:
        lines.append(event)
    return ("Why only b⁽¹⁾ moves" if stuck else "Note"), lines


def batch_text(view: lesson.BatchView, width: int) -> Text:
    """A batched step as its operation: the equation, its real shapes, the broadcast in words, then the matrices."""
    text = Text()
    text.append(view.equation + "\n", style="bold")
    text.append("shapes  ", style=MUTED)
    text.append(view.shapes + "\n")
    text.append(view.words + "\n", style=MUTED)
    if view.operands:
        text.append("\n")
        whole = side_by_side(_blocks(view.operands), list(view.operators), 10**6)
        if row_width(whole) <= width or not view.parts:
            text.append_text(whole if row_width(whole) <= width else
                             side_by_side(_blocks(view.operands), list(view.operators), width))
        else:  # too wide for one line: the product, the broadcast bias, then their sum, each a line
            for k, (operands, operators) in enumerate(view.parts):
                text.append("\n" if k else "")
                text.append_text(side_by_side(_blocks(operands), list(operators), width))
                text.append("\n")
    text.rstrip()
    return text


def _blocks(operands) -> list[Block]:
    """Values in the values' colour, gradients (∂…) in the gradients', as in the rest of the step."""
    return [Block(label, value, GRAD if "∂" in label else VALUE) for label, value in operands]


class PredictionError(ValueError):
    """A prediction that cannot be read: why, and the 0-based column of the problem."""

    def __init__(self, message: str, position: int):
        super().__init__(message)
        self.message, self.position = message, position


_TOKEN = re.compile(r"\s*(?:(\d+)|([,;/]|and\b)|(\S))", re.IGNORECASE)


def read_prediction(text: str, h: int, first: str = "zero") -> tuple[int, int]:
    """Two whole counts, the symmetric (`first`) side's first: "1, 4", "1 4", "1; 4" or "1 and 4", each 1 … h."""
    counts: list[int] = []
    for match in _TOKEN.finditer(text):
        number, _separator, other = match.groups()
        if other is not None:
            raise PredictionError(f"type two whole numbers, the {first} side's count first, like 3, 2",
                                  match.start(3))
        if number is None:
            continue
        if len(counts) == 2:
            raise PredictionError("two numbers only: one for each side", match.start(1))
        if not 1 <= int(number) <= h:
            raise PredictionError(f"each side has {h} hidden unit{'s' if h > 1 else ''}: "
                                  f"a count is {'1' if h == 1 else f'1 to {h}'}", match.start(1))
        counts.append(int(number))
    if len(counts) < 2:
        raise PredictionError(f"two numbers: the {first} side's count, then the random side's", len(text.rstrip()))
    return counts[0], counts[1]


def short_name(run: lesson.Run) -> str:
    """A side in a few letters: zero, constant or random."""
    return run.init if run.init in ("zero", "constant", "random") else side_name(run)


def prediction_prompt(runs: tuple[lesson.Run, lesson.Run]) -> Text:
    """The question asked before training, with what to type and which keys wait."""
    h = runs[0].params["W0"].shape[0]
    text = Text()
    text.append("Predict first: ", style=HEADING)
    text.append(
        f"how many distinct hidden units will the {side_name(runs[0])} side have after {PREDICT_AT} steps? "
        f"And the random side? (Each side has {h}.)",
        style="bold",
    )
    text.append(
        f"\nTwo whole numbers, the {short_name(runs[0])} side's first, like 3, 2; enter checks. "
        "Training waits for your answer; esc skips the prediction.",
        style=MUTED,
    )
    return text


def prediction_line(runs: tuple[lesson.Run, lesson.Run], predicted: tuple[int, int],
                    reached: tuple[int, int] | None, nudged: int | None) -> Text:
    """What was predicted, and once PREDICT_AT steps are reached whether it was right, with the actual counts."""
    names = [short_name(run) for run in runs]
    text = Text()
    text.append("Your prediction: ", style=HEADING)
    text.append(f"{names[0]} {predicted[0]}, {names[1]} {predicted[1]}", style="bold")
    if reached is None:
        text.append(f"   checked at step {PREDICT_AT} (now step {runs[0].step})", style=MUTED)
        return text
    text.append(f"   at step {PREDICT_AT}: {names[0]} {reached[0]}, {names[1]} {reached[1]}")
    right = [p == r for p, r in zip(predicted, reached, strict=True)]
    if all(right):
        text.append(" · right on both sides", style=RIGHT)
    elif any(right):
        wrong = names[right.index(False)]
        text.append(f" · right on the {names[right.index(True)]} side, not on the {wrong} side", style=WRONG)
    else:
        text.append(" · not right on either side", style=WRONG)
    if nudged is not None:
        text.append(f"  (the {names[0]} side was nudged at step {nudged})", style=MUTED)
    return text


class SymmetryScreen(Stepping, Screen):
    """The symmetric side on the left, the random side on the right, their losses below.

    In practice (the app's level some or all) the page first asks a prediction:
    how many distinct hidden units each side will have after PREDICT_AT steps.
    Training waits for it (escape skips it); it stays on screen while the student
    trains, and at PREDICT_AT steps the line says whether it was right.
    """

    TRAIN = Binding.Group("Train")
    STEP = Binding.Group("Step")
    BINDINGS = [
        Binding("t", "train(1)", "1 step", group=TRAIN),
        Binding("T", "train(10)", "10 steps", group=TRAIN),
        Binding("a", "autoplay", "Auto"),
        Binding("r", "reseed", "Seed"),
        Binding("c,i", "cycle_constant", "Const"),
        Binding("s", "nudge", "Nudge"),
        Binding("tab", "switch_side", "Side"),
        Binding("n,space,right", "next", "Next", group=STEP),
        Binding("p,left", "previous", "Back", group=STEP),
        Binding("home", "first", "Start", show=False),
        Binding("end", "last", "End", show=False),
        Binding("f", "forward_end", "End of forward", show=False),
        Binding("escape", "close_steps", "Close steps", show=False),
        Binding("pagedown", "scroll_step(1)", show=False),
        Binding("pageup", "scroll_step(-1)", show=False),
    ]

    CSS_PATH = "symmetry.tcss"
    STEP_BOX = "#steps"

    side: reactive[int] = reactive(0)  # 0 the symmetric side, 1 the random side: n / p walk it
    cursor: reactive[int | None] = reactive(None, init=False)  # None: no step view; else 0 … len(trace)
    playing: reactive[bool] = reactive(False, init=False)

    def __init__(self, options: SymmetryOptions):
        super().__init__()
        self.config = lesson.config(options)
        self.runs = lesson.sides(self.config)
        self.walk: Walkthrough | None = None
        self._rng = Normals(NUDGE_SEED)
        self._timer: Timer | None = None
        self._resume_playing = False  # autoplay was on when another screen covered this one
        self.event: str | None = None  # what the last restart did, said until training starts
        self._last_tick = 0.0
        self.level = "watch"  # the app's practice level, read on mount and followed after
        self.predicted: tuple[int, int] | None = None  # the student's distinct-unit counts: symmetric, random
        self.skipped = False  # escape skipped the prediction
        self.reached: tuple[int, int] | None = None  # the counts when the sides reached PREDICT_AT steps
        self.nudged_before: int | None = None  # the step of a nudge before PREDICT_AT, which breaks the symmetry

    def compose(self) -> ComposeResult:
        yield Static(id="sym-title")
        with Horizontal(id="sides"):
            yield Static(id="side-0", classes="side panel")
            yield Static(id="side-1", classes="side panel")
        yield Static(id="sym-note", classes="panel")
        with Horizontal(id="charts"):
            yield LossPlot(id="loss", classes="panel")
            yield Static(id="predictions", classes="panel")
        with VerticalScroll(id="steps", classes="panel"):
            yield Static(id="step-view")
        yield PageAnswer(placeholder="two numbers, then enter", field=PredictionField, id="predict", classes="-idle")
        yield TooSmall("This lesson", id="sym-small")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#loss").border_title = "Loss ½·mean((y − t)²), log scale"
        self.query_one("#predictions").border_title = "Predictions"
        self._check_size(self.app.size.width, self.app.size.height)
        self.level = practice_level(self.app)
        if hasattr(type(self.app), "practice"):  # the app's reactive level
            self.watch(self.app, "practice", self._level_changed, init=False)
        self.redraw()
        if self.awaiting:
            self.query_one(PageAnswer).open()

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)
        self.call_after_refresh(self.redraw)

    def _check_size(self, width: int, height: int) -> None:
        self.set_class(too_small(width, height), "-too-small")
        # a short terminal gives the step view the sides' rows while it is open
        self.set_class(height < SHORT, "-short")

    # --- drawing: everything below reads the runs; nothing recomputes the maths ---

    def redraw(self) -> None:
        """Refresh every part that depends on the training state."""
        self._draw_title()
        self._draw_side_titles()
        for i, run in enumerate(self.runs):
            box = self.query_one(f"#side-{i}", Static)
            box.border_subtitle = f"nudged at step {run.nudged_at}" if run.nudged_at is not None else ""
            box.update(side_text(run, max(box.content_size.width, 30), self._unit_rows(), not self.awaiting))
        title, lines = notes(self.runs, self.event)
        note = self.query_one("#sym-note", Static)
        note.set_class(bool(lines), "-shown")
        note.border_title = title
        note.update("\n".join(lines))
        if self.cursor is None:
            self._draw_charts()
        else:  # the step view, laid out again for the width it has now
            self._draw_steps(keep_scroll=True)
        self._draw_prediction()

    # --- practice: one prediction before training ---

    @property
    def awaiting(self) -> bool:
        """Whether the prediction is asked and not yet given: training waits for it."""
        return (self.level != "watch" and self.predicted is None and not self.skipped
                and self.runs[0].step < PREDICT_AT)

    def _draw_prediction(self, said: Text | str = "") -> None:
        """The question while it waits, then the prediction (and at PREDICT_AT steps its verdict); watch: nothing."""
        box = self.query_one(PageAnswer)
        shown = self.level != "watch" and (self.awaiting or self.predicted is not None)
        box.set_class(not shown, "-idle")
        if not shown:
            if box.field.has_focus:
                self.set_focus(None)
            return
        if self.awaiting:
            if not box.asking:
                box.ask(prediction_prompt(self.runs), focus=False)
            else:
                box.prompt(prediction_prompt(self.runs))
            box.say(said)
            return
        assert self.predicted is not None, "a prediction is shown once given"
        box.close(prediction_line(self.runs, self.predicted, self.reached, self.nudged_before))
        box.say(said)

    def _level_changed(self, level: str) -> None:
        self.level = practice_level(self.app)
        self.redraw()
        if self.awaiting:
            self.playing = False
            self.query_one(PageAnswer).open()

    @on(PageAnswer.Answered)
    def _answered(self, event: PageAnswer.Answered) -> None:
        if not self.awaiting:
            return
        h = self.runs[0].params["W0"].shape[0]
        try:
            self.predicted = read_prediction(event.text, h, short_name(self.runs[0]))
        except PredictionError as error:
            box = self.query_one(PageAnswer)
            self._draw_prediction(caret_text(event.text, error.message, error.position, box.feedback_width()))
            return
        self.set_focus(None)
        self.redraw()  # the counters show again, and the prediction stays on its line

    @on(PageAnswer.Left)
    def _skipped(self) -> None:
        if self.awaiting:
            self.skipped = True
            self.set_focus(None)
            self.redraw()

    def _hold(self) -> bool:
        """A training or stepping key while the prediction waits: the keys go back to the field, and a line says why."""
        if not self.awaiting:
            return False
        self._draw_prediction(Text("Answer first, or press esc to skip the prediction: training waits for it.",
                                   style=ERROR))
        self.query_one(PageAnswer).open()
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the field has the keys, the keys it takes leave the Footer (tab still changes side)."""
        focused = self.focused
        if focused is not None and focused.id == "answer-input" and action in TYPED:
            return False
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def _unit_rows(self) -> int:
        """Table rows for hidden units, so that the sides take about half the screen."""
        return max(self.app.size.height // 2 - 7, 3)

    def _draw_side_titles(self) -> None:
        """Each side's name; ▸ marks the side that n / p and tab work on."""
        for i, run in enumerate(self.runs):
            box = self.query_one(f"#side-{i}", Static)
            box.border_title = ("▸ " if i == self.side else "") + side_name(run)
            box.set_class(i == self.side, "-selected")

    def _draw_title(self) -> None:
        c = self.config
        step = self.runs[0].step
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(" symmetry ", style="bold reverse")
        title.append(f"  {lesson.SECTION} · ", style=HEADING)
        title.append(f"step {step}", style="bold")
        if self.playing:
            title.append(" ▶ autoplay", style="bold green")
        title.append(f"  {c.data.upper()} of {c.d} bits · h = {c.h} · {c.activation} · lr {number(c.lr)}")
        if self.cursor is not None:
            title.append(f"  · stepping through the {side_name(self.runs[self.side])} side", style=MUTED)
        self.query_one("#sym-title", Static).update(title)

    def _draw_charts(self) -> None:
        self.query_one("#predictions", Static).update(predictions_text(self.runs))
        # the legend names the sides briefly; their panels carry the seed
        self.query_one(LossPlot).curves = tuple(
            Curve(side_name(run).split(" (")[0], run.losses, style, dotted=i == 1)
            for i, (run, style) in enumerate(zip(self.runs, SIDE_STYLES, strict=True))
        )

    def _draw_steps(self, keep_scroll: bool = False) -> None:
        view = self.query_one("#step-view", Static)
        box = self.query_one("#steps", VerticalScroll)
        walk, cursor = self.steps(), self.cursor
        assert cursor is not None, "steps are drawn while the step view is open"
        box.border_title = f"{walk.title} · {phase(walk, cursor)} · step {cursor} of {len(walk.trace)}"
        box.border_subtitle = "n / p step · tab other side · escape back to the plot"
        # a box that has just been shown has no size yet: the screen's width less its border, then again once laid out
        width = box.content_size.width or max(self.size.width - 5, 40)
        if not box.content_size.width:
            self.call_after_refresh(self._relayout_steps, width)
        text = Text()
        why = walk.why[cursor]
        if why:
            text.append(why + "\n\n", style=MUTED)
        batch = lesson.batch_view(walk, cursor)
        if batch is not None and phase(walk, cursor) == "forward":
            text.append_text(batch_text(batch, width))  # the operation itself, in place of operands listed
        else:
            text.append_text(render_step(walk, cursor, width))
            if batch is not None:
                text.append("\n\nover the batch\n", style=HEADING)
                text.append_text(batch_text(batch, width))
        view.update(text)
        if not keep_scroll:
            box.scroll_home(animate=False)

    def _relayout_steps(self, width: int) -> None:
        """Draw the open step view again if its box turned out another width than guessed."""
        box = self.query_one("#steps", VerticalScroll)
        if self.cursor is not None and box.content_size.width and box.content_size.width != width:
            self._draw_steps(keep_scroll=True)

    # --- reacting to state ---

    def watch_side(self, side: int) -> None:
        self._draw_side_titles()
        if self.cursor is not None:
            self.walk = self.runs[side].walkthrough(side_name(self.runs[side]))
            self._draw_steps()
        self._draw_title()

    def watch_cursor(self, cursor: int | None) -> None:
        self.set_class(cursor is not None, "-stepping")
        if cursor is None:
            self.walk = None
            self._draw_charts()
        else:
            self.steps()
            self._draw_steps()
        self._draw_title()

    def watch_playing(self, playing: bool) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if playing:
            self._last_tick = time.monotonic()
            self._timer = self.set_interval(TICK, self._tick)
        self._draw_title()

    def on_screen_suspend(self) -> None:
        """Help or another lesson on top: training pauses rather than run unseen."""
        self._resume_playing = self.playing
        self.playing = False

    def on_screen_resume(self) -> None:
        """Back on screen, as it was left: sizes checked again (the terminal may have changed), autoplay resumed."""
        self._check_size(self.app.size.width, self.app.size.height)
        self.call_after_refresh(self.redraw)
        if self.awaiting:
            self.query_one(PageAnswer).open()
        if self._resume_playing:
            self._resume_playing = False
            self.playing = True

    # --- training ---

    def train(self, steps: int) -> None:
        """Both sides take the same number of gradient-descent steps; any step view closes.

        Passing PREDICT_AT steps, the sides stop there a moment to count their distinct units.
        """
        start = self.runs[0].step
        if self.reached is None and start < PREDICT_AT <= start + steps:
            for run in self.runs:
                run.advance(PREDICT_AT - start)
            self.reached = (self.runs[0].distinct(), self.runs[1].distinct())
            self.nudged_before = self.runs[0].nudged_at
            steps -= PREDICT_AT - start
        for run in self.runs:
            run.advance(steps)
        self.event = None
        self.cursor = None
        self.redraw()

    def _tick(self) -> None:
        now = time.monotonic()
        due = min(max(round((now - self._last_tick) * RATE), 1), MAX_PER_TICK)
        self._last_tick = now
        self.train(due)
        if all(run.diverged for run in self.runs):
            self.playing = False  # the note under the sides says why

    def restart(self, event: str, **changes) -> None:
        """Both sides from step 0 with changed options (a new seed or constant); the note says so until training."""
        self.config = replace(self.config, **changes)
        self.runs = lesson.sides(self.config)
        self._rng = Normals(NUDGE_SEED)
        self.reached = self.nudged_before = None  # a prediction is checked on the new sides
        self.event = event.format(seed=self.config.seed, side=side_name(self.runs[0]))
        self.cursor = None
        self.redraw()

    # --- actions ---

    def action_train(self, steps: int) -> None:
        if not self._hold():
            self.train(steps)

    def action_autoplay(self) -> None:
        if not self._hold():
            self.playing = not self.playing

    def action_reseed(self) -> None:
        self.restart(seed=self.config.seed + 1, event="Random side reseeded: seed {seed}; both sides start again.")

    def action_cycle_constant(self) -> None:
        current = self.config.const
        following = CONSTANTS[(CONSTANTS.index(current) + 1) % len(CONSTANTS)] if current in CONSTANTS else CONSTANTS[0]
        self.restart(init="zero" if following == 0 else "constant", const=following,
                     event="Symmetric side: {side}; both sides start again.")

    def action_nudge(self) -> None:
        if self._hold():
            return
        self.runs[0].nudge(self._rng, NUDGE)
        self.cursor = None
        self.redraw()  # the note under the sides says what the nudge did

    def action_switch_side(self) -> None:
        self.side = 1 - self.side

    # --- stepping through the selected side's training step ---

    def steps(self) -> Walkthrough:
        """The selected side's current training step as a walkthrough, made when the step view opens."""
        if self.walk is None:
            self.walk = self.runs[self.side].walkthrough(side_name(self.runs[self.side]))
        return self.walk

    def step_to(self, cursor: int) -> None:
        if self._hold():  # a training step's why says what becomes of identical units
            return
        self.playing = False
        super().step_to(cursor)

    def action_previous(self) -> None:
        """Back a step; back from the start closes the step view."""
        if self.cursor is not None:
            self.cursor = None if self.cursor == 0 else self.cursor - 1

    def action_close_steps(self) -> None:
        self.cursor = None
