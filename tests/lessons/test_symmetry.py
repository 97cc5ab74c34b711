"""Lesson symmetry: identical hidden units stay identical (§3.2c), checked against plain-numpy training."""

import json
import tracemalloc

import numpy as np
import pytest

from backprop_tui.export import to_json_text, write_json
from backprop_tui.lessons import LESSONS, LessonError, SymmetryOptions
from backprop_tui.lessons import symmetry as S
from backprop_tui.lessons.base import plain

XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_T = [0.0, 1.0, 1.0, 0.0]


def problem(activation="sigmoid", lr=None, **kw):
    return S.problem(S.config(SymmetryOptions(activation=activation, lr=lr, **kw)))


def exported(**kw):
    """The export as its JSON reads back: every history trained and written."""
    return json.loads(to_json_text(LESSONS["symmetry"].export(SymmetryOptions(**kw))))


def rows_identical(params):
    """Every unit's W⁽⁰⁾ row, b⁽⁰⁾ entry and W⁽¹⁾ entry equal to unit 0's, exactly."""
    W0, b0, W1 = params["W0"], params["b0"], params["W1"]
    return bool(np.all(W0 == W0[0]) and np.all(b0 == b0[0]) and np.all(W1 == W1[0, 0]))


# --- plain numpy, written from the course's closed forms, for comparison ---

ACT = {
    "sigmoid": (lambda v: 1.0 / (1.0 + np.exp(-v)), lambda v, z: z * (1.0 - z)),
    "tanh": (np.tanh, lambda v, z: 1.0 - z * z),
    "relu": (lambda v: np.maximum(v, 0.0), lambda v, z: (v > 0).astype(float)),
}


def numpy_training(X, t, params, lr, steps, activation):
    """(losses, params per step) of full-batch gradient descent on ½·mean((y − t)²)."""
    f, df = ACT[activation]
    W0, b0, W1, b1 = (np.array(params[k], dtype=float) for k in ("W0", "b0", "W1", "b1"))
    n = len(t)
    losses, history = [], []
    for _ in range(steps + 1):
        v = X @ W0.T + b0  # n×h, one row per point
        z = f(v)
        y = z @ W1[0] + b1
        losses.append(0.5 * np.mean((y - t) ** 2))
        history.append({"W0": W0.copy(), "b0": b0.copy(), "W1": W1.copy(), "b1": float(b1)})
        dy = (y - t) / n  # ∂L/∂y
        dW1 = (dy @ z)[None, :]  # Σₙ ∂L/∂yₙ · zₙᵀ
        db1 = dy.sum()
        dv = np.outer(dy, W1[0]) * df(v, z)  # per point: W⁽¹⁾ ∘ σ′(v)
        dW0 = dv.T @ X  # Σₙ [W⁽¹⁾ ∘ σ′(vₙ)]ᵀ xₙᵀ
        db0 = dv.sum(axis=0)
        W0, b0, W1, b1 = W0 - lr * dW0, b0 - lr * db0, W1 - lr * dW1, b1 - lr * db1
    return np.array(losses), history


# --- symmetry ---


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("const", [0.0, 0.3, -0.7])
def test_constant_init_keeps_one_distinct_unit_for_1000_steps(activation, const):
    p = problem(activation)
    start = S.constant_parameters(2, 4, const)
    run = S.train(p, start, 1000)
    distinct = S.distinct_over_steps(run.stacked())
    assert distinct.shape == (1001,)
    assert set(distinct.tolist()) == {1}
    assert all(rows_identical(params) for params in run.history)
    assert run.distinct() == 1 and run.groups() == [0, 0, 0, 0]
    assert set(run.gaps) == {0.0}
    assert run.history[-1]["b1"] != start["b1"], "training moved the parameters"


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_random_init_has_h_distinct_units_from_step_0(activation):
    c = S.config(SymmetryOptions(activation=activation, h=5, seed=3))
    _, rand = S.sides(c, keep_params=True)
    rand.advance(200)
    assert S.distinct_over_steps(rand.stacked()).tolist() == [5] * 201
    assert rand.groups() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_zero_init_with_tanh_or_relu_moves_only_the_output_bias(activation):
    p = problem(activation)
    start = S.constant_parameters(2, 4, 0.0)
    run = S.train(p, start, 300)
    for name in ("W0", "b0", "W1"):
        assert not np.any(run.params[name]), name
    # b⁽¹⁾ alone fits the mean target, 0.5, and the loss ends at ½·mean((0.5 − t)²) = 0.125
    assert float(run.params["b1"]) == pytest.approx(0.5, abs=1e-6)
    assert run.loss == pytest.approx(0.125, abs=1e-9)
    note = run.stuck_note()
    assert note is not None and "output bias" in note and f"{S.SYMBOL[activation]}(0) = 0" in note


def test_no_stuck_note_when_the_hidden_layer_learns():
    sym, rand = S.sides(S.config(SymmetryOptions()))
    assert sym.stuck_note() is None  # σ(0) = ½, so W⁽¹⁾ gets a gradient at once
    assert rand.stuck_note() is None
    tanh_constant, _ = S.sides(S.config(SymmetryOptions(activation="tanh", init="constant", const=0.3)))
    assert tanh_constant.stuck_note() is None


def test_dead_relu_units_explain_themselves():
    run, _ = S.sides(S.config(SymmetryOptions(activation="relu", init="constant", const=-0.5)))
    note = run.stuck_note()
    assert note is not None and "relu′(v) = 0 for v ≤ 0" in note


def test_nudge_breaks_the_symmetry():
    sym, _ = S.sides(S.config(SymmetryOptions(init="constant", const=0.3)))
    sym.advance(10)
    sym.nudge(np.random.default_rng(0), 1e-3)
    assert sym.step == 10 and sym.nudged_at == 10
    assert sym.distinct() == 4
    after = sym.gaps[-1]
    assert 0 < after < 0.01
    sym.advance(1000)
    assert sym.gaps[-1] > 50 * after, "gradient descent pulls nudged units apart"
    assert len(sym.losses) == len(sym.gaps) == 1011


# --- the same numbers as plain numpy ---


@pytest.mark.parametrize(
    "kw",
    [dict(), dict(init="constant", const=0.3), dict(activation="tanh", seed=2),
     dict(activation="relu", h=3, d=3, seed=5), dict(data="and", lr=0.7, seed=1)],
    ids=["default", "constant", "tanh", "relu-d3", "and"],
)
def test_history_matches_closed_form_numpy(kw):
    data = exported(steps=60, **kw)
    X, t = np.array(data["data"]["X"]), np.array(data["data"]["t"])
    for run in data["runs"]:
        start = {k: np.array(v) for k, v in run["history"][0]["params"].items()}
        losses, history = numpy_training(X, t, start, data["lr"], 60, data["activation"])
        assert [entry["step"] for entry in run["history"]] == list(range(61))
        np.testing.assert_allclose([entry["loss"] for entry in run["history"]], losses, rtol=1e-10, atol=1e-15)
        for entry, expected in zip(run["history"], history, strict=True):
            for name in ("W0", "b0", "W1", "b1"):
                np.testing.assert_allclose(entry["params"][name], expected[name], rtol=1e-10, atol=1e-13)


def test_walkthrough_is_the_graph_of_the_current_step():
    sym, rand = S.sides(S.config(SymmetryOptions()))
    sym.advance(3)
    walk = sym.walkthrough("zero")
    trace = walk.trace
    assert [s.node for s in trace.steps[: trace.forward_count]] == ["V", "Z", "y", "L"]
    assert [s.node for s in trace.steps[trace.forward_count:]] == ["L", "y", "b1", "W1", "Z", "V", "b0", "W0", "t", "X"]
    assert float(trace.nodes["L"].value) == pytest.approx(sym.loss, rel=1e-14)
    W0_grad = trace.nodes["W0"].grad
    np.testing.assert_array_equal(W0_grad, np.tile(W0_grad[0], (4, 1)))
    np.testing.assert_allclose(W0_grad, sym.grads["W0"], rtol=1e-14, atol=1e-17)
    assert "All 4 rows are equal" in walk.why[trace.step_index("backward", "W0") + 1]
    rand_walk = rand.walkthrough("random")
    assert "All 4 rows are equal" not in rand_walk.why[trace.step_index("backward", "W0") + 1]


def _product(view):
    """The operands of a view combined as its operators say, in plain numpy: what its last operand must equal."""
    values = [np.asarray(v) for _, v in view.operands]
    ops = view.operators
    if ops == ("·", "+", "·", "="):
        return values[0] @ values[1] + values[2] @ values[3], values[4]
    if ops == ("·", "="):
        return values[0] @ values[1], values[2]
    raise AssertionError(ops)


@pytest.mark.parametrize(("d", "h"), [(2, 3), (3, 1), (1, 5)])
def test_batched_forward_steps_are_written_as_operations_with_their_real_shapes(d, h):
    _, rand = S.sides(S.config(SymmetryOptions(d=d, h=h)))
    rand.advance(2)
    walk = rand.walkthrough("random")
    X, params = rand.problem.X, rand.params
    N = X.shape[0]
    views = {walk.trace.steps[k - 1].node: S.batch_view(walk, k) for k in range(1, walk.trace.forward_count + 1)}
    V = views["V"]
    assert V.shapes == f"({N}×{d})·({d}×{h}) + ({N}×1)·(1×{h}) → {N}×{h}"
    assert "," not in V.shapes and "added to every row" in V.words and "every example" in V.words
    assert [np.shape(v) for _, v in V.operands] == [(N, d), (d, h), (N, 1), (1, h), (N, h)]
    combined, result = _product(V)
    np.testing.assert_allclose(combined, X @ params["W0"].T + params["b0"][None, :], rtol=1e-13)
    np.testing.assert_allclose(result, combined, rtol=1e-13)
    (product, _), (broadcast, _), (total, operators) = V.parts
    np.testing.assert_allclose(dict(product)["XW⁽⁰⁾ᵀ"], X @ params["W0"].T, rtol=1e-13)
    np.testing.assert_array_equal(dict(broadcast)["𝟏b⁽⁰⁾ᵀ"], np.tile(params["b0"], (N, 1)))  # b⁽⁰⁾ in every row
    assert operators == ("+", "=")
    np.testing.assert_allclose(total[0][1] + total[1][1], total[2][1], rtol=1e-13)
    y = views["y"]
    assert y.shapes == f"({N}×{h})·({h}×1) + ({N}×1)·(1×1) → {N}×1"
    combined, result = _product(y)
    np.testing.assert_allclose(result, combined, rtol=1e-12)
    assert views["Z"].shapes == f"({N}×{h}) → {N}×{h}, entry by entry"
    L = views["L"]
    residual = dict(L.operands)["y − t"]
    np.testing.assert_allclose(residual[:, 0], rand.predictions() - rand.problem.t, rtol=1e-13)
    assert float(dict(L.operands)["L"][0, 0]) == pytest.approx(0.5 * np.mean(residual**2), rel=1e-13)


def test_batched_backward_steps_say_which_sum_over_the_examples_they_are():
    _, rand = S.sides(S.config(SymmetryOptions(h=3)))
    rand.advance(1)
    walk = rand.walkthrough("random")
    trace = walk.trace
    view = {node: S.batch_view(walk, trace.step_index("backward", node) + 1) for node in ("b0", "W0", "b1", "W1")}
    assert view["b0"].shapes == "(1×4)·(4×3) → 1×3" and "sum of ∂L/∂V's 4 rows" in view["b0"].words
    assert view["W0"].shapes == "(3×4)·(4×2) → 3×2" and "sum over the 4 examples" in view["W0"].words
    assert "sum of the 4 entries" in view["b1"].words and "over the 4 examples" in view["W1"].words
    # the sums over the batch are the gradients, as plain numpy has them from the closed forms
    X, t, p = rand.problem.X, rand.problem.t, rand.params
    z = 1 / (1 + np.exp(-(X @ p["W0"].T + p["b0"])))
    dv = np.outer((z @ p["W1"][0] + p["b1"] - t) / len(t), p["W1"][0]) * z * (1 - z)
    for node, expected in (("b0", dv.sum(axis=0)[None, :]), ("W0", dv.T @ X)):
        combined, result = _product(view[node])
        np.testing.assert_allclose(combined, expected, rtol=1e-12)
        np.testing.assert_allclose(result, expected, rtol=1e-12)
    assert S.batch_view(walk, 0) is None
    assert S.batch_view(walk, trace.step_index("backward", "X") + 1) is None


def test_predictions_are_the_networks_outputs():
    _, rand = S.sides(S.config(SymmetryOptions()))
    p = rand.params
    z = 1.0 / (1.0 + np.exp(-(np.array(XOR_X) @ p["W0"].T + p["b0"])))
    np.testing.assert_allclose(rand.predictions(), z @ p["W1"][0] + p["b1"], rtol=1e-13)


# --- the default run, and the export contract ---


def test_default_run_random_side_solves_xor_and_symmetric_side_cannot():
    data = exported()
    sym, rand = data["runs"]
    assert len(sym["history"]) == len(rand["history"]) == S.DEFAULT_STEPS + 1
    # measured: 0.12500134 and 1.4e-14 after 1000 steps at lr 1
    assert sym["history"][-1]["loss"] > 0.12
    assert rand["history"][-1]["loss"] < 1e-8
    assert rand["history"][0]["loss"] > 1.0  # it starts worse than the symmetric side
    assert {e["distinct_hidden_units"] for e in sym["history"]} == {1}
    assert {e["distinct_hidden_units"] for e in rand["history"]} == {4}


def test_export_contract():
    data = exported(init="constant", const=0.3, seed=4, steps=5, h=3)
    assert list(data) == ["lesson", "data", "loss", "lr", "activation", "runs"]
    assert data["lesson"] == "symmetry"
    assert data["data"] == {"X": XOR_X, "t": XOR_T}
    assert data["loss"] == "0.5*mean((y-t)^2)"
    assert data["lr"] == 1.0 and data["activation"] == "sigmoid"
    sym, rand = data["runs"]
    assert list(sym) == list(rand) == ["init", "const", "seed", "history"]
    assert (sym["init"], sym["const"], sym["seed"]) == ("constant", 0.3, None)
    assert (rand["init"], rand["const"], rand["seed"]) == ("random", None, 4)
    first = sym["history"][0]
    assert list(first) == ["step", "loss", "params", "distinct_hidden_units"]
    assert list(first["params"]) == ["W0", "b0", "W1", "b1"]
    assert first["step"] == 0
    assert first["params"] == {"W0": [[0.3, 0.3]] * 3, "b0": [0.3] * 3, "W1": [[0.3] * 3], "b1": 0.3}
    assert first["distinct_hidden_units"] == 1
    # step 0's loss is the loss at the initial parameters: y = 0.3·3·σ(0.3·(x₁ + x₂) + 0.3) + 0.3
    y = 0.9 / (1 + np.exp(-(0.3 * np.array(XOR_X).sum(axis=1) + 0.3))) + 0.3
    assert first["loss"] == pytest.approx(0.5 * np.mean((y - np.array(XOR_T)) ** 2), rel=1e-13)
    assert [e["step"] for e in rand["history"]] == [0, 1, 2, 3, 4, 5]
    assert np.array(rand["history"][2]["params"]["W0"]).shape == (3, 2)


def test_zero_init_exports_null_const_and_random_init_is_the_default_left_side():
    data = exported(steps=0)
    sym, rand = data["runs"]
    assert (sym["init"], sym["const"], sym["seed"]) == ("zero", None, None)
    assert len(sym["history"]) == 1 and sym["history"][0]["loss"] == pytest.approx(0.25)  # y = 0: ½·mean(t²)
    assert rand["seed"] == 0


def test_diverging_learning_rate_exports_nulls_not_nan():
    data = LESSONS["symmetry"].export(SymmetryOptions(lr=500.0, steps=200))
    text = to_json_text(data)  # allow_nan=False: would raise on a NaN
    history = json.loads(text)["runs"][1]["history"]
    assert history[0]["loss"] is not None and history[-1]["loss"] is None
    assert history[-1]["params"]["b1"] is None


# --- the export trains as it is written ---


def recorded_export(s: SymmetryOptions) -> dict:
    """The export built the long way, independently of History: both sides trained with every step kept, then listed."""
    c = S.config(s)
    runs = S.sides(c, keep_params=True)
    entries = []
    for run in runs:
        run.advance(c.steps)
        entries.append([
            {"step": k, "loss": plain(loss), "params": {name: plain(params[name]) for name in S.PARAMS},
             "distinct_hidden_units": S.distinct_hidden_units(params)}
            for k, (loss, params) in enumerate(zip(run.losses, run.history, strict=True))
        ])
    X, t = S.data_set(c.data, c.d)
    return {
        "lesson": "symmetry", "data": {"X": X.tolist(), "t": t.tolist()}, "loss": S.LOSS, "lr": c.lr,
        "activation": c.activation,
        "runs": [{"init": run.init, "const": run.const, "seed": run.seed, "history": history}
                 for run, history in zip(runs, entries, strict=True)],
    }


@pytest.mark.parametrize(
    "kw",
    [dict(steps=50), dict(steps=50, d=3, h=5, activation="tanh"), dict(steps=50, init="constant", const=-0.25),
     dict(steps=S.BLOCK + 1, h=3, seed=2), dict(steps=0), dict(steps=40, lr=1e6, activation="tanh")],
    ids=["default", "tanh-d3-h5", "constant", "past-a-block", "no-steps", "diverging"],
)
def test_export_text_is_that_of_the_recorded_history(kw):
    s = SymmetryOptions(**kw)
    expected = recorded_export(s)
    text = to_json_text(LESSONS["symmetry"].export(s))
    assert text == to_json_text(expected)  # same keys, order, numbers and layout
    assert json.loads(text) == json.loads(json.dumps(expected, allow_nan=False))


def test_history_is_lazy_and_can_be_read_twice():
    data = LESSONS["symmetry"].export(SymmetryOptions(steps=S.BLOCK + 10))
    history = data["runs"][1]["history"]
    assert not isinstance(history, list)
    assert len(history) == S.BLOCK + 11
    entries = iter(history)
    assert next(entries)["step"] == 0  # the first entry needs no more than its block trained
    assert to_json_text(data) == to_json_text(data)


def test_a_long_export_is_written_in_the_memory_of_one_block(counting_sink):
    # first use: caches and lazy imports
    write_json(LESSONS["symmetry"].export(SymmetryOptions(steps=3)), counting_sink())
    sink = counting_sink()
    tracemalloc.start()
    try:
        write_json(LESSONS["symmetry"].export(SymmetryOptions(steps=2000)), sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.chars > 2_000_000
    # holding 2 × 2001 steps' entries takes about 10 MB; a block of 256 at a time takes under 1 MB
    assert peak < 3_000_000, peak


def test_units_that_are_nan_count_as_distinct_everywhere():
    params = S.constant_parameters(2, 3, float("nan"))
    assert S.unit_groups(params) == [0, 1, 2]
    assert S.distinct_hidden_units(params) == 3
    stacked = {k: np.array([v]) for k, v in params.items()}
    assert S.distinct_over_steps(stacked).tolist() == [3]


def test_units_within_the_tolerance_are_the_same():
    params = S.constant_parameters(2, 3, 0.5)
    params["W0"][1, 0] += 5e-13  # inside 1e-12
    params["b0"][2] += 5e-12  # outside
    assert S.unit_groups(params) == [0, 0, 2]
    stacked = {k: np.array([v]) for k, v in params.items()}
    assert S.distinct_over_steps(stacked).tolist() == [2]


def test_data_sets():
    X, t = S.data_set("xor", 3)
    assert X.shape == (8, 3)
    assert X[5].tolist() == [1.0, 0.0, 1.0]
    assert t.tolist() == [0, 1, 1, 0, 1, 0, 0, 1]
    X, t = S.data_set("and", 2)
    assert X.tolist() == XOR_X and t.tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize(
    "kw, words",
    [
        (dict(h=17), "--h"),
        (dict(d=9), "--d"),
        (dict(data="spiral"), "--data"),
        (dict(activation="softplus"), "--activation"),
        (dict(lr=0.0), "--lr"),
        (dict(lr=-1.0), "--lr"),
        (dict(steps=-1), "--steps"),
        (dict(steps=S.MAX_STEPS + 1), "--steps"),
        (dict(init="orthogonal"), "--init"),
    ],
)
def test_bad_settings_are_lesson_errors(kw, words):
    with pytest.raises(LessonError, match=words):
        SymmetryOptions(**kw)


def test_defaults():
    c = S.config(SymmetryOptions())
    assert (c.init, c.const, c.seed, c.lr, c.steps, c.data, c.activation, c.d, c.h) == (
        "zero", 0.0, 0, 1.0, 1000, "xor", "sigmoid", 2, 4)
    assert S.config(SymmetryOptions(activation="tanh")).lr == 0.3
    assert S.config(SymmetryOptions(activation="relu")).lr == 0.2


def test_a_steps_outcome_is_computed_once_and_marks_the_right_predictions(monkeypatch):
    _, rand = S.sides(S.config(SymmetryOptions()))
    rand.advance(1000)
    calls = []
    original = S.Run._values
    monkeypatch.setattr(S.Run, "_values", lambda self: calls.append(self.step) or original(self))
    first = rand.outcome
    for _ in range(30):  # a page redrawn 30 times a second asks again and again
        assert rand.outcome is first and rand.predictions() is first.predictions
    assert calls == [1000]
    t = rand.problem.t
    assert first.right == tuple(abs(first.predictions - t) < S.CLOSE)
    assert all(first.right)  # XOR is learned by the random side
    rand.advance(1)
    assert rand.outcome is not first and calls == [1000, 1001]


def test_unit_groups_are_worked_out_once_per_step(monkeypatch):
    sym, rand = S.sides(S.config(SymmetryOptions(h=5)))
    calls = []
    original = S.unit_groups
    monkeypatch.setattr(S, "unit_groups", lambda params: calls.append(1) or original(params))
    for _ in range(30):
        assert sym.distinct() == 1 and sym.groups() == [0] * 5
    assert len(calls) == 1
    rand.advance(3)
    assert rand.distinct() == 5 and rand.groups() == list(range(5))
    assert len(calls) == 2
