"""The graph lesson: p(x, y) = 6·exp(−y)/(1 + x² + y²) + 2x³ against §4(b) and finite differences."""

import math
import warnings

import numpy as np
import pytest

from backprop_tui.lessons import LESSONS, GraphOptions, LessonError


def p(x, y):
    return 6.0 * math.exp(-y) / (1.0 + x * x + y * y) + 2.0 * x**3


def walk_at(x, y):
    return LESSONS["graph"].build(GraphOptions(at=(("x", x), ("y", y))))


def grad_of(walk):
    nodes = walk.trace.nodes
    return float(nodes["x"].grad), float(nodes["y"].grad)


def test_gradient_at_one_two_matches_the_notes():
    gx, gy = grad_of(LESSONS["graph"].build(GraphOptions()))  # default point (1, 2)
    assert abs(gx - 5.95488823892) < 1e-10
    assert abs(gy - (-0.22555880539)) < 1e-10
    assert grad_of(walk_at(1.0, 2.0)) == (gx, gy)


POINTS = [(float(a), float(b)) for a, b in np.random.default_rng(42).uniform(-3, 3, size=(8, 2))] + [
    (0.0, 0.0),
    (0.5, -1.0),
    (-2.5, 0.1),
]


@pytest.mark.parametrize("x, y", POINTS)
def test_gradient_matches_closed_forms_and_finite_differences(x, y):
    walk = walk_at(x, y)
    gx, gy = grad_of(walk)
    z1 = math.exp(-y)
    z2 = 1 + x * x + y * y
    # §4(b)
    assert gx == pytest.approx(6 * x * x - 12 * x * z1 / z2**2, rel=1e-12, abs=1e-13)
    assert gy == pytest.approx(-12 * y * z1 / z2**2 - 6 * math.exp(-y) / z2, rel=1e-12, abs=1e-13)
    eps = 1e-6
    assert gx == pytest.approx((p(x + eps, y) - p(x - eps, y)) / (2 * eps), rel=1e-6, abs=1e-7)
    assert gy == pytest.approx((p(x, y + eps) - p(x, y - eps)) / (2 * eps), rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("x, y", POINTS[:4] + [(1.0, 2.0)])
def test_intermediates_and_their_gradients(x, y):
    nodes = walk_at(x, y).trace.nodes
    z1, z2, z3 = math.exp(-y), 1 + x * x + y * y, x**3
    assert float(nodes["z1"].value) == pytest.approx(z1, rel=1e-14)
    assert float(nodes["z2"].value) == pytest.approx(z2, rel=1e-14)
    assert float(nodes["z3"].value) == pytest.approx(z3, rel=1e-14, abs=1e-300)
    assert float(nodes["z4"].value) == pytest.approx(p(x, y), rel=1e-13, abs=1e-14)
    assert float(nodes["z4"].value) == pytest.approx(6 * z1 / z2 + 2 * z3, rel=1e-13, abs=1e-14)
    # §4(b): ∂z₄/∂z₃ = 2, ∂z₄/∂z₂ = −6z₁/z₂², ∂z₄/∂z₁ = 6/z₂
    assert float(nodes["z4"].grad) == 1.0
    assert float(nodes["z3"].grad) == 2.0
    assert float(nodes["z2"].grad) == pytest.approx(-6 * z1 / z2**2, rel=1e-14)
    assert float(nodes["z1"].grad) == pytest.approx(6 / z2, rel=1e-14)


def test_nodes_steps_and_two_terms_for_x_and_y():
    trace = walk_at(0.7, -0.4).trace
    assert list(trace.nodes) == ["x", "y", "z1", "z2", "z3", "z4"]
    assert trace.output == "z4"
    assert all(r.shape == () for r in trace.nodes.values())
    assert [s.node for s in trace.steps if s.phase == "forward"] == ["z1", "z2", "z3", "z4"]
    assert [s.node for s in trace.steps if s.phase == "backward"] == ["z4", "z3", "z2", "z1", "y", "x"]
    x, y = 0.7, -0.4
    z1, z2 = math.exp(-y), 1 + x * x + y * y
    terms = {s.node: s.terms for s in trace.steps if s.phase == "backward"}
    assert len(terms["x"]) == 2 and len(terms["y"]) == 2
    for name in ("z1", "z2", "z3"):
        assert len(terms[name]) == 1
    via_x = {t.consumer: float(t.product) for t in terms["x"]}
    assert via_x.keys() == {"z2", "z3"}
    assert via_x["z3"] == pytest.approx(2 * 3 * x * x, rel=1e-14)
    assert via_x["z2"] == pytest.approx(-6 * z1 / z2**2 * 2 * x, rel=1e-14)
    via_y = {t.consumer: float(t.product) for t in terms["y"]}
    assert via_y.keys() == {"z1", "z2"}
    assert via_y["z1"] == pytest.approx(6 / z2 * -math.exp(-y), rel=1e-14)
    assert via_y["z2"] == pytest.approx(-6 * z1 / z2**2 * 2 * y, rel=1e-14)


def test_point_can_set_one_coordinate():
    walk = LESSONS["graph"].build(GraphOptions(at=(("y", 0.5),)))
    assert float(walk.trace.nodes["x"].value) == 1.0
    assert float(walk.trace.nodes["y"].value) == 0.5
    assert walk.settings == {"at": {"x": 1.0, "y": 0.5}}


@pytest.mark.parametrize("at", [(("z", 1.0),), (("x", float("nan")),), (("y", float("inf")),)])
def test_bad_point_raises_lesson_error(at):
    with pytest.raises(LessonError):
        LESSONS["graph"].build(GraphOptions(at=at))


@pytest.mark.parametrize("at", [(("x", 1e200),), (("y", -1000.0),)])
def test_overflow_gives_infinities_and_a_notice_not_an_exception(at):
    walk = LESSONS["graph"].build(GraphOptions(at=at))
    values = [float(r.value) for r in walk.trace.nodes.values()]
    assert not all(math.isfinite(v) for v in values)
    assert walk.notices and "overflow" in walk.notices[0]


def test_ordinary_points_have_no_overflow_notice():
    assert LESSONS["graph"].build(GraphOptions()).notices == ()


def test_overflow_at_1e300_emits_no_numpy_warning():
    """Non-finite values are the notice's business: no RuntimeWarning may reach stderr."""
    from backprop_tui.export import to_json, to_markdown

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        walk = LESSONS["graph"].build(GraphOptions(at=(("x", 1e300), ("y", 1e300))))
        for step in walk.trace.steps:  # everything a screen reads, including the lazy texts
            assert step.equation and step.shapes
            for term in step.terms:
                assert term.derivative
                assert term.local_jacobian().shape == term.jacobian_shape
        to_json(walk)
        to_markdown(walk)
    assert walk.notices and "overflow" in walk.notices[0]
    assert not math.isfinite(float(walk.trace.nodes["z4"].value))
