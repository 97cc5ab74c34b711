"""The mlp lesson against finite differences of a plain-numpy network and the course's closed forms (§3.1, §3.2)."""

import numpy as np
import pytest

from backprop_tui.lessons import LESSONS, LessonError, MlpOptions

NAMES = ["x", "W0", "b0", "v", "z", "W1", "b1", "y"]
LEAVES = ["x", "W0", "b0", "W1", "b1"]


def build(**kw):
    return LESSONS["mlp"].build(MlpOptions(**kw))


def net(x, W0, b0, W1, b1):
    """y = W⁽¹⁾σ(W⁽⁰⁾x + b⁽⁰⁾) + b⁽¹⁾, written out with plain numpy."""
    z = 1.0 / (1.0 + np.exp(-(W0 @ x + b0)))
    return float((W1 @ z)[0] + b1)


def leaves_of(trace):
    return {name: np.array(trace.nodes[name].value) for name in LEAVES}


def fd_grad(leaves, name, eps=1e-6):
    base = leaves[name]
    grad = np.zeros(base.size)
    for k in range(base.size):
        plus, minus = base.copy(), base.copy()
        plus.reshape(-1)[k] += eps
        minus.reshape(-1)[k] -= eps
        grad[k] = (net(**{**leaves, name: plus}) - net(**{**leaves, name: minus})) / (2 * eps)
    return grad.reshape(base.shape)


CONFIGS = [
    dict(),
    dict(seed=1),
    dict(seed=7, d=3, h=5),
    dict(seed=2, d=1, h=1),
    dict(seed=5, d=6, h=3, x=(0.5, -1.0, 2.0, 0.0, 1.5, -0.25)),
    dict(seed=11, d=2, h=9),
]


@pytest.mark.parametrize("kw", CONFIGS, ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()) or "default")
def test_gradients_match_finite_differences(kw):
    trace = build(**kw).trace
    leaves = leaves_of(trace)
    d, h = kw.get("d", 2), kw.get("h", 4)
    assert leaves["W0"].shape == (h, d) and leaves["x"].shape == (d,)
    assert float(trace.nodes["y"].value) == pytest.approx(net(**leaves), rel=1e-13, abs=1e-15)
    for name in LEAVES:
        np.testing.assert_allclose(trace.nodes[name].grad, fd_grad(leaves, name), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("kw", CONFIGS, ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()) or "default")
def test_gradients_match_closed_forms(kw):
    trace = build(**kw).trace
    L = leaves_of(trace)
    x, W0, b0, W1 = L["x"], L["W0"], L["b0"], L["W1"]
    z = 1.0 / (1.0 + np.exp(-(W0 @ x + b0)))
    g = {name: trace.nodes[name].grad for name in NAMES}
    np.testing.assert_allclose(trace.nodes["z"].value, z, rtol=1e-14)
    # §3.1(b): ∂y/∂W⁽¹⁾ = z (as W⁽¹⁾'s 1×h shape), ∂y/∂b⁽¹⁾ = 1
    np.testing.assert_allclose(g["W1"], z[None, :], rtol=1e-14)
    assert g["b1"].shape == () and float(g["b1"]) == 1.0
    # §3.1(c): ∂y/∂z = W⁽¹⁾
    np.testing.assert_allclose(g["z"], W1[0], rtol=1e-14)
    # §3.1(d): ∂y/∂b⁽⁰⁾ = W⁽¹⁾∘z∘(1−z), ∂y/∂W⁽⁰⁾ = [W⁽¹⁾∘z∘(1−z)]ᵀ xᵀ, an h×d outer product
    delta = W1[0] * z * (1 - z)
    np.testing.assert_allclose(g["b0"], delta, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(g["v"], delta, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(g["W0"], np.outer(delta, x), rtol=1e-13, atol=1e-16)
    assert g["W0"].shape == W0.shape
    # and onwards to the input: ∂y/∂x = ∂y/∂v · W⁽⁰⁾
    np.testing.assert_allclose(g["x"], delta @ W0, rtol=1e-12, atol=1e-16)
    assert float(g["y"]) == 1.0


def test_random_init_depends_on_seed_and_is_reproducible():
    a, b, c = (leaves_of(build(seed=s).trace) for s in (0, 0, 1))
    for name in ("W0", "b0", "W1", "b1"):
        np.testing.assert_array_equal(a[name], b[name])
    assert not np.array_equal(a["W0"], c["W0"])


def test_default_input_is_one_two_repeated():
    np.testing.assert_array_equal(build().trace.nodes["x"].value, [1.0, 2.0])
    np.testing.assert_array_equal(build(d=5).trace.nodes["x"].value, [1.0, 2.0, 1.0, 2.0, 1.0])
    np.testing.assert_array_equal(build(d=3, x=(4.0, 5.0, 6.0)).trace.nodes["x"].value, [4.0, 5.0, 6.0])


@pytest.mark.parametrize("d, h, x", [(2, 4, None), (3, 5, (0.3, -7.0, 2.0)), (1, 2, (5.0,))])
def test_zero_init_reproduces_section_3_2(d, h, x):
    walk = build(init="zero", d=d, h=h, x=x)
    t = walk.trace.nodes
    for name in ("W0", "b0", "W1", "b1"):
        assert not np.any(t[name].value)
    np.testing.assert_array_equal(t["z"].value, np.full(h, 0.5))
    assert float(t["y"].value) == 0.0
    np.testing.assert_array_equal(t["W1"].grad, np.full((1, h), 0.5))
    assert float(t["b1"].grad) == 1.0
    np.testing.assert_array_equal(t["W0"].grad, np.zeros((h, d)))
    np.testing.assert_array_equal(t["b0"].grad, np.zeros(h))
    assert walk.notices
    text = " ".join(walk.notices)
    assert "identical" in text
    assert str(h) in text


def test_constant_init_also_gives_identical_units():
    c = 0.3
    walk = build(init="constant", const=c, d=2, h=4)
    t = walk.trace.nodes
    np.testing.assert_array_equal(t["W0"].value, np.full((4, 2), c))
    z = 1.0 / (1.0 + np.exp(-(c * 1.0 + c * 2.0 + c)))  # default x = (1, 2)
    np.testing.assert_allclose(t["z"].value, np.full(4, z), rtol=1e-14)
    assert np.all(t["W0"].grad == t["W0"].grad[0])  # every unit gets the same gradient row
    np.testing.assert_allclose(t["W0"].grad[0], c * z * (1 - z) * np.array([1.0, 2.0]), rtol=1e-13)
    assert any("identical" in n for n in walk.notices)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_init_has_no_identical_units_notice(seed):
    walk = build(seed=seed)
    assert not any("identical" in n for n in walk.notices)
    assert len(set(walk.trace.nodes["z"].value.tolist())) == 4


def test_node_names_and_scalars():
    trace = build().trace
    assert list(trace.nodes) == NAMES
    assert trace.output == "y"
    assert trace.nodes["b1"].shape == () and trace.nodes["y"].shape == ()
    assert trace.nodes["W0"].shape == (4, 2) and trace.nodes["W1"].shape == (1, 4)
    assert trace.nodes["b0"].shape == (4,) and trace.nodes["v"].shape == (4,) and trace.nodes["z"].shape == (4,)
    kinds = {name: r.kind for name, r in trace.nodes.items()}
    assert kinds == {
        "x": "input", "W0": "parameter", "b0": "parameter", "v": "op",
        "z": "op", "W1": "parameter", "b1": "parameter", "y": "op",
    }


def test_step_order():
    walk = build()
    steps = [(s.phase, s.node) for s in walk.trace.steps]
    assert steps == [("forward", n) for n in ("v", "z", "y")] + [
        ("backward", n) for n in ("y", "b1", "W1", "z", "v", "b0", "W0", "x")
    ]
    assert walk.trace.forward_count == 3
    assert len(walk.why) == len(steps) + 1
    assert all(isinstance(text, str) for text in walk.why)


@pytest.mark.parametrize(
    "kw",
    [dict(d=0), dict(h=0), dict(d=5000), dict(h=-1), dict(init="ones"), dict(d=2, x=(1.0, 2.0, 3.0)),
     dict(x=(1.0, float("nan"))), dict(init="constant", const=float("inf"))],
)
def test_bad_settings_raise_lesson_error(kw):
    with pytest.raises(LessonError):
        build(**kw)
