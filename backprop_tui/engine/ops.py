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

from .notation import number, subscript, superscript

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
    # how the inputs combine when shown side by side, ("·", "+") for Wx + b; None: a function of them
    operators: tuple[str, ...] | None = None

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
    """An op acting entry by entry, given its forward and its entrywise partial derivatives.

    A partial that is constant may be a plain number; it broadcasts to the output's shape.
    """
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
    """σ(v) = 1/(1+e^−v) = exp(−log(1 + e^−v)), without overflow.

    logaddexp(0, −v) computes log(1 + e^−v) stably for any v, and its exp only
    underflows (to 0 far below zero, which is σ's true value to the last bit).
    """
    return np.exp(-np.logaddexp(0.0, -np.asarray(v, dtype=np.float64)))


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
    lambda ins, out: (1.0, 1.0),  # constant partials broadcast to the output's shape
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
    operators=("·", "+"),
)


def custom_scalar(name: str, formula: str, fn: Callable[..., float], partials: Sequence[Callable], derivatives: Sequence[str]) -> Op:
    """A scalar op from its formula and one partial-derivative function per input.

    Each partial takes (inputs, out) as numpy float64 scalars and runs with
    floating-point warnings off, so overflow gives inf rather than an exception
    or a warning. Lessons use this for nodes that bundle several operations,
    like z₄ = 6z₁/z₂ + 2z₃ in the course's graph.
    """
    def forward(*inputs):
        with np.errstate(all="ignore"):
            return np.asarray(fn(*(np.float64(v) for v in inputs)), dtype=float)

    def all_partials(inputs, out):
        args = [np.float64(v) for v in inputs]
        with np.errstate(all="ignore"):
            return tuple(np.asarray(p(args, np.float64(out)), dtype=float) for p in partials)

    return elementwise(name, formula, forward, all_partials, tuple(derivatives))


# --- scalar functions for typed expressions (lesson expr) ---

# Scalars only, so each local derivative reads as a formula rather than diag(…).
# Partials are computed with floating-point warnings off: a domain problem at the
# point (log of a negative number, 1/0) shows as nan or ∞ on the node instead.


def _quiet(partials: Callable[[Arrays, np.ndarray], tuple]) -> Callable[[Arrays, np.ndarray], tuple]:
    def wrapped(ins, out):
        with np.errstate(all="ignore"):
            return tuple(np.asarray(p, dtype=float) for p in partials(ins, out))

    return wrapped


def _scalar(name: str, formula: str, fn: Callable, partials: Callable, derivatives: tuple[str, ...]) -> Op:
    def forward(*inputs):
        with np.errstate(all="ignore"):
            return fn(*inputs)

    return elementwise(name, formula, forward, _quiet(partials), derivatives)


neg = _scalar("neg", "{out} = −{0}", np.negative, lambda ins, out: (-1.0,), ("−1",))

sub = _scalar(
    "sub",
    "{out} = {0} − {1}",
    np.subtract,
    lambda ins, out: (1.0, -1.0),
    ("1", "−1"),
)

div = _scalar(
    "div", "{out} = {0}/{1}", np.divide, lambda ins, out: (1.0 / ins[1], -ins[0] / ins[1] ** 2), ("1/{1}", "−{0}/{1}²")
)


def _exponent_slope(a, out):
    """∂aᵇ/∂b = log(a)·aᵇ, and 0 where aᵇ is 0: 0ᵇ is 0 for all b > 0, flat whatever 0·∞ says.

    The one rule for both powers whose exponent is a node, aᵇ and cᵇ.
    """
    return np.where(out == 0, 0.0, np.log(a) * out)


def _power_partials(ins, out):
    a, b = ins
    # a⁰ is 1 everywhere: flat in a there, whatever 0·∞ says
    return (np.where(b == 0, 0.0, b * np.power(a, b - 1.0)), _exponent_slope(a, out))


power = _scalar("pow", "{out} = {0}^{1}", np.power, _power_partials, ("{1}·{0}^({1}−1)", "log({0})·{out}"))

FUNCTIONS: dict[str, Op] = {
    "exp": exp,
    "log": _scalar("log", "{out} = log({0})", np.log, lambda ins, out: (1.0 / ins[0],), ("1/{0}",)),
    "sqrt": _scalar("sqrt", "{out} = √{0}", np.sqrt, lambda ins, out: (0.5 / out,), ("1/(2{out})",)),
    "sin": _scalar("sin", "{out} = sin({0})", np.sin, lambda ins, out: (np.cos(ins[0]),), ("cos({0})",)),
    "cos": _scalar("cos", "{out} = cos({0})", np.cos, lambda ins, out: (-np.sin(ins[0]),), ("−sin({0})",)),
    "tan": _scalar("tan", "{out} = tan({0})", np.tan, lambda ins, out: (1.0 + out * out,), ("1 + {out}²",)),
    "tanh": _scalar("tanh", "{out} = tanh({0})", np.tanh, lambda ins, out: (1.0 - out * out,), ("1 − {out}²",)),
    "sigmoid": _scalar(
        "sigmoid", "{out} = σ({0})", stable_sigmoid, lambda ins, out: (out * (1.0 - out),), ("{out}(1 − {out})",)
    ),
    # relu′(0) and |·|′(0) are taken as 0
    "relu": _scalar(
        "relu", "{out} = relu({0})", lambda a: np.maximum(a, 0.0), lambda ins, out: (np.where(ins[0] > 0, 1.0, 0.0),),
        ("1 if {0} > 0, else 0",),
    ),
    "abs": _scalar("abs", "{out} = |{0}|", np.abs, lambda ins, out: (np.sign(ins[0]),), ("sign({0})",)),
}


# A constant typed in the function is baked into its op (z = 6·x, z = x²), so the
# graph's leaves are the variables alone. `text` is how the constant is shown.


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _flat(value: float) -> Callable:
    return lambda ins, out: (value,)


def scale(c: float, text: str) -> Op:
    """out = c·a."""
    t = _braces(text)
    return _scalar("scale", f"{{out}} = {t}·{{0}}", lambda a: c * a, _flat(c), (t,))


def add_constant(c: float, text: str, left: bool = False) -> Op:
    """out = a + c, written c + a when the constant was typed first."""
    t = _braces(text)
    formula = f"{{out}} = {t} + {{0}}" if left else f"{{out}} = {{0}} + {t}"
    return _scalar("add_const", formula, lambda a: a + c, _flat(1.0), ("1",))


def subtract_constant(c: float, text: str) -> Op:
    """out = a − c."""
    return _scalar("sub_const", f"{{out}} = {{0}} − {_braces(text)}", lambda a: a - c, _flat(1.0), ("1",))


def constant_minus(c: float, text: str) -> Op:
    """out = c − a."""
    return _scalar("const_sub", f"{{out}} = {_braces(text)} − {{0}}", lambda a: c - a, _flat(-1.0), ("−1",))


def divide_by(c: float, text: str) -> Op:
    """out = a/c."""
    t = _braces(text)
    return _scalar("div_const", f"{{out}} = {{0}}/{t}", lambda a: a / c, _flat(1.0 / c if c else np.inf), (f"1/{t}",))


def constant_over(c: float, text: str) -> Op:
    """out = c/a."""
    t = _braces(text)
    return _scalar("const_div", f"{{out}} = {t}/{{0}}", lambda a: c / a, lambda ins, out: (-c / ins[0] ** 2,), (f"−{t}/{{0}}²",))


def _exponent(text: str) -> str:
    """How an exponent is written: x², x⁻¹, x^0.5."""
    digits = text.lstrip("−")
    if digits.isdigit() and len(digits) <= 3:
        return superscript(text.replace("−", "-"))
    return f"^({text})" if text.startswith("−") else f"^{text}"


def power_of(c: float, text: str) -> Op:
    """out = aᶜ for a constant exponent c."""
    t = _braces(text)
    lower = c - 1.0
    if c == 0:
        derivative = "0"
    elif c == 1:
        derivative = "1"
    elif lower == 1:
        derivative = f"{t}{{0}}"
    else:
        numeric = t.lstrip("−").replace(".", "", 1).isdigit()
        shown = number(lower) if numeric or float(lower).is_integer() else f"({t}−1)"
        factor = "−" if c == -1 else t if t.lstrip("−").isdigit() else f"{t}·"
        derivative = f"{factor}{{0}}{_braces(_exponent(shown))}"
    return _scalar(
        "pow_const",
        f"{{out}} = {{0}}{_braces(_exponent(text))}",
        lambda a: np.power(a, c),
        lambda ins, out: (np.zeros(np.shape(out)) if c == 0 else c * np.power(ins[0], lower),),
        (derivative,),
    )


def constant_power(c: float, text: str) -> Op:
    """out = cᵃ for a constant base c."""
    t = _braces(text)
    derivative = "{out}" if c == np.e else f"log({t})·{{out}}"
    base = f"({t})" if t.startswith(("−", "-")) else t  # (−8)^x, not −8^x = −(8^x)
    return _scalar(
        "const_pow", f"{{out}} = {base}^{{0}}", lambda a: np.power(c, a), lambda ins, out: (_exponent_slope(c, out),), (derivative,)
    )


# --- batched ops for training on a data set (lesson symmetry) ---
# A batch holds one data point per row: X is N×d, V = XW⁽⁰⁾ᵀ + b⁽⁰⁾ is N×h (b⁽⁰⁾ added to every row).


def _row_products(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A·Bᵀ with every entry summed the same way.

    BLAS rounds the columns of a big enough product differently, which lets hidden
    units that the maths keeps identical drift apart by an ulp. einsum (without
    its optimize option, which may hand the product to BLAS) runs the same loop
    for every entry, so equal rows give equal results.
    """
    return np.einsum("nk,jk->nj", A, B)


def _column_products(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Aᵀ·B, summed over the rows (the data points) the same way for every entry."""
    return np.einsum("nj,nk->jk", A, B)


def _batch_affine_forward(X, W, b):
    # b of shape (m,) gives an N×m result; a scalar b (with m = 1) gives an N-vector.
    products = _row_products(X, W)
    return (products if b.ndim else products.reshape(X.shape[0])) + b


def _batch_affine_jacobian(i, inputs, out):
    X, W, b = inputs
    n, m = X.shape[0], W.shape[0]
    if i == 0:  # row (n, j), column (n′, k): δₙₙ′ W[j, k]
        return np.kron(np.eye(n), W)
    if i == 1:  # row (n, j), column (j′, k): δⱼⱼ′ X[n, k]
        return np.einsum("jJ,nk->njJk", np.eye(m), X).reshape(n * m, W.size)
    return np.tile(np.eye(m), (n, 1))


def _batch_affine_vjp(i, g, inputs, out):
    X, W, b = inputs
    if g.ndim == 1:  # a scalar b's N-vector output
        g = g.reshape(X.shape[0], W.shape[0])
    if i == 0:
        return _row_products(g, W.T)
    if i == 1:
        return _column_products(g, X)
    return np.add.reduce(g, axis=0).reshape(b.shape)


def _batch_affine_jvp(i, t, inputs, out):
    X, W, b = inputs
    if i == 0:
        return _row_products(t, W).reshape(np.shape(out))
    if i == 1:
        return _row_products(X, t).reshape(np.shape(out))
    return (np.zeros((X.shape[0], W.shape[0])) + np.reshape(t, (1, -1))).reshape(np.shape(out))


def _stacked(block: str, n: int) -> str:
    return f"[{block}; …; {block}]" if n > 1 else block


def _batch_weight_text(out, ins, shapes):
    n, m = shapes[0][0], shapes[1][0]
    if m == 1:  # row n of the Jacobian is xₙᵀ, so the whole Jacobian is X itself
        return ins[0]
    row = ins[0].lower()
    return f"[I{subscript(str(m))} ⊗ {row}₁ᵀ; …; I{subscript(str(m))} ⊗ {row}{subscript(str(n))}ᵀ]"


batch_affine = Op(
    "batch_affine",
    3,
    _batch_affine_forward,
    _batch_affine_jacobian,
    _batch_affine_vjp,
    _batch_affine_jvp,
    "{out} = {0}{1}ᵀ + {2}",
    (
        lambda out, ins, shapes: f"I{subscript(str(shapes[0][0]))} ⊗ {ins[1]}",
        _batch_weight_text,
        lambda out, ins, shapes: _stacked(f"I{subscript(str(shapes[1][0]))}" if shapes[1][0] > 1 else "1", shapes[0][0]),
    ),
)

tanh = elementwise(
    "tanh", "{out} = tanh({0})", np.tanh, lambda ins, out: (1.0 - out * out,), ("diag(1 − {out}∘{out})",)
)

relu = elementwise(
    "relu",
    "{out} = relu({0})",
    lambda v: np.maximum(v, 0.0),
    # relu′(0) is taken as 0, so a unit sitting exactly at 0 passes no gradient back
    lambda ins, out: ((ins[0] > 0).astype(float),),
    ("diag([{0} > 0])",),
)


def _mse_forward(y, t):
    if np.shape(y) != np.shape(t):
        raise ValueError(f"predictions {np.shape(y)} and targets {np.shape(t)} differ in shape")
    r = (y - t).ravel()
    return np.asarray(0.5 * float(r @ r) / r.size)


def _mse_sign(i: int) -> float:
    return 1.0 if i == 0 else -1.0


mse = Op(
    "mse",
    2,
    _mse_forward,
    lambda i, ins, out: _mse_sign(i) * np.reshape(ins[0] - ins[1], (1, -1)) / np.size(ins[0]),
    lambda i, g, ins, out: (ins[0] - ins[1]) * (_mse_sign(i) * float(g) / ins[0].size),
    lambda i, t, ins, out: np.asarray(_mse_sign(i) * np.sum((ins[0] - ins[1]) * t) / np.size(ins[0])),
    "{out} = ½·mean(({0} − {1})²)",
    (
        lambda out, ins, shapes: f"({ins[0]} − {ins[1]})ᵀ/{int(np.prod(shapes[0]))}",
        lambda out, ins, shapes: f"−({ins[0]} − {ins[1]})ᵀ/{int(np.prod(shapes[0]))}",
    ),
)
