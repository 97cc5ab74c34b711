"""Practice on the lesson pages: chain asks the Jacobians' shapes and the product's order, symmetry a prediction."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from backprop_tui.lessons import SymmetryOptions
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.chain import ChainScreen, example_shape
from backprop_tui.ui.screens.symmetry import PREDICT_AT, PredictionError, SymmetryScreen, read_prediction
from backprop_tui.ui.widgets.page_answer import PageAnswer

SIZE = (120, 40)
SMALL = (80, 24)


def shown(app: BackpropApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).visual)


def page_text(app: BackpropApp) -> str:
    """Everything the page's Statics say, the answer box's included."""
    return "\n".join(str(static.visual) for static in app.screen.query(Static) if static.display)


def footer_keys(app: BackpropApp) -> set[str]:
    """The descriptions the Footer shows now."""
    return {b.binding.description for b in app.screen.active_bindings.values() if b.enabled and b.binding.show}


async def type_answer(pilot, text: str) -> None:
    field = pilot.app.screen.query_one("#answer-input", Input)
    assert field.has_focus, "the answer field has the keys"
    field.value = text
    await pilot.press("enter")


async def practising_chain(pilot) -> ChainScreen:
    pilot.app.practice = "all"
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ChainScreen)
    return screen


# --- chain ---


async def test_chain_watch_shows_everything_and_asks_nothing():
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(PageAnswer).has_class("-idle")
        assert "(4×3)" in shown(app, "#product") and "A is 4×3" in shown(app, "#functions")
        assert "Answer" not in footer_keys(app) and "Hint" not in footer_keys(app)


async def test_chain_hides_what_it_asks_until_answered():
    app = BackpropApp("chain")  # ℓ = 3, n = 4, m = 2: ∂g/∂x 4×3, ∂f/∂y 2×4, ∂(f∘g)/∂x 2×3
    async with app.run_test(size=SIZE) as pilot:
        await practising_chain(pilot)
        box = app.screen.query_one(PageAnswer)
        assert not box.has_class("-idle") and box.field.has_focus
        page = page_text(app)
        for answer in ("4×3", "2×4", "2×3", "(4×3)", "∂f/∂y · ∂g/∂x", "∂f/∂y (g(x)) · ∂g/∂x", "diag"):
            assert answer not in page, answer
        assert "?" in shown(app, "#product") and "? · ?" in shown(app, "#product")
        assert "Question 1 of 4" in shown(app, "#answer-prompt") and "∂g/∂x" in shown(app, "#answer-prompt")
        # the example of how to type a shape is never the answer (the core's own "like 2x3" is ∂(f∘g)/∂x's)
        assert "2x3" not in shown(app, "#answer-prompt") and "like 5x7" in shown(app, "#answer-prompt")
        keys = footer_keys(app)
        assert {"Check", "Hint", "Reveal"} <= keys and "ℓ +1" not in keys  # l is typed, not a size key
        assert "Help" not in keys and "Graph" not in keys  # nor are the app's ? and g


async def test_chain_wrong_then_right_one_question_after_another():
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE) as pilot:
        screen = await practising_chain(pilot)
        await type_answer(pilot, "3x4")
        assert "Transposed" in shown(app, "#answer-feedback") and "Try again" in shown(app, "#answer-feedback")
        assert "Question 1 of 4" in shown(app, "#answer-prompt")
        assert "4×3" not in shown(app, "#product")
        await type_answer(pilot, "4×3")
        assert "Right" in shown(app, "#answer-feedback")
        assert "4×3" in shown(app, "#product") and "A is 4×3" in shown(app, "#functions")
        assert "2×4" not in shown(app, "#product")
        assert "Question 2 of 4" in shown(app, "#answer-prompt") and "∂f/∂y" in shown(app, "#answer-prompt")
        await type_answer(pilot, "(2, 4)")
        await type_answer(pilot, "2x3")
        assert "Question 4 of 4" in shown(app, "#answer-prompt")
        assert "fg" in shown(app, "#answer-prompt") and "gf" in shown(app, "#answer-prompt")
        assert "? · ?" in shown(app, "#product")
        await type_answer(pilot, "gf")
        assert "inner sizes" in shown(app, "#answer-feedback")
        await type_answer(pilot, "fg")
        assert screen.quiz is not None and screen.quiz.done
        assert app.screen.query_one(PageAnswer).has_class("-idle")
        product = shown(app, "#product")
        assert "(2×3)" in product and "finite differences" in product
        summary = shown(app, "#answers")
        assert "you: 3x4 first, right after 2 tries" in summary and "2 of 4 right first time" in summary
        assert not app.screen.query_one("#answers").has_class("-idle")
        await pilot.press("w")  # the page's own keys again
        assert "ValueError" in shown(app, "#wrong")


async def test_chain_unreadable_answer_is_a_caret_not_a_try():
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE) as pilot:
        screen = await practising_chain(pilot)
        await type_answer(pilot, "4x")
        said = shown(app, "#answer-feedback").splitlines()
        assert said[0].strip() == "4x" and said[1].strip() == "^" and said[1].index("^") == said[0].index("x") + 1
        assert screen.quiz is not None and screen.quiz.records[0].tries == 0
        for _ in range(3):  # to the order question
            await pilot.press("ctrl+r")
        await type_answer(pilot, "x")
        message = shown(app, "#answer-feedback")
        assert "^" in message and "fg or gf" in message and "like fg" not in message  # the core's example is the answer


async def test_chain_hints_one_per_request_then_reveal():
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE) as pilot:
        screen = await practising_chain(pilot)
        await pilot.press("ctrl+t")
        assert "Hint 1 of 2" in shown(app, "#answer-feedback") and "Hint 2" not in shown(app, "#answer-feedback")
        await pilot.press("ctrl+t")
        assert "Hint 2 of 2: g has 4 outputs and 3 inputs" in shown(app, "#answer-feedback")
        await pilot.press("ctrl+t")
        assert "No more hints" in shown(app, "#answer-feedback")
        assert "2 hints" in shown(app, "#answer-score")
        await pilot.press("ctrl+r")
        assert "Revealed" in shown(app, "#answer-feedback") and "4×3" in shown(app, "#product")
        assert "1 revealed" in shown(app, "#answer-score")
        assert screen.quiz is not None and screen.quiz.records[0].state == "revealed"


async def test_chain_reveal_all_then_watch_and_back():
    app = BackpropApp("chain")
    async with app.run_test(size=SMALL) as pilot:
        screen = await practising_chain(pilot)
        await pilot.press("ctrl+r")
        app.practice = "watch"
        await pilot.pause()
        assert screen.query_one(PageAnswer).has_class("-idle")
        assert "(2×4)" in shown(app, "#product") and "A is 4×3" in shown(app, "#functions")
        app.practice = "some"
        await pilot.pause()
        assert "Question 2 of 4" in shown(app, "#answer-prompt")  # where it was left
        assert screen.query_one(PageAnswer).field.has_focus
        for _ in range(3):
            await pilot.press("ctrl+r")
        assert screen.quiz is not None and screen.quiz.done
        assert "4 revealed" in shown(app, "#answers")
        assert "every question answered or revealed" in shown(app, "#page-note").lower()


async def test_chain_escape_leaves_the_field_and_new_sizes_ask_again():
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE) as pilot:
        screen = await practising_chain(pilot)
        await pilot.press("ctrl+r")
        await pilot.press("escape")
        box = screen.query_one(PageAnswer)
        assert not box.field.has_focus
        assert "Answer" in footer_keys(app) and "ℓ +1" in footer_keys(app)
        await pilot.press("m", "m")  # both reach the page: the field does not take the keys back
        assert screen.result.m == 4
        assert "Question 1 of 4" in shown(app, "#answer-prompt") and "ℝ⁴ → ℝ⁴" not in shown(app, "#answer-prompt")
        assert "?" in shown(app, "#product")
        await pilot.press("a")
        assert box.field.has_focus
        await pilot.press("l")  # typed, not a size key
        assert box.field.value == "l" and screen.result.l == 3


def test_example_shape_is_never_the_answer_or_its_transpose():
    for shape in [(5, 7), (7, 5), (6, 8), (8, 6), (2, 3)]:
        example = tuple(int(k) for k in example_shape(shape).split("x"))
        assert example not in (shape, shape[::-1])


# --- symmetry ---


def symmetry() -> BackpropApp:
    return BackpropApp("symmetry", SymmetryOptions())


async def practising_symmetry(pilot) -> SymmetryScreen:
    pilot.app.practice = "all"
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SymmetryScreen)
    return screen


async def test_symmetry_watch_asks_nothing():
    app = symmetry()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(PageAnswer).has_class("-idle")
        assert "distinct hidden units: 1 of 4" in shown(app, "#side-0")
        await pilot.press("t")
        assert app.screen.runs[0].step == 1


async def test_symmetry_holds_training_until_the_prediction():
    app = symmetry()
    async with app.run_test(size=SIZE) as pilot:
        screen = await practising_symmetry(pilot)
        box = screen.query_one(PageAnswer)
        assert not box.has_class("-idle") and box.field.has_focus
        prompt = shown(app, "#answer-prompt")
        assert f"after {PREDICT_AT} steps" in prompt and "zero side" in prompt and "random side" in prompt
        assert "esc skips" in prompt
        assert "distinct hidden units: ? of 4" in shown(app, "#side-0")  # the counters would answer it
        assert "1 of 4" not in shown(app, "#side-0") and "4 of 4" not in shown(app, "#side-1")
        assert "=1" not in shown(app, "#side-0")  # nor do the marks of units that are the same
        await pilot.press("t", "T", "a")  # typed into the field
        assert screen.runs[0].step == 0 and not screen.playing and box.field.value == "tTa"
        screen.set_focus(None)
        await pilot.press("t")  # out of the field, a training key says why it waits
        assert screen.runs[0].step == 0 and box.field.has_focus
        assert "Answer first" in shown(app, "#answer-feedback")
        screen.action_next()  # the step view's why would tell what becomes of identical units
        assert screen.cursor is None
        assert "1 step" not in footer_keys(app)


async def test_symmetry_prediction_stays_and_is_judged_at_the_step():
    app = symmetry()
    async with app.run_test(size=SIZE) as pilot:
        screen = await practising_symmetry(pilot)
        await type_answer(pilot, "2, 4")
        box = screen.query_one(PageAnswer)
        assert box.has_class("-closed") and not box.has_class("-idle")
        assert "Your prediction: zero 2, random 4" in shown(app, "#answer-prompt")
        assert f"checked at step {PREDICT_AT}" in shown(app, "#answer-prompt")
        assert "distinct hidden units: 1 of 4" in shown(app, "#side-0") and "●2=1" in shown(app, "#side-0")
        await pilot.press("T")
        assert screen.runs[0].step == 10 and "(now step 10)" in shown(app, "#answer-prompt")
        screen.train(PREDICT_AT - 15)
        await pilot.press("T")  # 995 → 1005: the counts are taken at 1000 itself
        assert screen.runs[0].step == PREDICT_AT + 5
        assert screen.reached == (1, 4)
        line = shown(app, "#answer-prompt")
        assert f"at step {PREDICT_AT}: zero 1, random 4" in line
        assert "right on the random side, not on the zero side" in line


async def test_symmetry_right_prediction_and_escape_skips():
    app = symmetry()
    async with app.run_test(size=SMALL) as pilot:
        screen = await practising_symmetry(pilot)
        await type_answer(pilot, "1 and 4")
        screen.train(PREDICT_AT)
        await pilot.pause()
        assert "right on both sides" in shown(app, "#answer-prompt")
    app = symmetry()
    async with app.run_test(size=SMALL) as pilot:
        screen = await practising_symmetry(pilot)
        await pilot.press("escape")
        assert screen.skipped and screen.query_one(PageAnswer).has_class("-idle")
        await pilot.press("t")
        assert screen.runs[0].step == 1 and "1 of 4" in shown(app, "#side-0")


async def test_symmetry_unreadable_prediction_has_a_caret():
    app = symmetry()
    async with app.run_test(size=SIZE) as pilot:
        screen = await practising_symmetry(pilot)
        await type_answer(pilot, "1, 7")
        said = shown(app, "#answer-feedback").splitlines()
        assert said[1].index("^") == said[0].index("7") and "1 to 4" in said[2]
        assert screen.predicted is None and screen.awaiting


@pytest.mark.parametrize(
    ("typed", "counts"), [("1, 4", (1, 4)), ("1 4", (1, 4)), (" 2;3 ", (2, 3)), ("4 AND 1", (4, 1)), ("1/1", (1, 1))]
)
def test_read_prediction(typed, counts):
    assert read_prediction(typed, 4) == counts


@pytest.mark.parametrize(
    ("typed", "position", "words"),
    [("1", 1, "two numbers"), ("", 0, "two numbers"), ("1, 2, 3", 6, "two numbers only"), ("0, 4", 0, "1 to 4"),
     ("1.5, 2", 1, "whole numbers"), ("-1, 2", 0, "whole numbers"), ("1, 5", 3, "1 to 4")],
)
def test_read_prediction_refuses(typed, position, words):
    with pytest.raises(PredictionError) as caught:
        read_prediction(typed, 4)
    assert caught.value.position == position and words in caught.value.message
