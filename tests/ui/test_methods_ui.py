"""The methods lesson on screen: keys change ε, d, h and the function, and every panel follows."""

from __future__ import annotations

import pytest

from backprop_tui.lessons import MethodsOptions
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.chain import ChainScreen
from backprop_tui.ui.screens.methods import MethodsScreen, SweepPlot

SIZE = (120, 40)


pytestmark = pytest.mark.usefixtures("steady_clock", "steady_sweep")


async def test_opens_with_every_panel(text):
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MethodsScreen)
        assert "n = 17 parameters" in text(app, "#page-title")
        summary = text(app, "#summary")
        for words in ("18 evaluations", "34 evaluations", "17 passes", "1 pass", "formulas", "100 µs"):
            assert words in summary
        grads = text(app, "#gradients")
        assert "W⁽⁰⁾[0,0]" in grads and "b⁽¹⁾" in grads
        assert "(4×4)·(4×8) → 4×8" in text(app, "#association")
        assert "1024" in text(app, "#association")
        assert "v (4), z (4), y (1)" in text(app, "#memory")
        plot = str(app.screen.query_one(SweepPlot).render())
        assert "◆" in plot and "10⁻¹⁵" in plot
        assert any("\u2800" < ch <= "\u28ff" for ch in plot), "the curves are drawn in braille"


async def test_keys_change_epsilon_d_h_and_function(text):
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("e")
        assert screen.result.epsilon == pytest.approx(1e-5)
        assert "ε = 10⁻⁵" in text(app, "#page-title")
        await pilot.press("E", "E")
        assert screen.result.epsilon == pytest.approx(1e-7)
        await pilot.press("h")
        assert screen.options.h == 8 and screen.result.n == 8 * 2 + 2 * 8 + 1
        assert "n = 33 parameters" in text(app, "#page-title")
        assert "(8×8)·(8×16) → 8×16" in text(app, "#association")
        await pilot.press("d")
        assert screen.options.d == 3 and screen.result.n == 8 * 3 + 17
        await pilot.press("H", "D")
        assert (screen.options.d, screen.options.h, screen.result.n) == (2, 4, 17)
        await pilot.press("o")
        assert screen.result.of == "graph" and screen.result.n == 2
        assert "∇p(x, y)" in text(app, "#page-title")
        assert "3 evaluations" in text(app, "#summary")
        await pilot.press("o")
        assert screen.result.of == "mlp"


async def test_limits_are_explained_not_crashed(notifications):
    app = BackpropApp("methods", MethodsOptions(d=1, h=1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        messages = notifications(app)
        await pilot.press("D")
        assert screen.options.d == 1
        await pilot.press("H")
        assert screen.options.h == 1
        screen.action_epsilon(1)  # 10⁻⁵
        for _ in range(6):
            screen.action_epsilon(1)
        assert screen.result.epsilon == pytest.approx(1e-1)
        await pilot.press("n")  # the app's step key: this page has no steps
        assert any("1 to" in m for m in messages)
        assert any("10⁻¹" in m for m in messages)
        assert any("not a walkthrough" in m for m in messages)


async def test_footer_shows_the_lesson_keys():
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = {key for key, b in app.screen.active_bindings.items() if b.binding.show}
        assert {"e", "E", "d", "D", "h", "H", "o"} <= shown
        assert not {"n", "p", "f"} & shown


async def test_number_keys_switch_lessons():
    app = BackpropApp("mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        assert isinstance(app.screen, MethodsScreen)
        await pilot.press("5")
        assert isinstance(app.screen, ChainScreen)
        await pilot.press("1")
        assert not isinstance(app.screen, (MethodsScreen, ChainScreen))
        assert app.walk.lesson == "mlp"
