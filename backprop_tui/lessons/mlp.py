"""Lesson mlp: the course's 1-hidden-layer network (§3.1), and zero init (§3.2)."""

from __future__ import annotations

from functools import partial

import numpy as np

from ..engine import BACKWARD, FORWARD, Graph, Node, Trace, ops, passes
from ..engine.notation import layer_label, number
from .base import UnitRoute, UnitRoutes, Walkthrough, why_by_step
from .draws import Normals
from .options import MlpOptions

DEFAULT_X = (1.0, 2.0)


def default_x(d: int) -> np.ndarray:
    """The fixed default input: (1, 2), repeated to length d."""
    return np.resize(np.array(DEFAULT_X), d)


def initial_parameters(s: MlpOptions) -> dict[str, np.ndarray]:
    """W0 (h×d), b0 (h), W1 (1×h), b1 (scalar) under the chosen initialization."""
    shapes = {"W0": (s.h, s.d), "b0": (s.h,), "W1": (1, s.h), "b1": ()}
    if s.init == "zero":
        return {k: np.zeros(shape) for k, shape in shapes.items()}
    if s.init == "constant":
        return {k: np.full(shape, float(s.const)) for k, shape in shapes.items()}
    rng = Normals(s.seed)
    fan_in = {"W0": s.d, "b0": s.d, "W1": s.h, "b1": s.h}
    # Normal with variance 1/fan-in keeps v and y of order 1 for any d and h.
    return {k: rng.normal(0.0, 1.0 / np.sqrt(fan_in[k]), size=shape) for k, shape in shapes.items()}


def identical_hidden_units(params: dict[str, np.ndarray]) -> bool:
    """True when every hidden unit has the same incoming row, bias and outgoing weight."""
    W0, b0, W1 = params["W0"], params["b0"], params["W1"]
    return W0.shape[0] > 1 and bool(
        np.all(W0 == W0[0]) and np.all(b0 == b0[0]) and np.all(W1 == W1[0, 0])
    )


def build_graph(x: np.ndarray, params: dict[str, np.ndarray]) -> tuple[Graph, Node]:
    """v = W⁽⁰⁾x + b⁽⁰⁾, z = σ(v), y = W⁽¹⁾z + b⁽¹⁾, nodes created in the course's order."""
    g = Graph()
    xn = g.input("x", x)
    W0 = g.parameter("W0", params["W0"], label=layer_label("W0"))
    b0 = g.parameter("b0", params["b0"], label=layer_label("b0"))
    v = g.apply(ops.affine, W0, xn, b0, name="v")
    z = g.apply(ops.sigmoid, v, name="z")
    W1 = g.parameter("W1", params["W1"], label=layer_label("W1"))
    b1 = g.parameter("b1", params["b1"], label=layer_label("b1"))
    y = g.apply(ops.affine, W1, z, b1, name="y")
    return g, y


def _why(trace: Trace, h: int, d: int) -> tuple[str, ...]:
    forward = {
        "v": f"Each hidden unit adds up the inputs with its own weights (one row of W⁽⁰⁾) and its bias: "
        f"a {h}×{d} matrix times a {d}-vector gives {h} pre-activations.",
        "z": "The sigmoid squashes every pre-activation into (0, 1), each unit on its own: "
        "zᵢ depends on vᵢ and nothing else.",
        "y": "The output is a single number: the hidden values weighted by W⁽¹⁾, plus b⁽¹⁾. "
        "The forward pass is complete; every value the backward pass needs is now known.",
    }
    backward = {
        "y": "The backward pass starts at the output. y changes one-for-one with itself, so ∂y/∂y = 1.",
        "b1": "b⁽¹⁾ is added straight onto y, so nudging it moves y by the same amount: the gradient is 1.",
        "W1": "Raising W⁽¹⁾ᵢ by a little raises y by zᵢ times that much, so ∂y/∂W⁽¹⁾ is zᵀ — "
        "the hidden values themselves.",
        "z": "Each hidden value reaches y through its own outgoing weight, so ∂y/∂z is the row W⁽¹⁾.",
        "v": "local[∂z/∂v] is diagonal because σ works unit by unit: zᵢ moves only with vᵢ, "
        "at slope σ′(vᵢ) = zᵢ(1−zᵢ). "
        "A row vector times a diagonal matrix just scales each entry: ∂y/∂v = W⁽¹⁾ ∘ z ∘ (1−z).",
        "b0": "b⁽⁰⁾ enters v through the identity, so its gradient is exactly ∂y/∂v: W⁽¹⁾ ∘ z ∘ (1−z).",
        "W0": f"Flattened, local[∂v/∂vec(W⁽⁰⁾)] is {h}×{h * d} and block-diagonal: "
        "vᵢ sees only row i of W⁽⁰⁾, through xᵀ. "
        f"Folded back into W⁽⁰⁾'s own {h}×{d} shape, the gradient is the outer product [W⁽¹⁾ ∘ z ∘ (1−z)]ᵀ xᵀ.",
        "x": "The same chain reaches the input: ∂y/∂x = ∂y/∂v · W⁽⁰⁾. Training does not use it, "
        "but it says how strongly each input sways the output.",
    }
    start = (
        "The input and the parameters are set; nothing has been computed yet. "
        "Press n to run the forward pass one node at a time."
    )
    return why_by_step(trace, start, forward, backward)


LAYOUT = {
    "W1": "Layout: the notes write ∂y/∂W⁽¹⁾ = z, a column; this app keeps numerator layout (§1a), where a "
    "gradient is a row shaped like W⁽¹⁾ (1×{h}), so it writes zᵀ. Same numbers, transposed: neither is wrong.",
    "W0": "Layout: the notes write [W⁽¹⁾ ∘ z ∘ (1−z)] xᵀ, reading the bracket as a column; in this app's "
    "numerator layout (§1a) that bracket, ∂y/∂v, is a row, so the same {h}×{d} matrix is written "
    "[W⁽¹⁾ ∘ z ∘ (1−z)]ᵀ xᵀ. Same numbers: neither is wrong.",
}


def unit_route(trace: Trace, unit: int) -> UnitRoute:
    """§3.1(d)'s hint for hidden unit `unit` (0-based), from the values the forward pass stored."""
    nodes = trace.nodes
    x, z, W1 = nodes["x"].value, nodes["z"].value, nodes["W1"].value
    zi, weight = float(z[unit]), float(W1[0, unit])
    slope = zi * (1.0 - zi)  # σ′(vᵢ), written with the stored zᵢ as the notes do
    local = slope * x
    grad = weight * local
    row = nodes["W0"].grad[unit]
    matches = bool(np.allclose(grad, row, rtol=1e-12, atol=0.0))  # the same products, maybe grouped otherwise
    return UnitRoute(unit, int(z.size), zi, slope, weight, x, local, grad, weight * slope, matches)


def _notices(trace: Trace, h: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Identical hidden units, said when the student can see it: equal zᵢ once z is computed, equal
    gradients once the last of a unit's parameters (W⁽⁰⁾) has its gradient."""
    z = number(float(trace.nodes["z"].value[0]))
    at_z = trace.step_index(FORWARD, "z")
    at_w0 = trace.step_index(BACKWARD, "W0")
    assert at_z is not None and at_w0 is not None
    return (
        f"All {h} hidden units are identical (same incoming weights, bias and outgoing weight), so every "
        f"zᵢ = {z}: the hidden layer computes one value {h} times (§3.2).",
        "The identical hidden units also get identical gradients (the rows of ∂y/∂W⁽⁰⁾ are equal), so "
        "gradient descent moves them alike and can never tell them apart (§3.2).",
    ), (at_z + 1, at_w0 + 1)


def build(s: MlpOptions) -> Walkthrough:
    x = np.array(s.x, dtype=float) if s.x is not None else default_x(s.d)
    params = initial_parameters(s)
    graph, y = build_graph(x, params)
    trace = passes.run(graph, y)
    notices: tuple[str, ...] = ()
    notice_from: tuple[int, ...] = ()
    if identical_hidden_units(params):
        notices, notice_from = _notices(trace, s.h)
    asides = [""] * (len(trace) + 1)
    for name, text in LAYOUT.items():
        index = trace.step_index(BACKWARD, name)
        assert index is not None
        asides[index + 1] = text.format(h=s.h, d=s.d)
    at_w0 = trace.step_index(BACKWARD, "W0")
    assert at_w0 is not None
    settings = {
        "d": s.d,
        "h": s.h,
        "init": s.init,
        "const": float(s.const) if s.init == "constant" else None,
        "seed": s.seed if s.init == "random" else None,
        "x": x.tolist(),
    }
    return Walkthrough(
        lesson="mlp",
        title=f"1-hidden-layer network (d = {s.d}, h = {s.h}, {s.init} init)",
        settings=settings,
        trace=trace,
        why=_why(trace, s.h, s.d),
        notices=notices,
        notice_from=notice_from,
        neurons=("x", "z", "y"),
        formula="z = σ(W⁽⁰⁾x + b⁽⁰⁾),  y = W⁽¹⁾z + b⁽¹⁾",
        section="§3.1" if s.init == "random" else "§3.1, §3.2",
        asides=tuple(asides),
        units=UnitRoutes(at_w0 + 1, s.h, partial(unit_route, trace)),
    )
