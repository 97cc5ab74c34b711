"""Lesson chain: the Jacobian of f∘g is the product of two Jacobians, shapes and all (§1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Graph, Node, forward_mode, ops, passes
from .draws import Normals
from .options import ChainOptions

SECTION = "§1"  # the course section this lesson teaches
FD_EPSILON = 1e-6
STEP = 0.1  # η of the gradient step in part (b)
ROUNDING = float(np.finfo(float).eps)  # a float64 result is off by up to this, relative
G_TEXT = "g(x) = σ(Ax + a)"
F_TEXT = "f(y) = B(y∘y) + c"
DG_TEXT = "∂g/∂x = diag(σ′(Ax + a)) · A"
DF_TEXT = "∂f/∂y = B · diag(2y)"
DG_VEC_TEXT = "∂g/∂vec(W) = diag(σ′(Wx + a)) · (Iₙ ⊗ xᵀ)"  # row i: σ′(uᵢ)·xᵀ in column block i


def sizes(s: ChainOptions) -> tuple[int, int, int]:
    """(ℓ, n, m)."""
    return s.l, s.n, s.m


@dataclass(frozen=True)
class Functions:
    """The concrete g: ℝ^ℓ → ℝⁿ and f: ℝⁿ → ℝᵐ, their parameters and the point x."""

    x: np.ndarray
    A: np.ndarray  # n×ℓ
    a: np.ndarray  # n
    B: np.ndarray  # m×n
    c: np.ndarray  # m


def draw(l: int, n: int, m: int, seed: int) -> Functions:  # noqa: E741
    rng = Normals(seed)
    return Functions(
        x=rng.normal(size=l),
        A=rng.normal(0, 1 / np.sqrt(l), (n, l)),
        a=rng.normal(0, 0.5, n),
        B=rng.normal(0, 1 / np.sqrt(n), (m, n)),
        c=rng.normal(0, 0.5, m),
    )


def g_graph(fn: Functions, x, A=None) -> tuple[Graph, Node]:
    """g(x) = σ(Ax + a); A may be replaced, for part (b)."""
    gr = Graph()
    xn, An, an = gr.input("x", x), gr.parameter("A", fn.A if A is None else A), gr.parameter("a", fn.a)
    return gr, gr.apply(ops.sigmoid, gr.apply(ops.affine, An, xn, an, name="u"), name="y")


def f_graph(fn: Functions, y) -> tuple[Graph, Node]:
    """f(y) = B(y∘y) + c."""
    gr = Graph()
    yn, Bn, cn = gr.input("y", y), gr.parameter("B", fn.B), gr.parameter("c", fn.c)
    return gr, gr.apply(ops.affine, Bn, gr.apply(ops.mul, yn, yn, name="s"), cn, name="f")


def composite_graph(fn: Functions, x, A=None) -> tuple[Graph, Node]:
    """f(g(x)) as one graph: x → u → y → s → f."""
    gr = Graph()
    xn, An, an = gr.input("x", x), gr.parameter("A", fn.A if A is None else A), gr.parameter("a", fn.a)
    y = gr.apply(ops.sigmoid, gr.apply(ops.affine, An, xn, an, name="u"), name="y")
    Bn, cn = gr.parameter("B", fn.B), gr.parameter("c", fn.c)
    return gr, gr.apply(ops.affine, Bn, gr.apply(ops.mul, y, y, name="s"), cn, name="f")


def value(graph: Graph, output: Node) -> np.ndarray:
    return passes.forward(graph.order(output))[output.id]


def fd_jacobian(fn: Functions, x: np.ndarray, eps: float = FD_EPSILON) -> np.ndarray:
    """Central differences of f∘g, one column per input coordinate, without any Jacobian rule."""
    columns = []
    for k in range(x.size):
        up, down = x.copy(), x.copy()
        up[k] += eps
        down[k] -= eps
        columns.append((value(*composite_graph(fn, up)) - value(*composite_graph(fn, down))) / (2 * eps))
    return np.stack(columns, axis=1)


@dataclass(frozen=True)
class WrongOrder:
    """What happens when the two Jacobians are multiplied the other way round."""

    fits: bool
    error: str  # numpy's own message when the shapes do not fit
    explanation: str
    shape: tuple[int, ...] | None  # the meaningless result's shape when they happen to fit


def wrong_order(J_g: np.ndarray, J_f: np.ndarray) -> WrongOrder:
    """Try ∂g/∂x · ∂f/∂y for real and explain the outcome."""
    (n, l), (m, _) = J_g.shape, J_f.shape  # noqa: E741
    try:
        result = J_g @ J_f
    except ValueError as error:
        return WrongOrder(
            False,
            str(error),
            f"({n}×{l})·({m}×{n}): the inner sizes ℓ = {l} and m = {m} differ, so there is no product. "
            f"The chain rule puts f's Jacobian first, (m×n)·(n×ℓ): there the inner sizes are both n, "
            "because g's outputs are exactly f's inputs.",
            None,
        )
    return WrongOrder(
        True,
        "",
        f"({n}×{l})·({m}×{n}) happens to fit because ℓ = m = {l}, and gives a {result.shape[0]}×{result.shape[1]} "
        "matrix, but it means nothing: it pairs each input of g with an output of f. "
        "Only (m×n)·(n×ℓ) lines up g's outputs with f's inputs.",
        result.shape,
    )


@dataclass(frozen=True)
class ChainResult:
    """Part (a): both Jacobians, their product and its check; part (b): g of a matrix W."""

    l: int  # noqa: E741
    n: int
    m: int
    fn: Functions
    y: np.ndarray  # g(x)
    out: np.ndarray  # f(g(x))
    J_g: np.ndarray  # n×ℓ, at x
    J_f: np.ndarray  # m×n, at g(x)
    J_fg: np.ndarray  # m×ℓ, their product
    J_fd: np.ndarray  # m×ℓ, by finite differences of f∘g
    fd_error: float
    fd_rounding: float  # about how far rounding alone moves those differences: no digit below it means anything
    wrong: WrongOrder
    dg_dvecW: np.ndarray  # n×pq
    dg_dW: np.ndarray  # n×p×q, each slice from its closed form
    unflattens_to_slices: bool  # row i of ∂g/∂vec(W), reshaped to p×q, is slice i (up to rounding)
    loss: float  # L(W) = Σᵢ fᵢ(g(W))
    dL_dvecW: np.ndarray  # 1×pq = 1ᵀ · ∂f/∂y · ∂g/∂vec(W)
    dL_dW: np.ndarray  # p×q, un-flattened
    backprop_dL_dW: np.ndarray  # p×q, straight from the engine's backward pass
    backprop_difference: float  # largest |∂L/∂W − backprop's|, relative to ∂L/∂W's largest entry
    W_next: np.ndarray  # W − η ∂L/∂W, in W's shape
    loss_next: float

    @property
    def p(self) -> int:
        return self.n

    @property
    def q(self) -> int:
        return self.l


def compute(s: ChainOptions) -> ChainResult:
    l, n, m = sizes(s)  # noqa: E741
    fn = draw(l, n, m, s.seed)
    gg, gy = g_graph(fn, fn.x)
    y = value(gg, gy)
    fg, fout = f_graph(fn, y)
    J_g = forward_mode.jacobian(gg, gy, "x")
    J_f = forward_mode.jacobian(fg, fout, "y")
    J_fg = J_f @ J_g
    J_fd = fd_jacobian(fn, fn.x)
    # Part (b): the same g, now a function of its weight matrix W = A ∈ ℝ^{p×q}, p = n, q = ℓ.
    dg_dvecW = forward_mode.jacobian(gg, gy, "A")
    # Slice i of ∂g/∂W from its closed form: only row i is non-zero, σ′(uᵢ)·xᵀ there.
    dg_dW = np.zeros((n, n, l))
    dg_dW[np.arange(n), np.arange(n)] = (y * (1 - y))[:, None] * fn.x[None, :]
    dL_dvecW = np.ones((1, m)) @ J_f @ dg_dvecW
    dL_dW = dL_dvecW.reshape(fn.A.shape)
    whole, out = composite_graph(fn, fn.x)
    backprop = passes.gradients(whole, out)["A"]  # the gradient of Σᵢ fᵢ: the backward pass starts from ones
    W_next = fn.A - STEP * dL_dW
    fg_value = value(fg, fout)
    # f(g(x)) is off by about ROUNDING times the size of its terms (of order 1 here, or of order f);
    # a central difference divides the difference of two such values by 2ε
    fd_rounding = ROUNDING * max(float(np.max(np.abs(fg_value))), 1.0) / FD_EPSILON
    scale = float(np.max(np.abs(dL_dW)))
    difference = float(np.max(np.abs(dL_dW - backprop)))
    return ChainResult(
        l=l, n=n, m=m, fn=fn, y=y, out=fg_value,
        J_g=J_g, J_f=J_f, J_fg=J_fg, J_fd=J_fd, fd_error=float(np.max(np.abs(J_fg - J_fd))), fd_rounding=fd_rounding,
        wrong=wrong_order(J_g, J_f),
        dg_dvecW=dg_dvecW, dg_dW=dg_dW,
        unflattens_to_slices=bool(np.allclose(dg_dvecW.reshape(n, n, l), dg_dW, rtol=1e-12, atol=1e-300)),
        loss=float(np.sum(value(whole, out))),
        dL_dvecW=dL_dvecW, dL_dW=dL_dW, backprop_dL_dW=backprop,
        backprop_difference=difference / scale if scale > 0 else difference,
        W_next=W_next, loss_next=float(np.sum(value(*composite_graph(fn, fn.x, W_next)))),
    )


def _jacobian(array: np.ndarray) -> dict:
    return {"shape": list(array.shape), "value": array.tolist()}


def settings(s: ChainOptions, fn: Functions) -> dict:
    """All the lesson is computed from: the sizes, the seed (and the variant it came from) and what it drew."""
    drawn = {"x": fn.x.tolist(), "A": fn.A.tolist(), "a": fn.a.tolist(), "B": fn.B.tolist(), "c": fn.c.tolist()}
    return {"l": s.l, "n": s.n, "m": s.m, "seed": s.seed, **({"variant": s.variant} if s.is_variant else {}), **drawn}


def export(s: ChainOptions) -> dict:
    r = compute(s)
    return {
        "lesson": "chain",
        "settings": settings(s, r.fn),
        "jacobians": {"f": _jacobian(r.J_f), "g": _jacobian(r.J_g), "fg": _jacobian(r.J_fg)},
        "finite_difference_max_error": r.fd_error,
    }
