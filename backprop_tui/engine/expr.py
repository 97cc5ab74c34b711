"""The expression language of lesson expr: text → tokens → a graph of scalar primitives.

    6*exp(-y)/(1+x^2+y^2) + 2*x^3

Numbers (1, 2.5, .5, 1e-3), variables (ASCII identifiers), + − * / and powers
^ or ** (right-associative, binding tighter than unary minus), parentheses, the
functions in ops.FUNCTIONS and the constants pi and e. The text is read by the
tokenizer and precedence parser below and nothing else: it never reaches eval,
exec or compile. The parser keeps its operands and operators on explicit
stacks, so any nesting depth parses without recursion.

Constants are folded while parsing and baked into the op that uses them
(z = 6·x, z = x²), so the graph's only leaves are the variables. Identical
subexpressions become one node, which then feeds every place it is used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import expr_ops, ops
from .arrays import collector_paused
from .graph import Graph, Node
from .notation import number
from .ops import Op

MAX_CHARS = 1_000_000
MAX_NODES = 50_000  # variables plus operations
MAX_NAME = 24

CONSTANTS = {"pi": (math.pi, "π"), "e": (math.e, "e")}
RESERVED = re.compile(r"z[0-9]+\Z")  # the names of the intermediate nodes


class ExprError(ValueError):
    """A function that cannot be parsed; `position` is the offending character's 0-based index."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at column {position + 1}")
        self.message = message
        self.position = position


def caret_lines(text: str, position: int, width: int = 60) -> tuple[str, str]:
    """The text around `position` (at most `width` characters) and a line with a caret under it."""
    start = max(0, min(position - width // 2, len(text) - width))
    shown = re.sub(r"\s", " ", text[start : start + width])
    left = "…" if start > 0 else ""
    right = "…" if start + width < len(text) else ""
    return left + shown + right, " " * (len(left) + position - start) + "^"


class Const(NamedTuple):
    """A folded constant: its value, how it is shown, and where it came from in the text."""

    value: float
    text: str
    start: int
    end: int


class Ref(NamedTuple):
    """A graph node built so far (a slot), and where it came from in the text."""

    slot: int
    start: int
    end: int


class Instruction(NamedTuple):
    """One op node: the op, its input slots, and the pieces that print it back as text."""

    op: Op
    inputs: tuple[int, ...]
    pieces: tuple[str, ...]  # len(inputs) + 1 strings around the inputs' texts, "{c}" for the constant
    constant: float | None = None  # the constant baked into the op, if any


@dataclass(frozen=True)
class Expression:
    """A parsed function: variables are slots 0…v−1, instruction k is slot v + k."""

    source: str
    variables: tuple[str, ...]
    instructions: tuple[Instruction, ...]
    output: int
    warnings: tuple[str, ...] = ()

    def graph(self, point: Mapping[str, float]) -> tuple[Graph, Node]:
        """A Graph with the variables as inputs at `point`; op nodes are named z1, z2, … in order."""
        g = Graph()
        with collector_paused():
            nodes = [g.input(name, float(point[name])) for name in self.variables]
            for ins in self.instructions:
                nodes.append(g.apply(ins.op, *(nodes[i] for i in ins.inputs)))
        return g, nodes[self.output]

    def text(self) -> str:
        """The graph printed back in the language, fully parenthesized (without recursion)."""
        v = len(self.variables)
        out: list[str] = []
        stack: list[int | str] = [self.output]  # slots still to print, and text around them
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
            elif item < v:
                out.append(self.variables[item])
            else:
                ins = self.instructions[item - v]
                pieces: Sequence[str] = ins.pieces
                if ins.constant is not None:
                    pieces = [piece.format(c=_literal(ins.constant)) for piece in pieces]
                parts: list[int | str] = [pieces[0]]
                for slot, piece in zip(ins.inputs, pieces[1:], strict=True):
                    parts += [slot, piece]
                stack.extend(reversed(parts))
        return "".join(out)


# --- tokens ---

# One alternative per token kind, whitespace absorbed in front; the last catches
# any character the language lacks.
_TOKEN = re.compile(
    r"\s*(?:((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"  # 1: number
    r"|([A-Za-z_][A-Za-z0-9_]*)"  # 2: name
    r"|(\*\*|[-+*/^()−·×])"  # 3: operator or parenthesis
    r"|(\S))",  # 4: anything else
)
NUMBER, NAME, END, BAD = "0", "a", "$", "!"  # token tags; an operator is its own tag
_TAGS = {1: NUMBER, 2: NAME, 4: BAD}
_SPELLINGS = {"**": "^", "−": "-", "·": "*", "×": "*"}


def tokenize(text: str) -> list[tuple[str, str, int]]:
    """(tag, text, position) for each token, ending with (END, "", len(text)).

    A character outside the language becomes a BAD token, reported when the
    parser reaches it, so errors come in reading order.
    """
    if len(text) > MAX_CHARS:
        raise ExprError(f"the function is too long (more than {MAX_CHARS:,} characters)", MAX_CHARS)
    tokens = []
    for match in _TOKEN.finditer(text):
        group = match.lastindex
        assert group is not None  # every alternative is a group
        token = match[group]
        tag = _TAGS.get(group) or _SPELLINGS.get(token, token)
        tokens.append((tag, tag if group == 3 else token, match.start(group)))
    tokens.append((END, "", len(text)))
    return tokens


def _hint(char: str) -> str:
    if char == ",":
        return ": functions take one argument"
    if char in "'\"":
        return ": the language has no strings"
    if char in ".[]{}=;:":
        return ": only numbers, variables, + − * / ^ ( ) and functions"
    return ""


# --- folding constants, baking them into ops, sharing repeated subexpressions ---

_FOLD = {"+": ops.add, "-": ops.sub, "*": ops.mul, "/": ops.div, "^": ops.power}
_PIECES = {
    "+": ("(", " + ", ")"),
    "-": ("(", " - ", ")"),
    "*": ("(", "*", ")"),
    "/": ("(", "/", ")"),
    "^": ("(", "^", ")"),
}

# A constant meeting a node: (operator, constant typed first) → the baked op and how it prints.
_BAKED: dict[tuple[str, bool], tuple[str, Callable[[float, str], Op], str, str]] = {
    ("+", True): ("const_add", lambda c, t: expr_ops.add_constant(c, t, left=True), "({c} + ", ")"),
    ("+", False): ("add_const", expr_ops.add_constant, "(", " + {c})"),
    ("*", True): ("scale", expr_ops.scale, "({c}*", ")"),
    ("*", False): ("scale", expr_ops.scale, "({c}*", ")"),  # x·2 is shown as 2·x
    ("-", True): ("const_sub", expr_ops.constant_minus, "({c} - ", ")"),
    ("-", False): ("sub_const", expr_ops.subtract_constant, "(", " - {c})"),
    ("/", True): ("const_div", expr_ops.constant_over, "({c}/", ")"),
    ("/", False): ("div_const", expr_ops.divide_by, "(", "/{c})"),
    ("^", True): ("const_pow", expr_ops.constant_power, "({c}^", ")"),
    ("^", False): ("pow_const", expr_ops.power_of, "(", "^{c})"),
}


def _literal(value: float) -> str:
    """A constant as the language writes it, exactly: repr round-trips every float."""
    if math.isnan(value):
        return "(0/0)"
    if math.isinf(value):
        return "(1/0)" if value > 0 else "(-1/0)"
    return repr(value) if math.copysign(1.0, value) > 0 else f"({value!r})"


class _Builder:
    """Turns operator applications into folded constants or (shared) instructions."""

    def __init__(self, source: str):
        self.source = source
        self.variables: dict[str, int] = {}  # name -> provisional slot −1, −2, … in order of first use
        self.instructions: list[Instruction] = []
        self.shared: dict[tuple[object, ...], int] = {}  # what a node computes -> its slot
        self.baked: dict[tuple[object, ...], Op] = {}
        self.warnings: list[str] = []

    def variable(self, name: str, start: int) -> Ref:
        slot = self.variables.get(name)
        if slot is None:
            if RESERVED.match(name):
                raise ExprError(f"{name} is the name of an intermediate node; choose another variable name", start)
            if len(name) > MAX_NAME:
                raise ExprError(f"the name {name[:MAX_NAME]}… is too long (at most {MAX_NAME} characters)", start)
            self._count(start)
            slot = self.variables[name] = -1 - len(self.variables)
        return Ref(slot, start, start + len(name))

    def _count(self, position: int) -> None:
        if len(self.variables) + len(self.instructions) >= MAX_NODES:
            raise ExprError(f"the function is too big (more than {MAX_NODES:,} graph nodes)", position)

    def _add(self, key: tuple[object, ...], instruction: Instruction, at: int) -> int:
        if len(self.variables) + len(self.instructions) >= MAX_NODES:
            self._count(at)
        self.instructions.append(instruction)
        slot = self.shared[key] = len(self.instructions) - 1
        return slot

    def _span(self, start: int, end: int) -> str:
        """How a piece of the function was typed, shortened to 24 characters."""
        span = self.source[start:end]
        return span if len(span) <= 24 else span[:23] + "…"

    def _fold(self, op: Op, start: int, end: int, *args: Const) -> Const:
        with np.errstate(all="ignore"):
            value = float(op.forward(*(np.float64(a.value) for a in args)))
        if not math.isfinite(value) and all(math.isfinite(a.value) for a in args):
            why = " (too large for a 64-bit float)" if math.isinf(value) else ""
            constant = self._span(start, end)
            self.warnings.append(f"The constant {constant} at column {start + 1} is {number(value)}{why}.")
        simple = op is ops.neg and args[0].text.replace(".", "").isalnum()
        return Const(value, "−" + args[0].text if simple else number(value), start, end)

    def function(self, name: str, arg: Const | Ref, start: int, end: int) -> Const | Ref:
        op = ops.FUNCTIONS[name]
        if isinstance(arg, Const):
            return self._fold(op, start, end, arg)
        key = (name, arg.slot)
        slot = self.shared.get(key)
        if slot is None:
            slot = self._add(key, Instruction(op, (arg.slot,), (f"{name}(", ")")), start)
        return Ref(slot, start, end)

    def negate(self, arg: Const | Ref, start: int) -> Const | Ref:
        if isinstance(arg, Const):
            return self._fold(ops.neg, start, arg.end, arg)
        key = ("neg", arg.slot)
        slot = self.shared.get(key)
        if slot is None:
            slot = self._add(key, Instruction(ops.neg, (arg.slot,), ("(-", ")")), start)
        return Ref(slot, start, arg.end)

    def binary(self, symbol: str, a: Const | Ref, b: Const | Ref, at: int) -> Const | Ref:
        if isinstance(a, Ref) and isinstance(b, Ref):
            pair = (symbol, a.slot, b.slot)
            slot = self.shared.get(pair)
            if slot is None:
                slot = self._add(pair, Instruction(_FOLD[symbol], (a.slot, b.slot), _PIECES[symbol]), at)
            return Ref(slot, a.start, b.end)
        if isinstance(a, Const) and isinstance(b, Ref):
            kind, factory, left, right = _BAKED[symbol, True]
            c, ref = a, b
        elif isinstance(a, Ref) and isinstance(b, Const):
            if symbol == "^" and not math.isfinite(b.value):
                exponent = self._span(b.start, b.end)
                raise ExprError(f"the exponent {exponent} is not a finite number (it is {number(b.value)})", b.start)
            kind, factory, left, right = _BAKED[symbol, False]
            c, ref = b, a
        else:
            assert isinstance(a, Const) and isinstance(b, Const)
            return self._fold(_FOLD[symbol], a.start, b.end, a, b)
        key = (kind, c.value, c.text, ref.slot)
        slot = self.shared.get(key)
        if slot is None:
            op = self.baked.get(key[:3])
            if op is None:
                op = self.baked[key[:3]] = factory(c.value, c.text)
            slot = self._add(key, Instruction(op, (ref.slot,), (left, right), c.value), at)
        return Ref(slot, a.start, b.end)

    def finish(self, output: Ref) -> tuple[tuple[str, ...], tuple[Instruction, ...], int]:
        """Variables in alphabetical order (x2 before x10) as slots 0…v−1, then the instructions."""
        names = sorted(self.variables, key=_natural)
        v = len(names)
        # final slot of every provisional one: instructions 0, 1, … first, then (read with
        # negative indices from the end) the variables −1, −2, …
        final = list(range(v, v + len(self.instructions))) + [0] * v
        for k, name in enumerate(names):
            final[self.variables[name]] = k
        instructions = tuple(
            Instruction(ins.op, tuple(map(final.__getitem__, ins.inputs)), ins.pieces, ins.constant)
            for ins in self.instructions
        )
        return tuple(names), instructions, final[output.slot]


def _natural(name: str) -> list[int | str]:
    """Sort key that compares runs of digits by value: x2 < x10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"([0-9]+)", name)]


# --- the parser: shunting-yard over explicit operand and operator stacks ---

# Binary operators: precedence and whether they group to the right. An open
# parenthesis sits on the operator stack with precedence 0, so nothing reduces past it.
_BINARY = {"+": (1, False), "-": (1, False), "*": (2, False), "/": (2, False), "^": (4, True)}
_NEG = 3  # unary minus: below ^ (so −x² is −(x²)) and above * and /
_OPEN = 0


def parse(source: str) -> Expression:
    """Parse a function; raise ExprError with the offending character's position on any problem."""
    with collector_paused():
        return _parse(source)


def _parse(source: str) -> Expression:
    tokens = tokenize(source)
    if len(tokens) == 1:
        raise ExprError("the function is empty", 0)
    build = _Builder(source)
    operands: list[Const | Ref] = []
    # (precedence, symbol, position, start): an open parenthesis has symbol "(" or its function's
    # name, and starts where that name does; the first entry is a floor
    operators: list[tuple[int, str, int, int]] = [(-1, "", 0, 0)]

    def reduce() -> None:
        _, symbol, pos, _ = operators.pop()
        if symbol == "neg":
            operands.append(build.negate(operands.pop(), pos))
        else:
            b = operands.pop()
            operands.append(build.binary(symbol, operands.pop(), b, pos))

    expect_operand = True
    i = 0
    while True:
        tag, text, pos = tokens[i]
        if expect_operand:
            if tag == NAME:
                following = tokens[i + 1][0]
                if text in ops.FUNCTIONS:
                    if following != "(":
                        raise ExprError(f"{text} is a function: write {text}(…)", pos)
                    operators.append((_OPEN, text, tokens[i + 1][2], pos))
                    i += 1  # the "(" goes with the name
                elif following == "(":
                    functions = ", ".join(ops.FUNCTIONS)
                    raise ExprError(f"unknown function {text[:MAX_NAME]!r} (the functions are {functions})", pos)
                elif text in CONSTANTS:
                    value, shown = CONSTANTS[text]
                    operands.append(Const(value, shown, pos, pos + len(text)))
                    expect_operand = False
                else:
                    operands.append(build.variable(text, pos))
                    expect_operand = False
            elif tag == NUMBER:
                value = float(text)
                if math.isinf(value):
                    raise ExprError(f"the number {text if len(text) <= 20 else text[:19] + '…'} is too large", pos)
                operands.append(Const(value, text, pos, pos + len(text)))
                expect_operand = False
            elif tag == "(":
                operators.append((_OPEN, "(", pos, pos))
            elif tag == "-":
                operators.append((_NEG, "neg", pos, pos))
            elif tag != "+":  # a unary plus changes nothing
                raise _unexpected(tag, text, pos)
        elif tag in _BINARY:
            precedence, right = _BINARY[tag]
            while operators[-1][0] > precedence or (operators[-1][0] == precedence and not right):
                reduce()
            operators.append((precedence, tag, pos, pos))
            expect_operand = True
        elif tag == ")":
            while operators[-1][0] > _OPEN:
                reduce()
            if operators[-1][0] != _OPEN:
                raise ExprError("unexpected ')'", pos)
            _, opener, _, opened = operators.pop()
            inner = operands.pop()
            if opener != "(":
                operands.append(build.function(opener, inner, opened, pos + 1))
            else:  # the parentheses become part of the operand's span
                operands.append(inner._replace(start=opened, end=pos + 1))
        elif tag == END:
            while operators[-1][0] > _OPEN:
                reduce()
            if operators[-1][0] == _OPEN:
                raise ExprError("this '(' is never closed", operators[-1][2])
            break
        elif tag == BAD:
            raise _unexpected(tag, text, pos)
        else:
            raise ExprError(f"missing operator before {text!r}", pos)
        i += 1
    result = operands.pop()
    if isinstance(result, Const):
        why = f"it is the constant {number(result.value)}"
        raise ExprError(f"the function has no variables, so nothing to differentiate ({why})", 0)
    variables, instructions, output = build.finish(result)
    return Expression(source, variables, instructions, output, tuple(build.warnings))


def _unexpected(tag: str, text: str, pos: int) -> ExprError:
    if tag == BAD:
        return ExprError(f"unexpected character {text!r}" + _hint(text), pos)
    return ExprError("unexpected end of the function" if tag == END else f"unexpected {text!r}", pos)
