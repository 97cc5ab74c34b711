"""What each step asks and the true answers, against the course notes' closed forms and numpy by hand."""

import math

import numpy as np
import pytest

from backprop_tui.lessons import (
    LESSONS,
    ChainOptions,
    ExprOptions,
    GraphOptions,
    MethodsOptions,
    MlpOptions,
    SymmetryOptions,
)
from backprop_tui.practice import QuestionError, clear_cache, practice_for
from backprop_tui.practice.questions import gradient_shape


def asked(practice, index):
    return [(q.field, q.consumer) for q in practice.step_questions(index)]


# --- graph: §4(b) ---


def test_graph_asks_values_forward_then_locals_and_gradients_back():
    practice = practice_for("graph", GraphOptions())
    steps = practice.trace.steps
    by_node = {(s.phase, s.node): s.index for s in steps}
    assert asked(practice, by_node["forward", "z2"]) == [("value", None)]
    assert asked(practice, by_node["backward", "z4"]) == [("grad", None)]  # the output: ∂z₄/∂z₄ = 1, no consumer
    assert asked(practice, by_node["backward", "z2"]) == [("local", "z4"), ("grad", None)]  # scalars: no shape
    assert sorted(asked(practice, by_node["backward", "x"])) == [("grad", None), ("local", "z2"), ("local", "z3")]
    assert asked(practice, by_node["backward", "x"])[-1] == ("grad", None)
    assert len(practice.questions()) == sum(len(practice.step_questions(i)) for i in range(len(steps)))


@pytest.mark.parametrize("x, y", [(1.0, 2.0), (0.5, -1.0), (-2.0, 0.3)])
def test_graph_expected_answers_are_the_notes(x, y):
    practice = practice_for("graph", GraphOptions(at=(("x", x), ("y", y))))
    z1, z2 = math.exp(-y), 1 + x * x + y * y

    def expected(phase, node, field, consumer=None):
        return float(practice.question(phase, node, field, consumer).expected)

    assert expected("forward", "z1", "value") == pytest.approx(z1, rel=1e-14)
    assert expected("forward", "z4", "value") == pytest.approx(6 * z1 / z2 + 2 * x**3, rel=1e-13)
    assert expected("backward", "z3", "grad") == 2
    assert expected("backward", "z2", "local", "z4") == pytest.approx(-6 * z1 / z2**2, rel=1e-13)
    assert expected("backward", "z1", "grad") == pytest.approx(6 / z2, rel=1e-13)
    assert expected("backward", "x", "local", "z3") == pytest.approx(3 * x * x, rel=1e-13)
    assert expected("backward", "y", "local", "z1") == pytest.approx(-math.exp(-y), rel=1e-13)
    assert expected("backward", "x", "grad") == pytest.approx(6 * x * x - 12 * x * z1 / z2**2, rel=1e-12, abs=1e-13)
    assert expected("backward", "y", "grad") == pytest.approx(-12 * y * z1 / z2**2 - 6 * math.exp(-y) / z2, rel=1e-12)


def test_graph_questions_know_their_formulas_and_hints():
    practice = practice_for("graph", GraphOptions())
    local = practice.question("backward", "z2", "local")
    assert local.formulas and local.consumer == "z4"
    assert local.expected_text == "−6z₁/z₂²"
    grad = practice.question("backward", "x", "grad")
    assert "∂z₄/∂z₃ · 3x²" in grad.expected_text and "∂z₄/∂z₂ · 2x" in grad.expected_text
    for question in practice.questions():
        assert 1 <= len(question.hints) <= 3
        assert question.prompt and question.form and question.kind
    assert grad.hints[0] == practice.trace.steps[grad.step].equation  # the symbolic product first
    assert "dz4/d" in grad.form  # how to write a gradient found already


# --- mlp: §3.1 by hand ---


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


@pytest.mark.parametrize("options", [MlpOptions(), MlpOptions(d=3, h=5, seed=7), MlpOptions(init="zero")])
def test_mlp_expected_answers_are_the_notes(options):
    practice = practice_for("mlp", options)
    nodes = practice.trace.nodes
    x, W0, b0, W1, b1 = (np.array(nodes[n].value) for n in ("x", "W0", "b0", "W1", "b1"))
    v = W0 @ x + b0
    z = sigmoid(v)
    y = W1 @ z + b1
    dv = W1[0] * z * (1 - z)  # W⁽¹⁾ ∘ z ∘ (1 − z)

    def expected(phase, node, field, consumer=None):
        return np.asarray(practice.question(phase, node, field, consumer).expected)

    close = dict(rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(expected("forward", "v", "value"), v, **close)
    np.testing.assert_allclose(expected("forward", "z", "value"), z, **close)
    np.testing.assert_allclose(expected("forward", "y", "value"), y.reshape(()), **close)
    np.testing.assert_allclose(expected("backward", "W1", "grad"), z.reshape(1, -1), **close)
    assert float(expected("backward", "b1", "grad")) == 1
    np.testing.assert_allclose(expected("backward", "z", "grad"), W1[0], **close)
    np.testing.assert_allclose(expected("backward", "v", "local"), np.diag(z * (1 - z)), **close)
    np.testing.assert_allclose(expected("backward", "v", "grad"), dv, **close)
    np.testing.assert_allclose(expected("backward", "b0", "grad"), dv, **close)
    np.testing.assert_allclose(expected("backward", "W0", "local"), np.kron(np.eye(len(b0)), x), **close)
    np.testing.assert_allclose(expected("backward", "W0", "grad"), np.outer(dv, x), **close)
    np.testing.assert_allclose(expected("backward", "x", "grad"), dv @ W0, **close)


def test_mlp_gradient_of_w0_against_finite_differences():
    practice = practice_for("mlp", MlpOptions())
    nodes = practice.trace.nodes
    x, W0, b0, W1, b1 = (np.array(nodes[n].value) for n in ("x", "W0", "b0", "W1", "b1"))
    eps = 1e-6
    fd = np.zeros_like(W0)
    for i, j in np.ndindex(*W0.shape):
        up, down = W0.copy(), W0.copy()
        up[i, j] += eps
        down[i, j] -= eps
        fd[i, j] = ((W1 @ sigmoid(up @ x + b0) + b1) - (W1 @ sigmoid(down @ x + b0) + b1))[0] / (2 * eps)
    np.testing.assert_allclose(practice.question("backward", "W0", "grad").expected, fd, rtol=1e-6, atol=1e-9)


def test_mlp_asks_shapes_in_numerator_layout():
    practice = practice_for("mlp", MlpOptions())
    index = {(s.phase, s.node): s.index for s in practice.trace.steps}
    assert asked(practice, index["backward", "v"]) == [("shape", None), ("local", "z"), ("grad", None)]
    assert asked(practice, index["backward", "b1"]) == [("local", "y"), ("grad", None)]  # all 1×1: no shape
    shape = {node: practice.question("backward", node, "shape").expected for node in ("v", "z", "x", "W0", "W1", "y")}
    assert shape == {"v": (1, 4), "z": (1, 4), "x": (1, 2), "W0": (4, 2), "W1": (1, 4), "y": (1, 1)}
    assert practice.question("backward", "W0", "shape").expected_text == "4×2"
    assert gradient_shape((7,)) == (1, 7) and gradient_shape(()) == (1, 1) and gradient_shape((3, 5)) == (3, 5)
    assert practice.question("backward", "v", "local").diagonal  # σ acts entry by entry
    assert not practice.question("backward", "x", "local").diagonal
    assert not practice.question("backward", "v", "grad").formulas  # numbers only


def test_a_big_network_does_not_ask_local_jacobians_too_big_to_build():
    practice = practice_for("mlp", MlpOptions(d=1024, h=1024))
    index = {(s.phase, s.node): s.index for s in practice.trace.steps}
    assert asked(practice, index["backward", "W0"]) == [("shape", None), ("grad", None)]
    with pytest.raises(QuestionError, match="too many"):
        practice.question("backward", "W0", "local")


# --- expr: a node used twice ---


def test_expr_a_consumer_taking_the_node_twice_is_one_local_derivative():
    practice = practice_for("expr", ExprOptions(expr="x*x + sin(x)*y", at=(("x", 0.7), ("y", -1.3))))
    x, y = 0.7, -1.3
    index = practice.trace.step_index("backward", "x")
    locals_ = [q for q in practice.step_questions(index) if q.field == "local"]
    assert sorted(q.consumer for q in locals_) == ["z1", "z2"]  # z1 = x·x once, not once per slot
    twice = practice.question("backward", "x", "local", "z1")
    assert float(twice.expected) == pytest.approx(2 * x, rel=1e-14)
    assert len(twice.terms) == 2
    assert float(practice.question("backward", "x", "grad").expected) == pytest.approx(2 * x + math.cos(x) * y)
    assert float(practice.question("backward", "y", "grad").expected) == pytest.approx(math.sin(x))


def test_expr_default_function_has_the_graph_lessons_gradient():
    practice = practice_for("expr", ExprOptions())
    assert float(practice.question("backward", "x", "grad").expected) == pytest.approx(
        6 - 12 * math.exp(-2) / 36, rel=1e-12
    )


# --- chain ---


@pytest.mark.parametrize("l, n, m", [(3, 4, 2), (5, 2, 5), (1, 1, 1)])
def test_chain_asks_the_shapes_and_the_order(l, n, m):  # noqa: E741
    practice = practice_for("chain", ChainOptions(l=l, n=n, m=m))
    got = {(q.node, q.field): q.expected for q in practice.questions()}
    assert got == {("g", "shape"): (n, l), ("f", "shape"): (m, n), ("fg", "shape"): (m, l), ("fg", "order"): "f"}
    assert practice.question("jacobian", "fg", "order").expected_text == "∂f/∂y · ∂g/∂x"


# --- what does not exist ---


@pytest.mark.parametrize(
    "lesson, key, words",
    [
        ("graph", ("backward", "w", "grad"), "no node 'w'"),
        ("graph", ("backward", "x", "value"), "value goes with phase forward"),
        ("graph", ("forward", "z2", "grad"), "grad goes with phase backward"),
        ("graph", ("forward", "x", "value"), "no forward step: it is an input"),
        ("graph", ("sideways", "x", "grad"), "phase must be forward or backward"),
        ("graph", ("backward", "x", "slope"), "unknown field 'slope'"),
        ("graph", ("backward", "z4", "local"), "is the output"),
        ("graph", ("backward", "x", "local"), "used by 2 nodes (z3, z2)"),
        ("graph", ("backward", "x", "local", "z1"), "'z1' does not use x"),
        ("graph", ("backward", "x", "grad", "z2"), "only a local derivative names a consumer"),
        ("mlp", ("forward", "W0", "value"), "no forward step: it is a parameter"),
        ("chain", ("jacobian", "h", "shape"), "no node 'h'"),
        ("chain", ("backward", "g", "shape"), "phase must be jacobian"),
        ("chain", ("jacobian", "g", "order"), "only fg has an order"),
        ("chain", ("jacobian", "g", "grad"), "unknown field 'grad'"),
    ],
)
def test_questions_that_do_not_exist_say_why(lesson, key, words):
    options = LESSONS[lesson].options()
    with pytest.raises(QuestionError) as caught:
        practice_for(lesson, options).question(*key)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("lesson, options", [("symmetry", SymmetryOptions()), ("methods", MethodsOptions())])
def test_lessons_without_questions_are_refused(lesson, options):
    with pytest.raises(QuestionError, match=f"lesson {lesson} asks no questions"):
        practice_for(lesson, options)


def test_practice_is_kept_per_lesson_and_options():
    first = practice_for("graph", GraphOptions(at=(("x", 0.25),)))
    assert practice_for("graph", GraphOptions(at=(("x", 0.25),))) is first
    assert practice_for("graph", GraphOptions(at=(("x", 0.5),))) is not first
    clear_cache()
    walk = LESSONS["expr"].build(ExprOptions(expr="x*y"))
    assert practice_for("expr", ExprOptions(expr="x*y"), walk).walk is walk  # the app's own walk is reused
