"""Lesson methods: one gradient computed five ways (§3.3), and the two ways to associate a chain."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from ..engine import Graph, Node, forward_mode, ops
from ..engine.arrays import frozen
from ..engine.cost import instrument
from ..engine.notation import layer_label
from ..engine.passes import forward, gradients
from . import graph as graph_lesson
from . import mlp
from .association import Association, associate, total
from .options import METHODS_MAX_D, METHODS_MAX_H, MethodsOptions, MlpOptions
from .rounding import TIE, floor_of, shown_error

EPSILON = 1e-6  # the step of both difference quotients unless the user changes it
SWEEP = tuple(10.0**-k for k in range(1, 16))
MAX_D, MAX_H = METHODS_MAX_D, METHODS_MAX_H
METHODS = ("forward_difference", "central_difference", "analytic", "forward_mode", "reverse_mode")
TITLES = {
    "forward_difference": "forward difference",
    "central_difference": "central difference",
    "analytic": "analytic (by hand)",
    "forward_mode": "forward-mode AD",
    "reverse_mode": "reverse-mode AD",
}
ROUNDING = float(np.finfo(float).eps)  # a float64 result is off by up to this, relative
clock = time.perf_counter  # tests swap in a fake clock so pictures of the screen are repeatable


# --- the function f: ℝⁿ → ℝ, as a graph whose leaves hold the pieces of θ ---


class Cancelled(Exception):
    """The computation was called off before it finished: its result is not wanted any more."""


def never() -> bool:
    return False


class Function:
    """f(θ) evaluated through an engine graph; leaves named in `leaves` receive θ's pieces.

    Every evaluation first asks `cancelled`: a computation called off (a newer key on
    screen) stops at its next evaluation of f with Cancelled.
    """

    def __init__(self, of: str, graph: Graph, output: Node, leaves: tuple[str, ...], theta: np.ndarray):
        self.cancelled: Callable[[], bool] = never
        graph, self.tally = instrument(graph)  # a copy of the graph: every op call below is counted
        output = graph[output.name]
        self.of, self.graph, self.output, self.leaves = of, graph, output, leaves
        self.shapes = tuple(np.asarray(graph[name].value).shape for name in leaves)  # leaves hold values
        bounds = np.cumsum([0, *(math.prod(shape) for shape in self.shapes)])
        self.slices = tuple(slice(a, b) for a, b in pairwise(bounds))
        self.theta = np.array(theta, dtype=float)
        self.order = graph.order(output)

    @property
    def n(self) -> int:
        return self.theta.size

    def pieces(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        """θ cut into the leaves' shapes, in order."""
        return {
            name: theta[cut].reshape(shape)
            for name, cut, shape in zip(self.leaves, self.slices, self.shapes, strict=True)
        }

    def set(self, theta: np.ndarray) -> None:
        for name, piece in self.pieces(theta).items():
            self.graph[name].value = frozen(piece)

    def __call__(self, theta: np.ndarray) -> float:
        if self.cancelled():
            raise Cancelled
        self.set(theta)
        return float(forward(self.order)[self.output.id])

    def flat(self, grads: dict[str, np.ndarray]) -> np.ndarray:
        return np.concatenate([np.ravel(grads[name]) for name in self.leaves])


def names_of(
    leaves: tuple[str, ...], shapes: tuple[tuple, ...], label: Callable[[str], str]
) -> tuple[list[str], list[str]]:
    """One ASCII name and one screen label per entry of θ, row-major within each leaf."""
    names, labels = [], []
    for leaf, shape in zip(leaves, shapes, strict=True):
        for index in np.ndindex(*shape):
            suffix = f"[{','.join(map(str, index))}]" if index else ""
            names.append(leaf + suffix)
            labels.append(label(leaf) + suffix)
    return names, labels


def network_function(s: MethodsOptions) -> Function:
    """The mlp lesson's y as a function of all its parameters, at the default input."""
    params = mlp.initial_parameters(MlpOptions(d=s.d, h=s.h, seed=s.seed))
    g, y = mlp.build_graph(mlp.default_x(s.d), params)
    leaves = ("W0", "b0", "W1", "b1")
    return Function("mlp", g, y, leaves, np.concatenate([np.ravel(params[k]) for k in leaves]))


def graph_function(s: MethodsOptions) -> Function:
    """p(x, y) of §4 through the graph lesson's own ops."""
    at = graph_lesson.point(s.at)
    g = Graph()
    x, y = g.input("x", at["x"]), g.input("y", at["y"])
    z1 = g.apply(graph_lesson.Z1, y, name="z1")
    z2 = g.apply(graph_lesson.Z2, x, y, name="z2")
    z3 = g.apply(graph_lesson.Z3, x, name="z3")
    z4 = g.apply(graph_lesson.Z4, z1, z2, z3, name="z4")
    return Function("graph", g, z4, ("x", "y"), np.array([at["x"], at["y"]]))


# --- the pencil-and-paper formulas, each product's multiply-adds counted where it is done ---


class Multiplies:
    """Counts the products of a formula evaluated by hand: every ×, ÷ and exp, one each."""

    def __init__(self) -> None:
        self.count = 0

    def mul(self, a, b):
        self.count += 1
        return a * b

    def div(self, a, b):
        self.count += 1
        return a / b

    def exp(self, a):
        self.count += 1
        return math.exp(a)


def analytic_network(f: Function) -> tuple[np.ndarray, int]:
    """§3.1(b)–(d): ∂y/∂W⁽¹⁾ = zᵀ, ∂y/∂b⁽¹⁾ = 1, ∂y/∂b⁽⁰⁾ = W⁽¹⁾∘z∘(1−z), ∂y/∂W⁽⁰⁾ = that, times xᵀ."""
    p = f.pieces(f.theta)
    x = np.asarray(f.graph["x"].value)
    v = p["W0"] @ x + p["b0"]
    z = ops.stable_sigmoid(v)
    delta = p["W1"][0] * (z * (1.0 - z))  # z(1−z) is σ′, the local derivative, applied once per unit
    gW0 = np.outer(delta, x)
    grads = {"W0": gW0, "b0": delta, "W1": z[None, :], "b1": np.ones(())}
    return f.flat(grads), p["W0"].size + z.size + delta.size + gW0.size


def analytic_network_apart(f: Function) -> tuple[np.ndarray, int]:
    """The same formulas written out once per partial, each from θ alone: vᵢ, σ(vᵢ) and σ′ are made again every time.

    Counted as analytic_network counts: Wᵢx one multiply-add per entry of the row, σ one,
    σ′ applied to W⁽¹⁾ᵢ one, times xⱼ one.
    """
    p = f.pieces(f.theta)
    x = np.asarray(f.graph["x"].value)
    W0, b0, W1 = p["W0"], p["b0"], p["W1"][0]
    h, d = W0.shape
    count = 0

    def unit(i: int) -> float:  # zᵢ = σ(W⁽⁰⁾ᵢx + b⁽⁰⁾ᵢ), from scratch
        nonlocal count
        count += d + 1
        return float(ops.stable_sigmoid(W0[i] @ x + b0[i]))

    def slope(i: int) -> float:  # W⁽¹⁾ᵢ zᵢ(1 − zᵢ), from scratch
        nonlocal count
        z = unit(i)
        count += 1
        return W1[i] * (z * (1.0 - z))

    gW0 = np.empty((h, d))
    for i in range(h):
        for j in range(d):
            gW0[i, j] = slope(i) * x[j]
            count += 1
    gb0 = np.array([slope(i) for i in range(h)])
    gW1 = np.array([[unit(i) for i in range(h)]])
    return f.flat({"W0": gW0, "b0": gb0, "W1": gW1, "b1": np.ones(())}), count


def analytic_graph(f: Function) -> tuple[np.ndarray, int]:
    """§4(b): ∂p/∂x = 6x² − 12x·z₁/z₂², ∂p/∂y = −12y·z₁/z₂² − 6·exp(−y)/z₂, the shared z₁/z₂² computed once."""
    x, y = (float(t) for t in f.theta)
    m = Multiplies()
    z1, xx = m.exp(-y), m.mul(x, x)
    z2 = 1.0 + xx + m.mul(y, y)
    shared = m.div(z1, m.mul(z2, z2))  # the term both partials use
    dx = m.mul(6.0, xx) - m.mul(m.mul(12.0, x), shared)
    dy = -m.mul(m.mul(12.0, y), shared) - m.div(m.mul(6.0, z1), z2)
    return np.array([dx, dy]), m.count


def analytic_graph_apart(f: Function) -> tuple[np.ndarray, int]:
    """The same two formulas, each evaluated on its own: exp(−y), 1 + x² + y² and its square are made twice."""
    x, y = (float(t) for t in f.theta)
    m = Multiplies()

    def z2() -> float:
        return 1.0 + m.mul(x, x) + m.mul(y, y)

    def dx() -> float:
        z1, z2x = m.exp(-y), z2()
        return m.mul(6.0, m.mul(x, x)) - m.mul(m.mul(12.0, x), m.div(z1, m.mul(z2x, z2x)))

    def dy() -> float:
        z1, z2y = m.exp(-y), z2()
        return -m.mul(m.mul(12.0, y), m.div(z1, m.mul(z2y, z2y))) - m.div(m.mul(6.0, z1), z2y)

    return np.array([dx(), dy()]), m.count


# --- the five methods ---


class Counted:
    """A function that counts its calls: the evaluations and passes are counted, not assumed."""

    def __init__(self, fn: Callable):
        self.fn, self.calls = fn, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.fn(*args, **kwargs)


def forward_difference(f: Callable[[np.ndarray], float], theta: np.ndarray, eps: float) -> np.ndarray:
    """(f(θ + εeᵢ) − f(θ))/ε for every i: f(θ) once, then once per coordinate."""
    base = f(theta)
    grad = np.empty(theta.size)
    for i in range(theta.size):
        step = theta.copy()
        step[i] += eps
        grad[i] = (f(step) - base) / eps
    return grad


def central_difference(f: Callable[[np.ndarray], float], theta: np.ndarray, eps: float) -> np.ndarray:
    """(f(θ + εeᵢ) − f(θ − εeᵢ))/2ε for every i: two evaluations per coordinate."""
    grad = np.empty(theta.size)
    for i in range(theta.size):
        up, down = theta.copy(), theta.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2.0 * eps)
    return grad


def forward_mode_gradient(f: Function, jvp: Callable) -> np.ndarray:
    """One JVP pass per coordinate of θ, each seeding a tangent in that coordinate only."""
    f.set(f.theta)
    grad = np.empty(f.n)
    k = 0
    for name, shape in zip(f.leaves, f.shapes, strict=True):
        for index in np.ndindex(*shape):
            if f.cancelled():
                raise Cancelled
            direction = np.zeros(shape)
            direction[index] = 1.0
            grad[k] = float(jvp(f.graph, f.output, {name: direction}).tangent)
            k += 1
    return grad


def reverse_mode_gradient(f: Function, backprop: Callable) -> np.ndarray:
    """One forward and one backward pass through the engine."""
    f.set(f.theta)
    return f.flat(backprop(f.output))


@dataclass(frozen=True)
class Method:
    """One way to the gradient: its result, what it cost and how far it is from backprop."""

    key: str
    title: str
    grad: np.ndarray
    count: int | None  # evaluations of f, or passes; None for the formulas
    unit: str  # "evaluations", "passes" or ""
    seconds: float
    multiply_adds: int
    max_abs_error: float = 0.0
    max_rel_error: float = 0.0  # the largest |Δᵢ|/|gᵢ|: each partial's error relative to that partial
    worst: int = 0  # the partial where that relative error is largest


def relative_errors(error: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """|Δᵢ|/|gᵢ| for every partial; 0/0 is 0 and an error on a partial of exactly 0 is infinite."""
    error, scale = np.abs(error), np.abs(reference)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(error == 0, 0.0, error / scale)


def errors(grad: np.ndarray, reference: np.ndarray) -> tuple[float, float, int]:
    """Largest absolute difference; the largest difference relative to its own partial, and which partial that is."""
    delta = grad - reference
    relative = relative_errors(delta, reference)
    worst = int(np.argmax(relative))
    return float(np.max(np.abs(delta))), float(relative[worst]), worst


def run_methods(f: Function, eps: float) -> dict[str, Method]:
    """Every method once, timed, with its calls and multiply-adds counted."""
    results = {}

    def measure(key, fn, counter=None, unit=""):
        if f.cancelled():
            raise Cancelled
        f.tally.reset()
        start = clock()
        grad, extra = fn()
        seconds = max(clock() - start, 0.0)
        count = counter.calls if counter is not None else None
        results[key] = Method(key, TITLES[key], grad, count, unit, seconds, f.tally.multiply_adds + extra)

    backprop = Counted(lambda output: gradients(f.graph, output))
    measure("reverse_mode", lambda: (reverse_mode_gradient(f, backprop), 0), backprop, "passes")
    passes = Counted(forward_mode.jvp)
    measure("forward_mode", lambda: (forward_mode_gradient(f, passes), 0), passes, "passes")
    by_hand = analytic_network if f.of == "mlp" else analytic_graph
    measure("analytic", lambda: by_hand(f))
    evaluations = Counted(f)
    measure(
        "forward_difference", lambda: (forward_difference(evaluations, f.theta, eps), 0), evaluations, "evaluations"
    )
    evaluations = Counted(f)
    measure(
        "central_difference", lambda: (central_difference(evaluations, f.theta, eps), 0), evaluations, "evaluations"
    )
    reference = results["reverse_mode"].grad
    for key, method in results.items():
        abs_error, rel_error, worst = errors(method.grad, reference)
        results[key] = replace(method, max_abs_error=abs_error, max_rel_error=rel_error, worst=worst)
    return {key: results[key] for key in METHODS}


@dataclass(frozen=True)
class SweepPoint:
    epsilon: float
    forward_error: float
    central_error: float
    rounding: float  # what rounding alone can do to either quotient at this ε


def sweep(f: Function, reference: np.ndarray) -> tuple[SweepPoint, ...]:
    """Both difference quotients' largest error at every ε from 10⁻¹ down to 10⁻¹⁵."""
    points = []
    value = f(f.theta)
    for eps in SWEEP:
        fwd = errors(forward_difference(f, f.theta, eps), reference)[0]
        cen = errors(central_difference(f, f.theta, eps), reference)[0]
        points.append(SweepPoint(eps, fwd, cen, rounding(value, eps)))
    return tuple(points)


def rounding(value: float, eps: float) -> float:
    """About how far rounding alone moves a difference quotient with step ε.

    Each value of f is off by about ROUNDING times the size of the numbers summed
    to make it; here those are of order 1 or of order f itself. The quotient divides
    the difference of two such values by ε. Which way and by how much exactly
    depends on the machine (BLAS kernels, SIMD), so no digit below this is meaningful.
    """
    return ROUNDING * max(abs(value), 1.0) / eps


def best_epsilon(points: tuple[SweepPoint, ...], which: str) -> SweepPoint:
    """The sweep point with the smallest error of one quotient ("forward" or "central")."""
    return min(points, key=lambda p: getattr(p, f"{which}_error"))


# --- the lesson ---


def function_of(s: MethodsOptions) -> Function:
    return graph_function(s) if s.function == "graph" else network_function(s)


@dataclass(frozen=True)
class Relative:
    """A difference quotient's largest error relative to its own partial, over the errors rounding cannot explain."""

    value: float  # max |Δᵢ|/|gᵢ| over the partials whose error stands above rounding; inf on a partial of 0
    index: int  # the partial where it is largest
    measured: bool  # False: every partial's error is within rounding, and value is nothing but noise


@dataclass(frozen=True)
class Result:
    """Everything the screen and the export show."""

    of: str
    epsilon: float
    value: float  # f(θ)
    names: tuple[str, ...]
    labels: tuple[str, ...]
    methods: dict[str, Method]
    sweep: tuple[SweepPoint, ...]
    association: Association
    apart: Method  # the formulas written once per partial, shared terms made again for each
    theta: tuple[float, ...] = ()  # the point θ every method differentiates at, in the order of names

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def rounding(self) -> float:
        """What rounding alone can do to the difference quotients at the ε in use."""
        return rounding(self.value, self.epsilon)

    def relative(self, key: str) -> Relative:
        """A quotient's largest |Δᵢ|/|gᵢ| over the partials whose error is above its rounding floor.

        An error within about the floor (its order of magnitude at most the floor's, as
        the screen writes errors) differs from machine to machine, and so would the ratio
        and the partial it falls on; those partials are left out. None left: not measured.
        The partial named is the first whose ratio is as large as the largest up to rounding.
        """
        reference = self.methods["reverse_mode"].grad
        error = np.abs(self.methods[key].grad - reference)
        relative = relative_errors(error, reference)
        above = error > 10.0 ** (floor_of(self.rounding) + 0.5)
        if not above.any():
            worst = int(np.argmax(relative))
            return Relative(float(relative[worst]), worst, False)
        measured = np.where(above, relative, -1.0)
        largest = float(np.max(measured))
        # ratios within what rounding can move them (equal partials with equal truncation) tie:
        # the first of them is named, the same on every machine
        with np.errstate(all="ignore"):  # a partial of 0 has no slack, an infinite ratio none to spare
            slack = 10.0 ** floor_of(self.rounding) / np.abs(reference)
            worst = int(np.argmax(measured >= largest - slack))
        return Relative(float(relative[worst]), worst, True)

    def best(self, which: str) -> SweepPoint:
        """The sweep's best ε for the "forward" or "central" quotient, chosen the same on every machine.

        Errors within rounding count as its floor, and errors within a factor TIE
        of the smallest count as equal: of those, the smallest ε wins.
        """
        shown = [(shown_error(getattr(p, f"{which}_error"), p.rounding), p) for p in self.sweep]
        low = min(error for error, _ in shown)
        return min((p for error, p in shown if error <= TIE * low), key=lambda p: p.epsilon)


def parameter_count(s: MethodsOptions) -> int:
    """n, the number of entries of θ, without computing anything: W⁽⁰⁾, b⁽⁰⁾, W⁽¹⁾, b⁽¹⁾, or x and y."""
    return 2 if s.function == "graph" else s.h * s.d + 2 * s.h + 1


def compute(s: MethodsOptions, epsilon: float = EPSILON, cancelled: Callable[[], bool] = never) -> Result:
    """Every method, the sweep and the association; raises Cancelled as soon as cancelled() turns true."""
    f = function_of(s)
    f.cancelled = cancelled
    label = layer_label if f.of == "mlp" else (lambda name: name)
    names, labels = names_of(f.leaves, f.shapes, label)
    methods = run_methods(f, epsilon)
    reference = methods["reverse_mode"].grad
    grad, count = (analytic_network_apart if f.of == "mlp" else analytic_graph_apart)(f)
    apart = Method("analytic", TITLES["analytic"], grad, None, "", 0.0, count, *errors(grad, reference))
    points = sweep(f, reference)
    if cancelled():
        raise Cancelled
    association = associate(s.d, s.h, s.seed)
    theta = tuple(float(v) for v in f.theta)
    return Result(f.of, epsilon, f(f.theta), tuple(names), tuple(labels), methods, points, association, apart, theta)


def export(s: MethodsOptions) -> dict:
    r = compute(s)
    m = r.methods

    def grad(key):
        return [float(v) for v in m[key].grad]

    settings: dict = {"of": r.of, "epsilon": r.epsilon}
    settings |= (
        {"at": graph_lesson.point(s.at)}
        if r.of == "graph"
        else {"d": s.d, "h": s.h, "seed": s.seed, "x": mlp.default_x(s.d).tolist()}
    )
    return {
        "lesson": "methods",
        "settings": settings,
        "theta": dict(zip(r.names, r.theta, strict=True)),
        "of": r.of,
        "n": r.n,
        "parameters": list(r.names),
        "methods": {
            "forward_difference": {
                "grad": grad("forward_difference"),
                "evaluations": m["forward_difference"].count,
                "max_abs_error": m["forward_difference"].max_abs_error,
                "seconds": m["forward_difference"].seconds,
            },
            "central_difference": {
                "grad": grad("central_difference"),
                "evaluations": m["central_difference"].count,
                "max_abs_error": m["central_difference"].max_abs_error,
                "seconds": m["central_difference"].seconds,
            },
            "analytic": {"grad": grad("analytic")},
            "forward_mode": {"grad": grad("forward_mode"), "passes": m["forward_mode"].count},
            "reverse_mode": {"grad": grad("reverse_mode"), "passes": m["reverse_mode"].count},
        },
        "epsilon_sweep": [
            {"epsilon": p.epsilon, "forward_error": p.forward_error, "central_error": p.central_error} for p in r.sweep
        ],
        "chain_cost": {
            "reverse_multiply_adds": total(r.association.products["reverse"]),
            "forward_multiply_adds": total(r.association.products["forward"]),
        },
    }
