"""§3.3(c): ∂y/∂z · ∂z/∂v · ∂v/∂vec(W⁽⁰⁾) multiplied in both orders, and what each mode keeps in memory."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Graph, Node, forward_mode, ops, passes
from ..engine.notation import layer_label
from . import mlp
from .draws import Normals
from .options import MlpOptions

GROWTH_H = tuple(2**k for k in range(11))  # 1 … 1024 for the cost table
DEPTHS = (1, 2, 4, 8)  # hidden layers, for the memory table


@dataclass(frozen=True)
class Product:
    """One matrix product: (a×b)·(b×c) → a×c costs a·b·c multiply-adds."""

    left: tuple[int, int]
    right: tuple[int, int]

    @property
    def result(self) -> tuple[int, int]:
        return (self.left[0], self.right[1])

    @property
    def multiply_adds(self) -> int:
        return self.left[0] * self.left[1] * self.right[1]


def association_products(d: int, h: int) -> dict[str, tuple[Product, Product]]:
    """The two products each association performs, from the three factors' shapes."""
    a, b, c = (1, h), (h, h), (h, h * d)  # ∂y/∂z, ∂z/∂v, ∂v/∂vec(W⁽⁰⁾)
    return {
        "reverse": (Product(a, b), Product((1, h), c)),  # (∂y/∂z · ∂z/∂v) first: a row times a matrix
        "forward": (Product(b, c), Product(a, (h, h * d))),  # (∂z/∂v · ∂v/∂vec(W⁽⁰⁾)) first: matrix times matrix
    }


def total(products) -> int:
    return sum(p.multiply_adds for p in products)


@dataclass(frozen=True)
class Memory:
    """What each mode holds: reverse keeps every intermediate; forward mode only what is still needed."""

    kept: tuple[tuple[str, int], ...]  # (label, floats) of the values the forward pass leaves behind
    reverse_floats: int
    forward_peak: int
    by_depth: tuple[tuple[int, int, int], ...]  # (hidden layers, reverse floats, forward-mode peak)


@dataclass(frozen=True)
class Association:
    """The association at the current d and h, really multiplied, and how its cost grows with h."""

    d: int
    h: int
    factors: tuple[tuple[str, tuple[int, int]], ...]
    products: dict[str, tuple[Product, ...]]
    agreement: float  # largest difference between the two results and backprop's ∂y/∂vec(W⁽⁰⁾)
    growth: tuple[tuple[int, int, int], ...]  # (h, reverse, forward) multiply-adds at the current d
    memory: Memory


def _multiply(left: np.ndarray, right: np.ndarray, log: list[Product]) -> np.ndarray:
    log.append(Product(left.shape, right.shape))
    return left @ right


def deep_network(d: int, h: int, depth: int, seed: int) -> tuple[Graph, Node]:
    """depth sigmoid layers of h units, then one linear output: for measuring memory."""
    rng = Normals(seed)
    g = Graph()
    a = g.input("x", mlp.default_x(d))
    for k in range(depth):
        fan_in = d if k == 0 else h
        W = g.parameter(f"W{k}", rng.normal(0, 1 / np.sqrt(fan_in), (h, fan_in)))
        b = g.parameter(f"b{k}", np.zeros(h))
        a = g.apply(ops.sigmoid, g.apply(ops.affine, W, a, b, name=f"v{k}"), name=f"z{k}")
    w = g.parameter("w", rng.normal(0, 1 / np.sqrt(h), (1, h)))
    c = g.parameter("c", 0.0)
    return g, g.apply(ops.affine, w, a, c, name="y")


def memory(d: int, h: int, seed: int) -> Memory:
    """Measured: the floats reverse mode stores after its forward pass, and forward mode's peak."""
    g, y = mlp.build_graph(mlp.default_x(d), mlp.initial_parameters(MlpOptions(d=d, h=h, seed=seed)))
    order = g.order(y)
    values = passes.forward(order)
    kept = tuple((n.label, int(values[n.id].size)) for n in order if n.op is not None)
    peak = forward_mode.jvp(g, y, {"W0": np.ones((h, d))}).peak_floats
    rows = []
    for depth in DEPTHS:
        deep, out = deep_network(d, h, depth, seed)
        deep_order = deep.order(out)
        deep_values = passes.forward(deep_order)
        stored = sum(int(deep_values[n.id].size) for n in deep_order if n.op is not None)
        rows.append((depth, stored, forward_mode.jvp(deep, out, {"W0": np.ones((h, d))}).peak_floats))
    return Memory(kept, sum(size for _, size in kept), peak, tuple(rows))


def associate(d: int, h: int, seed: int) -> Association:
    """Build the explicit local Jacobians with the engine and multiply them in both orders."""
    params = mlp.initial_parameters(MlpOptions(d=d, h=h, seed=seed))
    g, y = mlp.build_graph(mlp.default_x(d), params)
    order = g.order(y)
    computed = passes.forward(order)
    values = {node.name: computed[node.id] for node in order}
    x, v, z = values["x"], values["v"], values["z"]
    W0, b0, W1, b1 = (params[k] for k in ("W0", "b0", "W1", "b1"))
    dy_dz = ops.affine.jacobian[1](values["y"], W1, z, b1)
    dz_dv = ops.sigmoid.jacobian[0](z, v)
    dv_dW = ops.affine.jacobian[0](v, W0, x, b0)
    reverse_log: list[Product] = []
    forward_log: list[Product] = []
    by_reverse = _multiply(_multiply(dy_dz, dz_dv, reverse_log), dv_dW, reverse_log)
    by_forward = _multiply(dy_dz, _multiply(dz_dv, dv_dW, forward_log), forward_log)
    backprop = np.ravel(passes.gradients(g, y)["W0"])
    agreement = float(max(np.max(np.abs(by_reverse.ravel() - backprop)), np.max(np.abs(by_forward.ravel() - backprop))))
    growth = tuple(
        (k, total(products["reverse"]), total(products["forward"]))
        for k in GROWTH_H
        for products in [association_products(d, k)]
    )
    factors = (("∂y/∂z", dy_dz.shape), ("∂z/∂v", dz_dv.shape), (f"∂v/∂vec({layer_label('W0')})", dv_dW.shape))
    return Association(
        d,
        h,
        factors,
        {"reverse": tuple(reverse_log), "forward": tuple(forward_log)},
        agreement,
        growth,
        memory(d, h, seed),
    )
