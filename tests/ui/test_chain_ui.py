"""The chain lesson on screen: sizes from the keyboard, the wrong order, part (b)."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.engine.notation import number
from backprop_tui.lessons import ChainOptions
from backprop_tui.lessons import chain as lesson
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.chain import ChainScreen, draw, draw_blocks, matrix_text, product_text

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
        note = app.screen.query_one("#page-note")
        assert "from 1 to" in text(app, "#page-note") and note.has_class("-shown")  # on the page's own line
        assert messages == []  # not in a toast over the panels
        before = screen.result.fn.x.copy()
        await pilot.press("r")
        assert not note.has_class("-shown")  # a page that changed leaves the old answer behind
        assert screen.options.seed == 1 and (screen.result.fn.x != before).any()


async def test_new_draws_one_after_another(text):
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r", "r", "w", "r")
        assert app.is_running and app.screen.options.seed == 3
        assert "seed 3" in text(app, "#page-title") and "ValueError" in text(app, "#wrong")


# --- issue 12: the section in the header, matrices whole when they fit, the page kept across lessons ---


async def test_header_names_the_course_section(text):
    app = BackpropApp("chain")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text(app, "#page-title").startswith(" chain   §1 · f∘g with")


def matrix_block(shown: str, title: str) -> list[str]:
    """The lines of the matrix drawn under `title` (its shape line skipped), up to its closing bracket."""
    lines = shown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title)) + 2
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(("└", "[")))
    return lines[start : end + 1]


@pytest.mark.parametrize("width", [114, 196])
def test_the_flattened_jacobian_is_whole_when_it_fits(width):
    r = lesson.compute(ChainOptions())
    block = matrix_block(matrix_text(r, width).plain, "∂g/∂vec(W)")
    assert len(block) == 4 and not any("…" in line or "⋮" in line for line in block)
    for i, line in enumerate(block):  # row i: σ′(uᵢ)·xᵀ in block i, between the ┊ marks, zeros elsewhere
        blocks = line.strip("┌┐│└┘").split("┊")
        assert len(blocks) == 4
        expected = r.y[i] * (1 - r.y[i]) * r.fn.x  # σ′(uᵢ) = yᵢ(1 − yᵢ), the closed form of §1(b)
        assert blocks[i].split() == [number(v) for v in expected]
        assert all(set(b.split()) == {"0"} for k, b in enumerate(blocks) if k != i)


def test_a_flattened_jacobian_too_wide_leaves_out_whole_blocks_with_their_rows():
    r = lesson.compute(ChainOptions(n=9))
    drawn = draw_blocks("∂g/∂vec(W)", r.dg_dvecW, "", 114, r.q)
    assert max(map(len, drawn.lines)) <= 114 and "rows 3–7 and their column blocks" in drawn.left_out
    rows = [line for line in drawn.lines if "⋮" not in line]
    assert len(rows) == 4  # rows 1, 2, 8, 9 and their blocks
    for line, i in zip(rows, (0, 1, 7, 8), strict=True):
        nonzero = [part for part in line.strip("┌┐│└┘").split("┊") if set(part.split()) - {"0", "…"}]
        expected = r.y[i] * (1 - r.y[i]) * r.fn.x
        assert [part.split() for part in nonzero] == [[number(v) for v in expected]]  # its own block, in view


def test_matrices_that_fit_alone_are_never_cut_to_share_a_line():
    r = lesson.compute(ChainOptions())
    shown = product_text(r, 74).plain  # 80 columns: the three no longer fit on one line, so they stack
    for title, array in (("∂f/∂y at g(x)", r.J_f), ("∂g/∂x at x", r.J_g), ("∂(f∘g)/∂x", r.J_fg)):
        block = matrix_block(shown, title)
        assert not any("…" in line for line in block)
        np.testing.assert_allclose([[float(v.replace("−", "-")) for v in line.strip("[]┌┐│└┘").split()]
                                    for line in block], array, rtol=1e-3)


def test_one_matrix_wider_than_the_panel_says_what_it_leaves_out():
    a = np.arange(1.0, 41.0).reshape(1, 40) * 1000.5
    drawn = draw("W", a, "", 60)
    assert max(map(len, drawn.lines)) <= 60 and "…" in drawn.lines[0]
    assert drawn.left_out.startswith("columns ") and drawn.lines[0].startswith("[1000 ")
    assert draw("W", a[:, :5], "", 60).left_out == ""


async def test_the_page_is_kept_and_resized_across_lessons(text):
    app = BackpropApp("chain")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("l", "w")
        assert screen.has_class("-wide")
        await pilot.press("3")
        await pilot.resize_terminal(100, 30)  # while the page is away
        await pilot.press("5")
        await pilot.pause()
        assert app.screen is screen and screen.result.l == 4 and screen.wrong_shown
        assert not screen.has_class("-wide")


async def test_keys_without_steps_answer_on_the_page(text, notifications):
    app = BackpropApp("chain")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = notifications(app)
        await pilot.press("space")
        assert "not a walkthrough" in text(app, "#page-note") and messages == []


def test_x_and_g_of_x_are_written_whole_when_the_panel_holds_them():
    from backprop_tui.ui.screens.chain import functions_text

    r = lesson.compute(ChainOptions(l=10))
    line = next(x for x in functions_text(r, 114).plain.splitlines() if x.startswith("x = "))
    assert "…" not in line and line == "x = [" + " ".join(number(v, 3) for v in r.fn.x) + "]"
