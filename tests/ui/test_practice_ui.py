"""Practice in the app: a step asks before it shows, answers are judged, hints and reveals, the score, the summary.

Also the session alone (which steps ask at each level) and the renderers that hide what is asked.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from backprop_tui.lessons import LESSONS
from backprop_tui.practice import practice_for
from backprop_tui.practice.session import ALL, SOME, WATCH, Session
from backprop_tui.render.practice import AskingPicture, asking_table, score_line, summary_text
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.widgets.answer_bar import AnswerBar, AnswerField
from backprop_tui.ui.widgets.tensor_panel import TensorPanel

# Every answer of lesson graph at its default point, in the notes' forms (§4b), step by step in asking order.
GRAPH_ANSWERS = [
    ["exp(-y)"],  # z1
    ["1 + x^2 + y^2"],  # z2
    ["x^3"],  # z3
    ["6*z1/z2 + 2*z3"],  # z4
    ["1"],  # ∂z4/∂z4
    ["2", "2"],  # z3: local, gradient
    ["-6*z1/z2^2", "dz4/dz4 * (-6*z1/z2^2)"],  # z2
    ["6/z2", "6/z2"],  # z1
    ["2*y", "-z1", "dz4/dz2*2*y + dz4/dz1*(-z1)"],  # y: local via z2, via z1, gradient
    ["3*x^2", "2*x", "2*(3*x^2) + (-6*z1/z2^2)*(2*x)"],  # x: via z3, via z2, gradient
]


def session_for(lesson: str, level: str = ALL) -> Session:
    entry = LESSONS[lesson]
    options = entry.options()
    walk = entry.build(options)  # type: ignore[attr-defined]
    return Session(practice_for(lesson, options, walk), level, walk)  # type: ignore[arg-type]


def shown(app: BackpropApp, selector: str) -> str:
    return str(app.main.query_one(selector, Static).visual)


def tensors(app: BackpropApp) -> str:
    return str(app.main.query_one(TensorPanel).visual)


async def answer(app: BackpropApp, pilot, text: str) -> None:
    """Type into the answer field and press enter (the field's own submit)."""
    field = app.main.query_one(AnswerField)
    field.value = text
    await field.action_submit()
    await pilot.pause()


def message(app: BackpropApp) -> str:
    return shown(app, "#answer-message")


# --- the session alone ---


def test_all_asks_every_step_and_watch_none():
    session = session_for("graph", ALL)
    for index in range(len(session.walk.trace)):
        session.arrive(index)
        assert session.asking(index)
    watched = session_for("graph", WATCH)
    for index in range(len(watched.walk.trace)):
        watched.arrive(index)
        assert not watched.asking(index)
    assert watched.score() == (0, 0, 0)


def test_some_shows_the_first_of_each_kind_worked_then_asks():
    session = session_for("expr", SOME)
    kinds: set[str] = set()
    for index in range(session.walk.trace.forward_count):
        session.arrive(index)
        (record,) = session.records(index)
        assert record.given == (record.question.kind not in kinds), index
        kinds.add(record.question.kind)
    assert any(session.asking(i) for i in range(session.walk.trace.forward_count)), "x^2 and (…)^2 repeat a kind"


def test_some_a_kind_missed_is_shown_worked_once_more_and_one_got_right_keeps_asking():
    session = session_for("expr", SOME)
    steps = session.walk.trace.steps
    pow_steps = [i for i, s in enumerate(steps[: session.walk.trace.forward_count]) if s.node in ("z4", "z6", "z9")]
    assert len(pow_steps) == 3, "x^2, (…)^2 and x^2 again are powers by a constant"
    first, second, third = pow_steps
    for index in range(second + 1):
        session.arrive(index)
    assert session.records(first)[0].given and session.asking(second)
    session.reveal(second)  # not answered: the next power is worked again
    for index in range(second + 1, third + 1):
        session.arrive(index)
    assert not session.asking(third) and session.records(third)[0].given

    again = session_for("expr", SOME)
    for index in range(second + 1):
        again.arrive(index)
    expected = again.current(second)
    assert expected is not None
    assert again.answer(second, expected.question.expected_text.replace("²", "^2")).correct
    for index in range(second + 1, third + 1):
        again.arrive(index)
    assert again.asking(third), "a kind answered right first time keeps asking"


def test_invalid_is_not_counted_wrong_is_and_a_hint_counts():
    session = session_for("graph")
    session.arrive(0)
    assert session.answer(0, "exp(-y").verdict == "invalid"
    assert session.score() == (0, 0, 0)
    assert session.hint(0) is not None
    verdict = session.answer(0, "exp(y)")
    assert verdict.verdict == "wrong"
    assert session.asking(0)
    assert session.answer(0, "exp(-y)").correct
    assert not session.asking(0)
    assert session.score() == (0, 1, 1)


def test_hints_run_out():
    session = session_for("graph")
    session.arrive(6)
    record = session.current(6)
    assert record is not None
    taken = [session.hint(6) for _ in record.question.hints]
    assert [n for n, _ in taken if taken] == list(range(1, len(record.question.hints) + 1))  # type: ignore[misc]
    assert session.hint(6) is None


def test_switching_to_watch_reveals_the_step_asked_and_counts_what_was_left():
    session = session_for("graph")
    session.arrive(0)
    session.answer(0, "1")
    session.set_level(WATCH)
    session.arrive(0)
    assert not session.asking(0) and 0 in session.revealed
    assert session.score() == (0, 1, 0)


# --- what is hidden while a step asks ---


def test_the_tensors_table_hides_the_asked_cell_only():
    walk = LESSONS["graph"].build(LESSONS["graph"].options())  # type: ignore[attr-defined]
    _, rows = asking_table(walk, 1, 46)  # z1's value
    lines = {line.split()[0]: line for line in str(rows).splitlines()}
    assert "?" in lines["z₁"] and "0.1353" not in lines["z₁"]
    assert "2" in lines["y"]
    _, rows = asking_table(walk, 10, 46)  # ∂z4/∂x
    lines = {line.split()[0]: line for line in str(rows).splitlines()}
    assert lines["x"].split()[-1] == "?" and "5.955" not in str(rows)
    assert "1" in lines["x"], "x's value still shows"


def test_the_graph_hides_the_asked_node_and_the_units_of_a_network():
    graph = LESSONS["graph"].build(LESSONS["graph"].options())  # type: ignore[attr-defined]
    picture = AskingPicture(graph)
    picture.hidden = "x"
    text = str(picture.paint(10, 100).text)
    assert "x ∂?" in text and "5.955" not in text
    mlp = LESSONS["mlp"].build(LESSONS["mlp"].options())  # type: ignore[attr-defined]
    picture = AskingPicture(mlp)
    picture.hidden = "z"
    text = str(picture.paint(2, 118).text)
    assert "z =?" in text and "z₁ =?" in text
    assert "0.507" not in text, "no hidden unit's value shows"


def test_score_line_shortens():
    session = session_for("graph")
    session.arrive(0)
    session.answer(0, "exp(-y)")
    assert score_line(session, 80) == "practice all · 1 of 1 right first time, 0 hints"
    assert score_line(session, 30) == "all · 1/1 first time, 0 hints"


# --- in the app ---


async def test_a_whole_practice_run_on_the_graph_lesson():
    app = BackpropApp("graph", practice=ALL)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert app.cursor == 1 and app.asking()
        assert isinstance(app.focused, AnswerField), "a step that asks puts the keys into the field"
        assert "z₁ = exp(−y). Its value?" in shown(app, "#step")
        assert "0.1353" not in shown(app, "#step") + shown(app, "#graph") + tensors(app)
        assert "z₁ =?" in shown(app, "#graph")
        assert "needs only y" not in shown(app, "#why"), "the why waits for the answer"
        for index, answers in enumerate(GRAPH_ANSWERS):
            if index:
                await pilot.press("n")
            assert app.cursor == index + 1 and app.asking(), index
            assert "done" not in shown(app, "#progress"), "a step that asks is not done, the last one neither"
            for typed in answers:
                await answer(app, pilot, typed)
                assert "Right" in message(app) or not app.asking(), (index, typed, message(app))
            assert not app.asking(), index
        assert app.cursor == len(app.walk.trace)
        assert "done — home to start over" in shown(app, "#progress")
        step = shown(app, "#step")
        assert "sum: ∂z₄/∂x = 6 − 0.04511 = 5.955" in step, "the last step shows worked"
        assert "Practice summary · 17 of 17 right first time, 0 hints" in step
        rows = {line.split()[0 if line.startswith(" ") else 2]: line for line in step.splitlines()[-20:] if line}
        assert "2*(3*x^2) + (-6*z…" in rows["∂z₄/∂x"] and "✓ right first time" in rows["∂z₄/∂x"]
        assert "2*x" in rows["local[∂z₂/∂x]"] and "✓ right first time" in rows["local[∂z₂/∂x]"]
        assert app.main.query_one("#step-box").border_subtitle == "practice all · 17 of 17 right first time, 0 hints"
        await pilot.press("home", "n")
        assert not app.asking(), "an answered step shows revealed"
        assert "0.1353" in shown(app, "#step")


async def test_wrong_invalid_hint_and_reveal():
    app = BackpropApp("graph", practice=ALL)
    async with app.run_test(size=(120, 40)) as pilot:
        app.step_to(7)  # stops at the first step that asks
        await pilot.pause()
        assert app.cursor == 1
        for answers in GRAPH_ANSWERS[:6]:
            app.action_next()
            for typed in answers:
                await answer(app, pilot, typed)
        app.action_next()
        await pilot.pause()
        assert app.cursor == 7 and "The local derivative ∂z₄/∂z₂?" in shown(app, "#step")
        await answer(app, pilot, "-6*z1/z2^")
        assert "^" in message(app).splitlines()[1], "a caret under the problem"
        assert "not counted" in message(app)
        await answer(app, pilot, "6*z1/z2^2")
        assert "sign is flipped" in message(app)
        assert "1 try so far" in shown(app, "#step")
        app.action_hint()
        await pilot.pause()
        assert "Hint 1 of 2" in shown(app, "#step")
        assert "1 hint" in str(app.main.query_one("#step-box").border_subtitle)
        await answer(app, pilot, "-6*z1/z2^2")
        assert "✓ local[∂z₄/∂z₂] = −6z₁/z₂²" in shown(app, "#step"), "the part answered shows, then the next question"
        assert "The gradient ∂z₄/∂z₂?" in shown(app, "#step")
        app.action_reveal()
        await pilot.pause()
        assert not app.asking()
        assert "−0.02256" in shown(app, "#step") and "hence −6z₁/z₂²" in shown(app, "#why")
        assert "Revealed" in shown(app, "#notice")
        assert app.session is not None and app.session.score() == (7, 9, 1)
        assert "wrong, then right (2 tries), 1 hint" in str(summary_text(app.session))


async def test_n_on_a_step_that_asks_returns_to_the_field_and_escape_leaves_it():
    app = BackpropApp("graph", practice=ALL)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.press("escape")
        assert app.focused is None
        await pilot.press("n")
        assert app.cursor == 1 and isinstance(app.focused, AnswerField)
        await pilot.press("escape", "end")
        assert app.cursor == 1, "moving on stops at the question"
        assert isinstance(app.focused, AnswerField), "and puts the keys back into the field"
        await pilot.press("escape", "p")
        assert app.cursor == 0


async def test_the_footer_keys_while_answering():
    app = BackpropApp("graph", practice=ALL)
    async with app.run_test(size=(120, 40)) as pilot:
        assert not app.check_action("hint", ()), "nothing to hint before a step asks"
        await pilot.press("n")
        shown_keys = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert {"hint", "reveal"} <= shown_keys
        assert "next" not in shown_keys and "lesson" not in "".join(shown_keys), "the field types those keys"
        await pilot.press("ctrl+t")
        assert "Hint 1 of" in shown(app, "#step")
        await pilot.press("ctrl+r")
        assert not app.asking() and not isinstance(app.focused, AnswerField)


async def test_keys_typed_into_the_field_stay_there():
    app = BackpropApp("graph", practice=ALL)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "n", "p", "1", "q", "question_mark", "P")
        assert app.main.query_one(AnswerField).value == "np1q?P"
        assert app.cursor == 1 and app.lesson == "graph" and app.practice == ALL


async def test_the_level_changes_with_p_and_watch_shows_everything():
    app = BackpropApp("graph")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "n")
        assert app.session is None and not app.asking()
        await pilot.press("P")
        assert app.practice == SOME and "Practice some" in shown(app, "#notice")
        await pilot.press("P")
        assert app.practice == ALL
        assert not app.asking(), "the steps watched stay shown"
        await pilot.press("n")
        assert app.cursor == 3 and app.asking()
        app.set_practice(WATCH)
        await pilot.pause()
        assert not app.asking() and "x³ = 1³ = 1" in shown(app, "#step")
        assert not app.main.has_class("-asking")
        assert app.main.query_one("#step-box").border_subtitle == ""


async def test_the_palette_offers_the_levels():
    from backprop_tui.ui.commands import LessonCommands

    app = BackpropApp("graph")
    async with app.run_test(size=(120, 40)):
        provider = LessonCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert {"Practice: watch", "Practice: some", "Practice: all"} <= set(names)
        run = next(run for name, run, _ in provider._commands() if name == "Practice: all")
        run()
        assert app.practice == ALL


async def test_progress_survives_switching_lessons():
    app = BackpropApp("graph", practice=ALL)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await answer(app, pilot, "exp(-y)")
        app.action_next()
        await answer(app, pilot, "7")
        app.action_lesson("mlp")
        await pilot.pause()
        assert app.walk.lesson == "mlp" and app.cursor == 0
        app.action_next()
        await pilot.pause()
        assert app.asking() and "v = W⁽⁰⁾x + b⁽⁰⁾. Its value?" in shown(app, "#step")
        assert "Known so far" in shown(app, "#step"), "a network's question shows what it is computed from"
        app.action_lesson("graph")
        await pilot.pause()
        assert app.cursor == 2 and app.asking() and "1 try so far" in shown(app, "#step")
        assert app.session is not None and app.session.score() == (1, 2, 0)


async def test_a_new_walk_starts_a_new_session():
    app = BackpropApp("mlp", practice=ALL)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_next()
        app.action_reveal()
        await pilot.pause()
        first = app.session
        app.action_cycle_init()
        await pilot.pause()
        assert app.session is not first and app.session is not None and app.session.score() == (0, 0, 0)


async def test_a_notice_waits_for_the_reveal():
    from backprop_tui.lessons import MlpOptions

    app = BackpropApp("mlp", MlpOptions(init="zero"), practice=ALL)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = app.walk
        noticed = next(c for c in range(1, len(walk.trace) + 1) if walk.notices_at(c))
        for _ in range(noticed):
            app.action_next()
            await pilot.pause()
            assert not shown(app, "#notice").startswith("⚑"), "no notice while the step asks"
            app.action_reveal()
            await pilot.pause()
        assert "⚑" in shown(app, "#notice")


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_the_question_and_field_show_at_any_size(size):
    app = BackpropApp("mlp", practice=ALL)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n")
        bar = app.main.query_one(AnswerBar)
        assert bar.display and bar.region.height >= 1
        assert bar.region.bottom <= app.main.query_one("#progress").region.y
        assert "Its value?" in shown(app, "#step")
