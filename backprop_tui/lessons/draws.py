"""Seeded normal draws for starting weights, random functions and nudges; whole numbers for variants.

numpy's own generators would do, but importing numpy.random costs the first
frame about 10 ms and 3 MB. These draws need nothing beyond numpy's arithmetic:
SplitMix64 turns a seed and a counter into 64 random bits (integer arithmetic,
the same on every machine), and the Box–Muller transform turns pairs of
uniform numbers into pairs of independent standard normal ones.
"""

from __future__ import annotations

import math

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # SplitMix64's increment: 2⁶⁴ divided by the golden ratio
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
BLOCK = 1 << 20  # draws made at once


def _splitmix64(seed: int, start: int, count: int) -> np.ndarray:
    """Outputs start … start + count − 1 of SplitMix64 seeded with `seed`, as uint64 (wrapping on purpose)."""
    state = np.uint64(seed % 2**64) + _GOLDEN * np.arange(start + 1, start + count + 1, dtype=np.uint64)
    z = (state ^ (state >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


class Normals:
    """A stream of normal draws from a seed; each call takes bits where the last one stopped."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._used = 0  # outputs of the bit stream consumed so far

    def normal(self, loc: float = 0.0, scale: float = 1.0, size: int | tuple[int, ...] | None = None):
        """Like numpy's Generator.normal: a float without `size`, else an array of that shape."""
        shape = () if size is None else (size,) if isinstance(size, (int, np.integer)) else tuple(size)
        count = math.prod(shape)
        z = np.empty(count)
        for start in range(0, count, BLOCK):  # a block at a time: a 4096×4096 matrix needs no big temporaries
            z[start : start + BLOCK] = self._standard(min(BLOCK, count - start))
        draws = np.asarray(loc + scale * z.reshape(shape))  # 0-d stays an array, as numpy's own draws do
        return float(draws) if size is None else draws

    def integers(self, low: int, high: int, size: int | tuple[int, ...]) -> np.ndarray:
        """Whole numbers from low to high inclusive, each equally likely (to 2⁻⁵³), as floats of that shape."""
        shape = (size,) if isinstance(size, (int, np.integer)) else tuple(size)
        count = math.prod(shape)
        bits = _splitmix64(self.seed, self._used, count)
        self._used += count
        uniform = (bits >> np.uint64(11)) * 2.0**-53
        return (low + np.floor(uniform * (high - low + 1))).reshape(shape)

    def _standard(self, count: int) -> np.ndarray:
        """count standard normal draws from the next 2·⌈count/2⌉ outputs of the bit stream."""
        pairs = (count + 1) // 2
        bits = _splitmix64(self.seed, self._used, 2 * pairs)
        self._used += 2 * pairs
        uniform = (bits >> np.uint64(11)) * 2.0**-53  # the top 53 bits: evenly spaced in [0, 1)
        radius = np.sqrt(-2.0 * np.log1p(-uniform[:pairs]))  # log(1 − u) with 1 − u in (0, 1]: never log 0
        angle = 2.0 * np.pi * uniform[pairs:]
        return np.concatenate([radius * np.cos(angle), radius * np.sin(angle)])[:count]


def one_decimal(stream: Normals, count: int) -> list[float]:
    """count numbers with one decimal, ±0.5 … ±2.5 (42 values, each equally likely): a variant's point."""
    k = stream.integers(1, 42, count)
    return [float(v) / 10 for v in np.where(k > 21, k - 17, k - 26)]  # 5 … 25 and −25 … −5
