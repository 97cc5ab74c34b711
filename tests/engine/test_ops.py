"""Every primitive's VJP, JVP and explicit Jacobian against central finite differences."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tui.engine import ops

EPS = 1e-6


def fd_jacobian(f, inputs, i):
    """Numerator-layout Jacobian ∂f/∂vec(inputs[i]) (row-major vec) by central differences."""
    inputs = [np.array(a, dtype=float) for a in inputs]
    out = np.asarray(f(*inputs), dtype=float)
    J = np.zeros((out.size, inputs[i].size))
    for k in range(inputs[i].size):
        plus = [a.copy() for a in inputs]
        minus = [a.copy() for a in inputs]
        plus[i].reshape(-1)[k] += EPS
        minus[i].reshape(-1)[k] -= EPS
        diff = np.asarray(f(*plus), dtype=float) - np.asarray(f(*minus), dtype=float)
        J[:, k] = diff.reshape(-1) / (2 * EPS)
    return J


def ref_sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def _custom_fn(a, b):
    return a * math.sin(b) + a * a


CUSTOM = ops.custom_scalar(
    "custom",
    "{out} = {0}·sin({1}) + {0}²",
    _custom_fn,
    [lambda args, out: math.sin(args[1]) + 2 * args[0], lambda args, out: args[0] * math.cos(args[1])],
    ["sin({1}) + 2{0}", "{0}·cos({1})"],
)


def away_from_zero(r, shape):
    """Normal entries pushed at least 0.1 away from relu's kink."""
    v = r.normal(size=shape)
    return v + 0.1 * np.sign(v)


def _cases():
    """(id, op, reference forward written here, inputs built from a seeded Generator)."""
    h, d = 4, 3
    return [
        ("sigmoid", ops.sigmoid, ref_sigmoid, lambda r: [r.normal(size=(5,)) * 2]),
        ("sigmoid-matrix", ops.sigmoid, ref_sigmoid, lambda r: [r.normal(size=(3, 2))]),
        ("exp", ops.exp, np.exp, lambda r: [r.normal(size=(4,))]),
        ("exp-scalar", ops.exp, np.exp, lambda r: [np.array(r.normal())]),
        ("add", ops.add, lambda a, b: a + b, lambda r: [r.normal(size=(4,)), r.normal(size=(4,))]),
        ("mul", ops.mul, lambda a, b: a * b, lambda r: [r.normal(size=(2, 3)), r.normal(size=(2, 3))]),
        ("mul-scalar", ops.mul, lambda a, b: a * b, lambda r: [np.array(r.normal()), np.array(r.normal())]),
        (
            "affine-matrix",
            ops.affine,
            lambda W, x, b: W @ x + b,
            lambda r: [r.normal(size=(h, d)), r.normal(size=(d,)), r.normal(size=(h,))],
        ),
        (
            "affine-row-to-scalar",
            ops.affine,
            lambda W, z, b: (W @ z)[0] + b,
            lambda r: [r.normal(size=(1, h)), r.normal(size=(h,)), np.array(r.normal())],
        ),
        (
            "custom_scalar",
            CUSTOM,
            lambda a, b: np.asarray(a * np.sin(b) + a * a),
            lambda r: [np.array(r.normal()), np.array(r.normal())],
        ),
        # the batched ops training uses (lesson symmetry)
        (
            "batch_affine",
            ops.batch_affine,
            lambda X, W, b: X @ W.T + b,
            lambda r: [r.normal(size=(5, 3)), r.normal(size=(4, 3)), r.normal(size=(4,))],
        ),
        (
            "batch_affine-to-vector",  # the output layer: W is 1×h, b a scalar, y one number per point
            ops.batch_affine,
            lambda Z, W, b: (Z @ W.T)[:, 0] + b,
            lambda r: [r.normal(size=(6, 4)), r.normal(size=(1, 4)), np.array(r.normal())],
        ),
        ("tanh", ops.tanh, np.tanh, lambda r: [r.normal(size=(4, 3))]),
        ("relu", ops.relu, lambda v: np.where(v > 0, v, 0.0), lambda r: [away_from_zero(r, (5, 2))]),
        ("mse", ops.mse, lambda y, t: 0.5 * np.mean((y - t) ** 2), lambda r: [r.normal(size=7), r.normal(size=7)]),
    ]


CASES = _cases()


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def case(request):
    return request.param


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_forward_matches_reference(case, seed):
    _, op, ref, make = case
    inputs = make(np.random.default_rng(seed))
    out = np.asarray(op.forward(*inputs))
    expected = np.asarray(ref(*inputs), dtype=float)
    assert out.shape == expected.shape
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vjp_jvp_jacobian_against_finite_differences(case, seed):
    _, op, ref, make = case
    rng = np.random.default_rng(100 + seed)
    inputs = make(rng)
    out = np.asarray(op.forward(*inputs))
    assert op.arity == len(inputs)
    for i, a in enumerate(inputs):
        J_fd = fd_jacobian(ref, inputs, i)

        J = np.asarray(op.jacobian[i](out, *inputs))
        assert J.shape == (out.size, a.size)
        np.testing.assert_allclose(J, J_fd, rtol=1e-6, atol=1e-8)

        g = rng.normal(size=out.shape)
        vjp = np.asarray(op.vjp[i](g, out, *inputs))
        assert vjp.shape == a.shape
        np.testing.assert_allclose(vjp.reshape(-1), g.reshape(-1) @ J_fd, rtol=1e-6, atol=1e-8)

        t = rng.normal(size=a.shape)
        jvp = np.asarray(op.jvp[i](t, out, *inputs))
        assert jvp.shape == out.shape
        np.testing.assert_allclose(jvp.reshape(-1), J_fd @ t.reshape(-1), rtol=1e-6, atol=1e-8)


def test_affine_weight_jacobian_is_block_diagonal_in_row_major_vec():
    # ∂v/∂vec(W) for v = Wx + b: row r holds xᵀ in the columns of W's row r (§1(b), row-major vec).
    W = np.arange(6.0).reshape(2, 3)
    x = np.array([1.0, -2.0, 0.5])
    b = np.zeros(2)
    out = ops.affine.forward(W, x, b)
    expected = np.array([[1.0, -2.0, 0.5, 0, 0, 0], [0, 0, 0, 1.0, -2.0, 0.5]])
    np.testing.assert_array_equal(ops.affine.jacobian[0](out, W, x, b), expected)


def test_elementwise_ops_have_diagonal_jacobians():
    v = np.array([0.3, -1.2, 2.0])
    for op, inputs in ((ops.sigmoid, [v]), (ops.exp, [v]), (ops.mul, [v, v[::-1].copy()])):
        out = op.forward(*inputs)
        J = op.jacobian[0](out, *inputs)
        assert op.elementwise
        np.testing.assert_array_equal(J, np.diag(np.diag(J)))
    assert not ops.affine.elementwise


def test_elementwise_ops_refuse_to_broadcast():
    # The VJPs assume every input has the output's shape; broadcasting would give wrong gradients.
    with pytest.raises(ValueError):
        ops.mul.forward(np.array(2.0), np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError):
        ops.add.forward(np.ones(3), np.ones((3, 1)))


def test_stable_sigmoid_at_extremes_without_warnings():
    v = np.array([1000.0, -1000.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = ops.sigmoid.forward(v)
        g = ops.sigmoid.vjp[0](np.ones(3), z, v)
        J = ops.sigmoid.jacobian[0](z, v)
    assert z[0] == 1.0
    assert z[1] == 0.0
    assert z[2] == 0.5
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.25])
    np.testing.assert_array_equal(np.diag(J), [0.0, 0.0, 0.25])


def test_scalar_sigmoid_at_extremes_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(ops.sigmoid.forward(np.array(1000.0))) == 1.0
        assert float(ops.sigmoid.forward(np.array(-1000.0))) == 0.0


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
def test_sigmoid_is_in_unit_interval_symmetric_and_matches_reference(v):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = float(ops.sigmoid.forward(np.array(v)))
        z_neg = float(ops.sigmoid.forward(np.array(-v)))
    assert 0.0 <= z <= 1.0
    assert z + z_neg == pytest.approx(1.0, abs=1e-15)
    if abs(v) < 700:
        assert z == pytest.approx(1.0 / (1.0 + math.exp(-v)), rel=1e-13, abs=1e-300)


def test_derivative_texts_fill_in_labels():
    assert ops.sigmoid.formula_text("z", ["v"]) == "z = σ(v)"
    assert "z∘(1−z)" in ops.sigmoid.derivative_text(0, "z", ["v"], [(4,)])
    assert ops.mul.derivative_text(0, "c", ["a", "b"], [(), ()]) == "b"
    assert ops.mul.derivative_text(1, "c", ["a", "b"], [(), ()]) == "a"
    shapes = [(4, 2), (2,), (4,)]
    assert ops.affine.derivative_text(0, "v", ["W", "x", "b"], shapes) == "I₄ ⊗ xᵀ"
    assert ops.affine.derivative_text(1, "v", ["W", "x", "b"], shapes) == "W"
    assert ops.affine.derivative_text(2, "v", ["W", "x", "b"], shapes) == "I₄"
    assert ops.affine.derivative_text(0, "y", ["W", "z", "b"], [(1, 4), (4,), ()]) == "zᵀ"
