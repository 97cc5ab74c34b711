"""Pilot tests: keys move the cursor, and the panels say what the trace says."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Static

from backprop_tui.engine.notation import number
from backprop_tui.lessons import LESSONS, MlpOptions
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.help import HelpScreen
from backprop_tui.ui.widgets.tensor_panel import TensorPanel


def text_of(app: BackpropApp, selector: str) -> str:
    return str(app.query_one(selector, Static).visual)


def table_cell(app: BackpropApp, row: str, column: str) -> str:
    """A cell of the tensors table, found by the row's node and the header's column positions."""
    panel = app.query_one(TensorPanel)
    header, label = str(panel.head.visual), app.walk.trace.nodes[row].label
    line = next(line for line in str(panel.visual).splitlines() if line.split(" ")[0] == label)
    start = {"value": header.index("value"), "grad": header.index("∂")}[column]
    end = header.index("∂") if column == "value" else None
    return line[start:end].strip()


async def test_keys_walk_forward_then_backward_and_back():
    app = BackpropApp("mlp")
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.cursor == 0
        assert "step 0 of 11" in text_of(app, "#progress")
        assert table_cell(app, "v", "value") == "—"
        await pilot.press("n", "space", "right")
        assert app.cursor == 3
        assert "forward pass · step 3 of 11 · y" in text_of(app, "#progress")
        assert "y = W⁽¹⁾z + b⁽¹⁾" in text_of(app, "#step")
        assert table_cell(app, "y", "grad") == "—"
        await pilot.press("n")
        assert "backward pass · step 4 of 11" in text_of(app, "#progress")
        assert "∂y/∂y = 1" in text_of(app, "#step")
        await pilot.press("p", "left")
        assert app.cursor == 2
        assert "z = σ(v)" in text_of(app, "#step")


async def test_jumps_and_bounds():
    app = BackpropApp("mlp")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        assert app.cursor == 0, "stepping back from the start stays at the start"
        await pilot.press("f")
        assert app.cursor == app.walk.trace.forward_count == 3
        await pilot.press("end")
        assert app.cursor == len(app.walk.trace) == 11
        await pilot.press("n")
        assert app.cursor == 11, "stepping past the end stays at the end"
        await pilot.press("home")
        assert app.cursor == 0


async def test_every_backward_step_shows_its_equation_shapes_and_gradient():
    app = BackpropApp("mlp")
    trace = app.walk.trace
    async with app.run_test(size=(160, 60)):
        for k, step in enumerate(trace.steps, start=1):
            app.cursor = k
            shown = text_of(app, "#step")
            assert step.equation in shown
            assert step.shapes in shown
            if step.phase == "backward":
                expected = number(float(np.ravel(step.value)[0]))
                assert expected in shown, f"step {k} should show its first gradient entry {expected}"
                assert table_cell(app, step.node, "grad") != "—"


async def test_matrix_gradient_shows_flattened_and_unflattened():
    app = BackpropApp("mlp")
    async with app.run_test(size=(160, 60)):
        app.cursor = app.walk.trace.step_index("backward", "W0") + 1
        shown = text_of(app, "#step")
        assert "∂y/∂vec(W⁽⁰⁾)" in shown and "(1×8)" in shown
        assert "un-flattened" in shown and "(4×2)" in shown
        assert "I₄ ⊗ xᵀ" in shown


async def test_zero_init_points_out_identical_units():
    walk = LESSONS["mlp"].build(MlpOptions(init="zero"))
    app = BackpropApp("mlp", MlpOptions(init="zero"), walk)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("end")
        assert "All 4 hidden units are identical" in text_of(app, "#why")
        assert table_cell(app, "W1", "grad") == "[0.5 0.5 0.5 0.5]"
        assert table_cell(app, "y", "value") == "0"


async def test_lesson_switch_and_init_cycle():
    app = BackpropApp("mlp")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "2")
        assert app.walk.lesson == "graph" and app.cursor == 0
        assert "p(x, y)" in text_of(app, "#title")
        await pilot.press("end")
        shown = text_of(app, "#step")
        first = shown.splitlines()[0]  # the local factors carry a mark, whatever it is
        assert first.startswith("∂z₄/∂x = ∂z₄/∂z₃ · ") and " + ∂z₄/∂z₂ · " in first
        assert first.index("∂z₃/∂x") < first.index(" + ") < first.index("∂z₂/∂x")
        assert "5.955" in shown and "sum" in shown
        await pilot.press("i")
        assert app.walk.lesson == "graph", "the graph lesson has no initialization to cycle"
        await pilot.press("1", "i")
        assert app.walk.lesson == "mlp" and app.options.init == "zero"
        assert app.walk.notices


async def test_help_opens_and_closes():
    app = BackpropApp("mlp")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("n")
        assert app.cursor == 1


async def test_too_small_then_recovers():
    app = BackpropApp("mlp")
    async with app.run_test(size=(50, 15)) as pilot:
        assert app.screen.has_class("-too-small")
        assert not app.query_one("#main").display or app.query_one("#main").styles.display == "none"
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")
        await pilot.press("n")
        assert app.cursor == 1


@pytest.mark.parametrize("lesson, keys", [("methods", "odhe"), ("chain", "wnml"), ("symmetry", "tTn")])
async def test_lesson_screens_too_small_then_recover(lesson, keys):
    """Down to 1×1 a lesson's own screen says it is too small, takes its keys, and comes back whole."""
    app = BackpropApp(lesson)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        for width, height in [(1, 1), (2, 1), (30, 8), (59, 17)]:
            await pilot.resize_terminal(width, height)
            await pilot.press(*keys)
            assert app.screen is screen and screen.has_class("-too-small")
            assert "Terminal too small" in str(screen.query_one("TooSmall", Static).visual)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not screen.has_class("-too-small") and not screen.query_one("TooSmall").display


async def test_large_network_opens_and_steps():
    settings = MlpOptions(d=784, h=256)
    app = BackpropApp("mlp", settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")
        await pilot.press("p")  # ∂y/∂W⁽⁰⁾: 256×200704 local Jacobian, never built
        shown = text_of(app, "#step")
        assert "too many to build" in shown
        assert "(256×784)" in shown
        assert "…" in shown and "⋮" in shown


@pytest.mark.slow
@pytest.mark.parametrize("name", list(LESSONS))
async def test_command_palette_lists_lessons(name):
    app = BackpropApp("mlp" if name != "mlp" else "graph")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*f"lesson: {name}")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.lesson == name  # a lesson with its own screen keeps the walkthrough underneath


@pytest.mark.parametrize("d, h", [(1, 1), (1, 4), (3, 1)])
async def test_every_step_of_the_smallest_networks(d, h):
    """1×1 weights and scalar gradients: every step renders, and every panel shows the cursor's step."""
    settings = MlpOptions(d=d, h=h)
    app = BackpropApp("mlp", settings)
    trace = app.walk.trace
    async with app.run_test(size=(140, 50)) as pilot:
        for k, step in enumerate(trace.steps, start=1):
            await pilot.press("n")
            assert app.cursor == k
            assert f"step {k} of {len(trace)} · {step.label}" in text_of(app, "#progress")
            shown = text_of(app, "#step")
            assert step.equation in shown and step.shapes in shown
            if step.phase == "backward":
                assert number(float(np.ravel(step.value)[0])) in shown
            assert text_of(app, "#why").startswith(app.walk.why[k])
            assert step.label in str(app.query_one(TensorPanel).visual)
        await pilot.press("home")
        assert "Nothing is computed yet" in text_of(app, "#step")


def test_a_sum_of_paths_is_written_with_its_signs():
    from backprop_tui.render.steps import signed_sum

    assert signed_sum(["6", "−0.04511"]) == "6 − 0.04511"
    assert signed_sum(["−0.09022", "−0.1353", "2"]) == "−0.09022 − 0.1353 + 2"
    assert signed_sum(["1"]) == "1"


async def test_the_chain_page_counts_one_entry_in_the_singular():
    from backprop_tui.lessons import ChainOptions

    app = BackpropApp("chain", ChainOptions(l=1, n=1, m=1))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#functions").render())
        assert "a has 1 entry" in text and "c has 1 entry" in text and "entries" not in text


@pytest.mark.parametrize(
    "lesson, offered",
    [("mlp", ["random", "zero", "constant"]), ("symmetry", ["zero", "constant"]), ("graph", []), ("chain", [])],
)
async def test_the_palette_offers_only_the_starts_a_lesson_has(lesson, offered):
    from backprop_tui.ui.commands import LessonCommands

    app = BackpropApp(lesson)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        provider = LessonCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert [n.removeprefix("Initialization: ") for n in names if n.startswith("Initialization")] == offered
