"""Each lesson's options: a small frozen dataclass that checks itself once, one message per problem.

A field's metadata says how it is written on the command line (its metavar, its
help and its kind of value), so the command line builds its arguments from
these classes. `from_given` turns what a user typed into options, refusing what
would go unused; the constructor alone checks values, so `dataclasses.replace`
in the app checks them again. Standard library only: the command line reads
these before any lesson (and numpy) loads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

INITS = ("random", "zero", "constant")
MAX_D = 4096
MAX_H = 4096
Point = tuple[tuple[str, float], ...]  # e.g. (("x", 1.0), ("y", 2.0))
OptionsT = TypeVar("OptionsT", bound="Options")


class LessonError(ValueError):
    """Options a lesson cannot use, with a one-line message for the user."""


def option(default: Any, metavar: str, help: str, kind: Any = "whole") -> Any:
    """A field with what the command line needs: kind is whole, number, numbers, point, text or a tuple of choices."""
    return field(default=default, metadata={"metavar": metavar, "help": help, "kind": kind})


@dataclass(frozen=True)
class Options:
    """What every lesson's options share: checked when made, built from what a user gave."""


    def __post_init__(self) -> None:
        for problem in self.problems():
            raise LessonError(problem)

    def problems(self) -> list[str]:
        """Every problem with these values, each in a sentence of its own; the first is reported."""
        return []

    @classmethod
    def from_given(cls: type[OptionsT], given: dict[str, Any]) -> OptionsT:
        """Options from the values a user gave (None: not given), defaults for the rest."""
        return cls(**{name: value for name, value in given.items() if value is not None})

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def _range(name: str, value: Any, low: int, high: int, lesson: str = "") -> list[str]:
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return []
    where = f" in lesson {lesson}" if lesson else ""
    return [f"--{name} must be a whole number from {low} to {high}{where}, got {value}"]


def _seed(value: int) -> list[str]:
    return [] if isinstance(value, int) and value >= 0 else [f"the seed must be 0 or more, got {value}"]


def _finite(name: str, value: float) -> list[str]:
    return [] if math.isfinite(value) else [f"--{name} must be a finite number"]


def point_problems(at: Point, variables: tuple[str, ...] | None, lesson: str, limit: float = math.inf) -> list[str]:
    """A point's names (each at most once; among variables unless None) and finite values within ±limit."""
    problems, seen = [], set()
    for name, value in at:
        if name in seen:
            problems.append(f"--at gives {name} twice")
        seen.add(name)
        if variables is not None and name not in variables:
            problems.append(f"lesson {lesson} has no variable {name!r} for --at (it has {' and '.join(variables)})")
        elif not math.isfinite(value):
            problems.append(f"--at {name} must be a finite number")
        elif abs(value) > limit:
            problems.append(
                f"lesson {lesson} needs --at {name} between −{limit:g} and {limit:g},"
                " so p and its perturbations stay finite"
            )
    return problems


def _init_given(given: dict[str, Any], random_default: bool) -> list[str]:
    """--const needs --init constant; --seed is used only by a random start (mlp)."""
    init = given.get("init") or ("random" if random_default else "zero")
    problems = []
    if given.get("const") is not None and init != "constant":
        problems.append("--const needs --init constant")
    if random_default and given.get("seed") is not None and init != "random":
        problems.append(f"--seed goes with --init random (--init {init} draws nothing)")
    return problems


D_HELP, H_HELP = "inputs", "hidden units"


@dataclass(frozen=True)
class MlpOptions(Options):
    """The network of §3.1: sizes, how it starts, and its input."""

    d: int = option(2, "N", f"{D_HELP}, 1…{MAX_D} (default 2)")
    h: int = option(4, "N", f"{H_HELP}, 1…{MAX_H} (default 4)")
    init: str = option("random", "KIND", "how weights and biases start (default random)", INITS)
    const: float = option(0.5, "C", "the value of every weight and bias with --init constant (default 0.5)", "number")
    seed: int = option(0, "N", "seed of the random start (default 0)")
    x: tuple[float, ...] | None = option(None, "1,2", "the input, d numbers (default 1,2 repeated)", "numbers")

    def problems(self) -> list[str]:
        problems = _range("d", self.d, 1, MAX_D) + _range("h", self.h, 1, MAX_H)
        if self.init not in INITS:
            problems.append(f"--init must be {', '.join(INITS[:-1])} or {INITS[-1]}, got {self.init!r}")
        problems += _finite("const", self.const)
        problems += _seed(self.seed)
        if self.x is not None:
            if len(self.x) != self.d:
                count = "1 number" if self.d == 1 else f"{self.d} numbers"
                problems.append(f"--x needs {count} (d = {self.d}), got {len(self.x)}")
            if not all(math.isfinite(v) for v in self.x):
                problems.append("--x must hold finite numbers")
        return problems

    @classmethod
    def from_given(cls, given: dict[str, Any]) -> MlpOptions:
        for problem in _init_given(given, random_default=True):
            raise LessonError(problem)
        if given.get("x") is not None and given.get("d") is None:
            given = {**given, "d": len(given["x"])}  # d follows from the input
        return super().from_given(given)


GRAPH_VARIABLES = ("x", "y")


@dataclass(frozen=True)
class GraphOptions(Options):
    """p(x, y) of §4 at a point."""

    at: Point = option((), "x=1,y=2", "the point (default x=1,y=2); may be repeated", "point")

    def problems(self) -> list[str]:
        return point_problems(self.at, GRAPH_VARIABLES, "graph")


SYMMETRY_INITS = ("zero", "constant")
MAX_INPUTS = 8  # 2^8 = 256 data points
MAX_UNITS = 16  # every hidden unit gets a table row on screen
MAX_STEPS = 100_000
DATA_SETS = ("xor", "and")
ACTIVATIONS = ("sigmoid", "tanh", "relu")


@dataclass(frozen=True)
class SymmetryOptions(Options):
    """Two copies of the network trained side by side: a symmetric start against a random one."""

    d: int = option(2, "N", f"{D_HELP}, 1…{MAX_INPUTS} (default 2)")
    h: int = option(4, "N", f"{H_HELP}, 1…{MAX_UNITS} (default 4)")
    init: str = option("zero", "KIND", "the symmetric side's start, zero or constant (default zero)", SYMMETRY_INITS)
    const: float = option(0.5, "C", "its value with --init constant (default 0.5)", "number")
    seed: int = option(0, "N", "seed of the random side (default 0)")
    lr: float | None = option(None, "LR", "learning rate (default 1 for sigmoid, 0.3 for tanh, 0.2 for relu)", "number")
    steps: int = option(1000, "N", f"gradient-descent steps the export records, 0…{MAX_STEPS} (default 1000)")
    data: str = option("xor", "SET", "all points of {0,1}^d with their XOR or AND (default xor)", DATA_SETS)
    activation: str = option("sigmoid", "NAME", "hidden activation (default sigmoid)", ACTIVATIONS)

    def problems(self) -> list[str]:
        problems = _range("d", self.d, 1, MAX_INPUTS, "symmetry") + _range("h", self.h, 1, MAX_UNITS, "symmetry")
        if self.init not in SYMMETRY_INITS:
            problems.append(
                "--init must be zero or constant in lesson symmetry (its other side is always random),"
                f" got {self.init!r}"
            )
        problems += _finite("const", self.const)
        problems += _seed(self.seed)
        if self.lr is not None and not (math.isfinite(self.lr) and self.lr > 0):
            problems.append(f"--lr must be a positive number, got {self.lr}")
        problems += _range("steps", self.steps, 0, MAX_STEPS)
        if self.data not in DATA_SETS:
            problems.append(f"--data must be one of {', '.join(DATA_SETS)}, got {self.data!r}")
        if self.activation not in ACTIVATIONS:
            problems.append(f"--activation must be one of {', '.join(ACTIVATIONS)}, got {self.activation!r}")
        return problems

    @classmethod
    def from_given(cls, given: dict[str, Any]) -> SymmetryOptions:
        for problem in _init_given(given, random_default=False):
            raise LessonError(problem)
        return super().from_given(given)


METHODS_MAX_D, METHODS_MAX_H = 8, 32  # every method and the sweep rerun at each key press: n = hd + 2h + 1 ≤ 321
MAX_AT = 100.0  # |x|, |y| for p(x, y): exp(−y) and x³ stay far from overflow
FUNCTIONS = ("mlp", "graph")


@dataclass(frozen=True)
class MethodsOptions(Options):
    """One gradient five ways, of the network or of p(x, y)."""

    d: int = option(2, "N", f"{D_HELP} of the network, 1…{METHODS_MAX_D} (default 2)")
    h: int = option(4, "N", f"{H_HELP} of the network, 1…{METHODS_MAX_H} (default 4)")
    seed: int = option(0, "N", "seed of the network's random start (default 0)")
    at: Point = option((), "x=1,y=2", "the point of p(x, y) (default x=1,y=2; implies --of graph)", "point")
    of: str | None = option(None, "WHAT", "the function: mlp or graph (default mlp)", FUNCTIONS)

    def problems(self) -> list[str]:
        problems = [
            f"lesson methods runs every method at every change: --{name} must be 1 to {limit}, got {value}"
            for name, value, limit in (("d", self.d, METHODS_MAX_D), ("h", self.h, METHODS_MAX_H))
            if _range(name, value, 1, limit)
        ]
        problems += _seed(self.seed)
        if self.of is not None and self.of not in FUNCTIONS:
            problems.append(f"--of must be mlp or graph, got {self.of!r}")
        elif self.at and self.function != "graph":
            problems.append("--at sets the point of p(x, y): use it with --of graph (the network has no --at)")
        return problems + point_problems(self.at, GRAPH_VARIABLES, "methods", MAX_AT)

    @property
    def function(self) -> str:
        """--of, defaulting to the network, or to p(x, y) when only a point is given."""
        return self.of or ("graph" if self.at else "mlp")


CHAIN_LIMIT = 64  # ∂g/∂W has n·n·ℓ entries: at most 262 144


@dataclass(frozen=True)
class ChainOptions(Options):
    """g: ℝ^ℓ → ℝⁿ and f: ℝⁿ → ℝᵐ, drawn from a seed."""

    l: int = option(3, "N", f"input size of g: ℝ^l → ℝ^n, 1…{CHAIN_LIMIT} (default 3)")  # noqa: E741 — the course's name
    n: int = option(4, "N", f"output size of g, input size of f: ℝ^n → ℝ^m, 1…{CHAIN_LIMIT} (default 4)")
    m: int = option(2, "N", f"output size of f, 1…{CHAIN_LIMIT} (default 2)")
    seed: int = option(0, "N", "seed of the drawn A, a, B, c and x (default 0)")

    def problems(self) -> list[str]:
        problems = [p for name in ("l", "n", "m") for p in _range(name, getattr(self, name), 1, CHAIN_LIMIT)]
        problems += _seed(self.seed)
        return problems


DEFAULT_EXPR = "6*exp(-y)/(1+x^2+y^2) + 2*x^3"


@dataclass(frozen=True)
class ExprOptions(Options):
    """A function typed by the student, at a point.

    Both are checked when the lesson parses the function, which knows its
    variables and reports a problem with the column where it is.
    """

    expr: str = option(DEFAULT_EXPR, "TEXT", 'a function, e.g. "6*exp(-y)/(1+x^2+y^2) + 2*x^3"', "text")
    at: Point = option((), "x=1,y=2", "the point; unset variables are x=1, y=2, others 1", "point")
