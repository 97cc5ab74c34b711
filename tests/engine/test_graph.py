"""Graph construction, topological order, errors, and the million-node chain."""

import sys

import numpy as np
import pytest

from backprop_tui.engine import Graph, GraphError, ops, passes

NEG = ops.elementwise(
    name="neg", formula="{out} = −{0}", forward=np.negative, partials=(lambda ans, a: -1.0,), derivatives=("−1",)
)


@pytest.mark.slow
def test_million_node_chain_backpropagates_without_recursion():
    # x → −· → ·c → −· → ·c … : 1,000,000 ops, so y = (−1)^K (−c)^K … = c^K·x with K = 500,000 pairs.
    # Each pair multiplies by −1 and then by c, hence ∂y/∂x = (−c)^K = c^K for even K.
    c = 1.0 + 1e-6
    K = 500_000
    scale = ops.elementwise(
        name="scale", formula="{out} = c{0}", forward=lambda u: c * u, partials=(lambda ans, a: c,), derivatives=("c",)
    )
    g = Graph()
    x = g.input("x", 0.75)
    node = x
    for _ in range(K):
        node = g.apply(scale, g.apply(NEG, node))
    assert len(g.nodes) == 2 * K + 1
    assert sys.getrecursionlimit() < 2 * K  # a recursive sort would have to fail here
    grads = passes.gradients(g, node)
    assert len(grads) == 2 * K + 1
    expected = c**K  # ≈ e^0.5
    assert abs(expected - np.exp(0.5)) < 1e-6
    assert float(grads["x"]) == pytest.approx(expected, rel=1e-9)
    # halfway down the chain the gradient is c^(K/2) (the node after K/2 pairs, before the next neg)
    mid = g.nodes[2 * (K // 2)]
    assert float(grads[mid.name]) == pytest.approx(c ** (K - K // 2), rel=1e-9)


def _diamond():
    g = Graph()
    a = g.input("a", 2.0)
    b = g.input("b", 3.0)
    unused = g.input("unused", 5.0)
    p = g.apply(ops.mul, a, b, name="p")
    q = g.apply(ops.exp, a, name="q")
    side = g.apply(ops.add, unused, b, name="side")
    r = g.apply(ops.add, p, q, name="r")
    late = g.apply(ops.mul, side, r, name="late")
    return g, dict(a=a, b=b, unused=unused, p=p, q=q, side=side, r=r, late=late)


def test_order_is_topological_and_only_ancestors():
    g, n = _diamond()
    order = g.order(n["r"])
    names = [node.name for node in order]
    assert set(names) == {"a", "b", "p", "q", "r"}
    assert len(names) == len(set(names))
    position = {name: i for i, name in enumerate(names)}
    for node in order:
        for parent in node.inputs:
            assert position[parent.name] < position[node.name]
    assert names[-1] == "r"
    full = [node.name for node in g.order(n["late"])]
    assert set(full) == {"a", "b", "unused", "p", "q", "side", "r", "late"}


def test_order_of_a_leaf_is_the_leaf():
    g, n = _diamond()
    assert [node.name for node in g.order(n["b"])] == ["b"]


def test_gradients_of_diamond_by_hand():
    g, n = _diamond()
    grads = passes.gradients(g, n["r"])  # r = a·b + exp(a)
    assert float(grads["a"]) == pytest.approx(3.0 + np.exp(2.0), rel=1e-14)
    assert float(grads["b"]) == pytest.approx(2.0, rel=1e-14)
    assert float(grads["r"]) == 1.0
    assert "unused" not in grads and "side" not in grads


def test_node_used_twice_gets_twice_the_gradient():
    g = Graph()
    xv = np.array([1.5, -2.0, 0.25])
    x = g.input("x", xv)
    sq = g.apply(ops.mul, x, x, name="sq")
    y = g.apply(ops.affine, g.parameter("w", np.ones((1, 3))), sq, g.parameter("b", 0.0), name="y")
    grads = passes.gradients(g, y)  # y = Σ xᵢ²
    np.testing.assert_allclose(grads["x"], 2 * xv, rtol=1e-15)
    trace = passes.run(g, y)
    step = trace.steps[trace.step_index("backward", "x")]
    assert len(step.terms) == 2
    assert sorted(t.input_index for t in step.terms) == [0, 1]
    np.testing.assert_allclose(step.terms[0].product, xv)
    np.testing.assert_allclose(step.terms[1].product, xv)
    np.testing.assert_allclose(trace.nodes["x"].grad, 2 * xv)


def test_duplicate_names_are_refused():
    g = Graph()
    g.input("x", 1.0)
    with pytest.raises(GraphError, match="x"):
        g.parameter("x", 2.0)
    a = g.input("a", 1.0)
    g.apply(ops.exp, a, name="e")
    with pytest.raises(GraphError):
        g.apply(ops.exp, a, name="e")


def test_wrong_arity_is_refused():
    g = Graph()
    a = g.input("a", 1.0)
    b = g.input("b", 1.0)
    with pytest.raises(GraphError, match="2"):
        g.apply(ops.add, a)
    with pytest.raises(GraphError):
        g.apply(ops.exp, a, b)
    with pytest.raises(GraphError):
        g.apply(ops.affine, a, b)


def test_node_from_another_graph_is_refused():
    g1, g2 = Graph(), Graph()
    a1 = g1.input("a", 1.0)
    g2.input("a", 1.0)  # same id and name in g2, but a different node
    with pytest.raises(GraphError, match="another graph"):
        g2.apply(ops.exp, a1)
    g3 = Graph()
    big = Graph()
    for i in range(5):
        last = big.input(f"n{i}", 0.0)
    with pytest.raises(GraphError):
        g3.apply(ops.exp, last)  # id beyond g3's nodes


@pytest.mark.parametrize(
    "W, x, b",
    [
        (np.ones((3, 2)), np.ones(3), np.ones(3)),  # W columns ≠ x size
        (np.ones((3, 2)), np.ones(2), np.ones(4)),  # b size ≠ rows of W
    ],
)
def test_affine_shape_mismatch_is_a_graph_error(W, x, b):
    g = Graph()
    v = g.apply(ops.affine, g.parameter("W", W), g.input("x", x), g.parameter("b", b), name="v")
    with pytest.raises(GraphError, match="v"):
        passes.gradients(g, v)
    with pytest.raises(GraphError):
        passes.run(g, v)


def test_elementwise_shape_mismatch_is_a_graph_error():
    g = Graph()
    m = g.apply(ops.mul, g.input("s", 2.0), g.input("v", [1.0, 2.0, 3.0]), name="m")
    with pytest.raises(GraphError):
        passes.gradients(g, m)


def test_run_needs_a_scalar_output():
    g = Graph()
    x = g.input("x", [1.0, 2.0])
    z = g.apply(ops.sigmoid, x, name="z")
    with pytest.raises(GraphError, match="scalar"):
        passes.run(g, z)


def test_leaf_values_are_copied_and_read_only():
    g = Graph()
    data = np.array([1.0, 2.0])
    x = g.input("x", data)
    data[0] = 99.0
    assert x.value[0] == 1.0
    assert x.value.dtype == np.float64
    with pytest.raises(ValueError):
        x.value[0] = 5.0


def test_default_names_and_labels():
    g = Graph()
    a = g.input("a", 1.0)
    e1 = g.apply(ops.exp, a)
    e2 = g.apply(ops.exp, e1)
    assert (e1.name, e2.name) == ("z1", "z2")
    assert (e1.label, e2.label) == ("z₁", "z₂")
    assert g["z2"] is e2
