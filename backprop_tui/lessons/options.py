"""Each lesson's options: a small frozen dataclass that checks itself once, one message per problem.

A field's metadata says how it is written on the command line (its metavar, its
help and its kind of value), so the command line builds its arguments from
these classes. `from_given` turns what a user typed into options, refusing what
would go unused; the constructor alone checks values, so `dataclasses.replace`
in the app checks them again. Standard library only: the command line reads
these before any lesson (and numpy) loads.
"""

from __future__ import annotations

import hashlib
import json
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


def _variant(value: int | None) -> list[str]:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        return []
    return [f"--variant must be a whole number 1 or more, got {value}"]


def variant_seed(lesson: str, variant: int) -> int:
    """The seed of a lesson's variant: the same on every machine and in every Python (no hash())."""
    digest = hashlib.sha256(f"backprop-tui {lesson} variant {variant}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % (2**32 - 1) + 1  # 1 … 2³²−1: never the course's seed 0


VARIANT_HELP = (
    "your own numbers: variant N (1, 2, …) of the point, input and weights or draw, the same for the same N"
    " (default: the course's numbers)"
)


def _variant_option() -> Any:
    return option(None, "N", VARIANT_HELP)


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
PARAM_KEYS = ("W0", "b0", "W1", "b1", "x")


@dataclass(frozen=True)
class MlpParams:
    """A network's weights, biases and input as a problem set gives them (--params FILE.json)."""

    source: str  # the file, as its name was given
    W0: tuple[tuple[float, ...], ...]  # h rows of d
    b0: tuple[float, ...]  # h
    W1: tuple[float, ...]  # the one row of the 1×h matrix
    b1: float
    x: tuple[float, ...]  # d

    @property
    def d(self) -> int:
        return len(self.x)

    @property
    def h(self) -> int:
        return len(self.b0)

    def as_json(self) -> dict[str, Any]:
        """The numbers as a --params file holds them (W1 as its 1×h matrix)."""
        return {"W0": [list(row) for row in self.W0], "b0": list(self.b0), "W1": [list(self.W1)], "b1": self.b1,
                "x": list(self.x)}


def _kind_of(value: Any) -> str:
    """What a JSON value is, in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _params_numbers(where: str, name: str, value: Any, what: str) -> tuple[float, ...]:
    """A list of finite numbers, or LessonError naming the key (and the entry) at fault."""
    if not isinstance(value, list) or not value:
        raise LessonError(f"{where}: {name} must be {what}, got {'an empty list' if value == [] else _kind_of(value)}")
    numbers = []
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise LessonError(f"{where}: {name}[{i}] must be a number, got {_kind_of(v)}")
        number = float(v)
        if not math.isfinite(number):
            raise LessonError(f"{where}: {name}[{i}] must be a finite number, got {number}")
        numbers.append(number)
    return tuple(numbers)


def _read_json(where: str, path: str) -> Any:
    import os
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe would wait for a writer, a folder cannot be read
            raise LessonError(f"cannot read {where}: not a regular file")
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except OSError as error:
        raise LessonError(f"cannot read {where}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise LessonError(f"{where} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise LessonError(
            f"{where} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise LessonError(f"{where} is not valid JSON that can be read: it is nested too deeply") from None


def load_params(path: str) -> MlpParams:
    """The numbers of a --params file; LessonError with one line naming the problem."""
    where = f"--params {path}"
    data = _read_json(where, path)
    keys = ", ".join(PARAM_KEYS[:-1]) + f" and {PARAM_KEYS[-1]}"
    if not isinstance(data, dict):
        raise LessonError(f"{where} must hold a JSON object with {keys}, not {_kind_of(data)}")
    for key in data:
        if key not in PARAM_KEYS:
            raise LessonError(f"{where} has an unknown key {key!r} (it takes {keys})")
    missing = [key for key in PARAM_KEYS if key not in data]
    if missing:
        raise LessonError(f"{where} is missing {' and '.join(missing)} (it needs {keys})")
    matrix = "an h×d matrix: a list of h rows, each a list of d numbers"
    rows = data["W0"]
    if not isinstance(rows, list) or not rows or not all(isinstance(row, list) for row in rows):
        raise LessonError(f"{where}: W0 must be {matrix}")
    W0 = tuple(_params_numbers(where, f"W0[{i}]", row, "a row of d numbers") for i, row in enumerate(rows))
    h, d = len(W0), len(W0[0])
    for i, row in enumerate(W0):
        if len(row) != d:
            raise LessonError(f"{where}: W0's rows must be equally long: row 0 has {d} numbers, row {i} has {len(row)}")
    if h > MAX_H or d > MAX_D:
        raise LessonError(f"{where}: W0 is {h}×{d}; lesson mlp takes at most {MAX_H}×{MAX_D}")
    b0 = _params_numbers(where, "b0", data["b0"], f"a list of h = {h} numbers (W0 has {h} rows)")
    if len(b0) != h:
        raise LessonError(f"{where}: b0 has {len(b0)} numbers but W0 has {h} rows: b0 needs h = {h}")
    w1 = data["W1"]
    one_row = isinstance(w1, list) and len(w1) == 1 and isinstance(w1[0], list)
    W1 = _params_numbers(where, "W1[0]" if one_row else "W1", w1[0] if one_row else w1, f"1×{h} or {h} numbers")
    if len(W1) != h:
        shape = f"1×{len(W1)}" if one_row else f"{len(W1)} numbers"
        raise LessonError(f"{where}: W1 is {shape} but W0 has {h} rows: W1 needs 1×{h} (or {h} numbers)")
    one = "one number (or a list of one)"
    b1_value = data["b1"]
    if isinstance(b1_value, list):
        b1 = _params_numbers(where, "b1", b1_value, one)
        if len(b1) != 1:
            raise LessonError(f"{where}: b1 must be {one}, got {len(b1)} numbers")
    elif isinstance(b1_value, bool) or not isinstance(b1_value, (int, float)):
        raise LessonError(f"{where}: b1 must be {one}, got {_kind_of(b1_value)}")
    elif not math.isfinite(b1_value):
        raise LessonError(f"{where}: b1 must be a finite number, got {float(b1_value)}")
    else:
        b1 = (float(b1_value),)
    x = _params_numbers(where, "x", data["x"], f"a list of d = {d} numbers (W0 has {d} columns)")
    if len(x) != d:
        raise LessonError(f"{where}: x has {len(x)} numbers but W0 has {d} columns: x needs d = {d}")
    return MlpParams(path, W0, b0, W1, b1[0], x)


@dataclass(frozen=True)
class MlpOptions(Options):
    """The network of §3.1: sizes, how it starts, and its input.

    A variant draws x and, for a random start, nice weights and biases (one or
    two decimals); zero and constant starts keep their weights, so only x varies.
    An explicit x wins over the variant's. params holds a problem set's numbers
    (--params): with a random start they are the network; a zero or constant start
    (chosen in the app) keeps the file's x.
    """

    d: int = option(2, "N", f"{D_HELP}, 1…{MAX_D} (default 2)")
    h: int = option(4, "N", f"{H_HELP}, 1…{MAX_H} (default 4)")
    init: str = option("random", "KIND", "how weights and biases start (default random)", INITS)
    const: float = option(0.5, "C", "the value of every weight and bias with --init constant (default 0.5)", "number")
    seed: int = option(0, "N", "seed of the random start (default 0)")
    x: tuple[float, ...] | None = option(None, "1,2", "the input, d numbers (default 1,2 repeated)", "numbers")
    variant: int | None = _variant_option()
    params: MlpParams | None = option(
        None, "FILE.json", "a problem set's numbers: a JSON object with W0 (h×d), b0, W1, b1 and x;"
        " d and h follow from the shapes", "file",
    )

    def problems(self) -> list[str]:
        problems = _range("d", self.d, 1, MAX_D) + _range("h", self.h, 1, MAX_H)
        if self.init not in INITS:
            problems.append(f"--init must be {', '.join(INITS[:-1])} or {INITS[-1]}, got {self.init!r}")
        problems += _finite("const", self.const)
        problems += _seed(self.seed)
        problems += _variant(self.variant)
        if self.x is not None:
            if len(self.x) != self.d:
                count = "1 number" if self.d == 1 else f"{self.d} numbers"
                problems.append(f"--x needs {count} (d = {self.d}), got {len(self.x)}")
            if not all(math.isfinite(v) for v in self.x):
                problems.append("--x must hold finite numbers")
        if self.params is not None:
            if not isinstance(self.params, MlpParams):
                problems.append("--params must be read with load_params (MlpOptions.from_given does)")
            elif (self.d, self.h) != (self.params.d, self.params.h):
                problems.append(f"d and h follow from --params: {self.params.d} and {self.params.h}")
            elif self.x is not None or self.variant is not None:
                problems.append("--params gives the input and the weights: not --x or --variant as well")
        return problems

    @classmethod
    def from_given(cls, given: dict[str, Any]) -> MlpOptions:
        if given.get("params") is not None:
            for name, what in PARAMS_CONFLICTS.items():
                if given.get(name) is not None:
                    raise LessonError(f"--params and --{name} conflict: {what}")
            params = load_params(given["params"])
            return cls(d=params.d, h=params.h, params=params)
        for problem in _init_given(given, random_default=True):
            raise LessonError(problem)
        if given.get("variant") is not None:
            init = given.get("init") or "random"
            if given.get("seed") is not None:
                raise LessonError("--seed and --variant both choose the random start: give one of them")
            if init != "random" and given.get("x") is not None:
                raise LessonError(
                    f"--variant would change nothing: with --init {init} it draws only x, and --x gives x"
                )
        if given.get("x") is not None and given.get("d") is None:
            given = {**given, "d": len(given["x"])}  # d follows from the input
        return super().from_given(given)


PARAMS_CONFLICTS = {
    "d": "the file's shapes give d",
    "h": "the file's shapes give h",
    "init": "the file gives the weights and biases",
    "const": "the file gives the weights and biases",
    "seed": "the file gives the weights and biases",
    "x": "the file gives x",
    "variant": "the file gives every number",
}


GRAPH_VARIABLES = ("x", "y")


@dataclass(frozen=True)
class GraphOptions(Options):
    """p(x, y) of §4 at a point."""

    at: Point = option((), "x=1,y=2", "the point (default x=1,y=2); may be repeated", "point")
    variant: int | None = _variant_option()  # draws x and y; a value --at gives wins

    def problems(self) -> list[str]:
        return point_problems(self.at, GRAPH_VARIABLES, "graph") + _variant(self.variant)

    @classmethod
    def from_given(cls, given: dict[str, Any]) -> GraphOptions:
        at = dict(given.get("at") or ())
        if given.get("variant") is not None and all(name in at for name in GRAPH_VARIABLES):
            raise LessonError("--variant would change nothing: --at gives both x and y")
        return super().from_given(given)


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


# every method and the sweep rerun at each key press, off the screen's thread (about 1 s at the caps):
# n = hd + 2h + 1 ≤ 1,153
METHODS_MAX_D, METHODS_MAX_H = 16, 64
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
    variant: int | None = _variant_option()  # its seed: seed 0 (the default) with a variant means the variant's

    def __post_init__(self) -> None:
        if self.variant is not None and self.seed == 0 and not _variant(self.variant):
            object.__setattr__(self, "seed", variant_seed("chain", self.variant))
        super().__post_init__()

    def problems(self) -> list[str]:
        problems = [p for name in ("l", "n", "m") for p in _range(name, getattr(self, name), 1, CHAIN_LIMIT)]
        problems += _seed(self.seed) + _variant(self.variant)
        return problems

    @property
    def is_variant(self) -> bool:
        """True while the draw is the variant's (a new draw in the app leaves the variant)."""
        return self.variant is not None and self.seed == variant_seed("chain", self.variant)

    @classmethod
    def from_given(cls, given: dict[str, Any]) -> ChainOptions:
        if given.get("variant") is not None and given.get("seed") is not None:
            raise LessonError("--seed and --variant both choose chain's draw: give one of them")
        return super().from_given(given)


DEFAULT_EXPR = "6*exp(-y)/(1+x^2+y^2) + 2*x^3"


@dataclass(frozen=True)
class ExprOptions(Options):
    """A function typed by the student, at a point.

    Both are checked when the lesson parses the function, which knows its
    variables and reports a problem with the column where it is.
    """

    expr: str = option(DEFAULT_EXPR, "TEXT", 'a function, e.g. "6*exp(-y)/(1+x^2+y^2) + 2*x^3"', "text")
    at: Point = option((), "x=1,y=2", "the point; unset variables are x=1, y=2, others 1", "point")
    variant: int | None = _variant_option()  # draws the variables --at leaves unset

    def problems(self) -> list[str]:
        return _variant(self.variant)

    @classmethod
    def from_given(cls, given: dict[str, Any]) -> ExprOptions:
        if given.get("variant") is not None and given.get("at"):
            from ..engine.expr import ExprError, parse  # the function's variables; numpy loads only on this rare path

            named = {name for name, _ in given["at"]}
            text = given.get("expr")
            try:
                variables = parse(DEFAULT_EXPR if text is None else text).variables
            except ExprError:  # the lesson says what is wrong with the function, with its column
                variables = ()
            if variables and all(v in named for v in variables):
                raise LessonError("--variant would change nothing: --at gives every variable of the function")
        return super().from_given(given)
