"""--variant N: each student's own numbers, the same for the same N, nice, and inside the function's domain."""

import hashlib
import math
from dataclasses import replace

import numpy as np
import pytest

from backprop_tui.lessons import LESSONS, ChainOptions, ExprOptions, GraphOptions, LessonError, MlpOptions, chain
from backprop_tui.lessons.draws import Normals, one_decimal
from backprop_tui.lessons.expr import NUDGE
from backprop_tui.lessons.options import variant_seed
from backprop_tui.practice import practice_for
from backprop_tui.practice.judge import judge


def build(lesson, options):
    return LESSONS[lesson].build(options)


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def one_decimal_values(values):
    """Every value k/10 for a whole k with 5 ≤ |k| ≤ 25, exactly as the nearest float to it."""
    return all(float(v) == round(v * 10) / 10 and 5 <= abs(round(v * 10)) <= 25 for v in values)


# --- the seed and the draws ---


def test_a_variants_seed_is_sha256_of_the_lesson_and_n_and_not_pythons_hash():
    digest = hashlib.sha256(b"backprop-tui graph variant 1").digest()
    assert variant_seed("graph", 1) == int.from_bytes(digest[:4], "big") % (2**32 - 1) + 1
    assert variant_seed("graph", 1) == 3575454305  # pinned: a change here gives every student new numbers
    assert variant_seed("chain", 1) == 1041427993
    assert len({variant_seed(lesson, n) for lesson in ("mlp", "graph", "expr", "chain") for n in range(1, 51)}) == 200


def test_whole_numbers_cover_their_range_evenly():
    draws = Normals(5).integers(-3, 3, 70_000)
    counts = np.array([np.sum(draws == k) for k in range(-3, 4)])
    assert counts.sum() == 70_000  # nothing outside −3 … 3
    assert np.all(np.abs(counts - 10_000) < 400)  # about 4 standard deviations


def test_one_decimal_draws_are_the_42_values_from_half_to_two_and_a_half():
    values = one_decimal(Normals(9), 20_000)
    assert one_decimal_values(values)
    assert len(set(values)) == 42


# --- graph ---


def test_graph_variants_are_pinned_nice_and_differ_from_the_course_and_each_other():
    assert build("graph", GraphOptions(variant=1)).settings == {"at": {"x": 1.7, "y": -2.0}, "variant": 1}
    assert build("graph", GraphOptions(variant=2)).settings["at"] == {"x": 1.9, "y": 1.3}
    points = [tuple(build("graph", GraphOptions(variant=n)).settings["at"].values()) for n in range(1, 101)]
    assert all(one_decimal_values(p) for p in points)
    assert (1.0, 2.0) not in points
    assert len(set(points)) > 90  # 1 764 possible points: a few repeats among 100 students at most


def test_a_graph_variant_is_the_lesson_at_its_point():
    walk = build("graph", GraphOptions(variant=4))
    x, y = walk.settings["at"]["x"], walk.settings["at"]["y"]
    nodes = walk.trace.nodes
    z1, z2 = math.exp(-y), 1 + x * x + y * y
    assert float(nodes["z4"].value) == pytest.approx(6 * z1 / z2 + 2 * x**3, rel=1e-13)
    assert float(nodes["x"].grad) == pytest.approx(6 * x * x - 12 * x * z1 / z2**2, rel=1e-12)
    assert float(nodes["y"].grad) == pytest.approx(-12 * y * z1 / z2**2 - 6 * z1 / z2, rel=1e-12)
    assert walk.settings["at"] != build("graph", GraphOptions()).settings["at"]


def test_an_explicit_at_wins_over_the_variant_value_by_value():
    alone = build("graph", GraphOptions(variant=3)).settings["at"]
    mixed = build("graph", GraphOptions(variant=3, at=(("x", 0.25),))).settings
    assert mixed == {"at": {"x": 0.25, "y": alone["y"]}, "variant": 3}


def test_a_variant_that_would_change_nothing_is_refused():
    with pytest.raises(LessonError, match="change nothing"):
        GraphOptions.from_given({"variant": 2, "at": (("x", 1.0), ("y", 3.0))})
    assert GraphOptions.from_given({"variant": 2, "at": (("y", 3.0),)}).variant == 2


@pytest.mark.parametrize("value", [0, -1, 2.5, True])
def test_a_variant_is_a_whole_number_from_one(value):
    for options in (GraphOptions, MlpOptions, ChainOptions, ExprOptions):
        with pytest.raises(LessonError, match="--variant must be a whole number 1 or more"):
            options(variant=value)


def test_practice_judges_a_variants_own_numbers():
    options = GraphOptions(variant=5)
    walk = build("graph", options)
    practice = practice_for("graph", options, walk)
    question = practice.question("backward", "x", "grad")
    own, course = float(walk.trace.nodes["x"].grad), 5.95488823892
    assert judge(question, f"{own:.6g}").verdict == "correct"
    assert judge(question, f"{course:.6g}").verdict == "wrong"
    assert judge(question, "6*x^2 - 12*x*z1/z2^2").verdict == "correct"


# --- expr ---


def test_expr_variant_draws_only_the_functions_variables_and_keeps_given_ones():
    walk = build("expr", ExprOptions(expr="a*x + b", variant=2))
    assert list(walk.settings["at"]) == ["a", "b", "x"] and walk.settings["variant"] == 2
    assert one_decimal_values(walk.settings["at"].values())
    given = build("expr", ExprOptions(expr="a*x + b", variant=2, at=(("b", 10.0),))).settings["at"]
    assert given["b"] == 10.0 and one_decimal_values([given["a"], given["x"]])
    assert build("expr", ExprOptions(expr="a*x + b", variant=2)).settings == walk.settings  # the same again


@pytest.mark.parametrize("n", range(1, 31))
def test_expr_variant_stays_well_inside_the_domain(n):
    walk = build("expr", ExprOptions(expr="log(x - 1) + 1/(y - 1)", variant=n))
    at = walk.settings["at"]
    assert at["x"] - NUDGE > 1, at  # log's argument positive even nudged
    assert abs(at["y"] - 1) > NUDGE + 1e-9, at  # never at the pole, nor a nudge from it
    assert not walk.notices
    assert all(np.isfinite(r.value) and np.isfinite(r.grad) for r in walk.trace.nodes.values())


def test_expr_variant_avoids_overflow():
    walk = build("expr", ExprOptions(expr="exp(exp(3*x))", variant=1))
    assert walk.settings["at"]["x"] <= math.log(math.log(1e6)) / 3  # the function and its slope below 10⁶
    assert not walk.notices


def test_expr_variant_where_nothing_is_moderate_takes_the_first_finite_point_and_says_so():
    walk = build("expr", ExprOptions(expr="10000000*x", variant=2))
    assert one_decimal_values(walk.settings["at"].values())
    assert "Variant 2 found no point where this function stays moderate" in walk.notices[0]


def test_expr_variant_where_nothing_is_finite_says_so_and_keeps_the_usual_point():
    walk = build("expr", ExprOptions(expr="log(-1 - x^2)", variant=1))
    assert walk.settings["at"] == {"x": 1.0}
    assert "Variant 1 found no point where this function is finite" in walk.notices[0]


def test_expr_variant_refused_when_at_gives_every_variable():
    with pytest.raises(LessonError, match="change nothing"):
        ExprOptions.from_given({"expr": "x*y", "variant": 1, "at": (("x", 1.0), ("y", 2.0))})
    with pytest.raises(LessonError, match="change nothing"):  # the default function's x and y
        ExprOptions.from_given({"variant": 1, "at": (("x", 1.0), ("y", 2.0))})
    assert ExprOptions.from_given({"expr": "x*y*w", "variant": 1, "at": (("x", 1.0), ("y", 2.0))}).variant == 1


def test_expr_practice_reruns_a_variant_at_other_points():
    options = ExprOptions(expr="x^2*y", variant=3)
    practice = practice_for("expr", options)
    question = practice.question("backward", "x", "grad")
    assert judge(question, "2*x*y").verdict == "correct"
    assert judge(question, "x*y").verdict == "wrong"


# --- mlp ---


def test_mlp_variant_is_pinned_and_teachable():
    walk = build("mlp", MlpOptions(variant=1))
    assert walk.settings["x"] == [2.0, -3.0]
    assert walk.settings["params"]["W0"] == [[-0.5, -0.7], [-1.1, -0.6], [0.7, 1.2], [-0.6, 1.0]]
    assert walk.settings["params"]["b1"] == -0.5
    assert walk.settings["seed"] is None and walk.settings["variant"] == 1
    assert "variant 1" in walk.title
    for n in range(1, 41):
        p = build("mlp", MlpOptions(variant=n)).settings["params"]
        numbers = np.concatenate([np.ravel(p[k]) for k in ("W0", "b0", "W1", "b1")])
        assert np.all(numbers != 0) and np.all(np.abs(numbers) <= 1.2)
        assert np.array_equal(numbers, np.round(numbers * 10) / 10)  # one decimal: the float nearest k/10
        assert set(p["x"]) <= {-3.0, -2.0, -1.0, 1.0, 2.0, 3.0}
        units = np.column_stack([p["W0"], p["b0"], p["W1"][0]])
        assert len(np.unique(units, axis=0)) == 4


def test_mlp_variant_numbers_are_the_walkthroughs_and_its_gradients_are_right():
    walk = build("mlp", MlpOptions(variant=6, d=3, h=5))
    p = {k: np.array(v) for k, v in walk.settings["params"].items()}
    nodes = walk.trace.nodes
    for name in ("x", "W0", "b0", "W1", "b1"):
        np.testing.assert_array_equal(nodes[name].value, p[name])
    z = sigmoid(p["W0"] @ p["x"] + p["b0"])
    assert float(nodes["y"].value) == pytest.approx(float(p["W1"][0] @ z + p["b1"]), rel=1e-13)
    delta = p["W1"][0] * z * (1 - z)
    np.testing.assert_allclose(nodes["W0"].grad, np.outer(delta, p["x"]), rtol=1e-12)
    np.testing.assert_allclose(nodes["x"].grad, delta @ p["W0"], rtol=1e-12)


def test_large_mlp_variants_scale_their_weights_and_use_more_decimals():
    p = build("mlp", MlpOptions(variant=2, d=400, h=3)).settings["params"]
    W0 = np.array(p["W0"])
    assert 0.5 / 20 < np.std(W0) < 1.5 / 20  # about 1/√d, as a random start
    assert np.array_equal(W0, np.round(W0 * 100) / 100) and not np.array_equal(W0, np.round(W0 * 10) / 10)


def test_mlp_variant_with_a_zero_or_constant_start_varies_x_only():
    random = build("mlp", MlpOptions(variant=3)).settings
    for init, const in (("zero", 0.0), ("constant", 0.5)):
        walk = build("mlp", MlpOptions(variant=3, init=init))
        assert walk.settings["x"] == random["x"] and "params" not in walk.settings
        for name in ("W0", "b0", "W1", "b1"):
            assert np.all(walk.trace.nodes[name].value == const)
        assert walk.notices  # the identical hidden units are still the point of §3.2


def test_mlp_explicit_x_wins_over_the_variants():
    walk = build("mlp", MlpOptions(variant=3, x=(0.5, 0.25)))
    assert walk.settings["x"] == [0.5, 0.25] == walk.settings["params"]["x"]
    assert walk.settings["params"]["W0"] == build("mlp", MlpOptions(variant=3)).settings["params"]["W0"]


@pytest.mark.parametrize(
    "given, words",
    [
        ({"variant": 1, "seed": 2}, "--seed and --variant"),
        ({"variant": 1, "init": "zero", "x": (1.0, 2.0)}, "change nothing"),
        ({"variant": 1, "init": "zero", "seed": 2}, "--seed goes with --init random"),
    ],
)
def test_mlp_variant_conflicts_are_refused(given, words):
    with pytest.raises(LessonError, match=words):
        MlpOptions.from_given(given)


def test_the_apps_change_of_start_keeps_the_variant():
    options = MlpOptions.from_given({"variant": 4})
    zero = build("mlp", replace(options, init="zero"))  # what the init key does
    assert zero.settings["variant"] == 4 and zero.settings["x"] == build("mlp", options).settings["x"]


# --- chain ---


def test_chain_variant_is_the_draw_of_its_seed():
    options = ChainOptions.from_given({"variant": 1})
    assert options.seed == variant_seed("chain", 1) == 1041427993 and options.is_variant
    assert ChainOptions(variant=1) == options
    data = chain.export(options)
    assert data["settings"]["variant"] == 1 and data["settings"]["seed"] == options.seed
    assert data == chain.export(ChainOptions(seed=options.seed)) | {"settings": data["settings"]}
    assert data["jacobians"] != chain.export(ChainOptions())["jacobians"]
    assert data["jacobians"] != chain.export(ChainOptions(variant=2))["jacobians"]


def test_a_new_draw_in_the_app_leaves_the_variant():
    options = ChainOptions(variant=1)
    moved = replace(options, seed=options.seed + 1)  # what the reseed key does
    assert not moved.is_variant and "variant" not in chain.export(moved)["settings"]
    assert replace(options, n=6).is_variant  # a new size keeps the variant's draw


def test_chain_refuses_a_seed_with_a_variant():
    with pytest.raises(LessonError, match="--seed and --variant"):
        ChainOptions.from_given({"variant": 1, "seed": 4})
