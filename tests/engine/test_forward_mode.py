"""Forward mode: JVP passes against finite differences, Jacobians, and the memory it holds."""

import numpy as np
import pytest

from backprop_tui.engine import Graph, GraphError, forward_mode, ops, passes


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def network(rng, d=3, h=5):
    """v = W0 x + b0, z = σ(v), y = W1 z + b1, and the same function in plain numpy."""
    W0, b0, W1, b1 = rng.normal(size=(h, d)), rng.normal(size=h), rng.normal(size=(1, h)), rng.normal()
    x = rng.normal(size=d)
    g = Graph()
    xn = g.input("x", x)
    v = g.apply(ops.affine, g.parameter("W0", W0), xn, g.parameter("b0", b0), name="v")
    z = g.apply(ops.sigmoid, v, name="z")
    y = g.apply(ops.affine, g.parameter("W1", W1), z, g.parameter("b1", b1), name="y")

    def plain(W0=W0, b0=b0, W1=W1, b1=b1, x=x):
        return float((W1 @ sigmoid(W0 @ x + b0))[0] + b1)

    return g, y, plain, dict(W0=W0, b0=b0, W1=W1, b1=b1, x=x)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_jvp_is_the_directional_derivative(seed):
    rng = np.random.default_rng(seed)
    g, y, plain, values = network(rng)
    tangents = {name: rng.normal(size=np.shape(v)) for name, v in values.items()}
    result = forward_mode.jvp(g, y, tangents)
    eps = 1e-6
    up = plain(**{k: values[k] + eps * tangents[k] for k in values})
    down = plain(**{k: values[k] - eps * tangents[k] for k in values})
    assert float(result.value) == pytest.approx(plain(), rel=1e-12)
    assert float(result.tangent) == pytest.approx((up - down) / (2 * eps), rel=1e-6, abs=1e-9)


def test_leaves_without_a_tangent_are_held_fixed():
    rng = np.random.default_rng(3)
    g, y, plain, values = network(rng)
    t = rng.normal(size=values["W0"].shape)
    eps = 1e-6
    expected = (plain(W0=values["W0"] + eps * t) - plain(W0=values["W0"] - eps * t)) / (2 * eps)
    assert float(forward_mode.jvp(g, y, {"W0": t}).tangent) == pytest.approx(expected, rel=1e-6)
    assert float(forward_mode.jvp(g, y, {}).tangent) == 0.0


def test_jacobian_of_a_vector_output_with_a_node_used_twice():
    # f(y) = B(y∘y) + c: y feeds both inputs of the product, so both tangents must be added.
    rng = np.random.default_rng(4)
    B, c, y0 = rng.normal(size=(2, 4)), rng.normal(size=2), rng.normal(size=4)
    g = Graph()
    y = g.input("y", y0)
    f = g.apply(ops.affine, g.parameter("B", B), g.apply(ops.mul, y, y), g.parameter("c", c))
    J = forward_mode.jacobian(g, f, "y")
    assert J.shape == (2, 4)
    np.testing.assert_allclose(J, B * (2 * y0), rtol=1e-12)


def test_jacobian_over_a_matrix_leaf_is_row_major():
    rng = np.random.default_rng(5)
    W, x = rng.normal(size=(2, 3)), rng.normal(size=3)
    g = Graph()
    out = g.apply(ops.affine, g.parameter("W", W), g.input("x", x), g.parameter("b", np.zeros(2)))
    # ∂(Wx)ᵢ/∂W_jk = δᵢⱼ x_k: row i holds xᵀ in the columns of W's row i
    expected = np.zeros((2, 6))
    expected[0, :3] = x
    expected[1, 3:] = x
    np.testing.assert_allclose(forward_mode.jacobian(g, out, "W"), expected, rtol=1e-15)


def test_bad_tangents_are_graph_errors():
    g, y, _, values = network(np.random.default_rng(6))
    with pytest.raises(GraphError, match="shape"):
        forward_mode.jvp(g, y, {"W0": np.ones(3)})
    with pytest.raises(GraphError, match="no leaf"):
        forward_mode.jvp(g, y, {"nope": 1.0})
    with pytest.raises(GraphError, match="no leaf"):
        forward_mode.jacobian(g, y, "v")  # an op node, not a leaf


def chain_of_layers(depth, h=6):
    rng = np.random.default_rng(depth)
    g = Graph()
    a = g.input("x", rng.normal(size=h))
    for k in range(depth):
        W, b = g.parameter(f"W{k}", rng.normal(size=(h, h))), g.parameter(f"b{k}", np.zeros(h))
        a = g.apply(ops.sigmoid, g.apply(ops.affine, W, a, b))
    return g, g.apply(ops.affine, g.parameter("w", rng.normal(size=(1, h))), a, g.parameter("c", 0.0))


def test_forward_mode_memory_does_not_grow_with_depth():
    peaks, stored = [], []
    for depth in (1, 4, 16):
        g, y = chain_of_layers(depth)
        peaks.append(forward_mode.jvp(g, y, {"W0": np.ones((6, 6))}).peak_floats)
        order = g.order(y)
        values = passes.forward(order)
        stored.append(sum(values[n.id].size for n in order if n.op is not None))
    assert peaks[0] == peaks[1] == peaks[2] > 0
    assert stored[0] < stored[1] < stored[2]  # what a reverse pass would keep grows with depth
    assert stored[2] > 4 * peaks[2]
