"""The batched training ops beyond their finite-difference checks (in test_ops.py), and the Tape."""

import numpy as np
import pytest

from backprop_tui.engine import Graph, GraphError, ops, passes
from backprop_tui.engine.tape import Tape


def test_identical_rows_stay_bit_identical_at_sizes_where_blas_rounds_columns_apart():
    # Identical hidden units must get exactly identical values and gradients, or a
    # symmetric network would drift apart by rounding alone.
    rng = np.random.default_rng(3)
    n, d, m = 1000, 50, 33
    X = rng.normal(size=(n, d))
    W = np.tile(rng.normal(size=d), (m, 1))
    b = np.full(m, 0.25)
    V = ops.batch_affine.forward(X, W, b)
    assert np.all(V == V[:, :1])
    G = np.tile(rng.normal(size=(n, 1)), (1, m))  # the same upstream gradient for every unit
    dW = ops.batch_affine.vjp[1](G, V, X, W, b)
    db = ops.batch_affine.vjp[2](G, V, X, W, b)
    assert np.all(dW == dW[:1]) and np.all(db == db[0])


def test_relu_passes_no_gradient_at_zero():
    v = np.array([[-1.0, 0.0, 2.0]])
    out = ops.relu.forward(v)
    np.testing.assert_array_equal(out, [[0.0, 0.0, 2.0]])
    np.testing.assert_array_equal(ops.relu.vjp[0](np.ones((1, 3)), out, v), [[0.0, 0.0, 1.0]])


def test_mse_refuses_mismatched_shapes():
    with pytest.raises(ValueError):
        ops.mse.forward(np.zeros(3), np.zeros(4))


def test_derivative_texts():
    shapes = [(4, 2), (4, 2), (4,)]
    ins = ["X", "W⁽⁰⁾", "b⁽⁰⁾"]
    assert ops.batch_affine.formula_text("V", ins) == "V = XW⁽⁰⁾ᵀ + b⁽⁰⁾"
    assert ops.batch_affine.derivative_text(0, "V", ins, shapes) == "I₄ ⊗ W⁽⁰⁾"
    assert ops.batch_affine.derivative_text(1, "V", ins, shapes) == "[I₄ ⊗ x₁ᵀ; …; I₄ ⊗ x₄ᵀ]"
    assert ops.batch_affine.derivative_text(2, "V", ins, shapes) == "[I₄; …; I₄]"
    out_shapes = [(4, 4), (1, 4), ()]
    assert ops.batch_affine.derivative_text(1, "y", ["Z", "W⁽¹⁾", "b⁽¹⁾"], out_shapes) == "Z"
    assert ops.batch_affine.derivative_text(2, "y", ["Z", "W⁽¹⁾", "b⁽¹⁾"], out_shapes) == "[1; …; 1]"
    assert ops.mse.derivative_text(0, "L", ["y", "t"], [(4,), (4,)]) == "(y − t)ᵀ/4"
    assert ops.mse.derivative_text(1, "L", ["y", "t"], [(4,), (4,)]) == "−(y − t)ᵀ/4"
    assert ops.tanh.derivative_text(0, "Z", ["V"], [(4, 4)]) == "diag(1 − Z∘Z)"


# --- Tape: the same passes as Graph, compiled for re-running with new leaf values ---


def training_graph(rng, n=5, d=3, h=4, act=ops.sigmoid):
    g = Graph()
    X = g.input("X", rng.normal(size=(n, d)))
    t = g.input("t", rng.normal(size=n))
    W0 = g.parameter("W0", rng.normal(size=(h, d)))
    b0 = g.parameter("b0", rng.normal(size=h))
    Z = g.apply(act, g.apply(ops.batch_affine, X, W0, b0, name="V"), name="Z")
    W1 = g.parameter("W1", rng.normal(size=(1, h)))
    b1 = g.parameter("b1", rng.normal())
    y = g.apply(ops.batch_affine, Z, W1, b1, name="y")
    return g, g.apply(ops.mse, y, t, name="L")


@pytest.mark.parametrize("act", [ops.sigmoid, ops.tanh, ops.relu], ids=["sigmoid", "tanh", "relu"])
def test_tape_gives_exactly_the_graphs_value_and_gradients(act):
    rng = np.random.default_rng(7)
    g, L = training_graph(rng, act=act)
    tape = Tape(g, L, wrt=["W0", "b0", "W1", "b1"])
    for _ in range(3):
        params = {
            "W0": rng.normal(size=(4, 3)),
            "b0": rng.normal(size=4),
            "W1": rng.normal(size=(1, 4)),
            "b1": np.array(rng.normal()),
        }
        value, grads = tape(**params)
        fresh = Graph()
        X = fresh.input("X", g["X"].value)
        t = fresh.input("t", g["t"].value)
        leaves = {k: fresh.parameter(k, v) for k, v in params.items()}
        Z = fresh.apply(act, fresh.apply(ops.batch_affine, X, leaves["W0"], leaves["b0"]))
        y = fresh.apply(ops.batch_affine, Z, leaves["W1"], leaves["b1"])
        expected_value, expected = passes.value_and_gradients(fresh, fresh.apply(ops.mse, y, t))
        assert set(grads) == {"W0", "b0", "W1", "b1"}
        assert float(value) == float(expected_value)
        for k in grads:
            np.testing.assert_array_equal(grads[k], expected[k])


def test_tape_keeps_unset_leaves_and_refuses_unknown_names():
    rng = np.random.default_rng(8)
    g, L = training_graph(rng)
    tape = Tape(g, L, wrt=["b1"])
    value, grads = tape()
    expected_value, expected = passes.value_and_gradients(g, L)
    assert float(value) == float(expected_value)
    assert list(grads) == ["b1"]
    np.testing.assert_array_equal(grads["b1"], expected["b1"])
    with pytest.raises(GraphError):
        tape(W2=np.zeros(3))
    with pytest.raises(GraphError):
        Tape(g, L, wrt=["V"])  # an op node is not a leaf to differentiate with respect to


def test_tape_reports_shape_errors_as_graph_errors():
    rng = np.random.default_rng(9)
    g, L = training_graph(rng)
    with pytest.raises(GraphError):
        Tape(g, L, wrt=["W0"])(W0=np.zeros((4, 5)))
