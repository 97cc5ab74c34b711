"""Lesson methods: five gradients that agree, true call counts, the ε sweep's V, the association's cost."""

import json
import math
from itertools import pairwise

import numpy as np
import pytest

from backprop_tui.export import to_json_text
from backprop_tui.lessons import LESSONS, LessonError, MethodsOptions, PageLesson, association, methods
from backprop_tui.lessons.draws import Normals


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def course_gradient(d, h, seed):
    """§3.1(b)–(d) in plain numpy, flattened as W0, b0, W1, b1 (row-major), at the lesson's seeded start."""
    rng = Normals(seed)
    W0 = rng.normal(0, 1 / np.sqrt(d), (h, d))
    b0 = rng.normal(0, 1 / np.sqrt(d), h)
    W1 = rng.normal(0, 1 / np.sqrt(h), (1, h))
    rng.normal(0, 1 / np.sqrt(h), ())
    x = np.resize([1.0, 2.0], d)
    z = sigmoid(W0 @ x + b0)
    delta = W1[0] * z * (1 - z)
    return np.concatenate([np.outer(delta, x).ravel(), delta, z, [1.0]])


def p_gradient(x, y):
    """§4(b): ∂p/∂x = 6x² − 12x·z₁/z₂², ∂p/∂y = −12y·z₁/z₂² − 6·exp(−y)/z₂."""
    z1, z2 = math.exp(-y), 1 + x * x + y * y
    return np.array([6 * x * x - 12 * x * z1 / z2**2, -12 * y * z1 / z2**2 - 6 * math.exp(-y) / z2])


@pytest.fixture(scope="module")
def default():
    return methods.compute(MethodsOptions())


@pytest.mark.parametrize("d, h, seed", [(2, 4, 0), (3, 5, 1), (1, 1, 2), (8, 32, 3)])
def test_all_five_gradients_agree_with_the_course(d, h, seed):
    r = methods.compute(MethodsOptions(d=d, h=h, seed=seed))
    expected = course_gradient(d, h, seed)
    assert r.n == h * d + 2 * h + 1 == expected.size
    m = {k: v.grad for k, v in r.methods.items()}
    np.testing.assert_allclose(m["reverse_mode"], expected, rtol=1e-12, atol=1e-14)
    scale = np.max(np.abs(m["reverse_mode"]))
    for key in ("analytic", "forward_mode"):
        assert np.max(np.abs(m[key] - m["reverse_mode"])) <= 1e-10 * scale, key
    # ε = 10⁻⁶: the forward quotient is off by O(ε), the central one by O(ε²) plus rounding
    assert np.max(np.abs(m["forward_difference"] - expected)) < 1e-5
    assert np.max(np.abs(m["central_difference"] - expected)) < 1e-8
    assert np.max(np.abs(m["central_difference"] - expected)) < np.max(np.abs(m["forward_difference"] - expected))


@pytest.mark.parametrize("x, y", [(1.0, 2.0), (-0.5, 0.3), (2.0, -1.0)])
def test_graph_function_gradients(x, y):
    r = methods.compute(MethodsOptions(of="graph", at=(("x", x), ("y", y))))
    assert r.names == ("x", "y")
    expected = p_gradient(x, y)
    for key in ("reverse_mode", "forward_mode", "analytic"):
        np.testing.assert_allclose(r.methods[key].grad, expected, rtol=1e-10)
    np.testing.assert_allclose(r.methods["central_difference"].grad, expected, rtol=1e-6)
    assert r.methods["forward_mode"].count == 2


def test_counts_are_the_calls_made(default):
    n = default.n
    m = default.methods
    assert (m["forward_difference"].count, m["forward_difference"].unit) == (n + 1, "evaluations")
    assert (m["central_difference"].count, m["central_difference"].unit) == (2 * n, "evaluations")
    assert (m["forward_mode"].count, m["forward_mode"].unit) == (n, "passes")
    assert (m["reverse_mode"].count, m["reverse_mode"].unit) == (1, "passes")
    assert m["analytic"].count is None


def test_difference_quotients_call_f_as_often_as_they_say():
    calls = []

    def f(theta):
        calls.append(theta.copy())
        return float(np.sum(np.sin(theta)))

    theta = np.array([0.1, 0.2, 0.3, 0.4])
    fd = methods.forward_difference(f, theta, 1e-7)
    assert len(calls) == 5
    np.testing.assert_allclose(fd, np.cos(theta), atol=1e-6)
    calls.clear()
    cd = methods.central_difference(f, theta, 1e-5)
    assert len(calls) == 8
    np.testing.assert_allclose(cd, np.cos(theta), atol=1e-9)


def test_multiply_adds_follow_the_passes(default):
    d, h, n = 2, 4, default.n
    m = default.methods
    forward = h * d + h + h  # one evaluation: W0x, σ, W1z
    assert m["forward_difference"].multiply_adds == (n + 1) * forward
    assert m["central_difference"].multiply_adds == 2 * n * forward
    # backprop: one forward, then VJPs through W1, z, σ, W0 and x
    assert m["reverse_mode"].multiply_adds == forward + (2 * h + h + 2 * h * d)
    assert m["reverse_mode"].multiply_adds < m["forward_mode"].multiply_adds < m["central_difference"].multiply_adds


def test_errors_are_measured_against_reverse_mode(default):
    ref = default.methods["reverse_mode"].grad
    fwd = default.methods["forward_difference"]
    assert fwd.max_abs_error == pytest.approx(np.max(np.abs(fwd.grad - ref)))
    ratios = [abs(a - b) / abs(b) for a, b in zip(fwd.grad, ref, strict=True)]
    assert fwd.max_rel_error == pytest.approx(max(ratios))
    assert fwd.worst == ratios.index(max(ratios))
    assert default.methods["reverse_mode"].max_abs_error == 0.0
    for method in default.methods.values():
        assert isinstance(method.seconds, float) and method.seconds >= 0.0


def test_relative_error_is_each_partials_own_not_the_absolute_one_again():
    """The network's largest partial is ∂y/∂b⁽¹⁾ = 1: relative to it, every error would equal itself."""
    r = methods.compute(MethodsOptions(), 1e-3)  # ε large enough that every quotient error is truncation
    ref = r.methods["reverse_mode"].grad
    assert np.max(np.abs(ref)) == 1.0
    for key in ("forward_difference", "central_difference"):
        m, rel = r.methods[key], r.relative(key)
        assert rel.measured
        error = np.abs(m.grad - ref)
        i = rel.index
        assert rel.value == pytest.approx(error[i] / abs(ref[i]))
        assert rel.value > 3 * m.max_abs_error, "small partials carry the largest relative error"
    # forward quotient: the error is ε/2 · ∂²y/∂θᵢ² (truncation); for W⁽⁰⁾[3,1] that partial is only 7e−4
    assert r.labels[r.relative("forward_difference").index] == "W⁽⁰⁾[3,1]"


def test_relative_error_leaves_out_what_rounding_can_explain():
    r = methods.compute(MethodsOptions())  # ε = 10⁻⁶: the central quotient's errors are all rounding
    floor = 10.0 ** methods.floor_of(r.rounding)
    central = r.methods["central_difference"]
    assert central.max_abs_error < 10 * floor
    assert not r.relative("central_difference").measured
    fwd = r.relative("forward_difference")
    assert fwd.measured
    # the partial it names has an error well above rounding; partials with errors below it are not named
    error = abs(r.methods["forward_difference"].grad[fwd.index] - r.methods["reverse_mode"].grad[fwd.index])
    assert error > 3 * floor


def test_an_error_on_a_partial_of_zero_is_infinitely_large_relative_to_it():
    r = methods.compute(MethodsOptions(of="graph", at=(("x", 0.0), ("y", 1.0))))
    assert r.methods["reverse_mode"].grad[0] == 0.0  # ∂p/∂x = 6x² − 12x·z₁/z₂² = 0 at x = 0
    rel = r.relative("forward_difference")
    assert (rel.index, rel.value) == (0, math.inf)
    assert methods.relative_errors(np.array([0.0, 1e-3]), np.array([0.0, 2.0])).tolist() == [0.0, 5e-4]


@pytest.mark.parametrize("d, h", [(2, 4), (3, 5), (8, 32), (1, 1)])
def test_formulas_one_per_partial_recompute_the_shared_terms(d, h):
    """Per partial: W⁽⁰⁾ᵢx (d), σ (1), σ′ applied to W⁽¹⁾ᵢ (1), times xⱼ (1); the shared version does each once."""
    r = methods.compute(MethodsOptions(d=d, h=h))
    np.testing.assert_allclose(r.apart.grad, course_gradient(d, h, 0), rtol=1e-12, atol=1e-15)
    per_w0, per_b0, per_w1 = d + 3, d + 2, d + 1
    assert r.apart.multiply_adds == h * d * per_w0 + h * per_b0 + h * per_w1 == h * (d * d + 5 * d + 3)
    assert r.methods["analytic"].multiply_adds == h * d + h + h + h * d
    assert r.apart.multiply_adds > r.methods["analytic"].multiply_adds


def test_the_two_formulas_of_p_recompute_what_they_share():
    """Counting ×, ÷ and exp by hand.

    Shared: exp(−y), x², y², z₂², z₁/z₂², 6x², 12x, ·, 12y, ·, 6z₁, /z₂ = 12.
    Apart, ∂p/∂x: exp(−y), x², y², z₂², ÷, x² again, 6·, 12x, · = 9; ∂p/∂y: exp, x², y², z₂², ÷, 12y, ·, 6z₁, /z₂ = 9.
    """
    r = methods.compute(MethodsOptions(of="graph", at=(("x", -0.5), ("y", 0.3))))
    assert (r.methods["analytic"].multiply_adds, r.apart.multiply_adds) == (12, 18)
    np.testing.assert_allclose(r.apart.grad, p_gradient(-0.5, 0.3), rtol=1e-12)


def test_the_size_is_known_before_anything_is_computed():
    for s in (MethodsOptions(), MethodsOptions(d=8, h=32), MethodsOptions(d=1, h=1), MethodsOptions(of="graph")):
        assert methods.parameter_count(s) == methods.compute(s).n


def test_a_computation_called_off_stops_at_once():
    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(methods.Cancelled):
        methods.compute(MethodsOptions(d=8, h=32), cancelled=cancelled)
    assert len(asked) == 4, "it stops the first time it hears it is called off"
    with pytest.raises(methods.Cancelled):
        methods.compute(MethodsOptions(), cancelled=lambda: True)


@pytest.mark.parametrize("settings", [MethodsOptions(), MethodsOptions(d=3, h=8, seed=4), MethodsOptions(of="graph")])
def test_the_sweep_has_its_v(settings):
    r = methods.compute(settings)
    assert [p.epsilon for p in r.sweep] == [10.0**-k for k in range(1, 16)]
    for which in ("forward", "central"):
        errors = [getattr(p, f"{which}_error") for p in r.sweep]
        best = int(np.argmin(errors))
        assert 0 < best < len(errors) - 1, which
        assert errors[0] > 100 * errors[best] and errors[-1] > 100 * errors[best], which
        assert methods.best_epsilon(r.sweep, which).epsilon == r.sweep[best].epsilon
    # truncation: the central quotient wins at large ε; its best ε is larger than the forward one's
    assert r.sweep[0].central_error < r.sweep[0].forward_error
    assert methods.best_epsilon(r.sweep, "central").epsilon > methods.best_epsilon(r.sweep, "forward").epsilon


@pytest.mark.parametrize("d, h", [(2, 4), (3, 7), (1, 1)])
def test_the_association_is_really_multiplied_both_ways(d, h):
    c = association.associate(d, h, 0)
    assert [s for _, s in c.factors] == [(1, h), (h, h), (h, h * d)]
    assert c.agreement < 1e-12
    rev, fwd = c.products["reverse"], c.products["forward"]
    assert [(p.left, p.right, p.result) for p in rev] == [((1, h), (h, h), (1, h)), ((1, h), (h, h * d), (1, h * d))]
    assert [(p.left, p.right, p.result) for p in fwd] == [
        ((h, h), (h, h * d), (h, h * d)),
        ((1, h), (h, h * d), (1, h * d)),
    ]
    assert association.total(rev) == h * h + h * h * d
    assert association.total(fwd) == h * h * h * d + h * h * d
    assert c.products == association.association_products(d, h)


def test_the_cost_ratio_grows_with_h():
    c = association.associate(2, 4, 0)
    assert [h for h, _, _ in c.growth] == [2**k for k in range(11)]
    ratios = [fwd / rev for _, rev, fwd in c.growth]
    assert all(a < b for a, b in pairwise(ratios))
    h, rev, fwd = c.growth[-1]
    assert (h, rev, fwd) == (1024, 1024**2 + 1024**2 * 2, 1024**3 * 2 + 1024**2 * 2)


def test_memory_reverse_keeps_more_as_layers_are_added():
    mem = association.memory(2, 4, 0)
    assert [label for label, _ in mem.kept] == ["v", "z", "y"]
    assert mem.reverse_floats == 4 + 4 + 1
    depths = [row[0] for row in mem.by_depth]
    reverse = [row[1] for row in mem.by_depth]
    forward = [row[2] for row in mem.by_depth]
    assert depths == list(association.DEPTHS)
    assert all(a < b for a, b in pairwise(reverse))
    assert len(set(forward)) == 1
    assert reverse[-1] > forward[-1]


@pytest.mark.parametrize("d, h", [(2, 4), (5, 3), (1, 1)])
def test_memory_counts_by_hand(d, h):
    """Reverse keeps vₖ and zₖ (h each) for every layer, and y: 2hL + 1. Forward mode holds at most two
    h-vectors with their tangents (zₖ and ż while vₖ and v̇ are still read): 4h, at any depth. So with one
    hidden layer forward mode's peak is the larger (4h > 2h + 1), and from two layers on the smaller.
    """
    mem = association.memory(d, h, 0)
    assert mem.reverse_floats == 2 * h + 1
    assert mem.forward_peak == 4 * h
    assert mem.by_depth == tuple((layers, 2 * h * layers + 1, 4 * h) for layers in association.DEPTHS)


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(d=0), "--d"),
        (dict(d=methods.MAX_D + 1), "--d"),
        (dict(h=methods.MAX_H + 1), "--h"),
        (dict(of="nope"), "--of"),
        (dict(of="mlp", at=(("x", 1.0),)), "--of graph"),
        (dict(of="graph", at=(("q", 1.0),)), "'q'"),
        (dict(of="graph", at=(("x", 1e200),)), "--at x"),
        (dict(of="graph", at=(("y", -101.0),)), "--at y"),
    ],
)
def test_bad_options(options, message):
    with pytest.raises(LessonError, match=message):
        MethodsOptions(**options)


def test_a_point_alone_means_p():
    r = methods.compute(MethodsOptions(at=(("x", 0.5),)))
    assert r.of == "graph"
    np.testing.assert_allclose(r.methods["reverse_mode"].grad, p_gradient(0.5, 2.0), rtol=1e-12)


def test_export_follows_the_contract():
    data = methods.export(MethodsOptions())
    json.loads(to_json_text(data))  # plain JSON, no NaN
    keys = {"lesson", "settings", "theta", "of", "n", "parameters", "methods", "epsilon_sweep", "chain_cost"}
    assert set(data) == keys
    assert (data["lesson"], data["of"], data["n"]) == ("methods", "mlp", 17)
    assert data["parameters"][:3] == ["W0[0,0]", "W0[0,1]", "W0[1,0]"]
    assert data["parameters"][-1] == "b1" and len(data["parameters"]) == 17
    m = data["methods"]
    assert set(m) == {"forward_difference", "central_difference", "analytic", "forward_mode", "reverse_mode"}
    assert set(m["forward_difference"]) == {"grad", "evaluations", "max_abs_error", "seconds"}
    assert set(m["central_difference"]) == {"grad", "evaluations", "max_abs_error", "seconds"}
    assert set(m["analytic"]) == {"grad"}
    assert set(m["forward_mode"]) == {"grad", "passes"}
    assert set(m["reverse_mode"]) == {"grad", "passes"}
    assert (m["forward_difference"]["evaluations"], m["central_difference"]["evaluations"]) == (18, 34)
    assert (m["forward_mode"]["passes"], m["reverse_mode"]["passes"]) == (17, 1)
    for key in ("forward_difference", "central_difference"):
        assert isinstance(m[key]["seconds"], float) and m[key]["seconds"] >= 0.0
    np.testing.assert_allclose(m["reverse_mode"]["grad"], course_gradient(2, 4, 0), rtol=1e-12)
    assert len(data["epsilon_sweep"]) == 15
    assert set(data["epsilon_sweep"][0]) == {"epsilon", "forward_error", "central_error"}
    assert data["chain_cost"] == {"reverse_multiply_adds": 16 + 32, "forward_multiply_adds": 128 + 32}


def test_registered_as_a_lesson_with_its_own_page():
    lesson = LESSONS["methods"]
    assert isinstance(lesson, PageLesson) and lesson.key == "4"
    assert lesson.options is MethodsOptions
    assert set(lesson.options.names()) == {"d", "h", "seed", "at", "of"}
