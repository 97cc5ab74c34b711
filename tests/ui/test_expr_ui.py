"""Lesson expr in the app: typing a function and a point, errors with a caret, big graphs, snapshots."""

from __future__ import annotations

import math

from textual.widgets import Input, Static

from backprop_tui.layout import FULL_LIMIT
from backprop_tui.lessons import ExprOptions
from backprop_tui.ui.app import BackpropApp

SIZE = (120, 40)
SMALL = (80, 24)


def text_of(app: BackpropApp, selector: str) -> str:
    return str(app.query_one(selector, Static).visual)


def field(app: BackpropApp, name: str) -> Input:
    return app.query_one(f"#{name}-input", Input)


async def type_into(pilot, app: BackpropApp, name: str, text: str) -> None:
    """Focus a field (the function with the app's own key, e), put text in it and press Enter.

    Only the first test types key by key; the others set the text, since each key press costs time.
    """
    if name == "expr":
        await pilot.press("e")
    else:
        field(app, "at").focus()
    field(app, name).value = text
    await pilot.press("enter")


def error_shown(app: BackpropApp) -> bool:
    return app.query_one("#expr-error").display


def bar_shown(app: BackpropApp) -> bool:
    """Whether the input line shows; it is made when lesson expr first opens."""
    return any(bar.display for bar in app.query("#expr-bar"))


async def test_typing_a_function_rebuilds_the_walkthrough():
    app = BackpropApp("expr")
    async with app.run_test(size=SIZE) as pilot:
        assert field(app, "expr").value == "6*exp(-y)/(1+x^2+y^2) + 2*x^3"
        assert field(app, "at").value == "x=1, y=2"
        await pilot.press("n", "n")
        assert app.cursor == 2
        await pilot.press("e", "ctrl+u", *"x*y + sin(x)", "enter")
        assert app.walk.settings == {"expr": "x*y + sin(x)", "at": {"x": 1.0, "y": 2.0}}
        assert app.cursor == 0 and app.focused is None
        assert "x*y + sin(x)" in text_of(app, "#title")
        await pilot.press("end")
        x = app.walk.trace.nodes["x"]
        assert float(x.grad) == 2.0 + math.cos(1.0)  # ∂/∂x (xy + sin x) at (1, 2)
        first = text_of(app, "#step").splitlines()[0]  # the local factors carry a mark, whatever it is
        assert first.startswith("∂z₃/∂x = ∂z₃/∂z₂ · ") and " + ∂z₃/∂z₁ · " in first
        assert first.index("∂z₂/∂x") < first.index(" + ") < first.index("∂z₁/∂x")


async def test_keys_typed_into_the_field_stay_there():
    app = BackpropApp("expr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "ctrl+u", "n", "1", "2", "q", "space", "f", "p", "question_mark", "left", "e")
        assert field(app, "expr").value == "n12q fpe?"  # left moved the text cursor, not the step
        assert app.lesson == "expr" and app.cursor == 0 and len(app.screen_stack) == 1
        await pilot.press("escape", "n")
        assert app.focused is None and app.cursor == 1
        assert app.walk.settings["expr"] == "6*exp(-y)/(1+x^2+y^2) + 2*x^3", "escape leaves without rebuilding"
        assert field(app, "expr").value == "6*exp(-y)/(1+x^2+y^2) + 2*x^3", "and shows the function on screen again"


async def test_an_error_keeps_the_function_and_shows_a_caret_then_a_fix_clears_it():
    app = BackpropApp("expr")
    async with app.run_test(size=SIZE) as pilot:
        before = app.walk
        await type_into(pilot, app, "expr", "x*(y+1))")
        assert app.walk is before, "the previous function stays on screen"
        assert error_shown(app)
        lines = text_of(app, "#expr-error").splitlines()
        assert lines[0].strip() == "x*(y+1))"
        assert lines[1].index("^") == lines[0].index("x*(y+1))") + 7  # under the extra ')'
        assert lines[2] == "unexpected ')' at column 8"
        assert app.focused is field(app, "expr") and field(app, "expr").cursor_position == 7
        await pilot.press("backspace", "enter")
        assert not error_shown(app)
        assert app.walk.settings["expr"] == "x*(y+1)"
        assert float(app.walk.trace.nodes["y"].grad) == 1.0
        await type_into(pilot, app, "expr", "x*(")
        assert error_shown(app)
        await pilot.press("escape")
        assert not error_shown(app) and field(app, "expr").value == "x*(y+1)"


async def test_the_point_field():
    app = BackpropApp("expr", ExprOptions(expr="x*y"))
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, app, "at", "x=3, y=-2")
        assert app.walk.settings["at"] == {"x": 3.0, "y": -2.0}
        assert float(app.walk.trace.nodes["x"].grad) == -2.0
        # a new function with the point untouched: the point keeps the variables that remain
        await type_into(pilot, app, "expr", "x^2")
        assert app.walk.settings["at"] == {"x": 3.0}
        assert field(app, "at").value == "x=3"
        # a typed point naming a variable the function lacks is an error
        await type_into(pilot, app, "at", "x=1, w=2")
        assert error_shown(app) and "no variable w" in text_of(app, "#expr-error")
        assert app.walk.settings["at"] == {"x": 3.0}
        await type_into(pilot, app, "at", "x=abc")
        shown = text_of(app, "#expr-error").splitlines()
        assert "'abc' is not a number" in shown[-1] and shown[1].rstrip().endswith("^")


async def test_the_field_belongs_to_lesson_expr_only():
    app = BackpropApp("graph")
    async with app.run_test(size=SIZE) as pilot:
        assert not bar_shown(app)
        await pilot.press("e")
        assert app.focused is None
        await pilot.press("6")
        assert app.lesson == "expr" and bar_shown(app)
        assert app.focused is None, "opening the lesson does not grab the keys"
        await pilot.press("n")
        assert app.cursor == 1
        await pilot.press("2")
        assert not bar_shown(app)


async def test_a_domain_problem_is_shown_not_raised():
    app = BackpropApp("expr")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, app, "expr", "log(x - 2)")
        assert not error_shown(app)
        assert math.isnan(float(app.walk.trace.nodes["z2"].value))
        app.action_last()
        await pilot.pause()
        assert not app._notifications, "said in the why panel, not in a toast over it"
        assert "outside where it is defined" in text_of(app, "#why")


async def test_a_big_function_is_drawn_a_piece_at_a_time():
    text = " + ".join(f"{k % 9 + 1}*sin(x{k % 40})" for k in range(2000))
    app = BackpropApp("expr", ExprOptions(expr=text))
    async with app.run_test(size=SIZE) as pilot:
        total = len(app.walk.trace.nodes)
        assert total > FULL_LIMIT
        graph = text_of(app, "#graph")
        assert f"of {total:,} nodes, those nearest z₁" in graph
        assert "x₀" in graph and "z₁ =—" in graph
        app.action_forward_end()
        await pilot.pause()
        out = app.walk.trace.nodes[app.walk.trace.output]
        assert f"nearest {out.label}" in text_of(app, "#graph")
        assert "rows above" in text_of(app, "#tensors")
        app.action_next()
        await pilot.pause()
        assert f"{out.label} ∂1" in text_of(app, "#graph")
