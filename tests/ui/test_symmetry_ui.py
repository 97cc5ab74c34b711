"""The symmetry lesson's screen: keys, what the panels say, and snapshots."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from textual.widgets import Footer, Static

from backprop_tui.lessons import ExprOptions, LessonError, SymmetryOptions
from backprop_tui.lessons import symmetry as lesson
from backprop_tui.render.curves import Curve, loss_plot, sparkline
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.help import HelpScreen
from backprop_tui.ui.screens.symmetry import CONSTANTS, SymmetryScreen

SIZE = (120, 40)
SMALL = (80, 24)


def app(**settings) -> BackpropApp:
    return BackpropApp("symmetry", SymmetryOptions(**settings))


def shown(screen: SymmetryScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).visual)


async def key_while_playing(a: BackpropApp, key: str, done) -> None:
    """Press a key while autoplay runs and wait (at most 2 s) until done() holds.

    pilot.press waits for the app to go idle, which a running timer never does.
    """
    a.simulate_key(key)
    for _ in range(2000):
        if done():
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"{key} was not answered while autoplay ran")


async def test_opens_with_both_sides_at_step_0():
    a = app()
    async with a.run_test(size=SIZE):
        screen = a.screen
        assert isinstance(screen, SymmetryScreen)
        assert "step 0" in shown(screen, "#sym-title")
        assert "distinct hidden units: 1 of 4" in shown(screen, "#side-0")
        assert "distinct hidden units: 4 of 4" in shown(screen, "#side-1")
        assert screen.query_one("#side-0").border_title == "▸ zero"  # the side n / p will show
        assert screen.query_one("#side-1").border_title == "random (seed 0)"
        assert "0 exactly" in shown(screen, "#side-0")
        plot = shown(screen, "#loss")
        start = screen.runs[1].losses[0]  # the random start's loss, whatever the seed draws
        assert 0.5 < start < 2 and "zero 0.25" in plot and f"random {start:.3g}" in plot
        assert "⠤⠤⠤" in plot and "⠄⠄⠄" in plot  # solid and dotted keys in the legend
        assert shown(screen, "#predictions").splitlines()[0].split() == ["x", "t", "zero", "rand"]


async def test_t_and_T_train_both_sides():
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = a.screen
        await pilot.press("t")
        assert [run.step for run in screen.runs] == [1, 1]
        await pilot.press("T")
        assert [run.step for run in screen.runs] == [11, 11]
        assert "step 11" in shown(screen, "#sym-title")
        # the table shows the trained numbers: unit 1's b⁽⁰⁾ as the lesson computed it
        b0 = float(screen.runs[1].params["b0"][0])
        assert f"{b0:.3g}".replace("-", "−") in shown(screen, "#side-1")
        assert "distinct hidden units: 1 of 4" in shown(screen, "#side-0")


async def test_autoplay_trains_and_still_answers_keys():
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = a.screen
        await pilot.press("t")
        screen.action_autoplay()  # what a does; pilot.press would wait for an idle that never comes
        assert screen.playing
        await asyncio.sleep(0.4)
        assert screen.runs[0].step > 1
        await key_while_playing(a, "tab", lambda: screen.side == 1)  # answered while training goes on
        assert screen.query_one("#side-1").border_title == "▸ random (seed 0)"
        await key_while_playing(a, "a", lambda: not screen.playing)
        stopped = screen.runs[0].step
        await asyncio.sleep(0.2)
        assert screen.runs[0].step == stopped
        assert screen.runs[0].step == screen.runs[1].step


async def test_opening_help_pauses_autoplay():
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = a.screen
        screen.action_autoplay()
        await key_while_playing(a, "question_mark", lambda: isinstance(a.screen, HelpScreen))
        assert not screen.playing
        await pilot.press("escape")
        assert a.screen is screen


async def test_reseed_and_cycle_constant_restart_both_sides():
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = a.screen
        await pilot.press("T", "r")
        assert screen.config.seed == 1 and [run.step for run in screen.runs] == [0, 0]
        assert screen.query_one("#side-1").border_title == "random (seed 1)"
        np.testing.assert_array_equal(screen.runs[1].params["W0"], lesson.random_parameters(2, 4, 1)["W0"])
        await pilot.press("c")
        assert (screen.config.init, screen.config.const) == ("constant", 0.3)
        assert screen.query_one("#side-0").border_title == "▸ constant 0.3"
        assert np.all(screen.runs[0].params["W0"] == 0.3)
        for _ in range(len(CONSTANTS) - 1):
            screen.action_cycle_constant()
        assert (screen.config.init, screen.config.const) == ("zero", 0.0)


async def test_nudge_breaks_the_symmetry_on_screen():
    a = app(init="constant", const=0.3)
    async with a.run_test(size=SIZE) as pilot:
        screen = a.screen
        await pilot.press("t", "s")
        assert screen.runs[0].nudged_at == 1
        assert "distinct hidden units: 4 of 4" in shown(screen, "#side-0")
        assert screen.query_one("#side-0").border_subtitle == "nudged at step 1"
        assert "=1" not in shown(screen, "#side-0")


async def test_identical_units_are_marked_the_same():
    a = app()
    async with a.run_test(size=SIZE):
        left = shown(a.screen, "#side-0")
        assert "●2=1" in left and "●3=1" in left and "●4=1" in left
        assert "=1" not in shown(a.screen, "#side-1")


async def test_n_p_step_through_the_selected_sides_training_step():
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = a.screen
        await pilot.press("t", "n")
        assert screen.cursor == 1 and screen.has_class("-stepping")
        steps = screen.query_one("#steps")
        assert "zero: training step 1 → 2" in steps.border_title and "step 1 of 14" in steps.border_title
        view = shown(screen, "#step-view")
        assert "V = XW⁽⁰⁾ᵀ + 𝟏b⁽⁰⁾ᵀ" in view and "(4×2)·(2×4) + (4×1)·(1×4) → 4×4" in view
        assert "(4×2), (4×2)" not in view and "added to every row" in view
        await pilot.press("f")
        assert screen.cursor == 4
        w0 = screen.walk.trace.step_index("backward", "W0") + 1
        for _ in range(w0 - 4):
            screen.action_next()
        await pilot.pause()
        view = shown(screen, "#step-view")
        assert "∂L/∂vec(W⁽⁰⁾) = ∂L/∂V · " in view
        assert "over the batch" in view and "∂L/∂W⁽⁰⁾ = (∂L/∂V)ᵀ · X" in view and "(4×4)·(4×2) → 4×2" in view
        assert "All 4 rows are equal" in view
        await pilot.press("tab")  # the other side, same step of its pass
        assert screen.cursor == w0 and "random (seed 0): training step 1 → 2" in steps.border_title
        assert "All 4 rows are equal" not in shown(screen, "#step-view")
        await pilot.press("p")
        assert screen.cursor == w0 - 1
        await pilot.press("escape")
        assert screen.cursor is None and not screen.has_class("-stepping")
        await pilot.press("n", "t")  # training closes the step view: its trace is out of date
        assert screen.cursor is None and screen.runs[0].step == 2


async def test_home_end_and_p_from_the_start_close_the_view():
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = a.screen
        await pilot.press("end")
        assert screen.cursor == 14
        await pilot.press("home")
        assert screen.cursor == 0
        assert "Nothing is computed yet" in shown(screen, "#step-view")
        await pilot.press("p")
        assert screen.cursor is None


async def test_tanh_zero_init_says_only_the_output_bias_moves_once_a_step_shows_it():
    a = app(activation="tanh")
    async with a.run_test(size=SIZE) as pilot:
        note = a.screen.query_one("#sym-note", Static)
        # at step 0 nothing has been trained: saying so would give away §3.2(b) before anything shows it
        assert not note.has_class("-shown") and "b⁽¹⁾ can move" not in str(note.visual)
        await pilot.press("t")
        assert note.has_class("-shown") and note.border_title == "Why only b⁽¹⁾ moves"
        assert "Only the output bias b⁽¹⁾ can move" in str(note.visual)
        assert "tanh(0) = 0" in str(note.visual)
        # and it is so: after the step only b⁽¹⁾ has left 0
        params = a.screen.runs[0].params
        assert all(not np.any(params[k]) for k in ("W0", "b0", "W1")) and params["b1"] != 0
    b = app()
    async with b.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert not b.screen.query_one("#sym-note").has_class("-shown")


async def test_footer_lists_every_key():
    a = app()
    async with a.run_test(size=SIZE):
        footer = a.screen.query_one(Footer)
        shown_keys = {key.key for key in footer.query("FooterKey")}
        assert {"t", "T", "a", "r", "c", "s", "tab", "n", "p", "question_mark", "q"} <= shown_keys, shown_keys


async def test_number_keys_switch_lessons_and_come_back():
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.press("t", "1")
        assert not isinstance(a.screen, SymmetryScreen) and a.walk.lesson == "mlp"
        await pilot.press("3")
        assert isinstance(a.screen, SymmetryScreen) and a.screen.runs[0].step == 1  # kept for the session
        await pilot.press("2")
        assert a.walk.lesson == "graph" and not isinstance(a.screen, SymmetryScreen)


async def test_q_quits():
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not a.is_running


async def test_too_small_then_recovers():
    a = app()
    async with a.run_test(size=(50, 15)) as pilot:
        assert a.screen.has_class("-too-small")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not a.screen.has_class("-too-small")


async def test_a_lesson_that_cannot_be_built_leaves_the_current_one():
    with pytest.raises(LessonError, match="--h"):  # options are checked when made, before any screen
        SymmetryOptions(h=40)
    a = BackpropApp("mlp")
    async with a.run_test(size=SIZE) as pilot:
        a.switch("expr", ExprOptions(expr="x^^2"))  # options fine, the function does not parse
        await pilot.pause()
        assert not isinstance(a.screen, SymmetryScreen) and a.walk.lesson == "mlp" and a.lesson == "mlp"


# --- the drawings, from numbers alone ---


def test_loss_plot_draws_two_distinguishable_curves_on_decades():
    flat = [0.125] * 50
    falling = [10.0 ** (-k / 10) for k in range(50)]
    text = loss_plot([Curve("zero", flat, "orange1"), Curve("random", falling, "cyan", dotted=True)], 60, 14).plain
    lines = text.splitlines()
    assert lines[0].startswith("⠤⠤⠤ zero 0.125") and "⠄⠄⠄ random 1.3e−5" in lines[0]
    labels = [line[:6].strip() for line in lines[1:-2] if line[6] == "┤"]
    assert labels == ["10⁰", "10⁻¹", "10⁻²", "10⁻³", "10⁻⁴", "10⁻⁵"]
    assert lines[-1].rstrip().endswith("step 49")
    flat_rows = [i for i, line in enumerate(lines[1:-2]) if sum(line.count(dots) for dots in "⣀⠤⠒⠉") > 20]
    assert len(flat_rows) == 1, "a constant loss is one horizontal line"


def test_loss_plot_survives_divergence():
    exploding = [10.0 ** k for k in range(0, 300, 10)] + [float("inf"), float("nan")]
    curves = [Curve("zero", [0.25] * 32, "orange1"), Curve("random", exploding, "cyan", dotted=True)]
    text = loss_plot(curves, 50, 10).plain
    assert "random diverged" in text.splitlines()[0]
    assert sum("┤" in line for line in text.splitlines()) >= 2


async def test_a_diverging_learning_rate_stops_autoplay_without_a_crash():
    a = app(lr=500.0, h=6, d=3)
    async with a.run_test(size=(100, 30)) as pilot:
        screen = a.screen
        screen.train(60)
        await pilot.pause()
        assert all(run.diverged for run in screen.runs)
        assert "diverged" in shown(screen, "#loss")
        screen.action_autoplay()
        for _ in range(500):
            if not screen.playing:
                break
            await asyncio.sleep(0.002)
        assert not screen.playing


def test_sparkline_on_a_log_scale_with_zeros_as_dots():
    assert sparkline([0.0] * 5, 10).plain == "·····"
    assert sparkline([1e-3, 1e-2, 1e-1, 1.0], 4).plain == "▁▃▆█"
    assert len(sparkline(list(np.linspace(0, 1, 1000)), 20).plain) == 20


# --- issue 12: tables that never run together, the section, notes in place, state across screens ---


def table_rows(text: str) -> list[list[str]]:
    """The unit rows of a side's table, split at spaces: ["●2=1", "0.5", …]."""
    return [line.split() for line in text.splitlines() if line.startswith("●")]


def as_float(entry: str) -> float:
    return float(entry.replace("−", "-").replace("∞", "inf"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_table_columns_are_separated_after_any_training(size):
    a = app(h=4)
    async with a.run_test(size=size) as pilot:
        screen = a.screen
        for steps in (0, 7, 3, 990):  # steps 0, 7 (where W⁽¹⁾'s −0.00614 once ran into b⁽⁰⁾), 10 and 1000
            screen.train(steps)
            await pilot.pause()
            for side, run in enumerate(screen.runs):
                rows = table_rows(shown(screen, f"#side-{side}"))
                assert len(rows) == 4
                W0, b0, W1 = run.params["W0"], run.params["b0"], run.params["W1"]
                for i, row in enumerate(rows):
                    # every entry stands apart: the unit, d weights (or some and …), b⁽⁰⁾, W⁽¹⁾
                    entries = [e for e in row[1:] if e != "…"]
                    assert len(row) - 1 in (W0.shape[1] + 2, len(entries) + 1), row
                    shown_w0 = entries[:-2]
                    expected = [*W0[i, : len(shown_w0)], b0[i], W1[0, i]]
                    for entry, value in zip(entries, expected, strict=True):
                        assert as_float(entry) == pytest.approx(value, rel=0.01, abs=1e-12), (entry, value)


async def test_header_names_the_course_section():
    a = app()
    async with a.run_test(size=SMALL):
        assert "§3.2 · step 0" in shown(a.screen, "#sym-title")


async def test_restarts_and_nudges_say_so_in_the_note_not_in_a_toast(notifications):
    a = app(init="constant", const=0.3)
    async with a.run_test(size=SIZE) as pilot:
        messages = notifications(a)
        screen = a.screen
        note = screen.query_one("#sym-note", Static)
        await pilot.press("t", "s")
        assert "Nudged at step 1" in str(note.visual) and note.has_class("-shown")
        await pilot.press("t")
        assert "Nudged at step 1" in str(note.visual)  # still true while training pulls the units apart
        await pilot.press("r")
        assert "reseeded: seed 1" in str(note.visual) and "Nudged" not in str(note.visual)
        await pilot.press("t")
        assert not note.has_class("-shown")
        assert messages == []


async def test_a_diverged_side_is_said_in_the_note(notifications):
    a = app(lr=500.0, h=6, d=3)
    async with a.run_test(size=(100, 30)) as pilot:
        messages = notifications(a)
        screen = a.screen
        screen.train(60)
        await pilot.pause()
        assert "Both sides diverged: the learning rate 500 is too large." in shown(screen, "#sym-note")
        assert messages == []


async def test_autoplay_pauses_while_another_screen_is_shown_and_resumes_after():
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = a.screen
        await pilot.press("t", "n")
        screen.action_autoplay()
        await key_while_playing(a, "5", lambda: not isinstance(a.screen, SymmetryScreen) and not screen.playing)
        assert not screen.playing
        stopped = screen.runs[0].step
        await asyncio.sleep(0.2)
        assert screen.runs[0].step == stopped  # nothing trains unseen
        await pilot.resize_terminal(*SMALL)  # the terminal changes while the page is away
        await key_while_playing(a, "3", lambda: screen.playing)  # the same page, kept for the session
        assert a.screen is screen
        assert screen.has_class("-short")  # sized for the terminal it came back to
        await key_while_playing(a, "a", lambda: not screen.playing)
        assert screen.runs[0].step > stopped


async def test_the_batched_bias_step_is_laid_out_again_for_a_new_width():
    a = app()
    async with a.run_test(size=(200, 60)) as pilot:
        screen = a.screen
        await pilot.press("t", "tab", "n")  # the random side, whose numbers take room

        def lines() -> list[str]:
            return shown(screen, "#step-view").splitlines()

        # wide: the whole operation on one line, X · W⁽⁰⁾ᵀ + 𝟏 · b⁽⁰⁾ᵀ = V
        assert any(line.startswith("X ") and "W⁽⁰⁾ᵀ" in line and "b⁽⁰⁾ᵀ" in line for line in lines())
        await pilot.resize_terminal(80, 40)
        await pilot.pause()
        # narrow: the product, the bias row repeated for every example, then their sum, each on a line
        assert any(line.startswith("XW⁽⁰⁾ᵀ ") for line in lines())
        assert any(line.startswith("𝟏 ") and "𝟏b⁽⁰⁾ᵀ" in line for line in lines())
        assert screen.cursor == 1


def test_table_headings_stand_apart_too():
    from backprop_tui.ui.screens.symmetry import unit_table

    sym, _ = lesson.sides(lesson.config(SymmetryOptions(activation="tanh")))
    sym.advance(1)  # every weight still exactly 0: the narrowest columns there are
    heading = unit_table(sym, 34).plain.splitlines()[0]
    assert heading.split() == ["unit", "W⁽⁰⁾", "row", "b⁽⁰⁾", "W⁽¹⁾"]
