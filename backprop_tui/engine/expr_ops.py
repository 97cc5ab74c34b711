"""The ops the expression language makes when a typed constant meets a node: z = 6·x, z = x², z = 2ˣ.

A constant is baked into its op, so the graph's leaves are the variables alone.
`text` is how the constant was typed, and how the op's formula shows it.
"""

from __future__ import annotations

import numpy as np

from .notation import number, superscript
from .ops import Op, exponent_slope, scalar_op


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def scale(c: float, text: str) -> Op:
    """out = c·a."""
    t = _braces(text)
    return scalar_op(
        name="scale",
        formula=f"{{out}} = {t}·{{0}}",
        forward=lambda a: c * a,
        partials=(lambda ans, a: c,),
        derivatives=(t,),
    )


def add_constant(c: float, text: str, left: bool = False) -> Op:
    """out = a + c, written c + a when the constant was typed first."""
    t = _braces(text)
    formula = f"{{out}} = {t} + {{0}}" if left else f"{{out}} = {{0}} + {t}"
    return scalar_op(
        name="add_const", formula=formula, forward=lambda a: a + c, partials=(lambda ans, a: 1.0,), derivatives=("1",)
    )


def subtract_constant(c: float, text: str) -> Op:
    """out = a − c."""
    return scalar_op(
        name="sub_const",
        formula=f"{{out}} = {{0}} − {_braces(text)}",
        forward=lambda a: a - c,
        partials=(lambda ans, a: 1.0,),
        derivatives=("1",),
    )


def constant_minus(c: float, text: str) -> Op:
    """out = c − a."""
    return scalar_op(
        name="const_sub",
        formula=f"{{out}} = {_braces(text)} − {{0}}",
        forward=lambda a: c - a,
        partials=(lambda ans, a: -1.0,),
        derivatives=("−1",),
    )


def divide_by(c: float, text: str) -> Op:
    """out = a/c."""
    t = _braces(text)
    slope = 1.0 / c if c else np.inf
    return scalar_op(
        name="div_const",
        formula=f"{{out}} = {{0}}/{t}",
        forward=lambda a: a / c,
        partials=(lambda ans, a: slope,),
        derivatives=(f"1/{t}",),
    )


def constant_over(c: float, text: str) -> Op:
    """out = c/a."""
    t = _braces(text)
    return scalar_op(
        name="const_div",
        formula=f"{{out}} = {t}/{{0}}",
        forward=lambda a: c / a,
        partials=(lambda ans, a: -c / a**2,),
        derivatives=(f"−{t}/{{0}}²",),
    )


def _exponent(text: str) -> str:
    """How an exponent is written: x², x⁻¹, x^0.5."""
    digits = text.lstrip("−")
    if digits.isdigit() and len(digits) <= 3:
        return superscript(text.replace("−", "-"))
    return f"^({text})" if text.startswith("−") else f"^{text}"


def _power_derivative(c: float, t: str) -> str:
    """The text of d(aᶜ)/da = c·aᶜ⁻¹, written as people do: 2x, 3x², −x⁻², 0.5·x^(−0.5)."""
    lower = c - 1.0
    if c == 0:
        return "0"
    if c == 1:
        return "1"
    if lower == 1:
        return f"{t}{{0}}"
    numeric = t.lstrip("−").replace(".", "", 1).isdigit()
    shown = number(lower) if numeric or float(lower).is_integer() else f"({t}−1)"
    factor = "−" if c == -1 else t if t.lstrip("−").isdigit() else f"{t}·"
    return f"{factor}{{0}}{_braces(_exponent(shown))}"


def power_of(c: float, text: str) -> Op:
    """out = aᶜ for a constant exponent c."""
    t = _braces(text)
    lower = c - 1.0
    return scalar_op(
        name="pow_const",
        formula=f"{{out}} = {{0}}{_braces(_exponent(text))}",
        forward=lambda a: np.power(a, c),
        partials=(lambda ans, a: np.zeros(np.shape(ans)) if c == 0 else c * np.power(a, lower),),
        derivatives=(_power_derivative(c, t),),
    )


def constant_power(c: float, text: str) -> Op:
    """out = cᵃ for a constant base c."""
    t = _braces(text)
    base = f"({t})" if t.startswith(("−", "-")) else t  # (−8)^x, not −8^x = −(8^x)
    return scalar_op(
        name="const_pow",
        formula=f"{{out}} = {base}^{{0}}",
        forward=lambda a: np.power(c, a),
        partials=(lambda ans, a: exponent_slope(c, ans),),
        derivatives=("{out}" if c == np.e else f"log({t})·{{out}}",),
    )
