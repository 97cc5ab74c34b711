"""Primitives: each keeps its forward, local Jacobian, VJP, JVP and derivative text side by side.

Layout is numerator layout throughout: the local Jacobian of an op with output
size m and input size n is an m×n matrix over the flattened (row-major, vec)
input and output. VJPs take the upstream gradient in the output's shape and
return it in the input's shape; JVPs take a tangent in the input's shape and
return it in the output's shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .notation import subscript

Arrays = Sequence[np.ndarray]


@dataclass(frozen=True)
class Op:
    """A primitive operation with everything needed to differentiate and explain it."""

    name: str
    arity: int
    forward: Callable[..., np.ndarray]
    # (i, inputs, out) -> explicit local Jacobian ∂out/∂vec(input_i), out.size × input_i.size
    jacobian: Callable[[int, Arrays, np.ndarray], np.ndarray]
    # (i, g, inputs, out) -> g · ∂out/∂input_i, in input_i's shape
    vjp: Callable[[int, np.ndarray, Arrays, np.ndarray], np.ndarray]
    # (i, t, inputs, out) -> ∂out/∂input_i · t, in out's shape
    jvp: Callable[[int, np.ndarray, Arrays, np.ndarray], np.ndarray]
    # "{out} = σ({0})": {out} and {0}, {1}, … are replaced by node labels
    formula: str
    # per input: the local derivative ∂out/∂input_i as text with the same
    # placeholders, or a function (out, inputs, input_shapes) -> text
    derivatives: tuple[str | Callable[..., str], ...]
    # True when the Jacobian is diagonal (the op acts entry by entry)
    elementwise: bool = False
    # the forward shapes as text, "({0})·({1}) + ({2}) → {out}", filled with matrix shapes;
    # None lists the input shapes, then the output's
    shapes: str | None = None

    def formula_text(self, out: str, inputs: Sequence[str]) -> str:
        return self.formula.format(*inputs, out=out)

    def derivative_text(self, i: int, out: str, inputs: Sequence[str], input_shapes: Sequence[tuple]) -> str:
        text = self.derivatives[i]
        return text(out, inputs, input_shapes) if callable(text) else text.format(*inputs, out=out)

    def jacobian_size(self, i: int, inputs: Arrays, out: np.ndarray) -> int:
        """Entries of the explicit local Jacobian, so callers can decline to build huge ones."""
        return int(out.size) * int(np.asarray(inputs[i]).size)


# --- elementwise ops: the output has the inputs' shape and each entry depends on the same entry ---

def elementwise(
    name: str,
    formula: str,
    fn: Callable[..., np.ndarray],
    partials: Callable[[Arrays, np.ndarray], tuple[np.ndarray, ...]],
    derivatives: tuple[str, ...],
) -> Op:
    """An op acting entry by entry, given its forward and its entrywise partial derivatives."""
    arity = len(derivatives)

    def forward(*inputs):
        # No broadcasting: the VJPs and Jacobians below assume every input has the output's shape.
        if arity > 1 and len({np.shape(a) for a in inputs}) > 1:
            shapes = " and ".join(str(np.shape(a)) for a in inputs)
            raise ValueError(f"{name} acts entry by entry and needs inputs of one shape, got {shapes}")
        return fn(*inputs)

    def jacobian(i, inputs, out):
        d = np.broadcast_to(partials(inputs, out)[i], np.shape(out))
        return np.diag(np.ravel(d)) if np.ndim(out) else np.reshape(d, (1, 1))

    def vjp(i, g, inputs, out):
        return g * partials(inputs, out)[i]

    def jvp(i, t, inputs, out):
        return partials(inputs, out)[i] * t

    return Op(name, arity, forward, jacobian, vjp, jvp, formula, derivatives, elementwise=True)


def stable_sigmoid(v: np.ndarray) -> np.ndarray:
    """σ(v) = 1/(1+e^−v) without overflow: only e^−|v| is ever computed."""
    e = np.exp(-np.abs(v))
    return np.where(v >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


sigmoid = elementwise(
    "sigmoid",
    "{out} = σ({0})",
    stable_sigmoid,
    lambda ins, out: (out * (1.0 - out),),
    ("diag(σ′({0})) = diag({out}∘(1−{out}))",),
)

exp = elementwise(
    "exp", "{out} = exp({0})", np.exp, lambda ins, out: (out,), ("exp({0}) = {out}",)
)

add = elementwise(
    "add",
    "{out} = {0} + {1}",
    np.add,
    lambda ins, out: (np.ones_like(out), np.ones_like(out)),
    ("1", "1"),
)

mul = elementwise(
    "mul",
    "{out} = {0}·{1}",
    np.multiply,
    lambda ins, out: (np.broadcast_to(ins[1], np.shape(out)), np.broadcast_to(ins[0], np.shape(out))),
    ("{1}", "{0}"),
)


# --- affine: out = W·x + b, the one op that mixes entries ---

def _affine_forward(W, x, b):
    return (W @ x).reshape(np.shape(b)) + b


def _affine_jacobian(i, inputs, out):
    W, x, b = inputs
    m = W.shape[0]
    if i == 0:  # ∂out/∂vec(W): row r holds xᵀ in the columns of W's row r
        return np.kron(np.eye(m), x.reshape(1, -1))
    if i == 1:
        return np.array(W, dtype=float)
    return np.eye(m)


def _affine_vjp(i, g, inputs, out):
    W, x, b = inputs
    g = np.reshape(g, (W.shape[0],))
    if i == 0:
        return np.outer(g, x)
    if i == 1:
        return g @ W
    return g.reshape(np.shape(b))


def _affine_jvp(i, t, inputs, out):
    W, x, b = inputs
    if i == 0:
        return (t @ x).reshape(np.shape(out))
    if i == 1:
        return (W @ t).reshape(np.shape(out))
    return np.reshape(t, np.shape(out))


affine = Op(
    "affine",
    3,
    _affine_forward,
    _affine_jacobian,
    _affine_vjp,
    _affine_jvp,
    "{out} = {0}{1} + {2}",
    (
        lambda out, ins, shapes: f"I{subscript(str(shapes[0][0]))} ⊗ {ins[1]}ᵀ" if shapes[0][0] > 1 else f"{ins[1]}ᵀ",
        "{0}",
        lambda out, ins, shapes: f"I{subscript(str(shapes[0][0]))}" if shapes[0][0] > 1 else "1",
    ),
    shapes="({0})·({1}) + ({2}) → {out}",
)


def custom_scalar(name: str, formula: str, fn: Callable[..., float], partials: Sequence[Callable], derivatives: Sequence[str]) -> Op:
    """A scalar op from its formula and one partial-derivative function per input.

    Each partial takes (inputs, out) as plain floats. Lessons use this for nodes
    that bundle several operations, like z₄ = 6z₁/z₂ + 2z₃ in the course's graph.
    """
    def forward(*inputs):
        return np.asarray(fn(*(float(v) for v in inputs)), dtype=float)

    def all_partials(inputs, out):
        args = [float(v) for v in inputs]
        return tuple(np.asarray(p(args, float(out)), dtype=float) for p in partials)

    return elementwise(name, formula, forward, all_partials, tuple(derivatives))


# --- scalar functions for typed expressions (lesson expr) ---


# --- batched ops for training on a data set (lesson symmetry) ---
