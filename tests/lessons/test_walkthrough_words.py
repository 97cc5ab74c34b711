"""What the walkthrough lessons add around their traces: sections, quiet notices, layout remarks, unit routes."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.engine import BACKWARD, FORWARD
from backprop_tui.lessons import LESSONS
from backprop_tui.lessons.options import ExprOptions, GraphOptions, MlpOptions


def _cursor(trace, phase, node):
    return trace.step_index(phase, node) + 1


@pytest.mark.parametrize(
    "lesson, options, section",
    [
        ("mlp", MlpOptions(), "§3.1"),
        ("mlp", MlpOptions(init="zero"), "§3.1, §3.2"),
        ("graph", GraphOptions(), "§4"),
        ("expr", ExprOptions(), "§4"),
    ],
)
def test_each_walkthrough_names_its_course_section(lesson, options, section):
    assert LESSONS[lesson].build(options).section == section


# --- quiet notices ---


@pytest.mark.parametrize("init", ["zero", "constant"])
def test_identical_units_are_said_when_they_are_on_screen(init):
    walk = LESSONS["mlp"].build(MlpOptions(init=init, h=3))
    trace = walk.trace
    at_z, at_w0 = _cursor(trace, FORWARD, "z"), _cursor(trace, BACKWARD, "W0")
    assert walk.notices_at(0) == (), "before anything is computed nothing gives §3.2(a) away"
    assert walk.notices_at(at_z - 1) == ()
    (values,) = walk.notices_at(at_z)
    assert "identical" in values
    # what it says is what that step shows: every zᵢ the same
    z = trace.steps[at_z - 1].value
    assert np.all(z == z[0])
    assert walk.notices_at(at_w0 - 1) == (values,)
    assert len(walk.notices_at(at_w0)) == 2
    grad = trace.steps[at_w0 - 1].value
    assert np.all(grad == grad[0]), "the step the second notice starts at shows equal gradient rows"


def test_random_init_has_no_notice():
    walk = LESSONS["mlp"].build(MlpOptions())
    assert all(walk.notices_at(c) == () for c in range(len(walk.trace) + 1))


@pytest.mark.parametrize(
    "lesson, options",
    [
        ("expr", ExprOptions(expr="log(x)+y", at=(("x", -1.0), ("y", 0.0)))),
        ("expr", ExprOptions(expr="sqrt(x)*y", at=(("x", 0.0),))),  # finite values, an infinite slope
        ("graph", GraphOptions(at=(("x", 1e103),))),
    ],
)
def test_a_not_finite_notice_starts_at_the_first_step_that_shows_it(lesson, options):
    walk = LESSONS[lesson].build(options)
    steps = walk.trace.steps
    first = next(s.index + 1 for s in steps if not np.all(np.isfinite(s.value)))
    assert walk.notices, "the point leaves the function's domain or float64's range"
    for cursor in range(len(steps) + 1):
        assert bool(walk.notices_at(cursor)) == (cursor >= first), cursor


def test_a_constant_that_overflows_is_said_from_the_start():
    walk = LESSONS["expr"].build(ExprOptions(expr="x*(1e200*1e200)"))
    assert any("constant" in n for n in walk.notices_at(0))


# --- the notes' layout ---


def test_the_layout_remark_goes_with_the_two_steps_the_notes_write_as_columns():
    walk = LESSONS["mlp"].build(MlpOptions(d=3, h=5))
    trace = walk.trace
    remarks = {c: walk.aside(c) for c in range(len(trace) + 1) if walk.aside(c)}
    assert set(remarks) == {_cursor(trace, BACKWARD, "W1"), _cursor(trace, BACKWARD, "W0")}
    for text in remarks.values():
        assert "numerator layout" in text and "§1a" in text and "notes" in text
    assert "∂y/∂W⁽¹⁾ = z" in remarks[_cursor(trace, BACKWARD, "W1")]
    assert "zᵀ" in remarks[_cursor(trace, BACKWARD, "W1")]
    assert "5×3" in remarks[_cursor(trace, BACKWARD, "W0")]


# --- §3.1(d) unit by unit ---


def _network(params, x):
    v = params["W0"] @ x + params["b0"]
    z = 1.0 / (1.0 + np.exp(-v))
    return float(params["W1"][0] @ z + params["b1"])


@pytest.mark.parametrize("d, h, seed", [(2, 4, 0), (3, 5, 7)])
def test_each_units_route_matches_central_differences(d, h, seed):
    walk = LESSONS["mlp"].build(MlpOptions(d=d, h=h, seed=seed))
    trace = walk.trace
    units = walk.units
    assert units is not None and units.count == h
    assert units.cursor == _cursor(trace, BACKWARD, "W0")
    params = {k: np.array(trace.nodes[k].value) for k in ("W0", "b0", "W1", "b1")}
    x = np.array(trace.nodes["x"].value)
    eps = 1e-6
    for i in range(h):
        route = units.route(i)
        assert route.unit == i and route.matches
        # ∂y/∂Wᵢ⁽⁰⁾ and ∂y/∂bᵢ⁽⁰⁾ by central differences of an independent forward pass
        fd = np.zeros(d)
        for k in range(d):
            up, down = {**params, "W0": params["W0"].copy()}, {**params, "W0": params["W0"].copy()}
            up["W0"][i, k] += eps
            down["W0"][i, k] -= eps
            fd[k] = (_network(up, x) - _network(down, x)) / (2 * eps)
        np.testing.assert_allclose(route.grad, fd, rtol=1e-6, atol=1e-9)
        up, down = {**params, "b0": params["b0"].copy()}, {**params, "b0": params["b0"].copy()}
        up["b0"][i] += eps
        down["b0"][i] -= eps
        assert route.bias == pytest.approx((_network(up, x) - _network(down, x)) / (2 * eps), rel=1e-6, abs=1e-9)
        # ∂zᵢ/∂Wᵢ⁽⁰⁾ = zᵢ(1−zᵢ)xᵀ, and the route's rows are the backward pass's row i
        zi = 1.0 / (1.0 + np.exp(-(params["W0"][i] @ x + params["b0"][i])))
        np.testing.assert_allclose(route.local, zi * (1 - zi) * x, rtol=1e-12)
        np.testing.assert_allclose(route.grad, trace.nodes["W0"].grad[i], rtol=1e-12)


def test_a_units_lines_show_its_numbers():
    walk = LESSONS["mlp"].build(MlpOptions())
    route = walk.units.route(1)
    lines = route.lines(80)
    assert lines[0] == "Unit by unit (§3.1(d)): hidden unit i = 2 of 4"
    text = "\n".join(lines)
    for symbol in ("∂z₂/∂W₂⁽⁰⁾ = z₂(1−z₂) xᵀ", "∂y/∂W₂⁽⁰⁾", "W₂⁽¹⁾ z₂(1−z₂) xᵀ", "= row 2 of ∂y/∂W⁽⁰⁾", "∂y/∂b₂⁽⁰⁾"):
        assert symbol in text
    assert all(len(line) <= 80 for line in lines)
