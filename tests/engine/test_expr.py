"""The expression language: random functions against finite differences, printing back, hostile text, carets."""

from __future__ import annotations

import builtins
import math
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from backprop_tui.engine import passes
from backprop_tui.engine.expr import MAX_NODES, ExprError, caret_lines, parse

VARIABLES = ("w", "x", "y")

# --- random well-formed functions, each with its value written independently in plain Python ---

ATOM, POW, NEG, MUL, ADD = 5, 4, 3, 2, 1


@dataclass(frozen=True)
class F:
    """A function as text (precedence of its top operator) and as a plain Python function of a point."""

    text: str
    prec: int
    at: Callable[[dict], float]


def wrap(f: F, needs: bool) -> str:
    return f"({f.text})" if needs else f.text


def sigmoid(a: float) -> float:
    return 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))


LEAVES = st.one_of(
    st.sampled_from(VARIABLES).map(lambda v: F(v, ATOM, lambda p, v=v: p[v])),
    st.sampled_from(
        [("2", 2.0), ("0.5", 0.5), ("3", 3.0), ("1.5e0", 1.5), (".25", 0.25), ("pi", math.pi), ("e", math.e)]
    ).map(lambda c: F(c[0], ATOM, lambda p, c=c: c[1])),
)

BINARY = {
    "+": (ADD, lambda a, b: a + b),
    "-": (ADD, lambda a, b: a - b),
    "*": (MUL, lambda a, b: a * b),
    "/": (MUL, lambda a, b: a / b),
}
SPELLING = {"-": ["-", "−"], "*": ["*", "·", "×"], "+": ["+"], "/": ["/"], "^": ["^", "**"]}
FUNCTIONS = {
    "exp": math.exp, "sin": math.sin, "cos": math.cos, "tanh": math.tanh, "sigmoid": sigmoid,
    "tan": math.tan, "abs": abs, "relu": lambda a: max(a, 0.0),
}


@st.composite
def binary(draw, children):
    symbol = draw(st.sampled_from(sorted(BINARY)))
    prec, f = BINARY[symbol]
    a, b = draw(children), draw(children)
    # left-associative: a right operand of the same precedence needs parentheses
    spelled = draw(st.sampled_from([" ", ""])) + draw(st.sampled_from(SPELLING[symbol])) + " "
    text = wrap(a, a.prec < prec) + spelled + wrap(b, b.prec <= prec)
    return F(text, prec, lambda p: f(a.at(p), b.at(p)))


@st.composite
def power(draw, children):
    base = draw(children)
    spelled = draw(st.sampled_from(SPELLING["^"]))
    if draw(st.booleans()):  # a constant exponent
        k_text, k = draw(st.sampled_from([("2", 2), ("3", 3), ("-1", -1), ("0.5", 0.5)]))
        if k == 0.5 or k == -1:  # keep the base away from 0 and negative numbers
            text = f"(1 + {wrap(base, base.prec <= POW)}^2){spelled}({k_text})"
            return F(text, POW, lambda p: (1 + base.at(p) ** 2) ** k)
        return F(wrap(base, base.prec <= POW) + spelled + k_text, POW, lambda p: base.at(p) ** k)
    exponent = draw(children)  # a variable exponent on a positive base
    return F(
        f"(1 + {wrap(base, base.prec <= POW)}^2){spelled}{wrap(exponent, exponent.prec < POW)}",
        POW,
        lambda p: (1 + base.at(p) ** 2) ** exponent.at(p),
    )


@st.composite
def unary(draw, children):
    a = draw(children)
    kind = draw(st.sampled_from(["neg", "fn", "log", "sqrt"]))
    if kind == "neg":
        return F(draw(st.sampled_from(SPELLING["-"])) + wrap(a, a.prec < NEG), NEG, lambda p: -a.at(p))
    if kind == "fn":
        name = draw(st.sampled_from(sorted(FUNCTIONS)))
        return F(f"{name}({a.text})", ATOM, lambda p: FUNCTIONS[name](a.at(p)))
    fn = math.log if kind == "log" else math.sqrt  # on a positive argument
    return F(f"{kind}(1 + {wrap(a, a.prec <= POW)}^2)", ATOM, lambda p: fn(1 + a.at(p) ** 2))


FUNCTIONS_STRATEGY = st.recursive(
    LEAVES, lambda children: st.one_of(binary(children), power(children), unary(children)), max_leaves=12
)
# Coordinates on a grid of 0.001: near 1e-150, x/x's exact gradient 1/x − x/x² cancels catastrophically.
POINTS = st.fixed_dictionaries({v: st.integers(-2000, 2000).map(lambda k: k / 1000) for v in VARIABLES})


def reference(f: F, point: dict) -> float:
    try:
        value = f.at(point)
    except (ArithmeticError, ValueError):
        value = math.nan
    return value if isinstance(value, float) or isinstance(value, int) else math.nan


def values_and_gradients(expr, point):
    graph, out = expr.graph(point)
    value, grads = passes.value_and_gradients(graph, out)
    return float(value), {v: float(grads[v]) for v in expr.variables}


def central(f: F, point: dict, v: str, h: float) -> float:
    plus, minus = dict(point), dict(point)
    plus[v] += h
    minus[v] -= h
    return (reference(f, plus) - reference(f, minus)) / (2 * h)


def one_sided(f: F, point: dict, v: str, h: float) -> float:
    moved = dict(point)
    moved[v] += h
    return (reference(f, moved) - reference(f, point)) / h


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(FUNCTIONS_STRATEGY, POINTS)
def test_value_and_gradient_match_plain_python_and_central_differences(f, point):
    try:
        expr = parse(f.text)
    except ExprError as error:
        assert "no variables" in error.message, f.text  # a constant function is the only refusal
        return
    expected = reference(f, point)
    assume(math.isfinite(expected) and abs(expected) < 1e8)
    value, grads = values_and_gradients(expr, point)
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), f.text
    for v in VARIABLES:
        if v not in expr.variables:
            assert v not in f.text.replace("exp", "").replace("sqrt", "")  # only unused names are left out
            continue
        h = 1e-5
        fd, fd_half = central(f, point, v, h), central(f, point, v, h / 2)
        left, right = one_sided(f, point, v, -h), one_sided(f, point, v, h)
        # at a kink (relu, abs at 0) or where the function bends sharply, differences say nothing: skip
        if not all(map(math.isfinite, (fd, fd_half, left, right))):
            continue
        # halving h must not move the estimate by more than the tolerance below, or the differences
        # have not converged (w·|w| at 0: they are off by h) and cannot judge the gradient
        tolerance = 1e-6 + 1e-5 * abs(fd)
        if abs(fd - fd_half) > 0.1 * tolerance or abs(left - right) > 1e-3 * max(1.0, abs(fd)):
            continue
        assert grads[v] == pytest.approx(fd, rel=1e-5, abs=1e-6), (f.text, v)


@settings(max_examples=200, deadline=None)
@given(FUNCTIONS_STRATEGY, POINTS)
def test_printing_the_graph_back_gives_the_same_function(f, point):
    try:
        expr = parse(f.text)
    except ExprError:
        return
    printed = expr.text()
    again = parse(printed)
    assert again.variables == expr.variables
    assert again.text() == printed  # printing is a fixed point
    first, second = values_and_gradients(expr, point), values_and_gradients(again, point)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal([first[1][v] for v in expr.variables], [second[1][v] for v in expr.variables])


# --- anything at all: the parser's own error or a graph, quickly (hypothesis fails an example over the deadline) ---

SOUP = "xyzw e pi 0123456789.+-*/^()−·×,=' sinexpcotaglqrbud_[]{}:;@!\t\n"


@settings(max_examples=2500, deadline=1000)
@given(st.text(alphabet=SOUP, max_size=60))
def test_token_soup_raises_only_the_parsers_error(text):
    check_any_text(text)


@settings(max_examples=1000, deadline=1000)
@given(st.text(max_size=40))
def test_any_unicode_raises_only_the_parsers_error(text):
    check_any_text(text)


def check_any_text(text: str) -> None:
    try:
        expr = parse(text)
    except ExprError as error:
        assert 0 <= error.position <= len(text)
        assert str(error).endswith(f"at column {error.position + 1}")
        return
    graph, out = expr.graph({v: 1.0 for v in expr.variables})
    trace = passes.run(graph, out)  # inf or nan is allowed, an exception is not
    assert trace.output == out.name


# --- hostile input ---


@pytest.fixture
def no_code_execution(monkeypatch):
    """Fail the test if parsing reaches eval, exec, compile, __import__ or os.system."""
    def refuse(*args, **kwargs):
        raise AssertionError("the parser must never execute text")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, refuse)
    monkeypatch.setattr(os, "system", refuse)


@pytest.mark.parametrize(
    "text, column, message",
    [
        ("__import__('os').system('echo hacked')", 1, "unknown function '__import__'"),
        ("x.__class__", 2, "unexpected character '.'"),
        ("(lambda: 1)()", 8, "unexpected character ':'"),
        ("[x for x in y]", 1, "unexpected character '['"),
        ("x = 1", 3, "unexpected character '='"),
        ("'x'", 1, "unexpected character"),
        ("x[0]", 2, "unexpected character '['"),
        ("open('f')", 1, "unknown function 'open'"),
        ("sin(x, y)", 6, "functions take one argument"),
    ],
)
def test_code_is_refused_and_nothing_runs(no_code_execution, text, column, message):
    with pytest.raises(ExprError) as error:
        parse(text)
    assert error.value.position == column - 1
    assert message in str(error.value)


def test_five_thousand_nested_parentheses_work(no_code_execution):
    expr = parse("(" * 5000 + "x" + ")" * 5000)
    assert expr.variables == ("x",) and expr.instructions == ()
    nested = parse("sin(" * 5000 + "x" + ")" * 5000)
    graph, out = nested.graph({"x": 0.5})
    value, grads = passes.value_and_gradients(graph, out)
    expected, slope = 0.5, 1.0
    for _ in range(5000):  # the same chain, written out in plain Python
        slope *= math.cos(expected)
        expected = math.sin(expected)
    assert float(value) == pytest.approx(expected, rel=1e-12)
    assert float(grads["x"]) == pytest.approx(slope, rel=1e-9)
    assert len(parse("-" * 5000 + "x").instructions) == 5000


def test_unclosed_deep_nesting_points_at_the_innermost_open_parenthesis():
    with pytest.raises(ExprError) as error:
        parse("(" * 5000 + "x")
    assert error.value.position == 4999
    assert "never closed" in error.value.message


def test_a_hundred_thousand_terms_get_a_clear_error():
    text = "+".join(f"x{i % 7}" for i in range(100_000))
    with pytest.raises(ExprError) as error:
        parse(text)
    assert "too big" in error.value.message and f"{MAX_NODES:,}" in error.value.message
    assert text[error.value.position] == "+"  # the operator that would have made one node too many


def test_ten_thousand_terms_work():
    text = " + ".join(f"{k % 9 + 1}*sin(x{k % 50})" for k in range(10_000))
    expr = parse(text)
    assert len(expr.variables) == 50
    graph, out = expr.graph({f"x{k}": 0.1 * k for k in range(50)})
    value, grads = passes.value_and_gradients(graph, out)
    x = 0.1 * np.arange(50)
    weights = np.zeros(50)
    for k in range(10_000):
        weights[k % 50] += k % 9 + 1
    assert float(value) == pytest.approx(float(weights @ np.sin(x)), rel=1e-12)
    np.testing.assert_allclose([float(grads[f"x{k}"]) for k in range(50)], weights * np.cos(x), rtol=1e-12)


def test_overflowing_constants_warn_and_return_at_once():
    with pytest.raises(ExprError) as error:
        parse("9^9^9^9")
    assert "no variables" in error.value.message and "∞" in error.value.message
    expr = parse("x*9^9^9^9")
    assert expr.warnings == ("The constant 9^9^9 at column 5 is ∞ (too large for a 64-bit float).",)
    graph, out = expr.graph({"x": 2.0})
    assert float(passes.value_and_gradients(graph, out)[0]) == math.inf
    with pytest.raises(ExprError, match="too large"):
        parse("1e999*x")


def test_too_long_text_is_refused_before_reading_it():
    with pytest.raises(ExprError, match="too long"):
        parse("x" * 1_000_001)


# --- the language ---


@pytest.mark.parametrize(
    "text, point, expected",
    [
        ("-x^2", {"x": 3.0}, -9.0),  # powers bind tighter than unary minus
        ("2^3^2*x", {"x": 1.0}, 512.0),  # and group to the right
        ("x**2**3", {"x": 2.0}, 256.0),
        ("x^-1", {"x": 4.0}, 0.25),
        ("x - y - w", {"x": 10.0, "y": 3.0, "w": 2.0}, 5.0),  # minus groups to the left
        ("x / y / w", {"x": 12.0, "y": 3.0, "w": 2.0}, 2.0),
        ("x − y·w × 2", {"x": 1.0, "y": 2.0, "w": 3.0}, -11.0),  # the symbols the app itself shows
        ("+x", {"x": 5.0}, 5.0),
        ("--x", {"x": 5.0}, 5.0),
        ("pi*r^2", {"r": 2.0}, 4 * math.pi),
        ("e^x", {"x": 2.0}, math.exp(2.0)),
        ("1.5e2*x + .5", {"x": 1.0}, 150.5),
        ("relu(x) + abs(y)", {"x": -1.0, "y": -2.0}, 2.0),
        ("Xy_2 + xy", {"Xy_2": 1.0, "xy": 2.0}, 3.0),  # names are case-sensitive identifiers
    ],
)
def test_precedence_and_spellings(text, point, expected):
    expr = parse(text)
    assert set(expr.variables) == set(point)
    graph, out = expr.graph(point)
    assert float(passes.value_and_gradients(graph, out)[0]) == pytest.approx(expected, rel=1e-14)


def test_graph_has_one_node_per_operation_named_in_order_and_shares_repeats():
    expr = parse("6*exp(-y)/(1+x^2+y^2) + 2*x^3")
    graph, out = expr.graph({"x": 1.0, "y": 2.0})
    trace = passes.run(graph, out)
    assert list(trace.nodes) == ["x", "y"] + [f"z{k}" for k in range(1, 12)]
    assert trace.output == "z11"
    formulas = [trace.nodes[f"z{k}"].formula for k in range(1, 12)]
    assert formulas == [
        "z₁ = −y", "z₂ = exp(z₁)", "z₃ = 6·z₂", "z₄ = x²", "z₅ = 1 + z₄", "z₆ = y²",
        "z₇ = z₅ + z₆", "z₈ = z₃/z₇", "z₉ = x³", "z₁₀ = 2·z₉", "z₁₁ = z₈ + z₁₀",
    ]
    shared = parse("sin(x)*sin(x) + sin(x)")
    assert len(shared.instructions) == 3  # sin(x) once, then the product and the sum
    graph, out = shared.graph({"x": 0.3})
    trace = passes.run(graph, out)
    step = trace.steps[trace.step_index("backward", "z1")]
    assert [t.consumer for t in step.terms] == ["z3", "z2", "z2"]  # the sum, and the product twice
    assert float(trace.nodes["x"].grad) == pytest.approx((2 * math.sin(0.3) + 1) * math.cos(0.3), rel=1e-14)


def test_a_variable_used_twice_sums_both_paths():
    graph, out = parse("x*y + x").graph({"x": 2.0, "y": 5.0})
    trace = passes.run(graph, out)
    step = trace.steps[trace.step_index("backward", "x")]
    assert len(step.terms) == 2
    assert sorted(float(t.product) for t in step.terms) == [1.0, 5.0]
    assert float(step.value) == 6.0


# --- errors say where ---


@pytest.mark.parametrize(
    "text, column, message",
    [
        ("(x+))", 4, "unexpected ')'"),
        ("x+)", 3, "unexpected ')'"),
        ("x)", 2, "unexpected ')'"),
        ("2x", 2, "missing operator before 'x'"),
        ("x y", 3, "missing operator before 'y'"),
        ("sin x", 1, "sin is a function"),
        ("foo(x)", 1, "unknown function 'foo'"),
        ("x^", 3, "unexpected end of the function"),
        ("x*/y", 3, "unexpected '/'"),
        ("(x", 1, "this '(' is never closed"),
        ("exp(x", 4, "this '(' is never closed"),
        ("", 1, "the function is empty"),
        ("  \t ", 1, "the function is empty"),
        ("3*4", 1, "no variables"),
        ("x $ y", 3, "unexpected character '$'"),
        ("z3 + x", 1, "intermediate node"),
        ("x + " + "a" * 30, 5, "too long"),
        ("x + 1e400", 5, "too large"),
        ("1" * 400 + "*x", 1, "the number 1111111111111111111… is too large"),
        ("x^(1/0)", 3, "the exponent (1/0) is not a finite number (it is ∞)"),
        ("x^(-(1/0))", 3, "the exponent (-(1/0)) is not a finite number (it is −∞)"),
        ("x^9^9^9", 3, "the exponent 9^9^9 is not a finite number"),
        ("x^(9^9^9)", 3, "the exponent (9^9^9) is not a finite number"),
        ("x^(0/0)", 3, "the exponent (0/0) is not a finite number (it is nan)"),
        ("sin(x)^(1/0) + 1", 8, "the exponent (1/0)"),
    ],
)
def test_errors_carry_the_column(text, column, message):
    with pytest.raises(ExprError) as error:
        parse(text)
    assert error.value.position == column - 1
    assert message in error.value.message
    assert str(error.value) == f"{error.value.message} at column {column}"


def test_caret_lines_point_at_the_character():
    shown, caret = caret_lines("(x+))", 4)
    assert shown == "(x+))" and caret == "    ^"
    text = "x+" * 100 + ")" + "+y" * 100
    shown, caret = caret_lines(text, 200, width=40)
    assert shown.startswith("…") and shown.endswith("…")
    assert shown[caret.index("^")] == ")"
    shown, caret = caret_lines("x+", 2)  # at the end: one past the last character
    assert caret == "  ^"
