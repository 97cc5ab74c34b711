"""What a student types, read into numbers, a shape, a product order or a formula.

Numbers (every lesson):
    5.955   -3.57e-4   −0.2   (a Unicode minus is a minus)
    inf  −∞  nan            (where the app shows a value that overflows or is undefined)
    0.5, 0.5, 0.5, 0.5      a vector: commas or spaces between entries, brackets optional
    [0.5, 0.5]
    [[1, 2], [3, 4]]        a matrix, row by row; [1, 2; 3, 4] and 1, 2; 3, 4 too

Shapes: 1x4, 1×4, 1 X 4, 1*4, (1, 4), [1, 4]; a bare 4 is a plain vector (4,), and
1 or () is a scalar.

Product order (lesson chain): the two Jacobians in the order they are multiplied,
named by f and g: "fg", "f g", "df/dy · dg/dx", "∂f/∂y ∂g/∂x" all put ∂f/∂y first.

Formulas (scalar lessons graph and expr): the expression language of lesson expr
(engine/expr.py: + − * / ^ or **, parentheses, exp log sqrt sin cos tan tanh
sigmoid relu abs, pi, e) over the lesson's node names: its variables (x, y) and
its intermediates z1, z2, …, each standing for that node's value. Subscript
digits (z₁), ∂ for d and superscript powers (z₂², z₂⁻¹) are read as their ASCII
forms. A gradient already computed is written dOUT/dNODE, the course's ∂z₄/∂z₂
in ASCII: `dz4/dz2` (or `∂z₄/∂z₂`) stands for the number ∂z₄/∂z₂, so
`dz4/dz2*2*x` is the path from x through z₂. A name or gradient not known yet
at the question's step is refused with its column, as is anything that does not
parse: an answer that cannot be read is never judged wrong. A formula without
names (`6*exp(-2)/6 + 2`) is a number.

Errors are AnswerError with a message and the 0-based column of the problem.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..engine import ops
from ..engine.expr import CONSTANTS, END, NAME, ExprError, Expression, caret_lines, parse, tokenize

MAX_ENTRIES = 1_000_000  # numbers in one answer


class AnswerError(ValueError):
    """An answer that cannot be read: `message` says why, `position` is the 0-based column of the problem."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at column {position + 1}")
        self.message = message
        self.position = position

    def caret(self, text: str, width: int = 60) -> tuple[str, str]:
        """The answer around the problem and a line with a caret under it."""
        return caret_lines(text, self.position, width)


# --- what an answer is once read ---


@dataclass(frozen=True)
class Numbers:
    """A number, vector or matrix as typed: `array` has 0, 1 or 2 dimensions."""

    array: np.ndarray


@dataclass(frozen=True)
class Shape:
    """A shape as typed: () for a scalar, (4,) for a bare 4, (1, 4) for 1×4."""

    dims: tuple[int, ...]


@dataclass(frozen=True)
class Order:
    """The order of a product of the two Jacobians: "fg" is ∂f/∂y · ∂g/∂x."""

    first: str  # "f" or "g"


@dataclass(frozen=True)
class Formula:
    """A formula in the lesson's names; `uses` maps each of its variables to what it stands for.

    A use is ("value", node) or ("grad", node), the latter ∂output/∂node.
    """

    text: str
    expression: Expression
    uses: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def evaluate(self, inputs: Mapping[tuple[str, str], np.ndarray]) -> np.ndarray:
        """The formula at every point at once: each input holds one number per point."""
        expr = self.expression
        slots = [np.asarray(inputs[self.uses[name]], dtype=float) for name in expr.variables]
        with np.errstate(all="ignore"):
            for ins in expr.instructions:
                slots.append(np.asarray(ins.op.forward(*[slots[i] for i in ins.inputs]), dtype=float))
        return slots[expr.output]


Answer = Numbers | Shape | Order | Formula


@dataclass(frozen=True)
class Names:
    """The names a formula may use at one question: node name → label, and what is known there."""

    labels: Mapping[str, str]  # every node, in topological order
    output: str
    values: frozenset[str]  # nodes whose value is known
    grads: frozenset[str]  # nodes whose ∂output/∂node is known
    asked: tuple[str, str] | None = None  # the use the question itself asks for, e.g. ("value", "z4")

    def listing(self) -> str:
        names = [n for n in self.labels if n in self.values]
        shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
        return shown or "none"


# --- numbers ---

_NUMBER = r"[+\-−]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+\-−]?[0-9]+)?|inf(?![A-Za-z])|∞)|nan(?![A-Za-z])"
NOT_FINITE = re.compile(r"\s*(?:[+\-−]?(?:inf|∞)|nan)\s*")  # as the app shows values that overflow
_NUMERIC = re.compile(rf"\s*(?:({_NUMBER})|([\[\],;])|(\S))")


def _numeric_tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position): kind "n" for a number, the character for [ ] , ;, "!" for anything else."""
    tokens = []
    for match in _NUMERIC.finditer(text):
        if match.group(1) is not None:
            tokens.append(("n", match.group(1), match.start(1)))
        elif match.group(2) is not None:
            tokens.append((match.group(2), match.group(2), match.start(2)))
        else:
            tokens.append(("!", match.group(3), match.start(3)))
    tokens.append(("$", "", len(text)))
    return tokens


def _float(text: str, position: int) -> float:
    value = float(text.replace("−", "-").replace("∞", "inf"))
    if not math.isfinite(value) and text[-1].isdigit():
        raise AnswerError(f"{text} is too large for a number", position)
    return value


class _Reader:
    """Reads numbers and brackets left to right; rows are lists of floats."""

    def __init__(self, tokens: list[tuple[str, str, int]]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def row(self, closer: str) -> list[list[float]]:
        """Numbers up to `closer` ("]" or the end "$"), separated by commas or spaces; ";" starts a new row."""
        rows: list[list[float]] = [[]]
        starts = [self.peek()[2]]
        after_comma = False
        end = -1  # where the last number ended
        while True:
            kind, text, pos = self.peek()
            if kind == "n":
                if pos == end:
                    raise AnswerError("put a comma or a space between two numbers", pos)
                rows[-1].append(_float(text, pos))
                self.take()
                after_comma = False
                end = pos + len(text)
            elif kind == "," and rows[-1] and not after_comma:
                self.take()
                after_comma = True
            elif kind == ";" and rows[-1] and not after_comma:
                self.take()
                rows.append([])
                starts.append(self.peek()[2])
            elif kind == closer and rows[-1] and not after_comma:
                break
            elif kind == "[":
                raise AnswerError("at most a matrix: [[1, 2], [3, 4]]; a bracket cannot open here", pos)
            else:
                raise _unexpected(kind, text, pos, "a number")
        _same_length(rows, starts)
        return rows


def _unexpected(kind: str, text: str, pos: int, wanted: str) -> AnswerError:
    if kind == "$":
        return AnswerError(f"the answer ends where {wanted} should come", pos)
    if kind == "!":
        return AnswerError(f"{text!r} is not part of a number (write decimals or e-notation: -3.57e-4)", pos)
    return AnswerError(f"expected {wanted} here, not {text!r}", pos)


def _same_length(rows: list[list[float]], starts: list[int]) -> None:
    for row, start in zip(rows[1:], starts[1:], strict=True):
        if len(row) != len(rows[0]):
            raise AnswerError(f"this row has {_count(len(row))}, the first has {_count(len(rows[0]))}", start)


def _count(n: int) -> str:
    return "1 number" if n == 1 else f"{n} numbers"


def parse_numbers(text: str) -> Numbers:
    """A number, a vector or a matrix; AnswerError with the column of the first problem."""
    if len(text) > 20 * MAX_ENTRIES:
        raise AnswerError("the answer is too long", 0)
    reader = _Reader(_numeric_tokens(text))
    kind, _, pos = reader.peek()
    if kind == "$":
        raise AnswerError("the answer is empty", 0)
    depth = 0  # brackets: none, [a, b] or [[a, b], [c, d]]
    if kind != "[":
        rows = reader.row("$")
    elif reader.tokens[1][0] != "[":
        depth = 1
        reader.take()
        rows = reader.row("]")
        reader.take()
    else:
        depth = 2
        reader.take()
        rows, starts = [], []
        while True:
            kind, word, pos = reader.take()
            if kind != "[":
                raise _unexpected(kind, word, pos, "'[' opening a row")
            starts.append(pos)
            inner = reader.row("]")
            if len(inner) != 1:
                raise AnswerError("a row in its own brackets takes no ';'", starts[-1])
            rows.append(inner[0])
            reader.take()  # the row's "]"
            kind, word, pos = reader.take()
            if kind == "]":
                break
            if kind == "[":
                raise AnswerError("a comma is missing between the rows", pos)
            if kind != ",":
                raise _unexpected(kind, word, pos, "',' or ']'")
        _same_length(rows, starts)
    kind, word, pos = reader.peek()
    if kind != "$":
        raise AnswerError(f"unexpected {word!r} after the closing bracket", pos)
    if sum(len(r) for r in rows) > MAX_ENTRIES:
        raise AnswerError("the answer has too many numbers", 0)
    if depth == 2 or len(rows) > 1:
        return Numbers(np.array(rows, dtype=float))
    if depth == 0 and len(rows[0]) == 1:
        return Numbers(np.array(rows[0][0], dtype=float))
    return Numbers(np.array(rows[0], dtype=float))


def numbers_from_json(value: object) -> Numbers:
    """A JSON number or (nested) list of numbers; AnswerError (column 0) for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float, list)):
        raise AnswerError("give a number, a list of numbers or a list of rows", 0)
    if isinstance(value, list):
        if value and all(isinstance(v, list) for v in value):
            lengths = {len(v) for v in value}
            if len(lengths) > 1:
                raise AnswerError("the rows have different lengths", 0)
            cells = [c for row in value for c in row]
        else:
            cells = value
        if not cells or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in cells):
            raise AnswerError("every entry must be a number, and a matrix a list of rows of numbers", 0)
    try:
        array = np.array(value, dtype=float)
    except (OverflowError, ValueError):
        raise AnswerError("every entry must be a number", 0) from None
    return Numbers(array)  # NaN and Infinity, which JSON readers take, stand for nan and ∞


# --- shapes and order ---

_SHAPE = re.compile(r"\s*(?:([0-9]+)|([x×X*,])|([(\[])|([)\]])|(\S))")


def parse_shape(text: str) -> Shape:
    """1x4, 1×4, (1, 4), [1, 4], 4, 1 or (): AnswerError with the column of a problem."""
    dims: list[int] = []
    opened = closed = False
    want_number = True
    last_sep = ""
    for match in _SHAPE.finditer(text):
        number, sep, opener, closer, bad = match.groups()
        pos = match.start(match.lastindex or 0)
        if closed:
            raise AnswerError("nothing may follow the closing bracket", pos)
        if number is not None:
            if not want_number:
                raise AnswerError("write x or × between the sizes: ROWSxCOLS", pos)
            if int(number) == 0 or len(number) > 9:
                raise AnswerError(f"{number} is not a size (a whole number from 1)", pos)
            dims.append(int(number))
            want_number = False
        elif sep is not None:
            if want_number:
                raise AnswerError(f"a size is missing before {sep!r}", pos)
            want_number = True
            last_sep = sep
        elif opener is not None:
            if opened or dims:
                raise AnswerError(f"unexpected {opener!r}", pos)
            opened = True
        elif closer is not None:
            if not opened or (want_number and dims and not (len(dims) == 1 and last_sep == ",")):
                raise AnswerError(f"unexpected {closer!r}", pos)
            closed = True
            want_number = False  # (4,) is numpy's way to write a vector's shape
        else:
            raise AnswerError(f"{bad!r} is not part of a shape (write ROWSxCOLS or (ROWS, COLS))", pos)
    end = len(text.rstrip())
    if not dims and not (opened and closed):
        raise AnswerError("the answer is empty" if not text.strip() else "a shape needs its sizes: ROWSxCOLS", end)
    if opened and not closed:
        raise AnswerError("the bracket is never closed", end)
    if want_number and dims:
        raise AnswerError("a size is missing at the end", end)
    if len(dims) > 2:
        raise AnswerError("at most two sizes: rows × columns", 0)
    return Shape(tuple(dims))


def parse_order(text: str) -> Order:
    """The two Jacobians in product order, named by f and g (anything else in the text is ignored)."""
    letters = [(c, i) for i, c in enumerate(text) if c in "fgFG"]
    if not letters:
        raise AnswerError("name the Jacobians in the order they multiply: fg is ∂f/∂y · ∂g/∂x, gf the other way", 0)
    names = [c.lower() for c, _ in letters]
    if sorted(names) != ["f", "g"]:
        where = letters[2][1] if len(letters) > 2 else len(text)
        raise AnswerError("name f and g once each, in product order: fg or gf", where)
    return Order(names[0])


# --- formulas ---

_SUB_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉∂", "0123456789d")
_SUPER = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9"}
_OPERATORS = {"+", "-", "*", "/", "^", "("}
_ALIAS = re.compile(r"_[vgc][0-9]*")


class _Text:
    """Text being rewritten, piece by piece, remembering where each piece came from.

    A piece either copies text (its columns map one to one) or replaces it (all its
    columns map to where the replaced text began).
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []  # where each piece starts in the rewritten text
        self.origins: list[int] = []  # and where it came from
        self.copies: list[bool] = []
        self.length = 0

    def add(self, piece: str, origin: int, copy: bool = False) -> None:
        self.parts.append(piece)
        self.starts.append(self.length)
        self.origins.append(origin)
        self.copies.append(copy)
        self.length += len(piece)

    def text(self) -> str:
        return "".join(self.parts)

    def column(self, position: int, end: int) -> int:
        """Where a column of the rewritten text came from; `end` for the end of the text."""
        if position >= self.length or not self.parts:
            return end
        i = bisect_right(self.starts, position) - 1
        return self.origins[i] + (position - self.starts[i] if self.copies[i] else 0)


_SPECIAL = re.compile("[₀-₉∂⁰¹²³⁴⁵⁶⁷⁸⁹⁻]")


def _plain(typed: str) -> _Text:
    """Subscript digits and ∂ as ASCII (z₁ → z1, ∂ → d); superscript powers as ^ (z₂² → z2^2, x⁻¹ → x^-1)."""
    out = _Text()
    if not _SPECIAL.search(typed):
        out.add(typed, 0, copy=True)
        return out
    i = 0
    while i < len(typed):
        c = typed[i]
        if c in _SUPER or (c == "⁻" and i + 1 < len(typed) and typed[i + 1] in _SUPER):
            out.add("^", i)
            if c == "⁻":
                out.add("-", i)
                i += 1
            while i < len(typed) and typed[i] in _SUPER:
                out.add(_SUPER[typed[i]], i)
                i += 1
            continue
        out.add(c.translate(_SUB_DIGITS), i)
        i += 1
    return out


def parse_formula(typed: str, names: Names) -> Formula | Numbers:
    """A formula in the lesson's names, or the number a formula without names stands for."""
    plain = _plain(typed)
    text = plain.text()
    end = len(typed)

    def column(position: int) -> int:  # a column of the plain text in the typed answer
        return plain.column(position, end)

    try:
        tokens = tokenize(text)
    except ExprError as error:
        raise AnswerError(error.message.replace("the function", "the answer"), 0) from None
    if len(tokens) == 1:
        raise AnswerError("the answer is empty", 0)
    out = _Text()  # the text the parser reads, mapped back to the plain text
    uses: dict[str, tuple[str, str]] = {}
    shown: dict[str, str] = {}  # alias → as typed, for messages
    aliases: dict[tuple[str, str], str] = {}
    i = 0
    while tokens[i][0] != END:
        tag, word, pos = tokens[i]
        if tag == NAME and word not in ops.FUNCTIONS and word not in CONSTANTS:
            use, width = _use(tokens, i, names, column(pos))
            alias = aliases.get(use)
            if alias is None:
                alias = aliases[use] = f"_{use[0][0]}{len(aliases)}"
                uses[alias] = use
            last = tokens[i + width - 1]
            shown[alias] = typed[column(pos) : column(last[2] + len(last[1]) - 1) + 1]
            out.add(f" {alias} ", pos)
            i += width
            continue
        out.add(" ", pos)
        out.add(word, pos, copy=True)
        i += 1
    rewritten = out.text()
    constant = not uses
    if constant:
        last_tag = tokens[-2][0]
        if last_tag in _OPERATORS:
            raise AnswerError("the answer ends where a number or name should come", len(typed.rstrip()))
        rewritten += " + 0*_c"  # the parser wants a variable; this one adds nothing
    try:
        expression = parse(rewritten)
    except ExprError as error:
        message = error.message.replace("the function", "the answer")
        message = _ALIAS.sub(lambda m: shown.get(m.group(0), m.group(0)), message)
        if message.startswith("missing operator"):
            message += ": write * for a product, like 2*x"
        raise AnswerError(message, column(out.column(error.position, len(text)))) from None
    if constant:
        value = Formula(typed, expression, {"_c": ("value", "")}).evaluate({("value", ""): np.zeros(1)})[0]
        if not math.isfinite(value):
            raise AnswerError(f"the answer is {value}, not a finite number", 0)
        return Numbers(np.array(value))
    return Formula(typed, expression, uses)


def _use(tokens: list[tuple[str, str, int]], i: int, names: Names, where: int) -> tuple[tuple[str, str], int]:
    """What the name at token i stands for, and how many tokens it takes (3 for dOUT/dNODE)."""
    word = tokens[i][1]
    labels = names.labels
    if tokens[i + 1][0] == "(":
        raise AnswerError(f"unknown function {word[:24]!r} (the functions are {', '.join(ops.FUNCTIONS)})", where)
    if (
        word not in labels
        and word[:1] == "d"
        and word[1:] == names.output
        and tokens[i + 1][0] == "/"
        and tokens[i + 2][0] == NAME
        and tokens[i + 2][1][:1] == "d"
        and tokens[i + 2][1][1:] in labels
    ):
        node = tokens[i + 2][1][1:]
        out, label = labels[names.output], labels[node]
        if ("grad", node) == names.asked:
            raise AnswerError(f"∂{out}/∂{label} is what this question asks", where)
        if node not in names.grads:
            raise AnswerError(f"∂{out}/∂{label} is not known yet at this step", where)
        return ("grad", node), 3
    if word in labels:
        if ("value", word) == names.asked:
            raise AnswerError(f"{labels[word]} is what this question asks", where)
        if word not in names.values:
            raise AnswerError(f"the value of {labels[word]} is not known yet at this step", where)
        return ("value", word), 1
    if word[:1] == "d" and word[1:] in labels:
        out = names.output
        raise AnswerError(f"gradients here are of the output {out}: write d{out}/dNODE, like d{out}/d{word[1:]}", where)
    raise AnswerError(f"unknown name {word[:24]!r} (the names here are {names.listing()})", where)
