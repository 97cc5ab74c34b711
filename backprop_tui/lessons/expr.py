"""Lesson expr: any typed function, split into one node per primitive operation."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from itertools import chain

import numpy as np

from ..engine import Trace, passes
from ..engine.expr import ExprError, Expression, caret_lines, parse
from ..engine.notation import number
from .base import LessonError, Walkthrough, first_not_finite
from .draws import Normals, one_decimal
from .options import ExprOptions, variant_seed

# Unset variables take these values, so the §4 function starts at the course's point (1, 2).
DEFAULT_VALUES = {"x": 1.0, "y": 2.0}
OTHER_DEFAULT = 1.0
SHOWN_CHARS = 200  # of the function in the header


class ExpressionError(LessonError):
    """A function or point that cannot be used, with where the problem is (0-based), if known."""

    def __init__(self, message: str, field: str, position: int | None = None, text: str = ""):
        super().__init__(message)
        self.field = field  # "expr" or "at"
        self.position = position
        self.text = text

    def caret(self, width: int = 60) -> tuple[str, str] | None:
        """The offending text and a caret line under the problem, when it has a position."""
        return None if self.position is None else caret_lines(self.text, self.position, width)


@lru_cache(maxsize=8)
def _parse(text: str) -> Expression:
    # the app parses the same text to learn its variables and then to build it
    return parse(text)


def expression(text: str) -> Expression:
    """The parsed function, or ExpressionError with the column of the problem."""
    try:
        return _parse(text)
    except ExprError as error:
        raise ExpressionError(str(error), "expr", error.position, text) from None


def _names(names) -> str:
    names = list(names)
    shown = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
    return shown or "none"


def point_for(expr: Expression, at: tuple[tuple[str, float], ...]) -> dict[str, float]:
    """A value for every variable: those given, else the defaults (a variant's point starts from these)."""
    given: dict[str, float] = {}
    for name, value in at:
        if name in given:
            raise ExpressionError(f"the point gives {name} twice", "at")
        if name not in expr.variables:
            raise ExpressionError(
                f"the point gives {name}, but the function has no variable {name} (it has {_names(expr.variables)})",
                "at",
            )
        if not math.isfinite(value):
            raise ExpressionError(f"the point's {name} must be a finite number", "at")
        given[name] = float(value)
    return {v: given.get(v, DEFAULT_VALUES.get(v, OTHER_DEFAULT)) for v in expr.variables}


VARIANT_DRAWS = 50  # points a variant tries before it settles for less …
VARIANT_WORK = 5000  # … fewer for a long function: about this many operations evaluated, at least MIN_DRAWS times
MIN_DRAWS = 8
VARIANT_LIMIT = 1e6  # at a variant's point every value and gradient stays within ±this
NUDGE = 0.1  # … and stays finite with every drawn variable moved this far either way


def _largest(expr: Expression, point: dict[str, float]) -> float:
    """The largest |value| or |gradient| of the function's graph at point: inf or nan where one is not finite."""
    graph, output = expr.graph(point)
    order = graph.order(output)
    values = passes.forward(order)
    grads, _ = passes.backward(order, values, output)
    with np.errstate(all="ignore"):
        sizes = [float(np.max(np.abs(a))) for a in chain(values.values(), grads.values())]
    return math.nan if any(math.isnan(v) for v in sizes) else max(sizes)


def variant_point(expr: Expression, at: tuple[tuple[str, float], ...], variant: int) -> tuple[dict[str, float], str]:
    """Variant `variant`'s point: what --at gives, the other variables drawn (one decimal, ±0.5 … ±2.5).

    A draw is kept where every value and gradient is finite and within ±VARIANT_LIMIT, and stays
    finite with the drawn variables moved by ±NUDGE: well inside the function's domain. Draws go on
    from the same seed until one is (the same sequence on every machine); after VARIANT_DRAWS (fewer for a
    function of many operations), the
    first draw where the function is at least finite, else the usual defaults, with a notice saying so.
    """
    given = point_for(expr, at)  # checks the names and values --at gives
    named = {name for name, _ in at}
    free = [v for v in expr.variables if v not in named]
    if not free:
        return given, ""
    stream = Normals(variant_seed("expr", variant))
    finite: dict[str, float] | None = None
    for _ in range(min(VARIANT_DRAWS, max(MIN_DRAWS, VARIANT_WORK // max(len(expr.instructions), 1)))):
        point = {**given, **dict(zip(free, one_decimal(stream, len(free)), strict=True))}
        largest = _largest(expr, point)
        if not math.isfinite(largest):
            continue
        nudged = [{**point, **{v: point[v] + sign * NUDGE for v in free}} for sign in (1, -1)]
        if largest <= VARIANT_LIMIT and all(math.isfinite(_largest(expr, p)) for p in nudged):
            return point, ""
        finite = finite or point
    if finite is not None:
        return finite, f"Variant {variant} found no point where this function stays moderate; it uses the first " \
            "where every value is finite."
    return given, f"Variant {variant} found no point where this function is finite; it uses the usual point."


def point_text(at: dict[str, float]) -> str:
    """A point as the app's point field shows it: x=1, y=2 (shortest exact numbers)."""
    def shown(v: float) -> str:
        text = repr(float(v))
        return text[:-2] if text.endswith(".0") else text

    return ", ".join(f"{name}={shown(v)}" for name, v in at.items())


_SEPARATORS = re.compile(r"[\s,]*")
_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^\s,=]*)")


def _skip_separators(text: str, pos: int) -> int:
    """Past the spaces and commas from pos (the pattern matches the empty string too)."""
    match = _SEPARATORS.match(text, pos)
    return match.end() if match else pos


def parse_point(text: str) -> tuple[tuple[str, float], ...]:
    """Parse "x=1, y=2" (commas or spaces between pairs); errors carry the column."""
    pairs = []
    pos = _skip_separators(text, 0)
    while pos < len(text):
        match = _PAIR.match(text, pos)
        if match is None:
            raise ExpressionError("expected name=value, like x=1, y=2", "at", pos, text)
        name, value = match.groups()
        try:
            number_ = float(value)
        except ValueError:
            raise ExpressionError(
                f"{value!r} is not a number" if value else "a number is missing", "at", match.start(2), text
            ) from None
        if not math.isfinite(number_):
            raise ExpressionError(f"{name} must be a finite number", "at", match.start(2), text)
        pairs.append((name, number_))
        pos = _skip_separators(text, match.end())
    return tuple(pairs)


def options_for(settings: ExprOptions, expr_text: str, point: str, keep_old_point: bool) -> ExprOptions:
    """Options for a function and point typed in the app.

    With keep_old_point (the point field was not edited), variables the new
    function lacks are dropped from the point instead of being an error.
    """
    variables = set(expression(expr_text).variables)  # the function's errors come first
    at = parse_point(point)
    if keep_old_point:
        at = tuple((name, value) for name, value in at if name in variables)
    return replace(settings, expr=expr_text, at=at)


# --- words for each step, from the kind of op ---

FORWARD = {
    "add": "A sum. On the way back it hands its gradient to both terms unchanged.",
    "sub": "A difference. On the way back the first input gets the gradient as it is, "
    "the second with its sign flipped.",
    "mul": "A product of two nodes. The local derivative for each factor is the other factor, "
    "so both values are kept for the way back.",
    "div": "A quotient. Its local derivatives, 1/denominator and −numerator/denominator², use values stored now.",
    "pow": "A power whose exponent is a node too. The base's slope comes from the power rule, "
    "the exponent's from log(base)·value.",
    "neg": "A sign flip. The gradient flips sign on the way back.",
    "exp": "exp is its own derivative, so the value stored now is reused on the way back.",
    "log": "log takes positive inputs only. Its slope, 1/input, grows without bound near 0.",
    "sqrt": "A square root. Its slope 1/(2·value) reuses the value, and is infinite at 0.",
    "sin": "Its slope is the cosine of the same input.",
    "cos": "Its slope is minus the sine of the same input.",
    "tan": "Its slope, 1 + value², reuses the value; it blows up where cos is 0.",
    "tanh": "Its slope, 1 − value², reuses the value and vanishes for large inputs.",
    "sigmoid": "Its slope, value·(1 − value), reuses the value and is at most ¼.",
    "relu": "Passes positive inputs, zeroes the rest. Its slope is 1 or 0, so it lets a gradient through or stops it.",
    "abs": "Its slope is the sign of the input: +1, −1, or 0 exactly at 0.",
    "scale": "Multiplying by a constant. The gradient is multiplied by the same constant on the way back.",
    "add_const": "Adding a constant moves the value but not the slope: the local derivative is 1.",
    "sub_const": "Subtracting a constant moves the value but not the slope: the local derivative is 1.",
    "const_sub": "A constant minus a node: the local derivative is −1.",
    "div_const": "Dividing by a constant is scaling by its reciprocal.",
    "const_div": "A constant over a node. The slope −constant/input² is steep near 0.",
    "pow_const": "A constant power. The power rule gives its slope.",
    "const_pow": "A constant raised to a node. Like exp, its slope is proportional to its own value.",
}


def _forward_why(trace: Trace, name: str, uses: dict[str, int]) -> str:
    record = trace.nodes[name]
    text = FORWARD.get(record.op or "", "")
    if name == trace.output:
        return text + " This is the output: the function's value at the point."
    if uses.get(name, 0) > 1:
        text += f" {record.label} is used {uses[name]} times; computing it once is enough."
    return text


def _backward_why(trace: Trace, step, out_label: str) -> str:
    record = trace.nodes[step.node]
    if step.node == trace.output:
        return f"The backward pass starts at the output {out_label}: ∂{out_label}/∂{out_label} = 1."
    if len(step.terms) == 1:
        term = step.terms[0]
        text = (
            f"{record.label} is used only by {term.consumer_label}, so its gradient is the gradient at "
            f"{term.consumer_label} times the local derivative {term.rule}."
        )
    else:
        uses = Counter(t.consumer_label for t in step.terms)  # in first-use order, like the terms
        distinct = list(uses)
        twice = [c for c, n in uses.items() if n > 1]
        text = (
            f"{record.label} is used {len(step.terms)} times "
            f"({', '.join(distinct[:6])}{', …' if len(distinct) > 6 else ''}). "
            f"Each use is a separate path to {out_label}, and the chain rule adds the {len(step.terms)} products."
        )
        if twice:
            text += (
                f" {twice[0]} takes {record.label} as both inputs, so it counts twice: "
                "one path per input, each with that input's local derivative."
            )
    if record.kind == "input":
        text += f" This is ∂{out_label}/∂{record.label}, one entry of the gradient."
    return text


def _why(trace: Trace, variables: tuple[str, ...]) -> tuple[str, ...]:
    uses: dict[str, int] = {}
    for record in trace.nodes.values():
        for parent in record.inputs:
            uses[parent] = uses.get(parent, 0) + 1
    ops_count = len(trace.nodes) - len(variables)
    out_label = trace.nodes[trace.output].label
    if ops_count:
        start = (
            f"The function is split into {ops_count} primitive operation{'s' if ops_count > 1 else ''}, "
            f"one node each, computed in order. The leaves are the variables {_names(variables)}. "
            "Press n to step; e edits the function."
        )
    else:
        start = "The function is a single variable: there is nothing to compute, and its derivative is 1."
    texts = [start]
    for step in trace.steps:
        texts.append(
            _forward_why(trace, step.node, uses) if step.phase == "forward" else _backward_why(trace, step, out_label)
        )
    return tuple(texts)


def _domain_notices(trace: Trace) -> list[str]:
    """Where the point leaves a function's domain: the first value that is not finite, else the first slope."""
    nodes = trace.nodes
    # every value and gradient finite (all are scalars here) means there is nothing to say: a
    # path's product that is not finite would make the gradient it adds into not finite too
    if all(math.isfinite(r.value) and math.isfinite(r.grad) for r in nodes.values()):
        return []
    for record in nodes.values():
        if record.op is None or np.isfinite(record.value).all():
            continue
        if all(np.isfinite(nodes[p].value).all() for p in record.inputs):
            value = float(record.value)
            inputs = ", ".join(
                f"{nodes[p].label} = {number(float(nodes[p].value))}" for p in dict.fromkeys(record.inputs)
            )
            where = ", outside where it is defined" if math.isnan(value) else ""
            return [
                f"{record.formula} is {number(value)} at this point ({inputs}){where}; "
                "values and gradients computed from it are not finite either."
            ]
    for step in trace.steps[trace.forward_count :]:
        for term in step.terms:
            if np.isfinite(term.upstream).all() and not np.isfinite(term.product).all():
                jacobian = term.local_jacobian()  # 1×1 for a scalar graph, never too big
                local = float(jacobian[0, 0]) if jacobian is not None else math.nan
                return [
                    f"The local derivative {term.derivative} is {number(local)} at this point, "
                    f"so gradients through {term.consumer_label} are not finite."
                ]
    return []


def _title(at: dict[str, float]) -> str:
    items = [f"{name} = {number(v)}" for name, v in list(at.items())[:4]]
    more = f", … ({len(at)} variables)" if len(at) > 4 else ""
    return "Your function at " + ", ".join(items) + more


def _header(expr: Expression) -> str:
    text = " ".join(expr.source.split())
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1] + "…"
    return f"f({_names(expr.variables)}) = {text}"


def build(s: ExprOptions) -> Walkthrough:
    text = s.expr
    expr = expression(text)
    if s.variant is None:
        at, drawn = point_for(expr, s.at), ""
    else:
        at, drawn = variant_point(expr, s.at, s.variant)
    graph, output = expr.graph(at)
    trace = passes.run(graph, output)
    warnings = list(expr.warnings[:2]) + ([drawn] if drawn else [])  # true from the start
    domain = _domain_notices(trace)  # true from the first step that shows a number that is not finite
    notices = warnings + domain
    start = first_not_finite(trace)
    notice_from = [0] * len(warnings) + [start if start is not None else 0] * len(domain)
    return Walkthrough(
        lesson="expr",
        title=_title(at),
        settings={"expr": text, "at": at} if s.variant is None else {"expr": text, "at": at, "variant": s.variant},
        trace=trace,
        why=_why(trace, expr.variables),
        notices=tuple(notices),
        notice_from=tuple(notice_from),
        section="§4",
        formula=_header(expr),
    )
