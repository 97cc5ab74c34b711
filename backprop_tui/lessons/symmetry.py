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
FORMULA = "V = XW⁽⁰⁾ᵀ + 𝟏b⁽⁰⁾ᵀ,  Z = {act}(V),  y = ZW⁽¹⁾ᵀ + 𝟏b⁽¹⁾,  L = ½·mean((y − t)²);  𝟏 a column of ones"
SECTION = "§3.2"


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
            section=SECTION,
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


@dataclass(frozen=True)
class BatchView:
    """A step of the batched pass written as the matrix operation it is: its real shapes and the broadcast in words.

    operands are (label, value as the maths writes it, 2-D); operators go between
    them. `parts` is the same operation in lines of its own, for a panel too
    narrow for one line: the product, the broadcast term made explicit, their sum.
    A backward step's view is how its gradient reads over the whole batch; its
    operands are empty when the step's own product already is that.
    """

    equation: str
    shapes: str
    words: str
    operands: tuple[tuple[str, np.ndarray], ...] = ()
    operators: tuple[str, ...] = ()
    parts: tuple[tuple[tuple[tuple[str, np.ndarray], ...], tuple[str, ...]], ...] = ()


def _dims(a: np.ndarray) -> str:
    a = np.asarray(a)
    return f"{a.shape[0]}×{a.shape[1]}"


def _as_column(a: np.ndarray) -> np.ndarray:
    """A value as the maths writes it: a vector as a column, a number as 1×1."""
    a = np.asarray(a, dtype=float)
    return a.reshape(-1, 1) if a.ndim < 2 else a


def _affine_parts(A: np.ndarray, W: np.ndarray, b: np.ndarray, out: np.ndarray, names: tuple[str, str, str, str]):
    """A·Wᵀ + 𝟏·b in three lines: the product, the bias row repeated for every example, and their sum.

    names: A's, W's, the bias row's (b⁽⁰⁾ᵀ) and the result's. The product and the
    repeated row are worked out here only to be shown; the result is the engine's.
    """
    a, w, row, o = names
    ones = np.ones((A.shape[0], 1))
    product = A @ W.T
    repeated = ones @ b.reshape(1, -1)
    return (
        (((a, A), (f"{w}ᵀ", W.T), (f"{a}{w}ᵀ", product)), ("·", "=")),
        ((("𝟏", ones), (row, b.reshape(1, -1)), (f"𝟏{row}", repeated)), ("·", "=")),
        (((f"{a}{w}ᵀ", product), (f"𝟏{row}", repeated), (o, out)), ("+", "=")),
    )


def batch_view(walk: Walkthrough, cursor: int) -> BatchView | None:
    """How step `cursor` of a training step's walkthrough reads over the batch, or None for a step that needs no view.

    Forward steps show their operation: X·W⁽⁰⁾ᵀ + 𝟏·b⁽⁰⁾ᵀ with 𝟏 a column of ones,
    so the shapes are those of real matrix products; backward steps of the
    parameters say which sum over the examples their gradient is.
    """
    if cursor < 1:
        return None
    trace = walk.trace
    step = trace.steps[cursor - 1]
    nodes = trace.nodes
    value = {name: _as_column(record.value) for name, record in nodes.items()}
    grad = {name: _as_column(record.grad) for name, record in nodes.items()}
    N = value["X"].shape[0]
    ones = np.ones((N, 1))
    W0, b0, W1, b1 = (layer_label(k) for k in PARAMS)
    if step.phase == "forward":
        if step.node == "V":
            h = value["V"].shape[1]
            return BatchView(
                f"V = X{W0}ᵀ + 𝟏{b0}ᵀ",
                f"({_dims(value['X'])})·({_dims(value['W0'].T)}) + ({N}×1)·(1×{h}) → {N}×{h}",
                f"𝟏 is a column of {N} ones, so 𝟏{b0}ᵀ is the row {b0}ᵀ repeated {N} times: {b0} is added to "
                f"every row of X{W0}ᵀ, that is to every example (numpy adds it to each row without building 𝟏{b0}ᵀ).",
                (("X", value["X"]), (f"{W0}ᵀ", value["W0"].T), ("𝟏", ones), (f"{b0}ᵀ", value["b0"].T),
                 ("V", value["V"])),
                ("·", "+", "·", "="),
                _affine_parts(value["X"], value["W0"], value["b0"], value["V"], ("X", W0, f"{b0}ᵀ", "V")),
            )
        if step.node == "Z":
            act = nodes["Z"].formula or "Z"
            return BatchView(
                act,
                f"({_dims(value['V'])}) → {_dims(value['Z'])}, entry by entry",
                "Each entry of Z comes from the entry of V in the same place: no example or unit mixes with another.",
                (("V", value["V"]), ("Z", value["Z"])),
                ("→",),
            )
        if step.node == "y":
            h = value["Z"].shape[1]
            return BatchView(
                f"y = Z{W1}ᵀ + 𝟏{b1}",
                f"({N}×{h})·({h}×1) + ({N}×1)·(1×1) → {N}×1",
                f"Row n of Z{W1}ᵀ is example n's weighted sum of hidden values; {b1} is one number, "
                f"added to every example's prediction (𝟏{b1} is {b1} repeated {N} times).",
                (("Z", value["Z"]), (f"{W1}ᵀ", value["W1"].T), ("𝟏", ones), (b1, value["b1"]), ("y", value["y"])),
                ("·", "+", "·", "="),
                _affine_parts(value["Z"], value["W1"], value["b1"], value["y"], ("Z", W1, b1, "y")),
            )
        if step.node == "L":
            return BatchView(
                "L = ½·mean((y − t)²)",
                f"({N}×1) − ({N}×1) → {N}×1, then ½·mean of its squared entries → 1×1",
                f"One number for the whole batch: the {N} examples' squared errors, averaged, then halved.",
                (("y", value["y"]), ("t", value["t"]), ("y − t", value["y"] - value["t"]), ("L", value["L"])),
                ("−", "=", "→"),
            )
        return None
    dV = grad["V"].reshape(value["V"].shape)
    h = value["V"].shape[1]
    if step.node == "b0":
        return BatchView(
            f"∂L/∂{b0} = 𝟏ᵀ · ∂L/∂V",
            f"(1×{N})·({N}×{h}) → 1×{h}",
            f"{b0} was added to every row of V, so its gradient is the sum of ∂L/∂V's {N} rows, one per example: "
            f"∂V/∂{b0} above, identity blocks stacked {N} times, adds them up.",
            (("𝟏ᵀ", ones.T), ("∂L/∂V", dV), (f"∂L/∂{b0}", grad["b0"].T)),
            ("·", "="),
        )
    if step.node == "W0":
        d = value["X"].shape[1]
        return BatchView(
            f"∂L/∂{W0} = (∂L/∂V)ᵀ · X",
            f"({h}×{N})·({N}×{d}) → {h}×{d}",
            f"The same product over the batch: a sum over the {N} examples of (row n of ∂L/∂V)ᵀ · xₙᵀ, "
            f"one {h}×{d} outer product per example.",
            (("(∂L/∂V)ᵀ", dV.T), ("X", value["X"]), (f"∂L/∂{W0}", grad["W0"])),
            ("·", "="),
        )
    if step.node == "W1":
        return BatchView(
            f"∂L/∂{W1} = ∂L/∂y · Z",
            f"(1×{N})·({N}×{h}) → 1×{h}",
            f"The product above sums over the {N} examples: each example's ∂L/∂yₙ times its row of hidden values.",
        )
    if step.node == "b1":
        return BatchView(
            f"∂L/∂{b1} = ∂L/∂y · 𝟏",
            f"(1×{N})·({N}×1) → 1×1",
            f"{b1} was added to every example's prediction, so its gradient is the sum of the {N} entries of ∂L/∂y.",
        )
    return None


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
