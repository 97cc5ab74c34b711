"""Invariants of the recorded trace: phase order, one step per node per phase, read-only arrays, texts."""

import dataclasses
import tracemalloc

import numpy as np
import pytest

from backprop_tui.engine import BACKWARD, FORWARD, Graph, ops, passes
from backprop_tui.engine.trace import JACOBIAN_LIMIT
from backprop_tui.lessons import LESSONS, GraphOptions, MlpOptions

# --- a random small graph, described as data so a plain-numpy evaluator can check it independently ---

REF = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "exp": np.exp,
}
OPS = {"add": ops.add, "mul": ops.mul, "sigmoid": ops.sigmoid, "exp": ops.exp}
K = 3
SEEDS = 8


def random_description(seed):
    """Leaves a, b, c (vectors of length K), a chain of random ops with side branches, a scalar readout.

    Each op takes the previous chain node first and any earlier node otherwise, so nodes are
    reused along several paths; side nodes hang off the chain and are ancestors only if reused.
    """
    rng = np.random.default_rng(seed)
    leaves = {name: rng.normal(scale=0.5, size=K) for name in ("a", "b", "c")}
    names = list(leaves)
    chain = str(rng.choice(names))
    ops_list = []
    for i in range(int(rng.integers(5, 10))):
        kind = str(rng.choice(list(REF)))
        arity = 1 if kind in ("sigmoid", "exp") else 2
        args = [chain] + [str(rng.choice(names)) for _ in range(arity - 1)]
        ops_list.append((f"n{i}", kind, args))
        names.append(f"n{i}")
        if rng.random() < 0.7:  # else a side node, off the chain
            chain = f"n{i}"
    ops_list.append(("last", "add", [chain, str(rng.choice(names))]))
    readout = {"W": rng.normal(size=(1, K)), "beta": np.array(rng.normal())}
    return leaves, ops_list, readout


def build_random(seed):
    leaves, ops_list, readout = random_description(seed)
    g = Graph()
    nodes = {name: g.input(name, value) for name, value in leaves.items()}
    for name, kind, args in ops_list:
        nodes[name] = g.apply(OPS[kind], *(nodes[a] for a in args), name=name)
    W = g.parameter("W", readout["W"])
    beta = g.parameter("beta", readout["beta"])
    out = g.apply(ops.affine, W, nodes[ops_list[-1][0]], beta, name="out")
    return g, out


def evaluate(leaves, ops_list, readout):
    values = dict(leaves)
    for name, kind, args in ops_list:
        values[name] = REF[kind](*(values[a] for a in args))
    return float((readout["W"] @ values[ops_list[-1][0]])[0] + readout["beta"])


def ancestors(ops_list):
    inputs = {name: args for name, _, args in ops_list}
    seen, stack = set(), [ops_list[-1][0]]
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(inputs.get(n, ()))
    return seen | {"W", "beta", "out"}


def _random_trace(seed):
    g, out = build_random(seed)
    return passes.run(g, out)


TRACES = {
    "mlp": lambda: LESSONS["mlp"].build(MlpOptions()).trace,
    "mlp-zero": lambda: LESSONS["mlp"].build(MlpOptions(init="zero", d=3, h=5)).trace,
    "graph": lambda: LESSONS["graph"].build(GraphOptions()).trace,
    **{f"random{seed}": (lambda seed=seed: _random_trace(seed)) for seed in range(SEEDS)},
}


@pytest.fixture(params=list(TRACES))
def trace(request):
    return TRACES[request.param]()


def test_forward_steps_then_backward_in_topological_order(trace):
    names = list(trace.nodes)  # nodes are recorded in topological order
    position = {name: i for i, name in enumerate(names)}
    phases = [s.phase for s in trace.steps]
    assert phases == [FORWARD] * trace.forward_count + [BACKWARD] * (len(trace) - trace.forward_count)
    assert [s.index for s in trace.steps] == list(range(len(trace)))

    forward = [s.node for s in trace.steps if s.phase == FORWARD]
    backward = [s.node for s in trace.steps if s.phase == BACKWARD]
    assert len(forward) == len(set(forward))
    assert len(backward) == len(set(backward))

    # topological: every op's inputs are computed before it; nobody's gradient before its consumers'
    for name, record in trace.nodes.items():
        for parent in record.inputs:
            assert position[parent] < position[name]
            if parent in forward:
                assert forward.index(parent) < forward.index(name)
            assert backward.index(name) < backward.index(parent)
    assert forward == sorted(forward, key=position.get)
    assert backward == sorted(backward, key=position.get, reverse=True)
    assert backward[0] == trace.output


def test_leaves_have_no_forward_step_but_every_node_a_backward_step(trace):
    forward = {s.node for s in trace.steps if s.phase == FORWARD}
    backward = {s.node for s in trace.steps if s.phase == BACKWARD}
    leaves = {n for n, r in trace.nodes.items() if r.kind in ("input", "parameter")}
    op_nodes = {n for n, r in trace.nodes.items() if r.kind == "op"}
    assert leaves and op_nodes
    assert forward == op_nodes
    assert backward == set(trace.nodes)
    for name in leaves:
        assert trace.step_index(FORWARD, name) is None
        assert trace.value_known(name, 0)
    for s in trace.steps:
        assert trace.step_index(s.phase, s.node) == s.index
        if s.phase == FORWARD:
            assert not trace.value_known(s.node, s.index) and trace.value_known(s.node, s.index + 1)
        else:
            assert not trace.grad_known(s.node, s.index) and trace.grad_known(s.node, s.index + 1)


def _assert_read_only(array):
    assert isinstance(array, np.ndarray)
    assert array.dtype == np.float64
    assert not array.flags.writeable
    with pytest.raises(ValueError):
        array[...] = 0.0


def test_every_array_in_the_trace_is_read_only(trace):
    for record in trace.nodes.values():
        _assert_read_only(record.value)
        _assert_read_only(record.grad)
        assert record.grad.shape == record.value.shape
    for step in trace.steps:
        _assert_read_only(step.value)
        for term in step.terms:
            _assert_read_only(term.upstream)
            _assert_read_only(term.product)
            J = term.local_jacobian()
            assert J is not None
            _assert_read_only(J)


def test_every_record_has_each_field_and_refuses_changes(trace):
    # every field is filled, and the texts written on first read go to slots, not to an instance dict
    terms = [term for step in trace.steps for term in step.terms]
    records = [*trace.nodes.values(), *trace.steps, *terms]
    assert terms and {type(r).__name__ for r in records} == {"NodeRecord", "Step", "Term"}
    for record in records:
        assert not hasattr(record, "__dict__")
        for field in dataclasses.fields(record):
            getattr(record, field.name)  # a field left out would raise AttributeError
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(record, field.name, None)
    first, second = terms[0], terms[-1]
    assert first.local_jacobian() is first.local_jacobian(), "each term keeps what it built"
    assert first.derivative is first.derivative and first.derivative != second.derivative
    forward = [s for s in trace.steps if s.phase == FORWARD]
    assert forward[0].terms == ()  # a default, filled in


def test_terms_sum_to_the_step_and_match_their_local_jacobians(trace):
    for step in trace.steps:
        if step.phase == FORWARD:
            assert not step.terms
            np.testing.assert_array_equal(step.value, trace.nodes[step.node].value)
            continue
        np.testing.assert_array_equal(step.value, trace.nodes[step.node].grad)
        if step.node == trace.output:
            assert not step.terms
            assert float(step.value) == 1.0
            continue
        assert step.terms
        total = sum(np.asarray(t.product) for t in step.terms)
        np.testing.assert_allclose(total, step.value, rtol=1e-14, atol=1e-15)
        for t in step.terms:
            # each path's product is (upstream, flattened row) · (explicit local Jacobian)
            J = t.local_jacobian()
            assert J.shape == t.jacobian_shape == (t.upstream.size, step.value.size)
            np.testing.assert_allclose(t.upstream.reshape(-1) @ J, t.product.reshape(-1), rtol=1e-12, atol=1e-14)
            np.testing.assert_array_equal(t.upstream, trace.nodes[t.consumer].grad)
            assert step.node in trace.nodes[t.consumer].inputs


@pytest.mark.parametrize("seed", range(SEEDS))
def test_random_graph_order_and_gradients(seed):
    leaves, ops_list, readout = random_description(seed)
    g, out = build_random(seed)
    trace = passes.run(g, out)
    assert set(trace.nodes) == ancestors(ops_list)
    assert [n.name for n in g.order(out)] == list(trace.nodes)
    assert float(trace.nodes["out"].value) == pytest.approx(evaluate(leaves, ops_list, readout), rel=1e-13)
    eps = 1e-6
    for name, value in list(leaves.items()) + [("W", readout["W"]), ("beta", readout["beta"])]:
        if name not in trace.nodes:
            continue
        fd = np.zeros(value.size)
        for k in range(value.size):
            for sign in (1, -1):
                pert = {**leaves, **readout}
                bumped = value.astype(float).copy()
                bumped.reshape(-1)[k] += sign * eps
                pert[name] = bumped
                fd[k] += sign * evaluate({n: pert[n] for n in leaves}, ops_list, {"W": pert["W"], "beta": pert["beta"]})
        np.testing.assert_allclose(trace.nodes[name].grad.reshape(-1), fd / (2 * eps), rtol=1e-6, atol=1e-8)


def test_random_graphs_exercise_reuse_and_pruning():
    # guards the generator: some nodes feed several consumers, some op nodes are not ancestors
    multi = pruned = 0
    for seed in range(SEEDS):
        leaves, ops_list, _ = random_description(seed)
        g, out = build_random(seed)
        trace = passes.run(g, out)
        multi += sum(len(s.terms) > 1 for s in trace.steps)
        pruned += len({name for name, _, _ in ops_list} - set(trace.nodes))
    assert multi >= 3 and pruned >= 2


def test_trace_holds_copies_not_views_of_the_callers_arrays():
    xv = np.array([0.5, -1.0])
    W = np.array([[1.0, 2.0]])
    g = Graph()
    y = g.apply(ops.affine, g.parameter("W", W), g.input("x", xv), g.parameter("b", 0.0), name="y")
    trace = passes.run(g, y)
    xv[:] = 100.0
    W[:] = 100.0
    np.testing.assert_array_equal(trace.nodes["x"].value, [0.5, -1.0])
    np.testing.assert_array_equal(trace.nodes["W"].grad, [[0.5, -1.0]])
    assert float(trace.nodes["y"].value) == -1.5


# --- texts on the course's lessons ---


def _step(trace, phase, node):
    return trace.steps[trace.step_index(phase, node)]


def test_shapes_text_names_real_shapes():
    trace = LESSONS["mlp"].build(MlpOptions(d=2, h=4)).trace
    assert "4×2" in _step(trace, BACKWARD, "W0").shapes
    assert "(1×4)·(4×8)" in _step(trace, BACKWARD, "W0").shapes
    assert "(1×4)·(4×4) → 1×4" in _step(trace, BACKWARD, "v").shapes
    assert "(4×2)·(2×1)" in _step(trace, FORWARD, "v").shapes
    assert "(1×4)·(4×2) → 1×2" in _step(trace, BACKWARD, "x").shapes
    other = LESSONS["mlp"].build(MlpOptions(d=3, h=5)).trace
    assert "5×3" in _step(other, BACKWARD, "W0").shapes
    assert "(1×5)·(5×5) → 1×5" in _step(other, BACKWARD, "v").shapes


def test_equations_follow_the_chain_rule():
    trace = LESSONS["mlp"].build(MlpOptions()).trace
    assert _step(trace, FORWARD, "v").equation == "v = W⁽⁰⁾x + b⁽⁰⁾"
    assert _step(trace, FORWARD, "z").equation == "z = σ(v)"
    assert _step(trace, BACKWARD, "y").equation == "∂y/∂y = 1"
    assert _step(trace, BACKWARD, "v").equation == "∂y/∂v = ∂y/∂z · local[∂z/∂v]"
    # the output's own partial is marked local, so the step cannot read as ∂y/∂b⁽¹⁾ = ∂y/∂y · ∂y/∂b⁽¹⁾
    assert _step(trace, BACKWARD, "b1").equation == "∂y/∂b⁽¹⁾ = ∂y/∂y · local[∂y/∂b⁽¹⁾]"
    assert "vec(W⁽⁰⁾)" in _step(trace, BACKWARD, "W0").equation


@pytest.mark.parametrize("node, via", [("x", ("z₂", "z₃")), ("y", ("z₁", "z₂"))])
def test_multi_consumer_equation_shows_the_sum_of_paths(node, via):
    trace = LESSONS["graph"].build(GraphOptions()).trace
    step = _step(trace, BACKWARD, node)
    lhs, rhs = step.equation.split(" = ", 1)
    assert lhs == f"∂z₄/∂{node}"
    paths = rhs.split(" + ")
    assert sorted(paths) == sorted(f"∂z₄/∂{z} · local[∂{z}/∂{node}]" for z in via)
    assert len(step.terms) == 2
    assert step.shapes.count("(1×1)·(1×1)") == 2


def test_big_local_jacobian_is_not_built_but_product_is_right():
    d, h = 784, 256
    walk = LESSONS["mlp"].build(MlpOptions(d=d, h=h, seed=3))
    trace = walk.trace
    step = _step(trace, BACKWARD, "W0")
    (term,) = step.terms
    assert term.jacobian_shape == (h, h * d)
    assert h * h * d > JACOBIAN_LIMIT
    tracemalloc.start()
    try:
        assert term.local_jacobian() is None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000  # the Jacobian alone would take 411 MB
    x = trace.nodes["x"].value
    z = trace.nodes["z"].value
    W1 = trace.nodes["W1"].value
    delta = W1[0] * z * (1 - z)
    np.testing.assert_allclose(term.product, np.outer(delta, x), rtol=1e-12, atol=1e-15)
    assert term.product.shape == (h, d)
    assert "256×784" in step.shapes
    # the smaller Jacobians of the same walk are still available
    J = _step(trace, BACKWARD, "x").terms[0].local_jacobian()
    np.testing.assert_array_equal(J, trace.nodes["W0"].value)
