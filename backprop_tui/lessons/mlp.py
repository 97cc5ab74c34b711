"""Lesson mlp: the course's 1-hidden-layer network (§3.1), and zero init (§3.2)."""

from __future__ import annotations

import numpy as np

from ..engine import Graph, Node, Trace, ops, passes
from ..engine.notation import layer_label, number
from .base import Walkthrough, why_by_step
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
        "v": "∂z/∂v is diagonal because σ works unit by unit: zᵢ moves only with vᵢ, at slope σ′(vᵢ) = zᵢ(1−zᵢ). "
        "A row vector times a diagonal matrix just scales each entry: ∂y/∂v = W⁽¹⁾ ∘ z ∘ (1−z).",
        "b0": "b⁽⁰⁾ enters v through the identity, so its gradient is exactly ∂y/∂v: W⁽¹⁾ ∘ z ∘ (1−z).",
        "W0": f"Flattened, ∂v/∂vec(W⁽⁰⁾) is {h}×{h * d} and block-diagonal: vᵢ sees only row i of W⁽⁰⁾, through xᵀ. "
        f"Folded back into W⁽⁰⁾'s own {h}×{d} shape, the gradient is the outer product [W⁽¹⁾ ∘ z ∘ (1−z)]ᵀ xᵀ.",
        "x": "The same chain reaches the input: ∂y/∂x = ∂y/∂v · W⁽⁰⁾. Training does not use it, "
        "but it says how strongly each input sways the output.",
    }
    start = (
        "The input and the parameters are set; nothing has been computed yet. "
        "Press n to run the forward pass one node at a time."
    )
    return why_by_step(trace, start, forward, backward)


def build(s: MlpOptions) -> Walkthrough:
    x = np.array(s.x, dtype=float) if s.x is not None else default_x(s.d)
    params = initial_parameters(s)
    graph, y = build_graph(x, params)
    trace = passes.run(graph, y)
    identical = identical_hidden_units(params)
    notices: tuple[str, ...] = ()
    if identical:
        notices = (
            f"All {s.h} hidden units are identical (same incoming weights, bias and outgoing weight): "
            f"every zᵢ = {number(float(trace.nodes['z'].value[0]))} and every unit gets the same gradient, "
            "so gradient descent can never tell them apart (§3.2).",
        )
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
        neurons=("x", "z", "y"),
        formula="z = σ(W⁽⁰⁾x + b⁽⁰⁾),  y = W⁽¹⁾z + b⁽¹⁾",
    )
