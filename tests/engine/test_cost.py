"""Counting multiply-adds by wrapping ops: the counts follow the calls actually made."""

import numpy as np
import pytest

from backprop_tui.engine import Graph, forward_mode, ops, passes
from backprop_tui.engine.cost import instrument


def network(d, h):
    rng = np.random.default_rng(0)
    g = Graph()
    x = g.input("x", rng.normal(size=d))
    W0, b0 = g.parameter("W0", rng.normal(size=(h, d))), g.parameter("b0", rng.normal(size=h))
    v = g.apply(ops.affine, W0, x, b0, name="v")
    z = g.apply(ops.sigmoid, v, name="z")
    y = g.apply(ops.affine, g.parameter("W1", rng.normal(size=(1, h))), z, g.parameter("b1", 0.3), name="y")
    return g, y


@pytest.mark.parametrize("d, h", [(2, 4), (5, 3), (1, 1)])
def test_forward_and_backward_counts(d, h):
    g, y = network(d, h)
    before = passes.gradients(g, y)
    counting, tally = instrument(g)
    out = counting[y.name]
    passes.forward(counting.order(out))
    # W0·x: h·d products; σ: one per unit; W1·z: h products
    assert tally.multiply_adds == h * d + h + h
    assert tally.calls == {"forward": 3, "vjp": 0, "jvp": 0}
    tally.reset()
    after = passes.gradients(counting, out)
    # VJPs: through W1 (h) and z (h), σ (h), through W0 (h·d) and x (h·d); through biases nothing
    assert tally.multiply_adds == (h * d + 2 * h) + (2 * h + h + 2 * h * d)
    assert tally.calls == {"forward": 3, "vjp": 7, "jvp": 0}
    for name in before:  # counting changes no number
        np.testing.assert_array_equal(before[name], after[name])


def test_the_callers_graph_is_left_as_it_was():
    g, y = network(3, 4)
    ops_before = [node.op for node in g.nodes]
    counting, tally = instrument(g)
    assert [node.op for node in g.nodes] == ops_before
    def described(graph):
        return [(n.id, n.name, n.label, n.kind) for n in graph.nodes]

    assert described(counting) == described(g)
    passes.gradients(g, y)  # the original counts nothing
    assert tally.calls == {"forward": 0, "vjp": 0, "jvp": 0}
    assert counting["x"].value is g["x"].value  # read-only leaf values are shared, not copied


def test_a_jvp_pass_only_pays_for_ops_its_tangent_reaches():
    d, h = 3, 4
    g, y = network(d, h)
    g, tally = instrument(g)
    y = g[y.name]
    forward_mode.jvp(g, y, {"b1": np.ones(())})
    # only y's JVP through b1 runs, and it multiplies nothing
    assert tally.calls["jvp"] == 1
    assert tally.multiply_adds == h * d + 2 * h
    tally.reset()
    forward_mode.jvp(g, y, {"W0": np.ones((h, d))})
    assert tally.calls["jvp"] == 3  # v through W0, z through v, y through z
    assert tally.multiply_adds == (h * d + 2 * h) + (h * d + h + h)


def test_every_op_carries_its_cost_rule():
    rng = np.random.default_rng(1)
    W, x, b = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=4)
    ans = ops.affine.forward(W, x, b)
    calls = [("forward", 0), ("vjp", 0), ("vjp", 1), ("jvp", 2)]
    assert [ops.affine.cost(kind, i, ans, W, x, b) for kind, i in calls] == [12, 12, 12, 0]  # nothing through b
    v = rng.normal(size=5)
    assert ops.sigmoid.cost("vjp", 0, ops.sigmoid.forward(v), v) == 5  # a diagonal Jacobian: one per entry
    y, t = rng.normal(size=6), rng.normal(size=6)
    assert ops.mse.cost("vjp", 1, ops.mse.forward(y, t), y, t) == 6  # its explicit Jacobian is 1×6
