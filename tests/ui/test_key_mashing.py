"""Key mashing: ten thousand seeded keys across the six lessons, resizes down to 1×1, and the app holds.

Most keys do at once what the app does with them: the action their binding names
runs, or, in a focused field, the character is typed. A few hundred go through the
pilot as real key presses (each waits ~60 ms), and functions, hostile ones among
them, are typed into lesson expr's fields and submitted. After every key the app is
still running, its cursor is inside the trace and the step panel shows that step;
a lesson screen's own step view does the same. Left out: the quit keys, and in the
command palette enter, page up and page down (see PALETTE_LEFT_OUT).

What was tried is added to the robustness tally printed after the run:
"mash: keys: 10,000, mash: real presses: …, mash: functions typed: …, mash: points typed: …,
mash: resizes: …, mash: failures: 0".
"""

from __future__ import annotations

import asyncio
import random
import string

from textual.command import CommandPalette
from textual.widgets import Input

from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.chain import ChainScreen
from backprop_tui.ui.screens.help import HelpScreen
from backprop_tui.ui.screens.lesson_page import LessonPage
from backprop_tui.ui.screens.methods import MethodsScreen
from backprop_tui.ui.screens.symmetry import SymmetryScreen
from backprop_tui.ui.stepping import MIN_HEIGHT, MIN_WIDTH
from backprop_tui.ui.widgets.expr_bar import ExprBar
from backprop_tui.ui.widgets.step_panel import StepPanel

SEED = 2024
KEYS_SENT = 10_000
PRESS_EVERY = 60  # one key in this many is a real press through the pilot
RESIZE_EVERY = 200
SETTLE_EVERY = 200  # the app catches up with all that the keys posted at least this often (a pause costs ~10 ms)
FOCUSING = {"enter", "escape", "tab", "shift+tab", "e"}  # keys that may move the focus, which happens a moment later
LEAVE_PALETTE = 0.3  # in the command palette, the chance that the next key is escape: a few keys, then out
RARE = {"1": 0.06, "2": 0.06, "3": 0.06, "4": 0.06, "5": 0.06, "6": 0.06, "question_mark": 0.15, "ctrl+p": 0.15}
TYPE_IN_EXPR = 0.03  # on lesson expr's page, the chance that the next key is a whole function typed instead
TYPE_FOR_REAL = 0.1  # the share of those typed key by key through the pilot
SIZES = [(1, 1), (2, 1), (1, 4), (7, 3), (30, 8), (MIN_WIDTH - 1, MIN_HEIGHT - 1), (MIN_WIDTH, MIN_HEIGHT)]
SIZES += [(80, 24), (109, 30), (120, 40)]
QUIT = {"q", "ctrl+q"}  # the keys that end the app on purpose
# Not in the command palette: enter runs whatever command is highlighted (quitting, a screenshot to a file), and
# page up / page down raise KeyError in Textual 8.2.8 when they come while the search refills the list
# (OptionList._move_page reads line numbers that are only made when the list is next drawn).
PALETTE_LEFT_OUT = {"enter", "tab", "shift+tab", "pageup", "pagedown"}
FUNCTIONS = [
    "x^(1/0)",
    "x^9^9^9",
    "((((",
    "log(x)+y",
    "x*sin(y) + exp(-x^2)",
    "x/0",
    "sqrt(-x)",
    "log(0*x)",
    "0^0",
    "",
    "x+",
    "tan(x)^100000",
    "exp(1000*x)",
    "((x))",
    "x^x^x^x^x",
    "1e999*x",
    "x!!",
    "sin",
    "atan2(x)",
    "y",
    "x*y*z*w",
    "(x-1)^0.5",
    "))",
    "x^^2",
    "é*x",
    "x" * 300,
    "+".join(f"x{i}" for i in range(60)),
    "sin(cos(tan(tanh(x))))",
]
POINTS = ["x=1, y=2", "x=0", "x=1e308, y=-1e308", "y=", "x=nan", "z=3", "", "x=1,,y=2", "x=-0, y=inf", "x=1 y=2"]
CHARACTERS = {"space": " ", "question_mark": "?"} | {c: c for c in string.ascii_letters + string.digits}


def key_pool() -> list[str]:
    """Every bound key of the app and its screens, letters, digits and the keys people press; not the quit keys."""
    bound = {
        key.strip()
        for cls in (BackpropApp, SymmetryScreen, MethodsScreen, ChainScreen, LessonPage, HelpScreen, ExprBar)
        for binding in cls.BINDINGS
        for key in binding.key.split(",")
    }
    named = {"up", "down", "left", "right", "tab", "shift+tab", "enter", "escape", "ctrl+p", "backspace", "ctrl+c"}
    return sorted((bound | set(CHARACTERS) | named) - QUIT)


async def run_key(app: BackpropApp, key: str) -> bool:
    """What pressing the key does, done now: type it into a focused field, or run its binding's action."""
    focused = app.focused
    if isinstance(focused, Input) and key in CHARACTERS:
        focused.insert_text_at_cursor(CHARACTERS[key])
        return True
    active = app.active_bindings.get(key)
    if active is None or not active.enabled:
        return False
    await app.run_action(active.binding.action, active.node)
    return True


def broken(app: BackpropApp, settled: bool) -> str | None:
    """What is wrong with the app now, if anything."""
    if not app.is_running or app.return_code is not None:
        return "the app stopped"
    walk, cursor = app.walk, app.cursor
    if not 0 <= cursor <= len(walk.trace):
        return f"cursor {cursor} outside a trace of {len(walk.trace)} steps"
    main = app.screen_stack[0]
    panel = main.query_one(StepPanel)
    if panel.walk is not walk or panel.cursor != cursor:
        return f"the step panel is at step {panel.cursor}, the cursor at {cursor}"
    progress = str(main.query_one("#progress").visual)
    if f"step {cursor} of {len(walk.trace)}" not in progress:
        return f"progress says {progress!r} at cursor {cursor}"
    if settled and app.screen is main and not main.has_class("-too-small") and panel.parent.content_size.width:
        shown = str(panel.visual)
        wanted = walk.trace.steps[cursor - 1].equation if cursor else "Nothing is computed yet"
        asked = app.session.current(cursor - 1) if app.session is not None and app.asking() else None
        if asked is not None:  # a step that asks shows its question, not its worked equation
            wanted = asked.question.prompt
        if wanted not in shown:
            return f"the step panel does not show step {cursor}: {wanted!r} missing"
    screen = app.screen
    if isinstance(screen, SymmetryScreen) and screen.cursor is not None:
        steps = len(screen.walk.trace)
        if not 0 <= screen.cursor <= steps:
            return f"symmetry cursor {screen.cursor} outside its {steps} steps"
        title = str(screen.query_one("#steps").border_title)
        if settled and f"step {screen.cursor} of {steps}" not in title:
            return f"the symmetry step view says {title!r} at cursor {screen.cursor}"
    return None


async def app_caught_up(app: BackpropApp) -> None:
    """Until the app has handled what is queued for it now, such as a focus moving (not a screen's own messages)."""
    done = asyncio.Event()
    app.call_later(done.set)
    await done.wait()


async def type_function(pilot, rolls: tuple[float, ...], counts: dict[str, int]) -> None:
    """Lesson expr: the next function (or point) into its field, then enter; sometimes key by key."""
    app = pilot.app
    await run_key(app, "e")
    await pilot.pause(0)
    point = rolls[0] < 0.25
    field = app.screen.query_one("#at-input" if point else "#expr-input", Input)
    field.focus()
    field.value = ""
    await app_caught_up(app)
    what = "mash: points typed" if point else "mash: functions typed"
    text = (POINTS if point else FUNCTIONS)[counts[what] % len(POINTS if point else FUNCTIONS)]
    if rolls[1] < TYPE_FOR_REAL and len(text) < 30:
        await pilot.press(*text, "enter")
        counts["mash: real presses"] += len(text) + 1
    else:
        field.insert_text_at_cursor(text)
        await field.action_submit()
        await pilot.pause(0)
    counts[what] += 1


async def test_key_mashing(tally, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # ctrl+s then enter saves a handout in the current directory
    rng = random.Random(SEED)
    keys = key_pool()
    weights = [RARE.get(key, 1.0) for key in keys]  # a new screen costs a pause: those keys come less often
    problems: list[str] = []
    recent: list[str] = []
    counts = {f"mash: {what}": 0 for what in ("keys", "real presses", "functions typed", "points typed", "resizes")}
    app = BackpropApp("mlp")
    app.animation_level = "none"  # a real press waits for animations: scrolling a page would cost it 0.2 s
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            i = 0
            while counts["mash: keys"] < KEYS_SENT:
                i += 1
                settled = False
                if i % RESIZE_EVERY == RESIZE_EVERY - 1:
                    app.clear_notifications()  # see below
                    await pilot.resize_terminal(*rng.choice(SIZES))  # and waits for the app to lay itself out
                    counts["mash: resizes"] += 1
                    settled = True
                # the same draws every time round, whatever the app does: the keys are the same on every run
                key = rng.choices(keys, weights)[0]
                rolls = tuple(rng.random() for _ in range(4))
                if app.lesson == "expr" and app.screen is app.screen_stack[0] and rolls[0] < TYPE_IN_EXPR:
                    await type_function(pilot, rolls[1:], counts)
                    what = "a typed function"
                    settled = True
                else:
                    palette = isinstance(app.screen, CommandPalette)
                    if palette and (rolls[3] < LEAVE_PALETTE or key in PALETTE_LEFT_OUT):
                        key = "escape"
                    what = key
                    if i % PRESS_EVERY == 0:
                        # A real press waits for the app to idle, up to a second: autoplay goes off first, and
                        # the notifications the keys piled up go (dozens of toasts expiring keep the app busy).
                        app.clear_notifications()
                        if getattr(app.screen, "playing", False):
                            key = what = "a"
                        await pilot.pause(0)  # the keys run before it first: cheaper than within its waits
                        await pilot.press(key)
                        counts["mash: real presses"] += 1
                        settled = True
                    elif palette and key not in CHARACTERS:
                        # the palette's list fills in the background as the search runs: its keys queue
                        # behind that, as a real key would, instead of running while it is half built
                        app.simulate_key(key)
                        await pilot.pause(0)
                        settled = True
                    else:
                        screen = app.screen
                        ran = await run_key(app, key)
                        if app.screen is not screen or palette or i % SETTLE_EVERY == 0:
                            # a new screen composes and mounts before the next key, and the palette's search
                            # starts on what was typed before escape closes it, as they would
                            await pilot.pause(0)
                            settled = True
                        elif ran and key in FOCUSING:
                            await app_caught_up(app)  # the focus moves before the next key, as it would
                    counts["mash: keys"] += 1
                recent.append(f"{what} on {type(app.screen).__name__}")
                problem = broken(app, settled)
                if problem is not None:
                    problems.append(f"after {what!r} ({i}) in {app.lesson}: {problem}; the keys before: {recent[-8:]}")
                    if not app.is_running or len(problems) >= 10:
                        break
    except Exception as error:  # what the app raised, re-raised by run_test as it closes
        problems.append(f"the app raised {error!r}; the keys before: {recent[-8:]}")
    for what, n in counts.items():
        tally[what] = tally.get(what, 0) + n
    tally["mash: failures"] = tally.get("mash: failures", 0) + len(problems)
    assert not problems, "\n".join(problems)
    assert counts["mash: functions typed"] >= len(FUNCTIONS), "every hostile function is typed at least once"
