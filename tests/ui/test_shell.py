"""The app's shell: each lesson keeps its state, notices stay quiet, every panel can be reached, expr's fields."""

from __future__ import annotations

import contextlib
from dataclasses import replace

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey
from textual.worker import WorkerCancelled

from backprop_tui.lessons import LESSONS, ExprOptions, MlpOptions
from backprop_tui.ui.app import FOLD_BELOW, BackpropApp
from backprop_tui.ui.screens.help import KEYS, HelpScreen
from backprop_tui.ui.screens.methods import MethodsScreen
from backprop_tui.ui.screens.symmetry import SymmetryScreen

SMALL, MEDIUM, LARGE = (80, 24), (120, 40), (200, 60)


def text_of(app: BackpropApp, selector: str) -> str:
    return str(app.main.query_one(selector, Static).visual)


def notice_line(app: BackpropApp) -> str:
    """The notice line under the panels, or "" while it is hidden."""
    line = app.main.query_one("#notice", Static)
    return str(line.visual) if line.has_class("-shown") else ""


def footer_keys(app: BackpropApp) -> dict[str, str]:
    """What the current screen's Footer shows: description → key."""
    return {key.description: key.key_display for key in app.screen.query(FooterKey)}


def zero_init() -> BackpropApp:
    options = MlpOptions(init="zero")
    return BackpropApp("mlp", options, LESSONS["mlp"].build(options))


async def settle(pilot: Pilot) -> None:
    """Wait for the lesson pages' workers, then for the screen."""
    for worker in list(pilot.app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()
    await pilot.pause()


# --- state survives switching ---


async def test_symmetry_keeps_its_training_through_other_lessons():
    app = BackpropApp("symmetry")
    async with app.run_test(size=MEDIUM) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SymmetryScreen)
        await pilot.press("T", "c")  # ten steps, then a constant start: both sides start again
        await pilot.press("T")
        assert screen.runs[0].step == 10 and screen.config.init == "constant"
        await pilot.press("1")
        assert app.screen is app.main and app.walk.lesson == "mlp"
        await pilot.press("n", "3")
        await pilot.pause()
        assert app.screen is screen, "the same page, not a new one"
        assert screen.runs[0].step == 10 and screen.config.init == "constant"
        assert "step 10" in str(screen.query_one("#sym-title", Static).visual)
        await pilot.press("4", "3")
        await pilot.pause()
        assert app.screen is screen and screen.runs[0].step == 10


async def test_a_page_away_from_the_screen_follows_a_resize():
    app = BackpropApp("symmetry")
    async with app.run_test(size=MEDIUM) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("1")
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert app.screen is screen and screen.has_class("-too-small")
        await pilot.resize_terminal(*MEDIUM)
        await pilot.pause()
        assert not screen.has_class("-too-small")


async def test_methods_keeps_its_sizes(steady_clock, steady_sweep):
    app = BackpropApp("methods")
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MethodsScreen)
        h = screen.options.h
        await pilot.press("h")
        await settle(pilot)
        assert screen.options.h == 2 * h
        await pilot.press("1", "4")
        await settle(pilot)
        assert app.screen is screen and screen.options.h == 2 * h
        assert f"h = {2 * h}" in str(screen.query_one("#page-title", Static).visual)


async def test_walkthroughs_keep_their_cursor():
    app = BackpropApp("mlp")
    async with app.run_test(size=MEDIUM) as pilot:
        walk = app.walk
        await pilot.press("n", "n", "n", "n", "n", "2", "n", "n")
        assert app.walk.lesson == "graph" and app.cursor == 2
        await pilot.press("1")
        assert app.walk is walk and app.cursor == 5
        assert "step 5 of" in text_of(app, "#progress")
        assert app.walk.trace.steps[4].equation in text_of(app, "#step")
        await pilot.press("3", "2")
        await pilot.pause()
        assert app.walk.lesson == "graph" and app.cursor == 2


async def test_new_options_build_anew_and_are_kept_too():
    app = BackpropApp("mlp")
    async with app.run_test(size=MEDIUM) as pilot:
        await pilot.press("n", "n", "i")
        assert app.options.init == "zero" and app.cursor == 0, "a new start begins at step 0"
        zero = app.walk
        await pilot.press("n", "6", "1")
        assert app.walk is zero and app.cursor == 1


async def test_a_typed_function_is_kept():
    app = BackpropApp("expr")
    async with app.run_test(size=MEDIUM) as pilot:
        await pilot.press("e")
        app.main.query_one("#expr-input", Input).value = "x*y + sin(x)"
        await pilot.press("enter", "n", "n", "n", "1", "6")
        assert app.walk.settings["expr"] == "x*y + sin(x)" and app.cursor == 3
        assert app.main.query_one("#expr-input", Input).value == "x*y + sin(x)"


# --- quiet notices ---


async def test_notices_are_never_toasts_and_show_once_where_they_become_true(notifications):
    app = zero_init()
    async with app.run_test(size=SMALL) as pilot:
        messages = notifications(app)
        walk = app.walk
        assert walk.notices
        for k in range(len(walk.trace) + 1):
            app.cursor = k
            await pilot.pause()
            new = [n for n in walk.notices_at(k) if k == 0 or n not in walk.notices_at(k - 1)]
            line = notice_line(app)
            assert bool(line) == bool(new), f"step {k}: the line shows only what becomes true there"
            for notice in walk.notices:
                assert (notice[:30] in line) == (notice in new)
                assert (notice[:30] in text_of(app, "#why")) == (notice in walk.notices_at(k)), "in Why, never before"
        await pilot.press("2", "1", "home", "end")
        await pilot.pause()
        assert not notice_line(app), "not again on coming back"
        assert not any(notice[:30] in message for notice in walk.notices for message in messages)
        assert not app._notifications


async def test_a_notice_stays_with_its_lesson():
    app = BackpropApp("expr", ExprOptions(expr="log(x - 2)"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("end")
        assert "nan" in text_of(app, "#why")
        await pilot.press("1")
        assert "nan" not in notice_line(app) and "nan" not in text_of(app, "#why")
        assert not app._notifications


async def test_messages_do_not_stack():
    app = BackpropApp("mlp")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("i", "i", "i")
        assert notice_line(app).startswith("Initialization: random")
        assert "zero" not in notice_line(app) and not app._notifications
        await pilot.press("n")
        assert "Initialization" not in notice_line(app), "the next step moves on"
        await pilot.press("5")
        await pilot.pause()
        app.screen.notify("one")
        app.screen.notify("two")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["two"], "a toast replaces the one before"


# --- space: every panel reachable, the keys shown, room for the teaching ---


@pytest.mark.parametrize("size", [SMALL, MEDIUM, LARGE])
async def test_tab_focuses_each_panel_and_the_keys_scroll_it(size):
    app = zero_init()
    async with app.run_test(size=size) as pilot:
        await pilot.press("end")
        order = ["step-box", "why-box", "tensors-rows"] + ["graph-box"] * (size[1] >= FOLD_BELOW)
        for name in order:
            await pilot.press("tab")
            assert app.focused is not None and app.focused.id == name
            box = app.focused if name != "tensors-rows" else app.focused.parent
            assert isinstance(box, Widget) and str(box.border_title).startswith("▸ ")
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "step-box", "round again"
        await pilot.press("shift+tab")
        assert app.focused.id == order[-1]
        await pilot.press("left")
        assert app.cursor == len(app.walk.trace) - 1, "← still steps with a panel focused"


async def test_the_why_panel_scrolls_to_its_end():
    app = zero_init()
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.press("end")
        why, step = app.main.query_one("#why-box"), app.main.query_one("#step-box")
        assert why.max_scroll_y > 0, "more to read than fits"
        await pilot.press("tab", "tab")
        assert app.focused is why
        await pilot.press(*["pagedown"] * 12)
        await pilot.pause()
        assert why.scroll_y == why.max_scroll_y and step.scroll_y == 0
        await pilot.press("up")
        await pilot.pause()
        assert why.scroll_y == why.max_scroll_y - 1
        await pilot.press("p")
        await pilot.pause()
        assert why.scroll_y == 0 and app.focused is why, "the next step's why from its start"


async def test_page_down_scrolls_the_step_panel_when_nothing_is_focused():
    app = BackpropApp("mlp", MlpOptions(d=6, h=8))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("end", "p")
        step = app.main.query_one("#step-box")
        assert app.focused is None and step.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert step.scroll_y > 0


@pytest.mark.parametrize("lesson", ["mlp", "graph", "expr"])
async def test_the_footer_shows_the_panel_keys(lesson):
    app = BackpropApp(lesson)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        keys = footer_keys(app)
        assert keys["Panel"] == "tab" and keys["Page"] == "pgdn" and keys["Graph"] == "g"
        assert ("Unit" in keys) == (lesson == "mlp")
        assert ("Init" in keys) == (lesson == "mlp") and ("Edit" in keys) == (lesson == "expr")
        footer = app.main.query_one("Footer", Widget)
        assert max(key.region.right for key in footer.query(FooterKey)) <= SMALL[0], "all of it fits"


@pytest.mark.parametrize("lesson", ["mlp", "graph", "expr"])
async def test_the_graph_folds_on_short_screens_and_g_toggles_it(lesson):
    app = BackpropApp(lesson)
    async with app.run_test(size=SMALL) as pilot:
        graph = app.main.query_one("#graph-box")
        await pilot.pause()
        assert app.main.has_class("-graph-folded") and graph.outer_size.height == 1
        assert "folded" in str(graph.border_title)
        step_height = app.main.query_one("#step-box").outer_size.height
        assert step_height >= 17, "the step gets the graph's rows"
        await pilot.press("g")
        await pilot.pause()
        assert not app.main.has_class("-graph-folded") and graph.outer_size.height > 3
        assert "folded" not in str(graph.border_title)
        await pilot.resize_terminal(*MEDIUM)
        await pilot.press("g")
        await pilot.pause()
        assert app.main.has_class("-graph-folded"), "g's choice holds whatever the size"


async def test_a_terminal_made_short_folds_the_graph_and_made_tall_opens_it():
    app = BackpropApp("mlp")
    async with app.run_test(size=MEDIUM) as pilot:
        await pilot.pause()
        assert not app.main.has_class("-graph-folded")
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert app.main.has_class("-graph-folded"), "the why panel keeps its rows at 80×24"
        await pilot.resize_terminal(*MEDIUM)
        await pilot.pause()
        assert not app.main.has_class("-graph-folded")


@pytest.mark.parametrize("lesson", ["mlp", "graph", "expr"])
async def test_tensors_take_what_they_need_and_the_why_the_rest(lesson):
    app = BackpropApp(lesson)
    async with app.run_test(size=LARGE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        rows = app.main.query_one("#tensors-rows")
        assert rows.max_scroll_y == 0 and rows.outer_size.height == rows.virtual_size.height, "no empty rows"
        assert app.main.query_one("#why-box").outer_size.height >= 20
        assert not app.main.has_class("-graph-folded")


async def test_at_80_by_24_a_step_shows_more_than_its_equation():
    app = BackpropApp("mlp")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("n", "n", "n", "n", "n")
        step = app.walk.trace.steps[4]
        box = app.main.query_one("#step-box")
        assert box.max_scroll_y == 0, f"step {step.label} fits whole"
        assert "=" in text_of(app, "#step").splitlines()[-1] or len(text_of(app, "#step").splitlines()) > 4


# --- expr's fields ---


async def test_ctrl_u_clears_a_field_opened_after_an_error():
    app = BackpropApp("expr")
    async with app.run_test(size=MEDIUM) as pilot:
        field = app.main.query_one("#expr-input", Input)
        await pilot.press("e")
        field.value = "x*(y+1))"
        await pilot.press("enter")
        assert field.cursor_position == 7, "right after the error the cursor is at its caret"
        await pilot.press("escape", "e", "ctrl+u")
        assert field.value == "", "e opens the field with the cursor at its end: ctrl+u clears it"
        await pilot.press(*"x^2", "tab")
        at = app.main.query_one("#at-input", Input)
        assert app.focused is at and at.cursor_position == len(at.value)
        await pilot.press("ctrl+u", *"x=3", "enter")
        assert app.walk.settings == {"expr": "x^2", "at": {"x": 3.0}}


async def test_the_footer_shows_the_field_keys_while_editing():
    app = BackpropApp("expr")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e")
        await pilot.pause()
        keys = footer_keys(app)
        assert keys.get("Apply") == "⏎" or "Apply" in keys
        assert keys["Next field"] == "tab" and keys["Cancel"] == "esc"
        await pilot.press("tab")
        assert app.focused is app.main.query_one("#at-input")
        await pilot.press("tab")
        assert app.focused is app.main.query_one("#expr-input")
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is None and "Next field" not in footer_keys(app)


# --- the header, the help, the unit ---


async def test_the_header_names_the_course_section():
    walk = replace(LESSONS["mlp"].build(MlpOptions()), section="§3.1")
    app = BackpropApp("mlp", MlpOptions(), walk)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert text_of(app, "#title").startswith("§3.1 · " + walk.title)


def test_the_help_lists_every_key_of_the_walkthrough():
    listed = " ".join(keys for keys, _ in KEYS)
    for key in ["n", "p", "home", "f", "tab", "shift+tab", "pgdn", "pgup", "↓", "↑", "g", "u", "i", "e", "ctrl+u", "?"]:
        assert key in listed.split(), f"{key} is not in the help"


async def test_help_shows_the_panel_keys():
    app = BackpropApp("mlp")
    async with app.run_test(size=MEDIUM) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(record=True, width=100)
        for static in app.screen.query(Static):
            console.print(static.content)
        shown = console.export_text()
        assert "focus the next / previous panel" in shown and "fold the graph panel" in shown


async def test_u_picks_the_hidden_unit_of_the_unit_by_unit_route():
    app = BackpropApp("mlp")
    async with app.run_test(size=LARGE) as pilot:
        routes = app.walk.units
        assert routes is not None
        app.cursor = routes.cursor
        await pilot.pause()
        assert "hidden unit i = 1 of 4" in text_of(app, "#step")
        await pilot.press("u")
        assert app.unit == 1 and "hidden unit i = 2 of 4" in text_of(app, "#step")
        await pilot.press("u", "u", "u")
        assert app.unit == 0 and "hidden unit i = 1 of 4" in text_of(app, "#step")
        await pilot.press("2", "u")
        assert app.unit == 0, "u belongs to lesson mlp"
