"""Snapshots of practice: the question, a diagnosis, a hint with a network's knowns, the reveal, the summary.

Each picture was looked at before it was accepted. The apps are made here with the
lessons' default (fixed) inputs; every test gives its terminal size.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.widgets.answer_bar import AnswerField

pytestmark = pytest.mark.slow

SIZE = (120, 40)
SMALL = (80, 24)
# lesson graph's answers, step by step (as in test_practice_ui)
GRAPH = [
    ["exp(-y)"], ["1 + x^2 + y^2"], ["x^3"], ["6*z1/z2 + 2*z3"], ["1"], ["2", "2"],
    ["-6*z1/z2^2", "dz4/dz4 * (-6*z1/z2^2)"], ["6/z2", "6/z2"],
    ["2*y", "-z1", "dz4/dz2*2*y + dz4/dz1*(-z1)"], ["3*x^2", "2*x", "2*(3*x^2) + (-6*z1/z2^2)*(2*x)"],
]


def practising(lesson: str) -> BackpropApp:
    return BackpropApp(lesson, practice="all")


async def type_answer(pilot: Pilot, text: str) -> None:
    field = pilot.app.screen.query_one(AnswerField)
    field.value = text
    field.cursor_position = len(text)  # where typing leaves it: the picture must not depend on when it moved
    await field.action_submit()
    await pilot.pause()


def answered(steps: int, then: list[str] = (), scroll: bool = False):  # type: ignore[assignment]
    """A pilot that answers lesson graph's first `steps` steps right, goes on and types `then`."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app, BackpropApp)
        for answers in GRAPH[:steps]:
            app.action_next()
            await pilot.pause()
            for text in answers:
                await type_answer(pilot, text)
        if steps < len(GRAPH):
            app.action_next()
            await pilot.pause()
        for text in then:
            await type_answer(pilot, text)
        if scroll:
            app.action_scroll_step(1)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()  # the verdict line and the panels it resizes, drawn before the picture

    return run_before


def test_the_first_question(snap_compare):
    assert snap_compare(practising("graph"), press=["n"], terminal_size=SIZE)


def test_a_diagnosis(snap_compare):
    assert snap_compare(practising("graph"), run_before=answered(6, ["6*z1/z2^2"]), terminal_size=SIZE)


def test_text_that_cannot_be_read_has_a_caret(snap_compare):
    assert snap_compare(practising("graph"), run_before=answered(8, ["2*y +"]), terminal_size=SMALL)


def test_a_hint_on_the_network_at_80x24(snap_compare):
    keys = ["n", "ctrl+r", "n", "ctrl+r", "n", "ctrl+r", "n", "ctrl+r", "n", "ctrl+r", "n", "ctrl+r", "n", "ctrl+t"]
    assert snap_compare(practising("mlp"), press=keys, terminal_size=SMALL)


def test_the_reveal(snap_compare):
    assert snap_compare(practising("graph"), run_before=answered(8, ["2*y"]), press=["ctrl+r"], terminal_size=SIZE)


def test_the_summary(snap_compare):
    assert snap_compare(practising("graph"), run_before=answered(10, scroll=True), terminal_size=SIZE)
