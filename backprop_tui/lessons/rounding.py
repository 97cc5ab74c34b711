"""How far rounding alone can move a difference quotient, and the figures that stay the same on every machine.

A difference quotient carries rounding of about ε⁻¹ times f's own; its last
digits change with the machine (BLAS kernels, SIMD). Below a floor set by that
rounding an error means nothing, so comparisons and choices treat it as the floor.
"""

from __future__ import annotations

import math

SPARE = 3  # a quotient's error is shown as a bound when below 3× its rounding, rounded up to a power of ten
TIE = 2  # sweep errors within this factor of each other are a tie: rounding could order them either way


def floor_of(rounding: float) -> int:
    """The power of ten under which a difference quotient's error is rounding and nothing else."""
    return math.ceil(math.log10(SPARE * rounding))


def shown_error(error: float, rounding: float) -> float:
    """The error as far as it can be vouched for: one below the rounding floor counts as the floor."""
    return max(error, 10.0 ** floor_of(rounding))
