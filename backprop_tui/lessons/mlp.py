"""Lesson mlp: the course's 1-hidden-layer network (§3.1), and zero init (§3.2)."""

from __future__ import annotations

import os
from functools import partial

import numpy as np

from ..engine import BACKWARD, FORWARD, Graph, Node, Trace, ops, passes
from ..engine.notation import layer_label, number
from .base import UnitRoute, UnitRoutes, Walkthrough, why_by_step
from .draws import Normals
from .options import MlpOptions, variant_seed

DEFAULT_X = (1.0, 2.0)
VARIANT_X = 3  # a variant's inputs are whole numbers ±1 … ±3
DISTINCT_UP_TO = 64  # a variant redraws weights that make two of at most this many hidden units identical
REDRAWS = 20


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


def _signed(stream: Normals, top: int, shape: tuple[int, ...]) -> np.ndarray:
    """Whole numbers ±1 … ±top, each equally likely."""
    k = stream.integers(1, 2 * top, shape)
    return np.where(k > top, k - top, k - top - 1)


def nice_numbers(stream: Normals, scale: float, shape: tuple[int, ...]) -> np.ndarray:
    """Numbers spread like a random start's (about ±scale), none 0, with as few decimals as leave ±4 choices.

    Uniform on ±{1 … t}/10ᵏ with t ≈ 1.7·scale·10ᵏ has variance ≈ scale²; one
    decimal for the course's sizes (W⁽⁰⁾ of a 2-input network: ±0.1 … ±1.2).
    """
    decimals = 1
    while int(1.7 * scale * 10**decimals + 0.5) < 4:
        decimals += 1
    top = int(1.7 * scale * 10**decimals + 0.5)
    return _signed(stream, top, shape) / 10**decimals  # an exact quotient: the float nearest the decimal


def distinct_units(params: dict[str, np.ndarray]) -> bool:
    """True when no two hidden units have the same incoming row, bias and outgoing weight."""
    units = np.column_stack([params["W0"], params["b0"], params["W1"][0]])
    return len(np.unique(units, axis=0)) == len(units)


def variant_numbers(s: MlpOptions) -> tuple[np.ndarray, dict[str, np.ndarray] | None]:
    """Variant s.variant's input x and, for a random start, its weights and biases (None otherwise).

    x is drawn first, so every start of one variant has the same x.
    """
    assert s.variant is not None
    stream = Normals(variant_seed("mlp", s.variant))
    x = _signed(stream, VARIANT_X, (s.d,)).astype(float)
    if s.init != "random":
        return x, None
    shapes = {"W0": (s.h, s.d), "b0": (s.h,), "W1": (1, s.h), "b1": ()}
    fan_in = {"W0": s.d, "b0": s.d, "W1": s.h, "b1": s.h}
    for _ in range(REDRAWS):
        params = {k: nice_numbers(stream, 1.0 / np.sqrt(fan_in[k]), shape) for k, shape in shapes.items()}
        if s.h > DISTINCT_UP_TO or distinct_units(params):
            break
    return x, params


def start(s: MlpOptions) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The input and the parameters: from --params, a variant, a seed, or the init alone; an explicit x wins."""
    if s.params is not None:
        x = np.array(s.params.x)
        given = {
            "W0": np.array(s.params.W0), "b0": np.array(s.params.b0),
            "W1": np.array(s.params.W1).reshape(1, -1), "b1": np.array(s.params.b1),
        }
        return x, given if s.init == "random" else initial_parameters(s)
    drawn_x: np.ndarray | None = None
    drawn: dict[str, np.ndarray] | None = None
    if s.variant is not None:
        drawn_x, drawn = variant_numbers(s)
    x = np.array(s.x, dtype=float) if s.x is not None else drawn_x if drawn_x is not None else default_x(s.d)
    return x, drawn if drawn is not None else initial_parameters(s)


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
    x, params = start(s)
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
    given = s.init == "random" and (s.params is not None or s.variant is not None)  # weights no seed makes
    settings: dict = {
        "d": s.d,
        "h": s.h,
        "init": s.init,
        "const": float(s.const) if s.init == "constant" else None,
        "seed": s.seed if s.init == "random" and not given else None,
        "x": x.tolist(),
    }
    if s.variant is not None:
        settings["variant"] = s.variant
    if given:  # every number, as a --params file holds them
        settings["params"] = {
            "W0": params["W0"].tolist(), "b0": params["b0"].tolist(), "W1": params["W1"].tolist(),
            "b1": float(params["b1"]), "x": x.tolist(),
        }
    start_text = f"{s.init} init"
    if s.params is not None:
        source = os.path.basename(s.params.source) or s.params.source
        start_text = f"weights from {source}" if s.init == "random" else f"{s.init} init, x from {source}"
    elif s.variant is not None:
        start_text += f", variant {s.variant}"
    return Walkthrough(
        lesson="mlp",
        title=f"1-hidden-layer network (d = {s.d}, h = {s.h}, {start_text})",
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
