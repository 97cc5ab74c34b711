"""Each known mistake, made on purpose, gets its diagnosis; an unknown one gets none."""

import math

import numpy as np
import pytest

from backprop_tui.lessons import ChainOptions, ExprOptions, GraphOptions, MlpOptions
from backprop_tui.practice import WRONG, judge, practice_for
from backprop_tui.practice.diagnose import constant_factor


def wrong(practice, phase, node, field, answer, consumer=None):
    """The diagnosis of an answer that must be judged wrong."""
    result = judge(practice.question(phase, node, field, consumer), answer)
    assert result.verdict == WRONG, (answer, result.message)
    return result.diagnosis


@pytest.fixture
def graph():
    return practice_for("graph", GraphOptions())


@pytest.fixture
def mlp():
    return practice_for("mlp", MlpOptions())


def mlp_by_hand(practice):
    nodes = practice.trace.nodes
    x, W0, b0, W1 = (np.array(nodes[n].value) for n in ("x", "W0", "b0", "W1"))
    z = 1 / (1 + np.exp(-(W0 @ x + b0)))
    return x, W0, W1[0], z, W1[0] * z * (1 - z)


def row(a):
    return ", ".join(f"{v:.6g}" for v in np.ravel(a))


def matrix(a):
    return "[" + ", ".join("[" + row(r) + "]" for r in a) + "]"


# --- shapes ---


def test_a_transposed_shape(mlp):
    assert "Transposed" in wrong(mlp, "backward", "v", "shape", "4x1")
    assert "1×4" in wrong(mlp, "backward", "v", "shape", "4x1")
    assert "Transposed" in wrong(mlp, "backward", "W0", "shape", "2x4")
    assert "row" in wrong(mlp, "backward", "v", "shape", "4")
    assert "vec(W⁽⁰⁾)" in wrong(mlp, "backward", "W0", "shape", "1x8")
    assert wrong(mlp, "backward", "v", "shape", "3x3") is None


def test_transposed_numbers(mlp):
    x, _, _, _, dv = mlp_by_hand(mlp)
    assert "Transposed" in wrong(mlp, "backward", "W0", "grad", matrix(np.outer(dv, x).T))
    assert "Transposed" in wrong(mlp, "backward", "v", "grad", matrix(dv.reshape(-1, 1)))  # a column, not the row
    assert "row by row" in wrong(mlp, "backward", "W0", "grad", row(np.outer(dv, x)))  # a matrix as one row


def test_chain_shapes_and_order():
    chain = practice_for("chain", ChainOptions())  # ℓ = 3, n = 4, m = 2
    assert "Transposed" in wrong(chain, "jacobian", "g", "shape", "3x4")
    assert "∂f/∂y alone" in wrong(chain, "jacobian", "fg", "shape", "2x4")
    assert "inner sizes" in wrong(chain, "jacobian", "fg", "order", "gf")
    square = practice_for("chain", ChainOptions(l=3, n=4, m=3))
    assert "wrong order" in wrong(square, "jacobian", "fg", "shape", "4x4")
    assert "happens to fit" in wrong(square, "jacobian", "fg", "order", "gf")


# --- a path missing where a node is used twice ---


def test_a_missing_path(graph):
    for answer in ("6*x^2", "6", "dz4/dz3*3*x^2"):  # the notes' 6x² alone; as a number at x = 1
        diagnosis = wrong(graph, "backward", "x", "grad", answer)
        assert diagnosis.startswith("Only the path via z₃") and "via z₂" in diagnosis
    assert wrong(graph, "backward", "y", "grad", "-12*y*z1/z2^2").startswith("Only the path via z₂")


def test_one_slot_of_a_consumer_taking_the_node_twice():
    practice = practice_for("expr", ExprOptions(expr="x*x + y"))
    assert "more than one of its inputs" in wrong(practice, "backward", "x", "local", "x", "z1")
    assert "1st input" in wrong(practice, "backward", "x", "grad", "x") or "2nd input" in wrong(
        practice, "backward", "x", "grad", "x"
    )


# --- the upstream factor ---


def test_the_upstream_factor_left_out(mlp):
    _, _, _, z, _ = mlp_by_hand(mlp)
    assert "upstream factor ∂y/∂z is left out" in wrong(mlp, "backward", "v", "grad", row(z * (1 - z)))
    practice = practice_for("expr", ExprOptions(expr="exp(sin(x))", at=(("x", 0.4),)))
    assert "left out" in wrong(practice, "backward", "x", "grad", "cos(x)")
    assert "left out" in wrong(practice, "backward", "x", "grad", f"{math.cos(0.4):.4f}")


def test_only_the_upstream_factor(mlp):
    _, _, W1, _, _ = mlp_by_hand(mlp)
    assert "the gradient arriving at z" in wrong(mlp, "backward", "v", "grad", row(W1))


def test_local_derivatives_added_without_their_upstream_factors(graph):
    assert "adds the local derivatives alone" in wrong(graph, "backward", "x", "grad", "3*x^2 + 2*x")


def test_the_upstream_factor_put_into_a_local_derivative(mlp):
    _, _, _, _, dv = mlp_by_hand(mlp)
    assert "already includes ∂y/∂z" in wrong(mlp, "backward", "v", "local", row(dv))


# --- σ(v) for σ′(v) ---


def test_sigma_where_its_slope_belongs(mlp):
    _, _, W1, z, _ = mlp_by_hand(mlp)
    for field, answer in [("local", row(z)), ("local", matrix(np.diag(z))), ("grad", row(W1 * z))]:
        assert "σ′(v) = σ(v)(1 − σ(v))" in wrong(mlp, "backward", "v", field, answer)
    practice = practice_for("expr", ExprOptions(expr="sigmoid(x*y)"))
    assert "σ′" in wrong(practice, "backward", "z1", "local", "z2")


# --- sign, factor, another node ---


def test_the_sign_flipped(graph, mlp):
    assert "sign" in wrong(graph, "backward", "z2", "local", "6*z1/z2^2")
    assert "sign" in wrong(graph, "backward", "x", "grad", "-5.955")
    _, _, _, _, dv = mlp_by_hand(mlp)
    assert "sign" in wrong(mlp, "backward", "v", "grad", row(-dv))


def test_a_constant_factor_off(graph, mlp):
    assert "half" in wrong(graph, "backward", "z2", "local", "-3*z1/z2^2")
    assert "twice" in wrong(graph, "backward", "x", "grad", "11.91")
    assert "3 times" in wrong(graph, "backward", "z1", "grad", "18/z2")
    _, _, _, _, dv = mlp_by_hand(mlp)
    assert "twice" in wrong(mlp, "backward", "v", "grad", row(2 * dv))
    assert "0.37 times" in constant_factor(np.array([0.37, 0.74]), np.array([1.0, 2.0]), formula=False)
    assert "7/10 times" in constant_factor(np.array([0.7, 1.4]), np.array([1.0, 2.0]), formula=False)
    # one number off by a ratio with no meaning is no constant factor
    assert wrong(graph, "backward", "x", "grad", "4.2") is None


def test_the_value_of_another_node(graph, mlp):
    assert "value of z₂" in wrong(graph, "backward", "z2", "local", "z2")
    assert "value of z₂" in wrong(graph, "backward", "z2", "grad", "6")
    assert "value of x itself, not its gradient" in wrong(practice_for("expr", ExprOptions(expr="x^3")),
                                                           "backward", "x", "grad", "x")
    assert "∂z₄/∂z₁" in wrong(graph, "backward", "z2", "grad", "6/z2")  # another node's gradient
    assert "with respect to x" in wrong(graph, "backward", "y", "local", "2*x", "z2")
    _, _, _, z, _ = mlp_by_hand(mlp)
    v = np.array(mlp.trace.nodes["v"].value)
    assert "value of v" in wrong(mlp, "forward", "z", "value", row(v))


def test_right_here_only(graph):
    assert "Right at this point" in wrong(graph, "backward", "z3", "grad", "2*x")


def test_no_known_mistake_no_diagnosis(graph):
    result = judge(graph.question("backward", "x", "grad"), "x^5 + 3")
    assert result.verdict == WRONG and result.diagnosis is None and result.message == "Not right."


def test_a_wrong_count_of_numbers(mlp):
    assert "4 numbers; this answer has 3" in wrong(mlp, "backward", "v", "grad", "1, 2, 3")
    graph = practice_for("graph", GraphOptions())
    assert "single number" in wrong(graph, "backward", "x", "grad", "1, 2")


def test_diagnoses_are_one_line_and_name_no_internal_alias(graph):
    for answer in ("6*x^2", "3*x^2+2*x", "11.91", "2*x", "z2", "-5.955"):
        diagnosis = wrong(graph, "backward", "x", "grad", answer) or ""
        assert "\n" not in diagnosis and "_v" not in diagnosis and "_g" not in diagnosis
