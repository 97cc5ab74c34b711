"""Primitives: each keeps its forward, local Jacobian, VJP, JVP and derivative text side by side.

Layout is numerator layout throughout: the local Jacobian of an op with output
size m and input size n is an m×n matrix over the flattened (row-major, vec)
input and output. Every rule comes once per input, in a tuple, and takes the
op's result `ans` and then its inputs, as autodidact's defvjp does:

    jacobian[i](ans, *inputs)  -> ∂vec(ans)/∂vec(input_i), ans.size × input_i.size
    vjp[i](g, ans, *inputs)    -> g · ∂ans/∂input_i, g in ans's shape, the result in input_i's
    jvp[i](t, ans, *inputs)    -> ∂ans/∂input_i · t, t in input_i's shape, the result in ans's
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import Array
from .notation import subscript

Rule = Callable[..., Any]  # one of the rules above: its inputs are the op's arity, so only ... fits
# the local derivative ∂out/∂input_i as text with {out}, {0}, {1}, … for labels, or
# a function (out, input labels, input shapes) -> text
DerivativeText = str | Callable[[str, Sequence[str], Sequence[tuple[int, ...]]], str]
# multiply-adds of one call: (kind, i, ans, *inputs) with kind "forward" (i unused), "vjp" or "jvp"
CostRule = Callable[..., int]
# the forward shapes as text from (input labels, input shapes as "4×2", output shape)
ShapesRule = Callable[[Sequence[str], Sequence[str], str], str]
# how the inputs are shown side by side: (input labels, input values) -> (title, 2-D array) per input
DisplayRule = Callable[[Sequence[str], Sequence[Array]], tuple[tuple[str, Array], ...]]
# the block structure of input i's local Jacobian, (i, ans, *inputs) -> (rows, cols) of a block, or None:
# ∂v/∂vec(W) = I ⊗ xᵀ is made of 1×len(x) blocks; a diagonal Jacobian of 1×1 ones
BlocksRule = Callable[..., tuple[int, int] | None]

ORDINALS = ("1st", "2nd", "3rd")


def jacobian_cost(kind: str, i: int, ans: Array, *inputs: Array) -> int:
    """One multiply-add per output entry forward; a VJP or JVP pays for its explicit local Jacobian."""
    size = int(np.size(ans))
    return size if kind == "forward" else size * int(np.size(inputs[i]))


def entrywise_cost(kind: str, i: int, ans: Array, *inputs: Array) -> int:
    """One multiply-add per output entry: a diagonal Jacobian applied, or the entries computed."""
    return int(np.size(ans))


@dataclass(frozen=True, eq=False)
class Op:
    """A primitive operation with everything needed to differentiate and explain it, one rule per input."""

    name: str
    forward: Callable[..., Any]
    jacobian: tuple[Rule, ...]
    vjp: tuple[Rule, ...]
    jvp: tuple[Rule, ...]
    formula: str  # "{out} = σ({0})": {out} and {0}, {1}, … are replaced by node labels
    derivatives: tuple[DerivativeText, ...]
    cost: CostRule = jacobian_cost
    elementwise: bool = False  # the Jacobian is diagonal: the op acts entry by entry
    # the forward shapes as text, "({0})·({1}) + ({2}) → {out}", filled with matrix shapes, or a
    # ShapesRule; None lists the input shapes, then the output's
    shapes: str | ShapesRule | None = None
    # what stands after each input when they are shown side by side, the last one joining the
    # result: ("·", "+", "=") for Wx + b = v, ("─σ→",) for z = σ(v); None: the op's name as an arrow
    operators: tuple[str, ...] | None = None
    # the inputs' roles, told apart when a node fills several of them: ("left factor", "right factor")
    slots: tuple[str, ...] | None = None
    # how the inputs are shown side by side when that is not as they are (W⁽⁰⁾ᵀ, a row added to every row)
    display: DisplayRule | None = None
    # what a local Jacobian is made of, so that eliding it keeps whole blocks; None: nothing to keep
    blocks: BlocksRule | None = None

    def __post_init__(self) -> None:
        counts = {len(self.jacobian), len(self.vjp), len(self.jvp), len(self.derivatives)}
        if len(counts) != 1:
            raise TypeError(f"{self.name}: give one Jacobian, VJP, JVP and derivative text per input")
        for told in (self.operators, self.slots):
            if told is not None and len(told) != len(self.vjp):
                raise TypeError(f"{self.name}: give one operator and one slot name per input")

    @property
    def arity(self) -> int:
        return len(self.vjp)

    @property
    def joins(self) -> tuple[str, ...]:
        """The operators after each input, as the forward step shows them side by side."""
        if self.operators is not None:
            return self.operators
        return ("─" + self.name + "→",) if self.arity == 1 else (",",) * (self.arity - 1) + ("→",)

    def slot_name(self, i: int) -> str:
        """Input i's role: "right factor", or "2nd input" for an op that names none."""
        if self.slots is not None:
            return self.slots[i]
        return f"{ORDINALS[i] if i < len(ORDINALS) else f'{i + 1}th'} input"

    def shapes_text(self, labels: Sequence[str], shapes: Sequence[str], out: str) -> str:
        """The forward shapes, e.g. "(4×2)·(2×1) + (4×1) → 4×1"."""
        if self.shapes is None:
            return ", ".join(f"({s})" for s in shapes) + f" → {out}"
        if isinstance(self.shapes, str):
            return self.shapes.format(*shapes, out=out)
        return self.shapes(labels, shapes, out)

    def formula_text(self, out: str, inputs: Sequence[str]) -> str:
        return self.formula.format(*inputs, out=out)

    def derivative_text(self, i: int, out: str, inputs: Sequence[str], input_shapes: Sequence[tuple[int, ...]]) -> str:
        text = self.derivatives[i]
        return text.format(*inputs, out=out) if isinstance(text, str) else text(out, inputs, input_shapes)


# --- elementwise ops: the output has the inputs' shape and each entry depends on the same entry ---

# ∂ans/∂input_i entry by entry, (ans, *inputs) -> array or number; a number broadcasts
Partial = Callable[..., Any]


def _diagonal(partial: Partial) -> tuple[Rule, Rule, Rule]:
    """The Jacobian, VJP and JVP rules of one input of an elementwise op, from its entrywise partial."""

    def jacobian(ans: Array, *inputs: Array) -> Array:
        d = np.broadcast_to(partial(ans, *inputs), np.shape(ans))
        return np.diag(np.ravel(d)) if np.ndim(ans) else np.reshape(d, (1, 1))

    def vjp(g: Array, ans: Array, *inputs: Array) -> Any:
        return g * partial(ans, *inputs)

    def jvp(t: Array, ans: Array, *inputs: Array) -> Any:
        return partial(ans, *inputs) * t

    return jacobian, vjp, jvp


def elementwise(
    *,
    name: str,
    formula: str,
    forward: Callable[..., Any],
    partials: Sequence[Partial],
    derivatives: Sequence[str],
    operators: tuple[str, ...] | None = None,
    slots: tuple[str, ...] | None = None,
) -> Op:
    """An op acting entry by entry, given its forward and its entrywise partial derivative per input."""
    arity = len(partials)

    def checked(*inputs: Array) -> Any:
        # No broadcasting: the VJPs and Jacobians assume every input has the output's shape.
        if len({np.shape(a) for a in inputs}) > 1:
            shapes = " and ".join(str(np.shape(a)) for a in inputs)
            raise ValueError(f"{name} acts entry by entry and needs inputs of one shape, got {shapes}")
        return forward(*inputs)

    jacobians, vjps, jvps = zip(*map(_diagonal, partials), strict=True)
    return Op(
        name=name,
        forward=checked if arity > 1 else forward,
        jacobian=jacobians,
        vjp=vjps,
        jvp=jvps,
        formula=formula,
        derivatives=tuple(derivatives),
        cost=entrywise_cost,
        elementwise=True,
        operators=operators,
        slots=slots,
        blocks=lambda i, ans, *inputs: (1, 1),  # diagonal
    )


def stable_sigmoid(v: Any) -> Array:
    """σ(v) = 1/(1+e^−v) = exp(−log(1 + e^−v)), without overflow.

    logaddexp(0, −v) computes log(1 + e^−v) stably for any v, and its exp only
    underflows (to 0 far below zero, which is σ's true value to the last bit).
    """
    return np.exp(-np.logaddexp(0.0, -np.asarray(v, dtype=np.float64)))


sigmoid = elementwise(
    name="sigmoid",
    formula="{out} = σ({0})",
    forward=stable_sigmoid,
    partials=(lambda ans, v: ans * (1.0 - ans),),
    derivatives=("diag(σ′({0})) = diag({out}∘(1−{out}))",),
    operators=("─σ→",),
)

exp = elementwise(
    name="exp",
    formula="{out} = exp({0})",
    forward=np.exp,
    partials=(lambda ans, a: ans,),
    derivatives=("exp({0}) = {out}",),
    operators=("─exp→",),
)

add = elementwise(
    name="add",
    formula="{out} = {0} + {1}",
    forward=np.add,
    partials=(lambda ans, a, b: 1.0, lambda ans, a, b: 1.0),
    derivatives=("1", "1"),
    operators=("+", "="),
    slots=("left term", "right term"),
)

mul = elementwise(
    name="mul",
    formula="{out} = {0}·{1}",
    forward=np.multiply,
    partials=(lambda ans, a, b: b, lambda ans, a, b: a),
    derivatives=("{1}", "{0}"),
    operators=("∘", "="),
    slots=("left factor", "right factor"),
)


# --- affine: out = W·x + b, the one op that mixes entries ---


def _identity_text(out: str, ins: Sequence[str], shapes: Sequence[tuple[int, ...]]) -> str:
    return f"I{subscript(str(shapes[0][0]))}" if shapes[0][0] > 1 else "1"


def _kron_text(out: str, ins: Sequence[str], shapes: Sequence[tuple[int, ...]]) -> str:
    return f"I{subscript(str(shapes[0][0]))} ⊗ {ins[1]}ᵀ" if shapes[0][0] > 1 else f"{ins[1]}ᵀ"


affine = Op(
    name="affine",
    forward=lambda W, x, b: (W @ x).reshape(np.shape(b)) + b,
    # ∂ans/∂vec(W): row r holds xᵀ in the columns of W's row r;  ∂ans/∂x = W;  ∂ans/∂b = I
    jacobian=(
        lambda ans, W, x, b: np.kron(np.eye(W.shape[0]), x.reshape(1, -1)),
        lambda ans, W, x, b: np.array(W, dtype=float),
        lambda ans, W, x, b: np.eye(W.shape[0]),
    ),
    vjp=(
        lambda g, ans, W, x, b: np.outer(np.reshape(g, (W.shape[0],)), x),
        lambda g, ans, W, x, b: np.reshape(g, (W.shape[0],)) @ W,
        lambda g, ans, W, x, b: np.reshape(g, np.shape(b)),
    ),
    jvp=(
        lambda t, ans, W, x, b: (t @ x).reshape(np.shape(ans)),
        lambda t, ans, W, x, b: (W @ t).reshape(np.shape(ans)),
        lambda t, ans, W, x, b: np.reshape(t, np.shape(ans)),
    ),
    formula="{out} = {0}{1} + {2}",
    derivatives=(_kron_text, "{0}", _identity_text),
    # one per entry of W forward and through W or x; through b (the identity) nothing
    cost=lambda kind, i, ans, W, x, b: 0 if kind != "forward" and i == 2 else int(np.size(W)),
    shapes="({0})·({1}) + ({2}) → {out}",
    operators=("·", "+", "="),
    slots=("weights", "input", "bias"),
    # I ⊗ xᵀ: a 1×len(x) block per row;  I: a 1×1 diagonal
    blocks=lambda i, ans, W, x, b: (1, int(np.size(x))) if i == 0 else (1, 1) if i == 2 else None,
)


def custom_scalar(
    name: str,
    formula: str,
    fn: Callable[..., float],
    partials: Sequence[Callable[..., Any]],
    derivatives: Sequence[str],
) -> Op:
    """A scalar op from its formula and one partial-derivative function per input.

    Each partial takes (inputs, out) as numpy float64 scalars and runs with
    floating-point warnings off, so overflow gives inf rather than an exception
    or a warning. Lessons use this for nodes that bundle several operations,
    like z₄ = 6z₁/z₂ + 2z₃ in the course's graph.
    """

    def forward(*inputs: Array) -> Array:
        with np.errstate(all="ignore"):
            return np.asarray(fn(*(np.float64(v) for v in inputs)), dtype=float)

    def entrywise(p: Callable[..., Any]) -> Partial:
        def partial(ans: Array, *inputs: Array) -> Array:
            with np.errstate(all="ignore"):
                return np.asarray(p([np.float64(v) for v in inputs], np.float64(ans)), dtype=float)

        return partial

    return elementwise(
        name=name, formula=formula, forward=forward, partials=[entrywise(p) for p in partials], derivatives=derivatives
    )


# --- scalar functions for typed expressions (lesson expr) ---

# Scalars only, so each local derivative reads as a formula rather than diag(…).
# Forwards and partials run with floating-point warnings off: a domain problem at
# the point (log of a negative number, 1/0) shows as nan or ∞ on the node instead.


def _quiet(f: Callable[..., Any]) -> Callable[..., Array]:
    def quiet(*args: Any) -> Array:
        with np.errstate(all="ignore"):
            return np.asarray(f(*args), dtype=float)

    return quiet


def scalar_op(
    *,
    name: str,
    formula: str,
    forward: Callable[..., Any],
    partials: Sequence[Partial],
    derivatives: Sequence[str],
    operators: tuple[str, ...] | None = None,
    slots: tuple[str, ...] | None = None,
) -> Op:
    """An elementwise op whose forward and partials never warn: inf and nan show on the node instead."""
    quiet = [_quiet(p) for p in partials]
    return elementwise(
        name=name,
        formula=formula,
        forward=_quiet(forward),
        partials=quiet,
        derivatives=derivatives,
        operators=operators,
        slots=slots,
    )


neg = scalar_op(
    name="neg",
    formula="{out} = −{0}",
    forward=np.negative,
    partials=(lambda ans, a: -1.0,),
    derivatives=("−1",),
    operators=("─negate→",),
)

sub = scalar_op(
    name="sub",
    formula="{out} = {0} − {1}",
    forward=np.subtract,
    partials=(lambda ans, a, b: 1.0, lambda ans, a, b: -1.0),
    derivatives=("1", "−1"),
    operators=("−", "="),
    slots=("left term", "subtracted term"),
)

div = scalar_op(
    name="div",
    formula="{out} = {0}/{1}",
    forward=np.divide,
    partials=(lambda ans, a, b: 1.0 / b, lambda ans, a, b: -a / b**2),
    derivatives=("1/{1}", "−{0}/{1}²"),
    operators=("/", "="),
    slots=("numerator", "denominator"),
)


def exponent_slope(a: Any, ans: Array) -> Array:
    """∂aᵇ/∂b = log(a)·aᵇ, and 0 where aᵇ is 0: 0ᵇ is 0 for all b > 0, flat whatever 0·∞ says.

    The one rule for both powers whose exponent is a node, aᵇ and cᵇ.
    """
    return np.where(ans == 0, 0.0, np.log(a) * ans)


power = scalar_op(
    name="pow",
    formula="{out} = {0}^{1}",
    forward=np.power,
    partials=(
        lambda ans, a, b: np.where(b == 0, 0.0, b * np.power(a, b - 1.0)),  # a⁰ is 1 everywhere: flat in a there
        lambda ans, a, b: exponent_slope(a, ans),
    ),
    derivatives=("{1}·{0}^({1}−1)", "log({0})·{out}"),
    operators=("^", "="),
    slots=("base", "exponent"),
)


def _function(name: str, formula: str, forward: Callable[..., Any], partial: Partial, derivative: str) -> Op:
    return scalar_op(name=name, formula=formula, forward=forward, partials=(partial,), derivatives=(derivative,))


FUNCTIONS: dict[str, Op] = {
    "exp": exp,
    "log": _function("log", "{out} = log({0})", np.log, lambda ans, a: 1.0 / a, "1/{0}"),
    "sqrt": _function("sqrt", "{out} = √{0}", np.sqrt, lambda ans, a: 0.5 / ans, "1/(2{out})"),
    "sin": _function("sin", "{out} = sin({0})", np.sin, lambda ans, a: np.cos(a), "cos({0})"),
    "cos": _function("cos", "{out} = cos({0})", np.cos, lambda ans, a: -np.sin(a), "−sin({0})"),
    "tan": _function("tan", "{out} = tan({0})", np.tan, lambda ans, a: 1.0 + ans * ans, "1 + {out}²"),
    "tanh": _function("tanh", "{out} = tanh({0})", np.tanh, lambda ans, a: 1.0 - ans * ans, "1 − {out}²"),
    "sigmoid": _function(
        "sigmoid", "{out} = σ({0})", stable_sigmoid, lambda ans, a: ans * (1.0 - ans), "{out}(1 − {out})"
    ),
    # relu′(0) and |·|′(0) are taken as 0
    "relu": _function(
        "relu",
        "{out} = relu({0})",
        lambda a: np.maximum(a, 0.0),
        lambda ans, a: np.where(a > 0, 1.0, 0.0),
        "1 if {0} > 0, else 0",
    ),
    "abs": _function("abs", "{out} = |{0}|", np.abs, lambda ans, a: np.sign(a), "sign({0})"),
}


# --- batched ops for training on a data set (lesson symmetry) ---
# A batch holds one data point per row: X is N×d, V = XW⁽⁰⁾ᵀ + b⁽⁰⁾ is N×h (b⁽⁰⁾ added to every row).


def _row_products(A: Array, B: Array) -> Array:
    """A·Bᵀ with every entry summed the same way.

    BLAS rounds the columns of a big enough product differently, which lets hidden
    units that the maths keeps identical drift apart by an ulp. einsum (without
    its optimize option, which may hand the product to BLAS) runs the same loop
    for every entry, so equal rows give equal results.
    """
    products: Array = np.einsum("nk,jk->nj", A, B)
    return products


def _column_products(A: Array, B: Array) -> Array:
    """Aᵀ·B, summed over the rows (the data points) the same way for every entry."""
    products: Array = np.einsum("nj,nk->jk", A, B)
    return products


def _batch_affine_forward(X: Array, W: Array, b: Array) -> Array:
    # b of shape (m,) gives an N×m result; a scalar b (with m = 1) gives an N-vector.
    products = _row_products(X, W)
    return (products if b.ndim else products.reshape(X.shape[0])) + b


def _batch_grid(g: Array, X: Array, W: Array) -> Array:
    """The upstream gradient as N×m, also for a scalar b's N-vector output."""
    return g.reshape(X.shape[0], W.shape[0]) if g.ndim == 1 else g


def _stacked(block: str, n: int) -> str:
    return f"[{block}; …; {block}]" if n > 1 else block


def _batch_weight_text(out: str, ins: Sequence[str], shapes: Sequence[tuple[int, ...]]) -> str:
    n, m = shapes[0][0], shapes[1][0]
    if m == 1:  # row n of the Jacobian is xₙᵀ, so the whole Jacobian is X itself
        return ins[0]
    row = ins[0].lower()
    return f"[I{subscript(str(m))} ⊗ {row}₁ᵀ; …; I{subscript(str(m))} ⊗ {row}{subscript(str(n))}ᵀ]"


def _batch_bias_text(out: str, ins: Sequence[str], shapes: Sequence[tuple[int, ...]]) -> str:
    m = shapes[1][0]
    return _stacked(f"I{subscript(str(m))}" if m > 1 else "1", shapes[0][0])


def _batch_shapes(labels: Sequence[str], shapes: Sequence[str], out: str) -> str:
    """(N×d)·(d×m) + (N×1)·(1×m) → N×m: the weights transposed, the bias a row added to every row."""
    n = shapes[0].split("×")[0]
    m, d = shapes[1].split("×")  # the weights are m×d: they enter transposed
    if m == "1":  # one unit: a scalar bias
        return f"({shapes[0]})·({d}×1) + ({n}×1)·(1×1) → {out}: a column of ones times {labels[2]}, added to every row"
    return (
        f"({shapes[0]})·({d}×{m}) + ({n}×1)·(1×{m}) → {out}: a column of ones times {labels[2]}ᵀ, "
        f"so {labels[2]} is added to every row"
    )


def _batch_display(labels: Sequence[str], args: Sequence[Array]) -> tuple[tuple[str, Array], ...]:
    X, W, b = args
    return (
        (labels[0], np.asarray(X)),
        (f"{labels[1]}ᵀ", np.asarray(W).T),
        (f"{labels[2]}{'ᵀ' if np.ndim(b) else ''}, every row", np.reshape(b, (1, -1))),
    )


batch_affine = Op(
    name="batch_affine",
    forward=_batch_affine_forward,
    jacobian=(
        lambda ans, X, W, b: np.kron(np.eye(X.shape[0]), W),  # row (n, j), column (n′, k): δₙₙ′ W[j, k]
        lambda ans, X, W, b: np.einsum(  # row (n, j), column (j′, k): δⱼⱼ′ X[n, k]
            "jJ,nk->njJk", np.eye(W.shape[0]), X
        ).reshape(X.shape[0] * W.shape[0], W.size),
        lambda ans, X, W, b: np.tile(np.eye(W.shape[0]), (X.shape[0], 1)),
    ),
    vjp=(
        lambda g, ans, X, W, b: _row_products(_batch_grid(g, X, W), W.T),
        lambda g, ans, X, W, b: _column_products(_batch_grid(g, X, W), X),
        lambda g, ans, X, W, b: np.add.reduce(_batch_grid(g, X, W), axis=0).reshape(b.shape),
    ),
    jvp=(
        lambda t, ans, X, W, b: _row_products(t, W).reshape(np.shape(ans)),
        lambda t, ans, X, W, b: _row_products(X, t).reshape(np.shape(ans)),
        lambda t, ans, X, W, b: (np.zeros((X.shape[0], W.shape[0])) + np.reshape(t, (1, -1))).reshape(np.shape(ans)),
    ),
    formula="{out} = {0}{1}ᵀ + {2}",
    derivatives=(
        lambda out, ins, shapes: f"I{subscript(str(shapes[0][0]))} ⊗ {ins[1]}",
        _batch_weight_text,
        _batch_bias_text,
    ),
    shapes=_batch_shapes,
    operators=("·", "+", "="),
    slots=("inputs", "weights", "bias"),
    display=_batch_display,
    # I ⊗ W in W-sized blocks;  a block of Xₙ per unit;  a stack of identities
    blocks=lambda i, ans, X, W, b: (W.shape if i == 0 else (1, X.shape[1]) if i == 1 else (W.shape[0], W.shape[0])),
)

tanh = elementwise(
    name="tanh",
    formula="{out} = tanh({0})",
    forward=np.tanh,
    partials=(lambda ans, v: 1.0 - ans * ans,),
    derivatives=("diag(1 − {out}∘{out})",),
    operators=("─tanh→",),
)

relu = elementwise(
    name="relu",
    formula="{out} = relu({0})",
    forward=lambda v: np.maximum(v, 0.0),
    # relu′(0) is taken as 0, so a unit sitting exactly at 0 passes no gradient back
    partials=(lambda ans, v: (v > 0).astype(float),),
    derivatives=("diag([{0} > 0])",),
    operators=("─relu→",),
)


def _mse_forward(y: Array, t: Array) -> Array:
    if np.shape(y) != np.shape(t):
        raise ValueError(f"predictions {np.shape(y)} and targets {np.shape(t)} differ in shape")
    r = (y - t).ravel()
    return np.asarray(0.5 * float(r @ r) / r.size)


mse = Op(
    name="mse",
    forward=_mse_forward,
    jacobian=(
        lambda ans, y, t: np.reshape(y - t, (1, -1)) / np.size(y),
        lambda ans, y, t: np.reshape(t - y, (1, -1)) / np.size(y),
    ),
    vjp=(
        lambda g, ans, y, t: (y - t) * (float(g) / y.size),
        lambda g, ans, y, t: (y - t) * (-float(g) / y.size),
    ),
    jvp=(
        lambda dy, ans, y, t: np.asarray(np.sum((y - t) * dy) / np.size(y)),
        lambda dt, ans, y, t: np.asarray(-np.sum((y - t) * dt) / np.size(y)),
    ),
    formula="{out} = ½·mean(({0} − {1})²)",
    derivatives=(
        lambda out, ins, shapes: f"({ins[0]} − {ins[1]})ᵀ/{int(np.prod(shapes[0]))}",
        lambda out, ins, shapes: f"−({ins[0]} − {ins[1]})ᵀ/{int(np.prod(shapes[0]))}",
    ),
    operators=("−", "─½·mean(·²)→"),
    slots=("predictions", "targets"),
)
