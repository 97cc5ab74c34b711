"""The chain lesson on screen: sizes from the keyboard, the wrong order, part (b)."""

from __future__ import annotations

from backprop_tui.lessons import ChainOptions
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.chain import ChainScreen

SIZE = (120, 40)


async def test_opens_with_both_jacobians_and_their_product(text):
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChainScreen)
        assert "g: ℝ³ → ℝ⁴" in text(app, "#page-title")
        product = text(app, "#product")
        for words in ("∂f/∂y at g(x)", "(2×4)", "∂g/∂x at x", "(4×3)", "∂(f∘g)/∂x", "(2×3)", "finite differences"):
            assert words in product
        assert "differentiable at x" in text(app, "#functions")
        matrix = text(app, "#matrix")
        assert "4×4×3" in matrix and "4×12" in matrix and "W − η ∂L/∂W" in matrix


async def test_wrong_order_shows_the_error(text):
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Press w" in text(app, "#wrong")
        await pilot.press("w")
        shown = text(app, "#wrong")
        assert "ValueError" in shown and "(4×3)·(2×4)" in shown and "differ" in shown
        await pilot.press("m")  # m = 3 = ℓ: the wrong product now fits, and is still wrong
        assert app.screen.result.m == 3
        assert "happens to fit" in text(app, "#wrong")


async def test_size_keys_and_limits(text, notifications):
    app = BackpropApp("chain", ChainOptions(l=1, n=1, m=1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        messages = notifications(app)
        await pilot.press("l", "n", "n", "m")
        assert (screen.result.l, screen.result.n, screen.result.m) == (2, 3, 2)
        assert screen.result.J_fg.shape == (2, 2)
        assert "(2×3)·(3×2) → 2×2" in text(app, "#functions")
        await pilot.press("L", "L")
        assert screen.result.l == 1
        assert any("from 1 to" in m for m in messages)
        before = screen.result.fn.x.copy()
        await pilot.press("r")
        assert screen.options.seed == 1 and (screen.result.fn.x != before).any()


async def test_new_draws_one_after_another(text):
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r", "r", "w", "r")
        assert app.is_running and app.screen.options.seed == 3
        assert "seed 3" in text(app, "#page-title") and "ValueError" in text(app, "#wrong")
