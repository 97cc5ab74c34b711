"""Lesson chain: ∂(f∘g)/∂x = ∂f/∂y · ∂g/∂x, checked in plain numpy; the wrong order; a matrix input."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tui.export import to_json_text
from backprop_tui.lessons import LESSONS, ChainOptions, LessonError, PageLesson, chain
from backprop_tui.lessons.options import CHAIN_LIMIT


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def composite(fn, x, A=None):
    """f(g(x)) written out: B(σ(Ax + a))² + c."""
    A = fn.A if A is None else A
    y = sigmoid(A @ x + fn.a)
    return fn.B @ (y * y) + fn.c


def numeric_jacobian(fn, x, eps=1e-6):
    cols = []
    for k in range(x.size):
        e = np.zeros_like(x)
        e[k] = eps
        cols.append((composite(fn, x + e) - composite(fn, x - e)) / (2 * eps))
    return np.stack(cols, axis=1)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.integers(1, 9), st.integers(0, 1000))
def test_product_equals_the_finite_difference_jacobian(l, n, m, seed):  # noqa: E741
    r = chain.compute(ChainOptions(l=l, n=n, m=m, seed=seed))
    assert r.J_f.shape == (m, n) and r.J_g.shape == (n, l) and r.J_fg.shape == (m, l)
    np.testing.assert_allclose(r.J_fg, numeric_jacobian(r.fn, r.fn.x), rtol=1e-6, atol=1e-8)
    assert r.fd_error == pytest.approx(np.max(np.abs(r.J_fg - r.J_fd)))
    assert r.fd_error < 1e-8


def test_each_jacobian_matches_its_closed_form():
    r = chain.compute(ChainOptions(l=3, n=5, m=2, seed=7))
    fn = r.fn
    y = sigmoid(fn.A @ fn.x + fn.a)
    np.testing.assert_allclose(r.y, y, rtol=1e-14)
    np.testing.assert_allclose(r.J_g, np.diag(y * (1 - y)) @ fn.A, rtol=1e-12)
    np.testing.assert_allclose(r.J_f, fn.B @ np.diag(2 * y), rtol=1e-12)
    np.testing.assert_allclose(r.J_fg, r.J_f @ r.J_g, rtol=1e-15)


def test_default_sizes():
    r = chain.compute(ChainOptions())
    assert (r.l, r.n, r.m) == (3, 4, 2)


def test_wrong_order_is_an_explained_error():
    r = chain.compute(ChainOptions(l=3, n=5, m=2))
    assert not r.wrong.fits
    assert "mismatch" in r.wrong.error or "align" in r.wrong.error  # numpy's own words
    assert "ℓ = 3" in r.wrong.explanation and "m = 2" in r.wrong.explanation
    with pytest.raises(ValueError):
        r.J_g @ r.J_f


def test_wrong_order_that_happens_to_fit_is_still_called_meaningless():
    r = chain.compute(ChainOptions(l=2, n=5, m=2))
    assert r.wrong.fits and r.wrong.shape == (5, 5)
    assert "means nothing" in r.wrong.explanation


@pytest.mark.parametrize("l, n, m", [(3, 4, 2), (2, 6, 3), (1, 1, 1)])
def test_matrix_input_flattening_and_step(l, n, m):  # noqa: E741
    r = chain.compute(ChainOptions(l=l, n=n, m=m, seed=1))
    fn = r.fn
    assert r.dg_dW.shape == (n, n, l) and r.dg_dvecW.shape == (n, n * l)
    np.testing.assert_array_equal(r.dg_dvecW.reshape(n, n, l), r.dg_dW)
    y = sigmoid(fn.A @ fn.x + fn.a)
    for i in range(n):  # gᵢ sees only row i of W: ∂gᵢ/∂W_jk = δᵢⱼ σ′ᵢ x_k
        expected = np.zeros((n, l))
        expected[i] = y[i] * (1 - y[i]) * fn.x
        np.testing.assert_allclose(r.dg_dW[i], expected, rtol=1e-12, atol=1e-15)
    # ∂L/∂W for L(W) = Σⱼ fⱼ(g(W)), by differences entry by entry
    eps = 1e-6
    numeric = np.zeros_like(fn.A)
    for idx in np.ndindex(*fn.A.shape):
        up, down = fn.A.copy(), fn.A.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (composite(fn, fn.x, up).sum() - composite(fn, fn.x, down).sum()) / (2 * eps)
    assert r.dL_dW.shape == fn.A.shape and r.dL_dvecW.shape == (1, n * l)
    np.testing.assert_allclose(r.dL_dW, numeric, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(r.backprop_dL_dW, r.dL_dW, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.W_next, fn.A - chain.STEP * numeric, rtol=1e-6, atol=1e-9)
    assert r.loss == pytest.approx(composite(fn, fn.x).sum())
    assert r.loss_next == pytest.approx(composite(fn, fn.x, r.W_next).sum())
    assert r.loss_next < r.loss


@pytest.mark.parametrize("name, value", [("l", 0), ("n", -1), ("m", CHAIN_LIMIT + 1), ("l", 3.5)])
def test_bad_sizes(name, value):
    with pytest.raises(LessonError, match=f"--{name}"):
        ChainOptions(**{name: value})


def test_export_follows_the_contract():
    data = chain.export(ChainOptions(l=3, n=5, m=2))
    json.loads(to_json_text(data))
    assert set(data) == {"lesson", "settings", "jacobians", "finite_difference_max_error"}
    assert data["lesson"] == "chain"
    assert set(data["settings"]) == {"l", "n", "m", "seed", "x", "A", "a", "B", "c"}  # no variant was asked for
    fn = data["settings"]
    assert (fn["l"], fn["n"], fn["m"], fn["seed"]) == (3, 5, 2, 0)
    assert np.shape(fn["A"]) == (5, 3) and np.shape(fn["B"]) == (2, 5) and np.shape(fn["x"]) == (3,)
    # the exported f∘g, written out here from the exported numbers, has the exported Jacobian
    drawn = chain.Functions(*(np.array(fn[k]) for k in ("x", "A", "a", "B", "c")))
    np.testing.assert_allclose(numeric_jacobian(drawn, drawn.x), data["jacobians"]["fg"]["value"], rtol=1e-6, atol=1e-8)
    j = data["jacobians"]
    assert set(j) == {"f", "g", "fg"}
    assert (j["f"]["shape"], j["g"]["shape"], j["fg"]["shape"]) == ([2, 5], [5, 3], [2, 3])
    np.testing.assert_allclose(np.array(j["f"]["value"]) @ np.array(j["g"]["value"]), j["fg"]["value"], rtol=1e-15)
    assert 0 <= data["finite_difference_max_error"] < 1e-8


def test_registered_as_a_lesson_with_its_own_page():
    lesson = LESSONS["chain"]
    assert isinstance(lesson, PageLesson) and lesson.key == "5"
    assert lesson.export(ChainOptions()) == chain.export(ChainOptions())
    assert set(lesson.options.names()) == {"l", "n", "m", "seed", "variant"}


def test_slices_of_dg_dW_match_finite_differences_and_the_flattened_rows():
    fn = chain.draw(3, 4, 2, 5)
    r = chain.compute(ChainOptions(l=3, n=4, m=2, seed=5))
    assert r.unflattens_to_slices
    eps = 1e-6
    for j in range(4):
        for k in range(3):
            up, down = fn.A.copy(), fn.A.copy()
            up[j, k] += eps
            down[j, k] -= eps
            g_up = 1 / (1 + np.exp(-(up @ fn.x + fn.a)))
            g_down = 1 / (1 + np.exp(-(down @ fn.x + fn.a)))
            np.testing.assert_allclose(r.dg_dW[:, j, k], (g_up - g_down) / (2 * eps), atol=1e-9)
