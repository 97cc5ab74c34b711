"""Hostile functions typed into lesson expr: each is refused with the parser's column, or computed.

Both the command line and the app build a function through the lesson, so that is
what is tried here. A refusal is an ExpressionError whose message ends with the
column and whose caret can be drawn; a computed walkthrough has every text, and
any value or gradient that is not finite comes with a notice. No other exception,
and no numpy warning, may escape. HOSTILE's length is the count the README cites.
"""

import math
import time
import warnings

import pytest

from backprop_tui.lessons import LESSONS, ExprOptions
from backprop_tui.lessons.expr import ExpressionError

REFUSED, COMPUTED = "refused", "computed"
HANG_GUARD = 10.0  # seconds; each takes well under 2 s, this only keeps a slip from hanging the run

# (id, text, point, what happens)
HOSTILE = [
    # constants that are not numbers, where an exponent must be one
    ("exponent 1/0", "x^(1/0)", {}, REFUSED),
    ("exponent -(1/0)", "x^(-(1/0))", {}, REFUSED),
    ("exponent 9^9^9", "x^9^9^9", {}, REFUSED),
    ("exponent (9^9^9)", "x^(9^9^9)", {}, REFUSED),
    ("exponent 0/0", "x^(0/0)", {}, REFUSED),
    ("exponent 1e308^2", "exp(x)^1e308^2", {}, REFUSED),
    # nothing, or only the shape of something
    ("empty", "", {}, REFUSED),
    ("spaces", "     ", {}, REFUSED),
    ("tabs and newlines", "\t\n\r", {}, REFUSED),
    ("four open parentheses", "((((", {}, REFUSED),
    ("10,000 open parentheses", "(" * 10_000, {}, REFUSED),
    ("10,000 close parentheses", ")" * 10_000, {}, REFUSED),
    ("10,000 parentheses around x", "(" * 10_000 + "x" + ")" * 10_000, {}, COMPUTED),
    ("empty parentheses", "()", {}, REFUSED),
    ("x^^2", "x^^2", {}, REFUSED),
    ("x**-**2", "x**-**2", {}, REFUSED),
    ("dangling operator", "x+", {}, REFUSED),
    ("two names", "x y", {}, REFUSED),
    ("function without parentheses", "sin x", {}, REFUSED),
    ("function without argument", "sin()", {}, REFUSED),
    ("function with two arguments", "sin(x, y)", {}, REFUSED),
    ("hexadecimal", "0x10", {}, REFUSED),
    # code, not mathematics
    ("__import__", "__import__('os')", {}, REFUSED),
    ("os.system", "__import__('os').system('true')", {}, REFUSED),
    ("attribute", "x.y", {}, REFUSED),
    ("dunder attribute", "x.__class__", {}, REFUSED),
    ("lambda", "(lambda: 1)()", {}, REFUSED),
    ("shell", "x; rm -rf /", {}, REFUSED),
    ("assignment", "x = 1", {}, REFUSED),
    ("intermediate's name", "z1 + x", {}, REFUSED),
    # characters outside the language
    ("NUL", "\0", {}, REFUSED),
    ("NUL after x", "x\0", {}, REFUSED),
    ("NUL between", "x+\0y", {}, REFUSED),
    ("Greek letters", "α + β", {}, REFUSED),
    ("accented name", "café*x", {}, REFUSED),
    ("superscript two", "x²", {}, REFUSED),
    ("fullwidth digit", "１+x", {}, REFUSED),
    ("right-to-left override", "\u202ex", {}, REFUSED),
    ("emoji", "x + 🙂", {}, REFUSED),
    # names and numbers too big
    ("name of 25 letters", "a" * 25 + " + x", {}, REFUSED),
    ("name of 100,000 letters", "a" * 100_000, {}, REFUSED),
    ("name of 24 letters", "a" * 24 + " + x", {}, COMPUTED),
    ("1e999", "1e999", {}, REFUSED),
    ("1e999 times x", "1e999*x", {}, REFUSED),
    ("400 ones", "1" * 400 + "*x", {}, REFUSED),
    ("over a million characters", "x" * 1_000_001, {}, REFUSED),
    ("100,000 terms", "+".join(["x"] * 100_000), {}, REFUSED),
    # constants without a variable
    ("log(0)", "log(0)", {}, REFUSED),
    ("sqrt(-1)", "sqrt(-1)", {}, REFUSED),
    ("0/0", "0/0", {}, REFUSED),
    ("9^9^9^9", "9^9^9^9", {}, REFUSED),
    # computed, with values or slopes that are not finite
    ("exp(exp(exp(x))) at 10", "exp(exp(exp(x)))", {"x": 10.0}, COMPUTED),
    ("exp(exp(exp(x))) at 1e300", "exp(exp(exp(x)))", {"x": 1e300}, COMPUTED),
    ("exp(exp(exp(x))) at -1e300", "exp(exp(exp(x)))", {"x": -1e300}, COMPUTED),
    ("log(x) at 0", "log(x)", {"x": 0.0}, COMPUTED),
    ("log(x - x)", "log(x - x)", {}, COMPUTED),
    ("log(log(log(x))) at 1", "log(log(log(x)))", {"x": 1.0}, COMPUTED),
    ("sqrt(x) at -1", "sqrt(x)", {"x": -1.0}, COMPUTED),
    ("sqrt(-1)*x", "sqrt(-1)*x", {}, COMPUTED),
    ("x/0", "x/0", {}, COMPUTED),
    ("0/0 + x", "0/0 + x", {}, COMPUTED),
    ("x/(x - x)", "x/(x - x)", {}, COMPUTED),
    ("1/x at 0", "1/x", {"x": 0.0}, COMPUTED),
    ("x^-2 at 0", "x^-2", {"x": 0.0}, COMPUTED),
    ("x^x at 0", "x^x", {"x": 0.0}, COMPUTED),
    ("0^x at 1", "0^x", {"x": 1.0}, COMPUTED),
    ("0^x at 0", "0^x", {"x": 0.0}, COMPUTED),
    ("y^x at y = 0", "y^x", {"x": 1.0, "y": 0.0}, COMPUTED),
    ("(-8)^x", "(-8)^x", {"x": 1 / 3}, COMPUTED),
    ("2^x at 1e4", "2^x", {"x": 1e4}, COMPUTED),
    ("x^1e308", "x^1e308", {"x": 2.0}, COMPUTED),
    ("x^1e-320", "x^1e-320", {"x": 2.0}, COMPUTED),
    ("tan(x) at π/2", "tan(x)", {"x": math.pi / 2}, COMPUTED),
    ("x*1e308*10", "x*1e308*10", {}, COMPUTED),
    ("sigmoid, relu, abs at -1e308", "sigmoid(x) + relu(x) + abs(x)", {"x": -1e308}, COMPUTED),
    ("x times 1e-320 squared", "(x*1e-320)^2", {}, COMPUTED),
    # odd but valid spellings
    ("signs", "x+-+-x--x", {}, COMPUTED),
    ("other spellings", "x·x×x − x**2", {}, COMPUTED),
    ("no-break space", "x\u00a0+\u00a0y", {}, COMPUTED),
    # size: at the limits
    ("50,000 terms", "+".join(["x"] * 50_000), {}, COMPUTED),
    ("50,001 terms", "+".join(["x"] * 50_001), {}, REFUSED),
    ("10,000 variables", "+".join(f"x{k}" for k in range(10_000)), {}, COMPUTED),
    ("20,000 minus signs", "-" * 20_000 + "x", {}, COMPUTED),
    ("sin nested 20,000 deep", "sin(" * 20_000 + "x" + ")" * 20_000, {}, COMPUTED),
    ("sin nested 20,000 deep, unclosed", "sin(" * 20_000 + "x", {}, REFUSED),
]


@pytest.mark.parametrize("text, point, outcome", [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_a_hostile_function_is_refused_with_its_column_or_computed(text, point, outcome, tally):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy warning would reach stderr
        try:
            walk = LESSONS["expr"].build(ExprOptions(expr=text, at=tuple(point.items())))
        except ExpressionError as error:
            assert outcome == REFUSED, f"refused: {error}"
            assert error.field == "expr" and error.position is not None
            assert 0 <= error.position <= len(text)
            assert str(error).endswith(f" at column {error.position + 1}")
            shown, caret = error.caret()
            assert caret.endswith("^") and len(caret) <= len(shown) + 1
        else:
            assert outcome == COMPUTED
            trace = walk.trace
            assert len(walk.why) == len(trace.steps) + 1 and trace.steps
            for step in trace.steps:  # every text a screen or an export shows
                assert step.equation and step.shapes
                assert all(term.derivative for term in step.terms)
            finite = all(math.isfinite(r.value) and math.isfinite(r.grad) for r in trace.nodes.values())
            assert finite or walk.notices, "a value or gradient that is not finite comes with a notice"
    assert time.perf_counter() - start < HANG_GUARD
    tally["hostile functions tried"] = tally.get("hostile functions tried", 0) + 1


def test_the_table_is_big_enough_to_cite():
    assert len(HOSTILE) >= 40
    assert len({case[0] for case in HOSTILE}) == len(HOSTILE)
