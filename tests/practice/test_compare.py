"""When a typed number agrees with the true one (3 significant figures), and a formula's values with the true ones."""

import math

import numpy as np
import pytest

from backprop_tui.practice.compare import agree, agree_each, agrees, half_unit, same_function, same_values

TRUE = 6 - 12 * math.exp(-2) / 36  # ∂z₄/∂x at (1, 2), §4(b): 5.95489


@pytest.mark.parametrize("typed", [5.95, 5.955, 5.9549, 5.9546, 5.954, 5.9595, 5.95489])
def test_three_significant_figures_pass(typed):
    assert agrees(np.array(typed), np.array(TRUE))


@pytest.mark.parametrize("typed", [5.96, 5.94, 6.0, 5.9, -5.955, 59.55])
def test_a_third_figure_off_fails(typed):
    assert not agrees(np.array(typed), np.array(TRUE))


def test_the_unit_of_the_third_figure():
    assert half_unit(np.array([5.95489, 0.0123456, 123456.0, -0.5])).tolist() == pytest.approx(
        [0.005, 0.00005, 500.0, 0.0005]
    )


def test_a_value_that_rounds_up_to_the_next_power_of_ten_takes_its_unit():
    # 0.09996 to 3 figures is 0.100, so 0.1 is right and so is 0.0999
    for typed in (0.1, 0.100, 0.0999, 0.09996):
        assert agrees(np.array(typed), np.array(0.09996))
    assert not agrees(np.array(0.0994), np.array(0.09996))


def test_near_zero():
    # rounding noise where the truth is 0: 0 passes, and so does a typed noise
    assert agrees(np.array(0.0), np.array(1e-17))
    assert agrees(np.array(3e-13), np.array(0.0))
    assert not agrees(np.array(1e-3), np.array(0.0))
    # a tiny entry beside a big one may be given as 0 …
    assert agrees(np.array([5.2, 0.0]), np.array([5.2, 3e-9]))
    # … but not a small one that matters at the answer's 3 figures
    assert not agrees(np.array([5.2, 0.0]), np.array([5.2, 0.03]))
    # a scalar is its own scale: 3e-9 is not 0 on its own
    assert not agrees(np.array(0.0), np.array(3e-9))
    assert agrees(np.array(3.0e-9), np.array(3.001e-9))


def test_each_candidate_is_its_own_scale():
    typed = np.full(3, 2e-9)
    candidates = np.array([1000.0, 2e-9, 2.1e-9])
    assert agree_each(typed, candidates).tolist() == [False, True, False]
    assert agree(typed, candidates).tolist() == [False, True, True]  # one answer: the big entry sets the floor


def test_not_finite_values_agree_only_with_their_kind():
    assert agree(np.array([np.nan, np.inf, -np.inf]), np.array([np.nan, np.inf, -np.inf])).all()
    assert not agree(np.array([np.inf]), np.array([-np.inf])).any()
    assert not agree(np.array([1.0]), np.array([np.nan])).any()
    assert not agree(np.array([np.nan]), np.array([1.0])).any()


def test_formulas_are_held_to_seven_figures():
    e = np.array([1.0, -2.5, 1e6, 0.0])
    assert same_function(e * (1 + 1e-10) + np.array([0, 0, 0, 1e-14]), e)
    assert not same_function(e * (1 + 1e-5), e)
    assert same_values(np.array([1.0, 2.0]), np.array([1.0, 2.001])).tolist() == [True, False]
