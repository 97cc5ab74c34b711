"""The seeded normal draws behind every random start: reproducible, continuing, and normal."""

import math

import numpy as np
import pytest

from backprop_tui.lessons.draws import Normals, _splitmix64


def test_bits_follow_the_published_splitmix64_sequence():
    # the reference implementation's first outputs for seed 1234567
    expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431]
    assert [int(v) for v in _splitmix64(1234567, 0, 4)] == expected
    assert [int(v) for v in _splitmix64(1234567, 2, 2)] == expected[2:]


def test_a_seed_gives_the_same_draws_and_another_seed_others():
    a, b = Normals(7).normal(size=(3, 4)), Normals(7).normal(size=(3, 4))
    np.testing.assert_array_equal(a, b)
    assert not np.any(Normals(8).normal(size=(3, 4)) == a)


def test_a_stream_continues_instead_of_repeating():
    stream = Normals(3)
    first, second = stream.normal(size=6), stream.normal(size=6)
    np.testing.assert_array_equal(first, Normals(3).normal(size=6))
    assert not np.any(np.isin(second, first))


@pytest.mark.parametrize("size, shape", [(None, None), ((), ()), (5, (5,)), ((2, 3), (2, 3)), ((0,), (0,))])
def test_shapes_follow_numpy(size, shape):
    draws = Normals(0).normal(0.0, 1.0, size)
    if shape is None:
        assert isinstance(draws, float)
    else:
        assert isinstance(draws, np.ndarray) and draws.shape == shape and draws.dtype == np.float64


def test_location_and_scale():
    z = Normals(11).normal(size=1000)
    np.testing.assert_allclose(Normals(11).normal(2.0, 0.5, 1000), 2.0 + 0.5 * z, rtol=1e-15)


def test_draws_are_standard_normal():
    z = Normals(2024).normal(size=200_000)
    assert np.all(np.isfinite(z))
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01  # both within about 4 standard errors
    # the share within 1, 2 and 3 standard deviations, against Φ
    for k in (1, 2, 3):
        assert abs(np.mean(np.abs(z) < k) - math.erf(k / math.sqrt(2))) < 0.004
    # neighbours, and the two halves of each Box–Muller pair, must be uncorrelated
    half = len(z) // 2
    assert abs(np.corrcoef(z[:-1], z[1:])[0, 1]) < 0.01
    assert abs(np.corrcoef(z[:half], z[half:])[0, 1]) < 0.01


def test_big_requests_are_made_a_block_at_a_time_without_repeating():
    from backprop_tui.lessons.draws import BLOCK

    z = Normals(5).normal(size=BLOCK + 3)
    np.testing.assert_array_equal(z[:BLOCK], Normals(5).normal(size=BLOCK))  # the first block as drawn alone
    assert not np.any(np.isin(z[BLOCK:], z[:BLOCK]))
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
