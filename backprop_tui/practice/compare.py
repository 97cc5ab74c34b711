"""When two numbers count as the same answer.

A typed number is compared with the true value to 3 significant figures: it
passes when it lies within half a unit of the third significant figure of the
true value rounded to 3 figures. So for 5.95489 anything from 5.94989 to 5.95989
passes (5.95, 5.955, 5.9549), and for 0.09996, which rounds to 0.100, so does 0.1.
Near zero, figures stop meaning anything, so an entry also passes when it is within
10⁻¹² of the true value, or within a millionth of the largest true entry of the same
answer: [5.2, 0] passes for [5.2, 3e-9], and 0 passes for a rounding-noise 1e-17.

A formula is evaluated at every point exactly, so it is held to more: 7
significant figures of the larger of the two values at each point, which equal
forms computed in different orders always reach.

Values that are not finite (overflow, a point outside a function's domain) agree
only with the same kind: nan with nan, +∞ with +∞.
"""

from __future__ import annotations

import numpy as np

FIGURES = 3
ZERO = 1e-12  # closer than this to the true value always passes
SHARE = 1e-6  # of the answer's largest true entry: tiny entries beside big ones may be given as 0
FORMULA_RTOL = 1e-7
FORMULA_ATOL = 1e-12


def _nonfinite_match(a: np.ndarray, e: np.ndarray) -> np.ndarray:
    return (np.isnan(a) & np.isnan(e)) | (np.isinf(a) & np.isinf(e) & (np.sign(a) == np.sign(e)))


def half_unit(e: np.ndarray) -> np.ndarray:
    """Half a unit of the third significant figure of each entry rounded to 3 figures (0 where it is 0)."""
    e = np.abs(np.asarray(e, dtype=float))
    out = np.zeros(e.shape)
    nonzero = np.isfinite(e) & (e > 0)
    if not nonzero.any():
        return out
    v = e[nonzero]
    exponent = np.floor(np.log10(v))
    unit = 10.0 ** (exponent - (FIGURES - 1))
    rounded_up = np.rint(v / unit) >= 10**FIGURES  # 0.09996 rounds to 0.100: its unit is ten times larger
    out[nonzero] = np.where(rounded_up, unit * 10, unit) / 2
    return out


def agree(a: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Entry by entry: does a typed number agree with the true value e to 3 significant figures?

    e is one answer: its largest entry sets how small an entry may be given as 0.
    """
    a, e = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(e, dtype=float))
    finite = np.isfinite(e)
    scale = float(np.max(np.abs(e[finite]))) if finite.any() else 0.0
    return _agree(a, e, np.full(e.shape, scale))


def agree_each(a: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Like agree, with every entry a separate answer (a number against many candidates)."""
    a, e = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(e, dtype=float))
    return _agree(a, e, np.where(np.isfinite(e), np.abs(e), 0.0))


def _agree(a: np.ndarray, e: np.ndarray, scale: np.ndarray) -> np.ndarray:
    finite = np.isfinite(e)
    tolerance = np.maximum(half_unit(e) * (1 + 1e-9), np.maximum(ZERO, SHARE * scale))
    with np.errstate(all="ignore"):
        close = np.abs(a - e) <= tolerance
    return np.where(finite, close & np.isfinite(a), _nonfinite_match(a, e))


def agrees(a: np.ndarray, e: np.ndarray) -> bool:
    """Every entry agrees (shapes must already match)."""
    return bool(np.all(agree(a, e)))


def same_values(a: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Point by point: does a formula's value equal the true one (7 significant figures)?"""
    a, e = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(e, dtype=float))
    with np.errstate(all="ignore"):
        close = np.abs(a - e) <= FORMULA_RTOL * np.maximum(np.abs(a), np.abs(e)) + FORMULA_ATOL
    return np.where(np.isfinite(e) & np.isfinite(a), close, _nonfinite_match(a, e))


def same_function(a: np.ndarray, e: np.ndarray) -> bool:
    """A formula equals the true one at every point."""
    return bool(np.all(same_values(a, e)))
