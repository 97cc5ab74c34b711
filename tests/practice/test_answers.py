"""Reading what a student types: numbers, shapes, product orders and formulas; junk is refused with a column."""

import numpy as np
import pytest

from backprop_tui.practice.answers import (
    AnswerError,
    Formula,
    Names,
    Numbers,
    numbers_from_json,
    parse_formula,
    parse_numbers,
    parse_order,
    parse_shape,
)

# --- numbers ---


@pytest.mark.parametrize(
    "text, expected",
    [
        ("5.955", 5.955),
        ("-3.57e-4", -3.57e-4),
        ("−0.2", -0.2),
        ("+2", 2.0),
        (".5", 0.5),
        ("  7  ", 7.0),
        ("1E3", 1000.0),
        ("−3.57e−4", -3.57e-4),
        ("inf", float("inf")),
        ("−∞", float("-inf")),
    ],
)
def test_a_number(text, expected):
    array = parse_numbers(text).array
    assert array.shape == ()
    assert float(array) == expected


@pytest.mark.parametrize(
    "text", ["0.5, 0.5, 0.5, 0.5", "[0.5, 0.5, 0.5, 0.5]", "0.5 0.5 0.5 0.5", "[0.5,0.5 , 0.5  0.5]"]
)
def test_a_vector_with_or_without_brackets(text):
    array = parse_numbers(text).array
    assert array.shape == (4,)
    assert array.tolist() == [0.5] * 4


@pytest.mark.parametrize("text", ["[[1, 2], [3, 4]]", "[1, 2; 3, 4]", "1, 2; 3, 4", "[[1 2], [3 4]]"])
def test_a_matrix_row_by_row(text):
    assert parse_numbers(text).array.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_one_bracketed_number_is_a_vector_and_one_bracketed_row_a_matrix():
    assert parse_numbers("[2]").array.shape == (1,)
    assert parse_numbers("[[1, 2]]").array.shape == (1, 2)
    assert parse_numbers("[[1], [2]]").array.shape == (2, 1)


@pytest.mark.parametrize(
    "text, column, words",
    [
        ("", 0, "empty"),
        ("1,", 2, "ends"),
        ("1,,2", 2, "expected a number"),
        ("1+1", 1, "comma or a space"),
        ("[[1, 2], [3]]", 9, "1 number"),
        ("[[1, 2] [3, 4]]", 8, "comma is missing"),
        ("[1, 2]]", 6, "after the closing bracket"),
        ("[[[1]]]", 2, "at most a matrix"),
        ("abc", 0, "not part of a number"),
        ("1e999", 0, "too large"),
        ("info", 0, "not part of a number"),
        ("[1, 2", 5, "ends"),
        ("1; 2 3", 3, "this row has 2 numbers"),
    ],
)
def test_numbers_that_do_not_parse_say_where(text, column, words):
    with pytest.raises(AnswerError) as caught:
        parse_numbers(text)
    assert caught.value.position == column
    assert words in caught.value.message


def test_ten_thousand_brackets_are_refused_at_once():
    with pytest.raises(AnswerError) as caught:
        parse_numbers("[" * 10_000 + "1" + "]" * 10_000)
    assert caught.value.position == 2


def test_json_numbers_and_lists():
    assert numbers_from_json(5.955).array.shape == ()
    assert numbers_from_json([1, 2]).array.tolist() == [1.0, 2.0]
    assert numbers_from_json([[1, 2], [3, 4]]).array.shape == (2, 2)
    assert np.isnan(numbers_from_json(float("nan")).array)  # JSON readers take NaN and Infinity
    for bad in (True, None, {"a": 1}, [], [[]], [1, [2]], [[1, 2], [3]], ["1"], [[[1]]], 10**400):
        with pytest.raises(AnswerError):
            numbers_from_json(bad)


# --- shapes and the product order ---


@pytest.mark.parametrize(
    "text, dims",
    [
        ("1x4", (1, 4)),
        ("1×4", (1, 4)),
        ("(1, 4)", (1, 4)),
        ("1 X 4", (1, 4)),
        ("[4, 2]", (4, 2)),
        ("4*2", (4, 2)),
        ("4", (4,)),
        ("(4,)", (4,)),
        ("()", ()),
        ("1", (1,)),
    ],
)
def test_shapes(text, dims):
    assert parse_shape(text).dims == dims


@pytest.mark.parametrize(
    "text, column", [("", 0), ("1x", 2), ("x4", 0), ("(1, 4", 5), ("1x4)", 3), ("0x4", 0), ("1 4", 2), ("one", 0)]
)
def test_shapes_that_do_not_parse(text, column):
    with pytest.raises(AnswerError) as caught:
        parse_shape(text)
    assert caught.value.position == column


def test_three_sizes_are_refused():
    with pytest.raises(AnswerError, match="two sizes"):
        parse_shape("2x3x4")


@pytest.mark.parametrize("text", ["fg", "f g", "df/dy · dg/dx", "∂f/∂y ∂g/∂x", "Jf·Jg", "FG"])
def test_f_first(text):
    assert parse_order(text).first == "f"


@pytest.mark.parametrize("text", ["gf", "dg/dx * df/dy"])
def test_g_first(text):
    assert parse_order(text).first == "g"


@pytest.mark.parametrize("text", ["", "x", "ff", "fgf"])
def test_orders_that_name_f_and_g_other_than_once_each(text):
    with pytest.raises(AnswerError):
        parse_order(text)


# --- formulas ---

LABELS = {"x": "x", "y": "y", "z1": "z₁", "z2": "z₂", "z3": "z₃", "z4": "z₄"}
# at ∂z₄/∂x in lesson graph: every value known, the gradients of z4, z3, z2, z1 and y found already
AT_X = Names(LABELS, "z4", frozenset(LABELS), frozenset({"z4", "z3", "z2", "z1", "y"}), ("grad", "x"))
VALUES = {"x": 1.0, "y": 2.0, "z1": np.exp(-2.0), "z2": 6.0, "z3": 1.0, "z4": 2.0 + np.exp(-2.0)}
GRADS = {"z4": 1.0, "z3": 2.0, "z2": -6 * np.exp(-2.0) / 36, "z1": 1.0, "y": -0.2256}


def value_of(formula: Formula) -> float:
    inputs = {}
    for kind, node in formula.uses.values():
        inputs[(kind, node)] = np.array([VALUES[node] if kind == "value" else GRADS[node]])
    return float(formula.evaluate(inputs)[0])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("6*x^2 - 12*x*z1/z2^2", 6 - 12 * np.exp(-2.0) / 36),
        ("6*x**2 − 12*x*z₁/z₂²", 6 - 12 * np.exp(-2.0) / 36),
        ("z2^-1", 1 / 6),
        ("z₂⁻¹", 1 / 6),
        ("dz4/dz3*3*x^2 + dz4/dz2*2*x", 2 * 3 + GRADS["z2"] * 2),
        ("∂z₄/∂z₂ · 2x".replace("2x", "2*x"), GRADS["z2"] * 2),
        ("sigmoid(y) + exp(-y) + pi*0", 1 / (1 + np.exp(-2.0)) + np.exp(-2.0)),
    ],
)
def test_formulas_in_the_lesson_names(text, expected):
    formula = parse_formula(text, AT_X)
    assert isinstance(formula, Formula)
    assert value_of(formula) == pytest.approx(expected, rel=1e-12)


def test_a_gradient_is_one_name_for_the_judge():
    formula = parse_formula("dz4/dz2 * dz4/dz2 + z2", AT_X)
    assert isinstance(formula, Formula)
    assert sorted(formula.uses.values()) == [("grad", "z2"), ("value", "z2")]


def test_a_formula_without_names_is_a_number():
    answer = parse_formula("6*exp(-2)/6 + 2", AT_X)
    assert isinstance(answer, Numbers)
    assert float(answer.array) == pytest.approx(np.exp(-2.0) + 2, rel=1e-15)


@pytest.mark.parametrize(
    "text, column, words",
    [
        ("__import__('os')", 0, "unknown function '__import__'"),
        ("__import__", 0, "unknown name '__import__'"),
        ("w + x", 0, "unknown name 'w'"),
        ("x +", 3, "end"),
        ("2x", 1, "missing operator"),
        ("6*z₁/z₂²)", 8, "unexpected ')'"),
        ("dz4/dx", 0, "what this question asks"),
        ("dz3/dx", 0, "gradients here are of the output z4"),
        ("exp", 0, "exp is a function"),
        ("foo(x)", 0, "unknown function"),
        ("x ! 2", 2, "unexpected character"),
        ("", 0, "empty"),
        ("  ", 0, "empty"),
        ("(x + 1", 0, "never closed"),
        ("1/0", 0, "not a finite number"),
    ],
)
def test_formulas_that_cannot_be_read_say_where(text, column, words):
    with pytest.raises(AnswerError) as caught:
        parse_formula(text, AT_X)
    assert words in caught.value.message
    assert caught.value.position == column


def test_a_name_not_known_yet_is_refused():
    # at the forward step of z3: x, y, z1 and z2 are computed, z3 is asked, z4 is to come, no gradient yet
    names = Names(LABELS, "z4", frozenset({"x", "y", "z1", "z2"}), frozenset(), ("value", "z3"))
    with pytest.raises(AnswerError, match="not known yet") as caught:
        parse_formula("x + z4", names)
    assert caught.value.position == 4
    with pytest.raises(AnswerError, match="what this question asks"):
        parse_formula("z3", names)
    with pytest.raises(AnswerError, match="∂z₄/∂z₂ is not known yet"):
        parse_formula("dz4/dz2", names)


def test_ten_thousand_parentheses_are_read_without_recursion():
    deep = "(" * 10_000 + "x" + ")" * 10_000
    assert value_of(parse_formula(deep, AT_X)) == 1.0
    with pytest.raises(AnswerError) as caught:
        parse_formula("(" * 10_000 + "x", AT_X)
    assert "never closed" in caught.value.message


def test_the_caret_points_at_the_typed_column():
    text = "3*z₁ + q"
    with pytest.raises(AnswerError) as caught:
        parse_formula(text, AT_X)
    line, caret = caught.value.caret(text)
    assert line[caret.index("^")] == "q"
