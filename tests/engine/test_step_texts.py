"""The texts of steps: local factors marked, repeated inputs named apart, forward steps with their numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_tui.engine import BACKWARD, FORWARD, Graph, expr_ops, ops, passes
from backprop_tui.engine.notation import number
from backprop_tui.engine.ops import Op
from backprop_tui.lessons import LESSONS
from backprop_tui.lessons.options import ExprOptions, GraphOptions, MlpOptions


def _expr(text, **at):
    return LESSONS["expr"].build(ExprOptions(expr=text, at=tuple(at.items()))).trace


def _step(trace, phase, node):
    return trace.steps[trace.step_index(phase, node)]


def _central(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


# --- item 2: a factor used twice ---


def test_a_factor_used_twice_has_two_terms_named_apart():
    trace = _expr("sin(x*y)*sin(x*y)")
    step = _step(trace, BACKWARD, "z2")  # z₂ = sin(z₁), z₃ = z₂·z₂
    left, right = step.terms
    assert (left.slot, right.slot) == ("left factor", "right factor")
    assert left.via == "z₃, left factor" and right.via == "z₃, right factor"
    assert left.derivative == "local[∂z₃/∂z₂, left factor] = z₂"
    assert right.derivative == "local[∂z₃/∂z₂, right factor] = z₂"
    assert "local[∂z₃/∂z₂, left factor]" in step.equation and "local[∂z₃/∂z₂, right factor]" in step.equation
    assert step.together() == ("z₃ takes z₂ as both inputs: local[∂z₃/∂z₂] = z₂ + z₂ = 2z₂",)
    # the numbers: each path is sin(2) (the other factor), the two add up to d(s²)/ds = 2s at s = sin(2)
    s = math.sin(2.0)
    for term in step.terms:
        assert float(term.product) == pytest.approx(s, rel=1e-14)
    assert float(step.value) == pytest.approx(_central(lambda t: t * t, s), rel=1e-8)


def test_a_node_used_once_by_each_consumer_has_no_slot_names():
    trace = LESSONS["graph"].build(GraphOptions()).trace
    for step in trace.steps:
        for term in step.terms:
            assert term.slot == "" and term.via == term.consumer_label
        assert step.together() == ()


@pytest.mark.parametrize(
    "text, slots, total, exact",
    [
        ("x*x", ("left factor", "right factor"), "= x + x = 2x", lambda x: 2 * x),
        ("x+x", ("left term", "right term"), "= 1 + 1 = 2", lambda x: 2.0),
        ("x-x", ("left term", "subtracted term"), "= 1 − 1 = 0", lambda x: 0.0),
        ("x/x", ("numerator", "denominator"), "= 1/x − x/x²", lambda x: 0.0),
        ("x^x", ("base", "exponent"), "= x·x^(x−1) + log(x)·z₁", lambda x: x**x * (1 + math.log(x))),
    ],
)
def test_each_input_a_node_fills_gets_its_own_partial(text, slots, total, exact):
    x = 1.7
    trace = _expr(text, x=x)
    step = _step(trace, BACKWARD, "x")
    assert tuple(t.slot for t in step.terms) == slots
    assert len({t.derivative for t in step.terms}) == 2, "the two terms read differently"
    (line,) = step.together()
    assert line.endswith(total), line
    assert float(step.value) == pytest.approx(exact(x), abs=1e-12)


# --- item 3: local versus total ---


@pytest.mark.parametrize(
    "trace",
    [
        LESSONS["mlp"].build(MlpOptions()).trace,
        LESSONS["graph"].build(GraphOptions()).trace,
        _expr("sin(x*y)*sin(x*y) + x^x"),
    ],
    ids=["mlp", "graph", "expr"],
)
def test_every_local_factor_is_marked_in_equations_and_derivatives(trace):
    out = trace.nodes[trace.output].label
    for step in trace.steps:
        if step.phase == FORWARD or not step.terms:
            continue
        lhs, rhs = step.equation.split(" = ", 1)
        for path, term in zip(rhs.split(" + "), step.terms, strict=True):
            upstream, local = path.split(" · ", 1)
            assert upstream == f"∂{out}/∂{term.consumer_label}"  # the total derivative at the consumer
            assert local == term.local and local.startswith("local[∂") and local.endswith("]")
            assert term.derivative.startswith(term.local + " = ")
        # never the tautology ∂y/∂b = ∂y/∂y · ∂y/∂b: no factor on the right reads as the left side
        factors = [f for path in rhs.split(" + ") for f in path.split(" · ")]
        assert lhs not in factors


def test_the_mark_is_plain_single_width_text():
    trace = LESSONS["mlp"].build(MlpOptions()).trace
    local = _step(trace, BACKWARD, "b1").terms[0].local
    assert local == "local[∂y/∂b⁽¹⁾]"
    mark = local.replace("∂y/∂b⁽¹⁾", "")
    assert mark == "local[]" and mark.isascii()


# --- item 8: forward steps with the numbers in ---


def test_graph_forward_steps_plug_in_their_numbers():
    trace = LESSONS["graph"].build(GraphOptions()).trace
    assert _step(trace, FORWARD, "z2").numbers == "z₂ = 1 + x² + y² = 1 + 1² + 2² = 6"
    z1 = math.exp(-2.0)
    assert _step(trace, FORWARD, "z1").numbers == f"z₁ = exp(−y) = exp(−2) = {number(z1)}"
    assert _step(trace, FORWARD, "z4").numbers == (
        f"z₄ = 6z₁/z₂ + 2z₃ = 6·{number(z1)}/6 + 2·1 = {number(6 * z1 / 6 + 2)}"
    )


def test_negative_numbers_are_parenthesized_where_they_are_plugged_in():
    trace = LESSONS["graph"].build(GraphOptions(at=(("x", -1.0), ("y", -2.0)))).trace
    assert _step(trace, FORWARD, "z2").numbers == "z₂ = 1 + x² + y² = 1 + (−1)² + (−2)² = 6"
    assert _step(trace, FORWARD, "z1").numbers.startswith("z₁ = exp(−y) = exp(−(−2)) = ")
    assert _step(trace, FORWARD, "z3").numbers == "z₃ = x³ = (−1)³ = −1"
    expr = _expr("x - y + sin(y)", x=1.0, y=-2.0)
    texts = [s.numbers for s in expr.steps if s.phase == FORWARD]
    assert "z₁ = x − y = 1 − (−2) = 3" in texts
    assert f"z₂ = sin(y) = sin(−2) = {number(math.sin(-2.0))}" in texts  # its own parentheses are enough


def test_tensor_forward_steps_have_no_numbers_line_but_operators():
    trace = LESSONS["mlp"].build(MlpOptions()).trace
    v, z = _step(trace, FORWARD, "v"), _step(trace, FORWARD, "z")
    assert v.numbers == "" and z.numbers == ""
    assert v.operators == ("·", "+", "=") and z.operators == ("─σ→",)
    assert [title for title, _ in v.operands()] == ["W⁽⁰⁾", "x", "b⁽⁰⁾"]


def _all_ops():
    found = [v for v in vars(ops).values() if isinstance(v, Op)] + list(ops.FUNCTIONS.values())
    found += [expr_ops.scale(2.0, "2"), expr_ops.power_of(3.0, "3"), expr_ops.constant_power(2.0, "2")]
    found += [expr_ops.add_constant(1.0, "1"), expr_ops.divide_by(2.0, "2"), expr_ops.constant_over(1.0, "1")]
    return found


@pytest.mark.parametrize("op", _all_ops(), ids=lambda op: op.name)
def test_every_op_says_how_its_inputs_combine(op):
    assert len(op.joins) == op.arity
    assert "," not in op.joins, "an operation, not a list of operands"


def test_batched_affine_shows_its_real_shapes_and_operation():
    X, W, b = np.arange(8.0).reshape(4, 2), np.ones((3, 2)), np.array([0.1, 0.2, 0.3])
    g = Graph()
    V = g.apply(ops.batch_affine, g.input("X", X), g.parameter("W0", W), g.parameter("b0", b), name="V")
    out = g.apply(ops.mse, V, g.input("T", np.zeros((4, 3))), name="L")
    step = _step(passes.run(g, out), FORWARD, "V")
    assert step.shapes.startswith("(4×2)·(2×3) + (4×1)·(1×3) → 4×3")
    assert "every row" in step.shapes
    (_, x), (_, wt), (_, row) = step.operands()
    np.testing.assert_array_equal(wt, W.T)
    np.testing.assert_array_equal(row, b.reshape(1, 3))
    np.testing.assert_allclose(x @ wt + row, step.value, rtol=1e-15)  # what is shown computes what is stored


def test_numbers_in_exponent_form_get_parentheses_only_under_a_power_or_a_sign():
    x = 1e-5
    texts = {s.node: s.numbers for s in _expr("x^2*3 - (-x)^3", x=x).steps if s.phase == FORWARD}
    small, square = number(x), number(x * x)
    assert texts["z1"] == f"z₁ = x² = ({small})² = {square}"
    assert texts["z2"] == f"z₂ = 3·z₁ = 3·{square} = {number(3 * x * x)}"
    assert texts["z3"] == f"z₃ = −x = −({small}) = {number(-x)}"
