"""Lesson graph: p(x, y) = 6·exp(−y)/(1 + x² + y²) + 2x³ with the course's intermediates (§4)."""

from __future__ import annotations

import numpy as np

from ..engine import Graph, ops, passes
from .base import Walkthrough, first_not_finite, why_by_step
from .draws import Normals, one_decimal
from .options import GraphOptions, Point, variant_seed

DEFAULT_POINT = (("x", 1.0), ("y", 2.0))

# One op per intermediate variable, exactly as the course defines them.
Z1 = ops.custom_scalar(
    "exp_neg", "{out} = exp(−{0})", lambda y: np.exp(-y), [lambda a, o: -o], ["−exp(−{0}) = −{out}"]
)
Z2 = ops.custom_scalar(
    "one_plus_squares",
    "{out} = 1 + {0}² + {1}²",
    lambda x, y: 1.0 + x * x + y * y,
    [lambda a, o: 2.0 * a[0], lambda a, o: 2.0 * a[1]],
    ["2{0}", "2{1}"],
)
Z3 = ops.custom_scalar("cube", "{out} = {0}³", lambda x: x**3, [lambda a, o: 3.0 * a[0] ** 2], ["3{0}²"])
Z4 = ops.custom_scalar(
    "combine",
    "{out} = 6{0}/{1} + 2{2}",
    lambda z1, z2, z3: 6.0 * z1 / z2 + 2.0 * z3,
    [lambda a, o: 6.0 / a[1], lambda a, o: -6.0 * a[0] / a[1] ** 2, lambda a, o: 2.0],
    ["6/{1}", "−6{0}/{1}²", "2"],
)


def point(at: Point, variant: int | None = None) -> dict[str, float]:
    """The course's point, or the variant's, with what --at changed (the options have checked names and values)."""
    start = dict(DEFAULT_POINT) if variant is None else variant_point(variant)
    return {**start, **dict(at)}


def variant_point(variant: int) -> dict[str, float]:
    """Variant `variant`'s (x, y): one decimal each, ±0.5 … ±2.5, never the course's (1, 2).

    p is finite and smooth everywhere, and at |x|, |y| ≤ 2.5 every intermediate stays below 100.
    """
    stream = Normals(variant_seed("graph", variant))
    while True:  # a redraw is needed about once in 1 700 variants
        x, y = one_decimal(stream, 2)
        if (x, y) != (1.0, 2.0):
            return {"x": x, "y": y}


def build(s: GraphOptions) -> Walkthrough:
    at = point(s.at, s.variant)
    g = Graph()
    x = g.input("x", at["x"])
    y = g.input("y", at["y"])
    z1 = g.apply(Z1, y, name="z1")
    z2 = g.apply(Z2, x, y, name="z2")
    z3 = g.apply(Z3, x, name="z3")
    z4 = g.apply(Z4, z1, z2, z3, name="z4")
    trace = passes.run(g, z4)
    forward = {
        "z1": "z₁ = exp(−y) needs only y.",
        "z2": "z₂ = 1 + x² + y² is the denominator; it is the one intermediate that uses both inputs.",
        "z3": "z₃ = x³ needs only x.",
        "z4": "z₄ puts the pieces together and equals p(x, y). Every intermediate is stored for the way back.",
    }
    backward = {
        "z4": "The backward pass starts at the output: ∂z₄/∂z₄ = 1.",
        "z3": "z₃ enters z₄ as 2z₃, so its slope is 2.",
        "z2": "z₂ is the denominator of 6z₁/z₂; dividing by a larger z₂ shrinks the result, hence −6z₁/z₂².",
        "z1": "z₁ appears once, in the numerator 6z₁/z₂, so its slope is 6/z₂.",
        "y": "y reaches z₄ along two paths, through z₁ and through z₂. "
        "The chain rule adds the two paths' products.",
        "x": "x also has two paths, through z₂ and through z₃: 2·3x² + (−6z₁/z₂²)·2x. "
        "Reusing ∂z₄/∂z₂ from earlier is what makes backpropagation cheap.",
    }
    start = (
        "p is split into four intermediates z₁…z₄, each a small formula of earlier values. "
        "Press n to compute them one at a time."
    )
    overflowed = [
        r.label for r in trace.nodes.values() if not (np.all(np.isfinite(r.value)) and np.all(np.isfinite(r.grad)))
    ]
    notices = (
        (f"At this point {', '.join(overflowed)} overflow float64: their values or gradients show as ±∞ or nan.",)
        if overflowed
        else ()
    )
    shown_at = first_not_finite(trace)  # said from the first step that shows such a number, not before
    return Walkthrough(
        lesson="graph",
        notices=notices,
        notice_from=(shown_at,) if notices and shown_at is not None else (),
        section="§4",
        title=f"Computational graph p(x, y) at x = {at['x']:g}, y = {at['y']:g}",
        settings={"at": at} if s.variant is None else {"at": at, "variant": s.variant},
        trace=trace,
        why=why_by_step(trace, start, forward, backward),
        formula="p(x, y) = 6·exp(−y)/(1 + x² + y²) + 2x³",
    )
