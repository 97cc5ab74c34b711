"""Measured figures written with only the digits that rounding leaves alone.

Two computations of one number agree up to rounding, and a difference quotient
carries rounding of about ε⁻¹ times f's own. Those last digits change with the
machine (BLAS kernels, SIMD), so a screen shows them as a bound, never as digits.
"""

from __future__ import annotations

import math

from ..engine.notation import number
from ..lessons.rounding import floor_of

SAME = 1e-12  # a relative difference below this between two exact methods is rounding
DIGITS_SPARE = 1e4  # a quotient's value keeps only digits at least this far above its rounding


def ten_to(k: int) -> str:
    """1e−9, as errors are written."""
    return "1e" + str(k).replace("-", "−")


def order(x: float) -> int:
    """The nearest power of ten to |x| (x ≠ 0), on a log scale."""
    return round(math.log10(abs(x)))


def about(x: float) -> str:
    """|x| to its order of magnitude: ~1e−7."""
    return "0" if x == 0 else "~" + ten_to(order(x))


def best_error(rounding: float) -> str:
    """The error at the best ε of a sweep (by shown_error) as a bound that rounding cannot move: ten times its floor.

    A larger error would have lost to the next ε, ten times smaller: its truncation
    is smaller and its rounding under that bound. Near the best ε truncation and
    rounding are alike, so the error itself would show different digits on every machine.
    """
    return "< " + ten_to(floor_of(rounding) + 1)


def quotient_error(error: float, rounding: float) -> str:
    """A difference quotient's error: ≲ its rounding floor when it is about that or less, else its order of magnitude.

    "≲" covers errors up to about the floor (its order of magnitude, up to √10 times it),
    so that an error just above the floor on one machine and just below it on
    another read the same.
    """
    k = floor_of(rounding)
    if error == 0 or order(error) <= k:
        return "≲ " + ten_to(k)
    return about(error)


def below_same() -> str:
    """The bound under which two exact computations differ by rounding only: < 1e−12."""
    return "< " + ten_to(round(math.log10(SAME)))


def rounding_only(difference: float, scale: float) -> bool:
    """Whether two exact computations that differ by this much (their size: scale) differ by rounding only."""
    return difference <= SAME * scale


def same_text(difference: float, scale: float) -> str:
    """The largest difference between two exact computations of one array: rounding, or the figure.

    Exactly 0 on one machine may be a unit in the last place on another, so 0 shows as rounding too.
    """
    if rounding_only(difference, scale):
        return below_same() + " relative: rounding"
    return number(difference, 2)


def quotient_value(x: float, rounding: float, digits: int = 7) -> str:
    """A difference quotient to the decimals that its rounding cannot reach, and no more digits than number(x, digits).

    The value is first rounded to its last safe decimal, and everything else is decided
    on that: one a unit in the last place away, on another machine, is written the same.
    """
    last = math.ceil(math.log10(DIGITS_SPARE * rounding))  # the last decimal shown is the 10^last place
    x = round(x, -last)
    if x == 0:
        return "≈ 0"
    top = math.floor(math.log10(abs(x)))
    if 1e-3 <= abs(x) < 1e5:  # fixed point, as number() writes these
        decimals = min(max(-last, 0), digits - 1 - top)
        text = f"{x:.{decimals}f}" if decimals >= 0 else f"{round(x, decimals):.0f}"
    else:
        significant = max(min(digits - 1, top - last + 1), 1)
        mantissa, _, power = f"{x:.{significant - 1}e}".partition("e")
        text = f"{mantissa}e{int(power)}"
    return text.replace("-", "−")
