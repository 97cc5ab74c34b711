"""Lesson symmetry: with a constant initialization every hidden unit stays identical under gradient descent (§3.2c)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np

from ..engine import Graph, Node, ops, passes
from ..engine.notation import layer_label
from ..engine.tape import Tape
from .base import Walkthrough, why_by_step
from .draws import Normals
from .mlp import initial_parameters
from .options import MAX_INPUTS as MAX_INPUTS  # the lesson's limits, also read from here
from .options import MAX_STEPS as MAX_STEPS
from .options import MAX_UNITS as MAX_UNITS
from .options import MlpOptions, SymmetryOptions

DATA_SETS = {
    "xor": "XOR (parity) of d bits",
    "and": "AND of d bits",
}
ACTIVATIONS = {"sigmoid": ops.sigmoid, "tanh": ops.tanh, "relu": ops.relu}
SYMBOL = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu"}
# Chosen so that on XOR the random side solves the task well within the default
# steps while the zero side stays at the mean; tanh and relu diverge at 1.0.
DEFAULT_LR = {"sigmoid": 1.0, "tanh": 0.3, "relu": 0.2}
DEFAULT_STEPS = 1000
BLOCK = 256  # steps an export trains before counting their distinct units and handing them on
SAME = 1e-12  # two hidden units are the same when all their numbers agree this closely
LOSS = "0.5*mean((y-t)^2)"
PARAMS = ("W0", "b0", "W1", "b1")
FORMULA = "V = XW⁽⁰⁾ᵀ + b⁽⁰⁾,  Z = {act}(V),  y = ZW⁽¹⁾ᵀ + b⁽¹⁾,  L = ½·mean((y − t)²)"


@dataclass(frozen=True)
class Config:
    """Everything a run of this lesson depends on, defaults filled in."""

    d: int
    h: int
    init: str  # the symmetric side: "zero" or "constant"
    const: float  # its value (0.0 for zero)
    seed: int  # the random side's seed
    lr: float
    steps: int
    data: str
    activation: str


def config(s: SymmetryOptions) -> Config:
    """The options with this lesson's derived defaults filled in (they were checked when made)."""
    constant = s.init == "constant"
    lr = DEFAULT_LR[s.activation] if s.lr is None else float(s.lr)
    return Config(
        s.d, s.h, s.init, float(s.const) if constant else 0.0, s.seed, lr, s.steps, s.data, s.activation,
    )


def data_set(name: str, d: int) -> tuple[np.ndarray, np.ndarray]:
    """All 2^d points of {0, 1}^d in counting order, and their targets."""
    X = ((np.arange(2**d)[:, None] >> np.arange(d - 1, -1, -1)) & 1).astype(float)
    t = X.sum(axis=1) % 2 if name == "xor" else X.prod(axis=1)
    return X, t.astype(float)


def constant_parameters(d: int, h: int, c: float) -> dict[str, np.ndarray]:
    """Every weight and bias equal to c: the symmetric start."""
    return {"W0": np.full((h, d), c), "b0": np.full(h, c), "W1": np.full((1, h), c), "b1": np.array(float(c))}


def random_parameters(d: int, h: int, seed: int) -> dict[str, np.ndarray]:
    """The network lesson's seeded random initialization (variance 1/fan-in)."""
    return initial_parameters(MlpOptions(d=d, h=h, init="random", seed=seed))


def _sealed(a) -> np.ndarray:
    """A read-only float64 copy, which graphs share instead of copying again."""
    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Problem:
    """The data, the activation and the learning rate shared by both sides."""

    X: np.ndarray
    t: np.ndarray
    activation: str
    lr: float


def problem(c: Config) -> Problem:
    X, t = data_set(c.data, c.d)
    return Problem(_sealed(X), _sealed(t), c.activation, c.lr)


def build_graph(p: Problem, params: dict[str, np.ndarray]) -> tuple[Graph, Node]:
    """The whole batch at once: V = XW⁽⁰⁾ᵀ + b⁽⁰⁾, Z = act(V), y = ZW⁽¹⁾ᵀ + b⁽¹⁾, L = ½·mean((y − t)²).

    X and t come first so that, going backward, the gradients training uses come
    before ∂L/∂t and ∂L/∂X, which it does not.
    """
    g = Graph()
    X = g.input("X", p.X, label="X")
    t = g.input("t", p.t, label="t")
    W0 = g.parameter("W0", params["W0"], label=layer_label("W0"))
    b0 = g.parameter("b0", params["b0"], label=layer_label("b0"))
    V = g.apply(ops.batch_affine, X, W0, b0, name="V", label="V")
    Z = g.apply(ACTIVATIONS[p.activation], V, name="Z", label="Z")
    W1 = g.parameter("W1", params["W1"], label=layer_label("W1"))
    b1 = g.parameter("b1", params["b1"], label=layer_label("b1"))
    y = g.apply(ops.batch_affine, Z, W1, b1, name="y", label="y")
    return g, g.apply(ops.mse, y, t, name="L", label="L")


def _units(params: dict[str, np.ndarray]) -> np.ndarray:
    """Each hidden unit's numbers in one row (its W⁽⁰⁾ row, b⁽⁰⁾ entry, W⁽¹⁾ entry); stacked steps stay stacked."""
    W0, b0, W1 = params["W0"], params["b0"], params["W1"]
    return np.concatenate([W0, b0[..., None], np.swapaxes(W1, -1, -2)], axis=-1)


def _same(U: np.ndarray) -> np.ndarray:
    """same[..., i, j]: units i and j agree to SAME in every number (equal infinities too)."""
    with np.errstate(invalid="ignore"):
        a, b = U[..., :, None, :], U[..., None, :, :]
        return ((np.abs(a - b) <= SAME) | (a == b)).all(axis=-1)


def unit_groups(params: dict[str, np.ndarray]) -> list[int]:
    """For each hidden unit, the first unit that is the same as it (itself when no earlier one is)."""
    same = _same(_units(params))
    return [next((j for j in range(i) if same[i, j]), i) for i in range(same.shape[0])]


def distinct_hidden_units(params: dict[str, np.ndarray]) -> int:
    """How many hidden units differ: a unit counts when it is the same as no earlier unit."""
    groups = unit_groups(params)
    return sum(1 for i, g in enumerate(groups) if g == i)


def distinct_over_steps(stacked: dict[str, np.ndarray]) -> np.ndarray:
    """distinct_hidden_units for every step at once, from parameters stacked along a first axis."""
    same = _same(_units(stacked))
    earlier = np.tril(np.ones(same.shape[-2:], dtype=bool), k=-1)
    return (~(same & earlier).any(axis=-1)).sum(axis=-1)


def row_gap(W0: np.ndarray) -> float:
    """The largest entry-wise difference between any two rows of W⁽⁰⁾."""
    return float((W0.max(axis=0) - W0.min(axis=0)).max())


CLOSE = 0.25  # a prediction this close to its 0/1 target counts as right


@dataclass(frozen=True)
class Outcome:
    """What the page shows of one side's current step."""

    predictions: np.ndarray  # y at every data point
    right: tuple[bool, ...]  # each within CLOSE of its target
    stuck: str | None  # why only b⁽¹⁾ can move, when that is so


class Run:
    """One side of the lesson: its initialization, its parameters now, and its history.

    Step k holds the parameters after k gradient-descent steps and the loss and
    gradients at those parameters; the gradients make step k + 1. Training runs
    on a Tape of the lesson's graph (built once); n / p get a full Trace of the
    same graph at the current parameters. With record=False the run keeps only
    its current step (no losses, gaps or history), as an export needs.
    """

    def __init__(self, p: Problem, init: str, params: dict[str, np.ndarray], const: float | None = None,
                 seed: int | None = None, keep_params: bool = False, record: bool = True):
        self.problem, self.init, self.const, self.seed = p, init, const, seed
        self.params = {k: _sealed(params[k]) for k in PARAMS}
        self._tape = Tape(*build_graph(p, self.params), wrt=PARAMS)
        self.step = 0
        self.nudged_at: int | None = None
        self.record = record
        self.losses: list[float] = []
        self.gaps: list[float] = []
        self.history: list[dict[str, np.ndarray]] | None = [] if keep_params else None
        self._evaluate()

    def _evaluate(self) -> None:
        value, self.grads = self._tape(**self.params)
        self.loss = float(value)
        self._outcome: Outcome | None = None  # made when the page first asks for this step
        self._groups: list[int] | None = None  # likewise
        if self.record:
            self.losses.append(self.loss)
            self.gaps.append(row_gap(self.params["W0"]))
            if self.history is not None:
                self.history.append(self.params)

    def advance(self, n: int = 1) -> None:
        """n steps of full-batch gradient descent: θ ← θ − lr·∂L/∂θ."""
        lr = self.problem.lr
        with np.errstate(all="ignore"):  # a learning rate that diverges gives inf and nan, not warnings
            for _ in range(n):
                grads = self.grads
                self.params = {k: v - lr * grads[k] for k, v in self.params.items()}
                self.step += 1
                self._evaluate()

    def nudge(self, rng: Normals, scale: float) -> None:
        """Add a tiny random perturbation to every parameter, replacing the current step's record."""
        self.params = {k: _sealed(v + rng.normal(0.0, scale, size=np.shape(v))) for k, v in self.params.items()}
        self.nudged_at = self.step
        for series in (self.losses, self.gaps, self.history):
            if series:
                series.pop()
        self._evaluate()

    @property
    def diverged(self) -> bool:
        return not math.isfinite(self.loss)

    def groups(self) -> list[int]:
        """unit_groups of the current step, worked out once however often the page redraws it."""
        if self._groups is None:
            self._groups = unit_groups(self.params)
        return self._groups

    def distinct(self) -> int:
        return sum(1 for i, g in enumerate(self.groups()) if g == i)

    def stacked(self) -> dict[str, np.ndarray]:
        """The recorded parameters of every step, each stacked along a first axis (needs keep_params)."""
        assert self.history is not None, "stacked() needs a run made with keep_params=True"
        return {k: np.array([p[k] for p in self.history]) for k in PARAMS}

    def _values(self) -> tuple[Graph, dict]:
        graph, loss = build_graph(self.problem, self.params)
        return graph, passes.forward(graph.order(loss))

    @property
    def outcome(self) -> Outcome:
        """The current step's predictions, which are right, and why training is stuck: once per step."""
        if self._outcome is None:
            graph, values = self._values()
            y = values[graph["y"].id]
            right = tuple(bool(math.isfinite(v) and abs(v - t) < CLOSE) for v, t in zip(y, self.problem.t, strict=True))
            self._outcome = Outcome(y, right, self._stuck_note(graph, values))
        return self._outcome

    def predictions(self) -> np.ndarray:
        """y at every data point for the current parameters."""
        return self.outcome.predictions

    def stuck_note(self) -> str | None:
        """Why only b⁽¹⁾ can move, when W⁽⁰⁾, b⁽⁰⁾ and W⁽¹⁾ all get exactly zero gradient."""
        return self.outcome.stuck

    def _stuck_note(self, graph: Graph, values: dict) -> str | None:
        if any(np.any(self.grads[k] != 0) for k in ("W0", "b0", "W1")) or self.diverged:
            return None
        V, Z = values[graph["V"].id], values[graph["Z"].id]
        act = SYMBOL[self.problem.activation]
        reasons = []
        if not np.any(Z):
            at = f"{act}(0) = 0" if not np.any(V) else f"{act}(v) = 0 for v ≤ 0"
            reasons.append(f"{at} makes every hidden value 0, so ∂L/∂W⁽¹⁾ = ∂L/∂y · Z = 0")
        if not np.any(self.params["W1"]):
            reasons.append("W⁽¹⁾ = 0 passes no gradient back to Z, so W⁽⁰⁾ and b⁽⁰⁾ get 0 too")
        elif self.problem.activation == "relu" and not np.any(V > 0):
            reasons.append("relu′(v) = 0 for v ≤ 0 stops the gradient at V, so W⁽⁰⁾ and b⁽⁰⁾ get 0 too")
        if not reasons:
            return None
        return (
            "Only the output bias b⁽¹⁾ can move: " + "; ".join(reasons) + ". Alone, b⁽¹⁾ can only fit the mean target."
        )

    def walkthrough(self, side: str) -> Walkthrough:
        """The full forward and backward pass of this side's current training step, for n / p."""
        graph, loss = build_graph(self.problem, self.params)
        trace = passes.run(graph, loss)
        h = self.params["W0"].shape[0]
        same = self.distinct() == 1 and h > 1
        return Walkthrough(
            lesson="symmetry",
            title=f"{side}: training step {self.step} → {self.step + 1}",
            settings={"init": self.init, "const": self.const, "seed": self.seed, "step": self.step},
            trace=trace,
            why=_why(trace, self.problem, h, same),
            formula=FORMULA.format(act=SYMBOL[self.problem.activation]),
        )

    def export(self, steps: int) -> dict:
        """The export contract's `runs` entry for `steps` steps from this run's parameters, its history lazy."""
        return {"init": self.init, "const": self.const, "seed": self.seed,
                "history": History(self.problem, self.params, steps)}


class History:
    """A run's exported history, trained as it is read: steps + 1 entries, each ready when its step is.

    Only one block of steps is held at a time, so an export of any length runs
    in the same memory; the JSON writer writes each entry as it comes. Each
    iteration trains afresh from the same start, so the history can be read
    twice. The numbers are a plain run's: the same Run.advance, step by step.
    """

    def __init__(self, p: Problem, params: dict[str, np.ndarray], steps: int):
        self.problem, self.start, self.steps = p, params, steps

    def __len__(self) -> int:
        return self.steps + 1

    def _states(self) -> Iterator[tuple[int, float, dict[str, np.ndarray]]]:
        run = Run(self.problem, "given", self.start, record=False)
        yield run.step, run.loss, run.params
        for _ in range(self.steps):
            run.advance()
            yield run.step, run.loss, run.params

    def __iter__(self) -> Iterator[dict]:
        states = self._states()
        while block := list(islice(states, BLOCK)):  # trains the next BLOCK steps
            stacked = {k: np.array([params[k] for _, _, params in block]) for k in PARAMS}
            for (step, loss, params), distinct in zip(block, distinct_over_steps(stacked).tolist(), strict=True):
                yield {
                    "step": step,
                    "loss": loss if math.isfinite(loss) else None,
                    "params": params,  # arrays, which the writer writes a row per line
                    "distinct_hidden_units": distinct,
                }


def sides(c: Config, keep_params: bool = False) -> tuple[Run, Run]:
    """The symmetric side (zero or constant) and the random side, at step 0."""
    p = problem(c)
    symmetric = Run(p, c.init, constant_parameters(c.d, c.h, c.const), const=c.const if c.init == "constant" else None,
                    keep_params=keep_params)
    rand = Run(p, "random", random_parameters(c.d, c.h, c.seed), seed=c.seed, keep_params=keep_params)
    return symmetric, rand


def train(p: Problem, params: dict[str, np.ndarray], steps: int) -> Run:
    """Gradient descent from params for `steps` steps, every step recorded."""
    run = Run(p, "given", params, keep_params=True)
    run.advance(steps)
    return run


def export(s: SymmetryOptions) -> dict:
    """The export contract; each run's history is a History, which trains as the JSON writer reads it."""
    c = config(s)
    runs = sides(c)
    X, t = data_set(c.data, c.d)
    return {
        "lesson": "symmetry",
        "data": {"X": X.tolist(), "t": t.tolist()},
        "loss": LOSS,
        "lr": c.lr,
        "activation": c.activation,
        "runs": [run.export(c.steps) for run in runs],
    }


def _why(trace, p: Problem, h: int, same: bool) -> tuple[str, ...]:
    n = p.X.shape[0]
    act = SYMBOL[p.activation]
    twins = (
        f" All {h} hidden units are identical, so all {h} columns of this matrix are equal." if same else ""
    )
    rows_same = (
        f" All {h} rows are equal: identical units get identical gradients, so the update keeps them identical."
        if same
        else ""
    )
    forward = {
        "V": f"One row per data point: row n is W⁽⁰⁾xₙ + b⁽⁰⁾, the {h} pre-activations for point n. "
        f"Each column belongs to one hidden unit.{twins}",
        "Z": f"{act} acts entry by entry, so each hidden value depends only on its own pre-activation.{twins}",
        "y": f"The network's prediction for each of the {n} points: the hidden values weighted by W⁽¹⁾, plus b⁽¹⁾.",
        "L": f"Half the mean squared error over the {n} points: one number to make smaller.",
    }
    backward = {
        "L": "The backward pass starts at the loss: ∂L/∂L = 1.",
        "y": f"Each prediction's error, divided by {n}: points that are far off pull hardest.",
        "b1": "b⁽¹⁾ is added to every prediction, so its gradient is the sum of ∂L/∂y: the mean error.",
        "W1": "∂L/∂W⁽¹⁾ = ∂L/∂y · Z: each unit's outgoing weight moves by how its hidden values "
        "line up with the errors."
        + (" Equal columns of Z give equal entries here." if same else ""),
        "Z": "Each hidden value reaches y through its unit's outgoing weight, "
        "so ∂L/∂Z is ∂L/∂y times W⁽¹⁾, point by point.",
        "V": f"The slope of {act} at each pre-activation scales ∂L/∂Z entry by entry (a diagonal Jacobian).",
        "b0": "b⁽⁰⁾ is added to every row of V, so its gradient sums ∂L/∂V over the data points." + (
            f" All {h} entries are equal." if same else ""),
        "W0": "Row j of ∂L/∂W⁽⁰⁾ sums, over the points, unit j's share of the error times xₙᵀ." + rows_same,
        "t": "Training does not change the targets; this gradient comes for free but goes unused.",
        "X": "Nor does it change the inputs: ∂L/∂X is computed because X is a node, then ignored.",
    }
    start = (
        "The parameters of this training step are set. Press n to run the forward pass over the whole data set, "
        "then the backward pass; the gradients at the end are what the next step subtracts (times the learning rate)."
    )
    return why_by_step(trace, start, forward, backward)
