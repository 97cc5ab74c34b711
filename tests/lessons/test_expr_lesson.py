"""Lesson expr: the §4 function typed as text, the point, domain warnings, and the words per step."""

import math
import time

import numpy as np
import pytest

from backprop_tui.export import to_dict
from backprop_tui.lessons import LESSONS, ExprOptions, GraphOptions, LessonError
from backprop_tui.lessons.expr import ExpressionError, options_for, parse_point, point_text
from backprop_tui.lessons.options import DEFAULT_EXPR

SECTION_4 = "6*exp(-y)/(1+x^2+y^2) + 2*x^3"


def build(expr=None, **at):
    return LESSONS["expr"].build(ExprOptions(expr=expr, at=tuple(at.items())))


def grad(walk, name):
    return float(walk.trace.nodes[name].grad)


@pytest.mark.parametrize("x, y", [(1.0, 2.0), (0.0, 0.0), (0.5, -1.0), (-2.5, 0.1), (1.7, 2.9)])
def test_section_4_as_text_gives_the_graph_lessons_gradients(x, y):
    typed = build(SECTION_4, x=x, y=y)
    course = LESSONS["graph"].build(GraphOptions(at=(("x", x), ("y", y))))
    for name in ("x", "y"):
        assert grad(typed, name) == pytest.approx(grad(course, name), rel=1e-14, abs=1e-15)
    assert float(typed.trace.nodes[typed.trace.output].value) == pytest.approx(
        float(course.trace.nodes["z4"].value), rel=1e-15
    )
    # and §4(b)'s closed forms, written here
    z1, z2 = math.exp(-y), 1 + x * x + y * y
    assert grad(typed, "x") == pytest.approx(6 * x * x - 12 * x * z1 / z2**2, rel=1e-13, abs=1e-14)
    assert grad(typed, "y") == pytest.approx(-12 * y * z1 / z2**2 - 6 * z1 / z2, rel=1e-13, abs=1e-14)


def test_defaults_are_section_4_at_the_courses_point():
    walk = LESSONS["expr"].build(ExprOptions())
    assert walk.settings == {"expr": DEFAULT_EXPR, "at": {"x": 1.0, "y": 2.0}}
    assert grad(walk, "x") == pytest.approx(5.95488823892, abs=1e-10)
    assert grad(walk, "y") == pytest.approx(-0.22555880539, abs=1e-10)


def test_unset_variables_are_one_except_x_and_y():
    walk = build("a*x + b*y", a=3.0)
    assert walk.settings["at"] == {"a": 3.0, "b": 1.0, "x": 1.0, "y": 2.0}
    assert float(walk.trace.nodes[walk.trace.output].value) == 3 * 1 + 1 * 2


@pytest.mark.parametrize(
    "expr, at, message",
    [
        ("x*y", (("w", 1.0),), "no variable w"),
        ("x*y", (("x", 1.0), ("x", 2.0)), "gives x twice"),
        ("x*y", (("x", math.inf),), "finite"),
        ("(x+))", (), "unexpected ')' at column 4"),
        ("", (), "empty"),
    ],
)
def test_bad_settings_are_lesson_errors(expr, at, message):
    with pytest.raises(LessonError) as error:
        LESSONS["expr"].build(ExprOptions(expr=expr, at=at))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_syntax_errors_keep_the_position_for_a_caret():
    with pytest.raises(ExpressionError) as error:
        build("x*(y+1")
    assert error.value.field == "expr" and error.value.position == 2
    assert error.value.caret() == ("x*(y+1", "  ^")


@pytest.mark.parametrize(
    "expr, point, node_value, warning",
    [
        ("log(x) + y", {"x": -1.0}, "nan", "log(x) is nan at this point (x = −1), outside where it is defined"),
        ("1/x", {"x": 0.0}, math.inf, "is ∞"),
        ("(x - 1)/(x - 1)", {"x": 1.0}, "nan", "z₁/z₁ is nan"),
    ],
)
def test_domain_problems_are_inf_or_nan_with_a_warning(expr, point, node_value, warning):
    walk = build(expr, **point)
    out = float(walk.trace.nodes[walk.trace.output].value)
    assert math.isnan(out) if node_value == "nan" else out == node_value
    assert any(warning in notice for notice in walk.notices), walk.notices
    data = to_dict(walk)  # the export writes non-finite numbers as null
    assert data["nodes"][walk.trace.output]["value"] is None


def test_an_infinite_slope_with_finite_values_is_warned_about():
    walk = build("sqrt(x)", x=0.0)
    assert float(walk.trace.nodes["z1"].value) == 0.0
    assert math.isinf(grad(walk, "x"))
    assert any("1/(2z₁)" in n and "∞" in n for n in walk.notices), walk.notices


def test_a_clean_point_has_no_notices():
    assert build("x*sin(y)").notices == ()


def test_why_texts_follow_the_op_kinds_and_paths():
    walk = build("x*y + x")
    assert len(walk.why) == len(walk.trace.steps) + 1
    by_step = {(s.phase, s.node): walk.why[s.index + 1] for s in walk.trace.steps}
    assert "product" in by_step["forward", "z1"]
    assert "sum" in by_step["forward", "z2"] and "output" in by_step["forward", "z2"]
    assert "starts at the output" in by_step["backward", "z2"]
    assert "used 2 times" in by_step["backward", "x"] and "adds the 2 products" in by_step["backward", "x"]
    assert "used only by z₁" in by_step["backward", "y"]
    twice = build("x*x")
    assert "counts twice" in twice.why[-1]


def test_a_single_variable_is_a_function_too():
    walk = build("((x))", x=3.0)
    assert walk.trace.output == "x" and walk.trace.forward_count == 0
    assert grad(walk, "x") == 1.0


def test_export_keeps_the_text_and_the_point():
    walk = build("x^2*w", w=2.0, x=3.0)
    data = to_dict(walk)
    assert data["lesson"] == "expr"
    assert data["settings"] == {"expr": "x^2*w", "at": {"w": 2.0, "x": 3.0}}
    assert list(data["nodes"]) == ["w", "x", "z1", "z2"]
    assert data["output"] == "z2"
    assert data["nodes"]["x"]["grad"] == 2 * 3.0 * 2.0 and data["nodes"]["w"]["grad"] == 9.0


# --- the point as the app's field writes and reads it ---


def test_point_text_round_trips():
    at = {"x": 1.0, "y": -0.25, "w": 1e-20}
    assert point_text(at) == "x=1, y=-0.25, w=1e-20"
    assert dict(parse_point(point_text(at))) == at


@pytest.mark.parametrize(
    "text, expected",
    [("", ()), ("x=1 y = 2", (("x", 1.0), ("y", 2.0))), (" x=1,, y=2 ,", (("x", 1.0), ("y", 2.0)))],
)
def test_point_parsing(text, expected):
    assert parse_point(text) == expected


@pytest.mark.parametrize(
    "text, position, message",
    [("x", 0, "name=value"), ("x=1, y=", 7, "missing"), ("x=abc", 2, "not a number"), ("x=nan", 2, "finite")],
)
def test_point_errors_carry_the_column(text, position, message):
    with pytest.raises(ExpressionError) as error:
        parse_point(text)
    assert error.value.field == "at" and error.value.position == position and message in str(error.value)


def test_an_untouched_point_follows_the_new_function():
    old = ExprOptions(expr="x*y", at=(("x", 3.0), ("y", 4.0)))
    kept = options_for(old, "x*w", "x=3, y=4", keep_old_point=True)
    assert kept.expr == "x*w" and kept.at == (("x", 3.0),)
    strict = options_for(old, "x*w", "x=3, y=4", keep_old_point=False)
    with pytest.raises(ExpressionError, match="no variable y"):
        LESSONS["expr"].build(strict)
    np.testing.assert_equal(LESSONS["expr"].build(kept).settings["at"], {"w": 1.0, "x": 3.0})


@pytest.mark.parametrize("x", [1.0, 0.5, 2.0])
def test_zero_to_the_x_has_the_same_gradient_typed_as_0_or_as_a_variable_at_0(x):
    constant = build("0^x", x=x)
    variable = build("y^x", x=x, y=0.0)
    assert grad(constant, "x") == grad(variable, "x") == 0.0
    assert constant.notices == ()
    assert not any("/∂x" in notice for notice in variable.notices)
    h = 1e-6  # 0^x is 0 on both sides, so the central difference is 0 too
    assert (0.0 ** (x + h) - 0.0 ** (x - h)) / (2 * h) == 0.0
    # ∂/∂y of y^x at y = 0 is x·0^(x−1): 1 at x = 1, 0 above, ∞ below
    assert grad(variable, "y") == {1.0: 1.0, 2.0: 0.0, 0.5: math.inf}[x]


@pytest.mark.parametrize("expr", ["x^(1/0)", "x^(-(1/0))", "x^9^9^9", "x^(9^9^9)", "x^(0/0)"])
def test_an_exponent_that_is_not_finite_is_refused_with_its_column(expr):
    with pytest.raises(ExpressionError) as error:
        build(expr)
    assert "the exponent" in str(error.value) and "is not a finite number" in str(error.value)
    assert error.value.field == "expr" and error.value.position == 2
    shown, caret = error.value.caret()
    assert shown == expr and caret == "  ^"


# --- functions at the size limits build, with every text, in time linear in their size ---

HANG_GUARD = 20.0  # seconds: far above the ~2 s these take, only there to stop a quadratic slip from hanging


def every_text(walk):
    """Read every text a screen or an export can show, so lazy ones are built too."""
    size = sum(len(w) for w in walk.why)
    for step in walk.trace.steps:
        size += len(step.equation) + len(step.shapes)
        size += sum(len(term.derivative) for term in step.terms)
    return size


def timed_build(expr):
    start = time.perf_counter()
    walk = build(expr)
    assert every_text(walk) > 0
    assert time.perf_counter() - start < HANG_GUARD
    assert len(walk.why) == len(walk.trace.steps) + 1
    return walk


def test_one_variable_used_49999_times_builds():
    walk = timed_build("+".join(["x"] * 49_999))
    assert len(walk.trace.steps) == 49_998 + 49_999  # the sums forward, then every node backward
    assert grad(walk, "x") == 49_999.0
    assert walk.why[-1].startswith("x is used 49999 times (z₄₉₉₉₈, z₄₉₉₉₇,")
    assert "z₁ takes x as both inputs, so it counts twice" in walk.why[-1]


def test_ten_thousand_variables_build():
    walk = timed_build("+".join(f"x{k}" for k in range(10_000)))
    assert len(walk.trace.steps) == 9_999 + 19_999
    assert walk.trace.nodes["x0"].name == "x0" and list(walk.trace.nodes)[:3] == ["x0", "x1", "x2"]
    assert all(float(walk.trace.nodes[f"x{k}"].grad) == 1.0 for k in range(10_000))


def test_49990_leading_minuses_build():
    walk = timed_build("-" * 49_990 + "x")
    assert len(walk.trace.steps) == 2 * 49_990 + 1
    assert float(walk.trace.nodes[walk.trace.output].value) == 1.0 and grad(walk, "x") == 1.0


def test_sin_nested_26000_deep_builds():
    walk = timed_build("sin(" * 26_000 + "x" + ")" * 26_000)
    assert len(walk.trace.steps) == 2 * 26_000 + 1
    value, slope = 1.0, 1.0
    for _ in range(26_000):  # the same chain in plain Python
        slope *= math.cos(value)
        value = math.sin(value)
    assert float(walk.trace.nodes[walk.trace.output].value) == pytest.approx(value, rel=1e-12)
    assert grad(walk, "x") == pytest.approx(slope, rel=1e-9)


@pytest.mark.parametrize(
    "text, at",
    [
        ("log(x)+y", (("x", -1.0), ("y", 0.0))),
        ("sqrt(x)+y", (("x", -1.0), ("y", 0.0))),
        ("x^0.5+y", (("x", -1.0), ("y", 0.0))),
        ("y/x + 0*x", (("x", 0.0), ("y", 0.0))),
        ("log(x)*0 + y", (("x", -1.0), ("y", 2.0))),
        ("y^x", (("x", 0.5), ("y", -2.0))),
    ],
)
def test_no_finite_gradient_flows_through_a_value_that_is_not_finite(text, at):
    walk = LESSONS["expr"].build(ExprOptions(expr=text, at=at))
    nodes = walk.trace.nodes
    undefined = [name for name, r in nodes.items() if r.op is not None and not np.isfinite(r.value)]
    assert undefined, "the point is outside the function's domain"
    for name in undefined:  # every leaf under an undefined value has no finite gradient
        stack = list(nodes[name].inputs)
        while stack:
            below = stack.pop()
            assert not np.isfinite(nodes[below].grad), (text, below)
            stack.extend(nodes[below].inputs)
    assert walk.notices and "not finite" in walk.notices[-1]
