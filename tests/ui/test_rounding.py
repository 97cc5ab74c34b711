"""What the lesson pages write does not change when rounding does, as it does from machine to machine.

Other BLAS kernels or SIMD paths move every computed value of f by a few units
in its last place. Here each value is moved on purpose, by seeded amounts of that
size, and every panel's text must come out the same.
"""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.lessons import ChainOptions, MethodsOptions, chain, methods
from backprop_tui.render.figures import about, quotient_error, quotient_value, same_text
from backprop_tui.ui.screens import chain as chain_screen
from backprop_tui.ui.screens import methods as methods_screen

U = float(np.finfo(float).eps)
SEEDS = 4  # other machines, simulated


@pytest.fixture(autouse=True)
def steady_clock(monkeypatch):
    """Times are not what this is about: every one is 0."""
    monkeypatch.setattr(methods, "clock", lambda: 0.0)


def jiggle(seed: int):
    """Moves a value by up to one rounding of the numbers that make it, as another machine might."""
    rng = np.random.default_rng(seed)

    def move(value):
        value = np.asarray(value, dtype=float)
        return value + rng.uniform(-1, 1, value.shape) * U * np.maximum(np.abs(value), 1.0)

    return move


def methods_page(r: methods.Result) -> list[str]:
    paint = (methods_screen.summary_text, methods_screen.gradients_text, methods_screen.sweep_legend)
    return [str(p(r)) for p in paint] + [str(methods_screen.association_text(r))]


@pytest.mark.parametrize(
    "settings, eps",
    [
        (MethodsOptions(), 1e-6),
        (MethodsOptions(d=3, h=8), 1e-6),
        (MethodsOptions(of="graph"), 1e-4),
        (MethodsOptions(d=1, h=1), 1e-8),
        pytest.param(MethodsOptions(d=8, h=32), 1e-6, marks=pytest.mark.slow),
    ],
)
def test_methods_page_is_the_same_whatever_the_rounding(monkeypatch, settings, eps):
    r = methods.compute(settings, eps)
    shown = methods_page(r)
    call, moved = methods.Function.__call__, False
    for seed in range(SEEDS):
        move = jiggle(seed)
        monkeypatch.setattr(methods.Function, "__call__", lambda self, theta, move=move: float(move(call(self, theta))))
        again = methods.compute(settings, eps)
        moved |= not np.array_equal(again.methods["central_difference"].grad, r.methods["central_difference"].grad)
        assert methods_page(again) == shown
    assert moved


@pytest.mark.parametrize("settings", [ChainOptions(), ChainOptions(l=3, n=5, m=2), ChainOptions(l=12, n=20, m=6)])
def test_chain_page_is_the_same_whatever_the_rounding(monkeypatch, settings):
    r = chain.compute(settings)
    shown = [str(chain_screen.product_text(r, 150)), str(chain_screen.matrix_text(r, 150))]
    value, moved = chain.value, False
    for seed in range(SEEDS):
        move = jiggle(seed)
        monkeypatch.setattr(chain, "value", lambda graph, output, move=move: move(value(graph, output)))
        again = chain.compute(settings)
        moved |= not np.array_equal(again.J_fd, r.J_fd)
        assert [str(chain_screen.product_text(again, 150)), str(chain_screen.matrix_text(again, 150))] == shown
    assert moved


def test_figures_write_rounding_as_bounds():
    rounding = 2.2e-10  # a quotient at ε = 10⁻⁶ of an f of size 1
    assert quotient_error(9.5e-8, rounding) == "~1e−7"
    assert quotient_error(8.6e-11, rounding) == quotient_error(1.2e-10, rounding) == "≲ 1e−9"
    for error in (0.0, 0.9e-9, 1.1e-9):
        assert quotient_error(error, rounding) == "≲ 1e−9"
    assert about(0.0) == "0" and about(3.2e-5) == "~1e−4"
    assert same_text(0.0, 1.0) == same_text(5.6e-17, 1.0) == same_text(1.1e-16, 1.0) == "< 1e−12 relative: rounding"
    assert same_text(3e-4, 1.0) == "3.0e−4"
    # a quotient's value: decimals down to 10⁴ × its rounding (here 10⁻⁵), at most 7 digits
    assert quotient_value(0.92816185, rounding) == "0.92816"
    assert quotient_value(-1.65002e-4, rounding) == "−1.7e−4"
    assert quotient_value(7e-6, rounding) == "1e−5"
    assert quotient_value(3e-6, rounding) == "≈ 0"
    assert quotient_value(0.92816177, 2.2e-16) == "0.9281618"
