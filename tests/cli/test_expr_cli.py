"""The command line for lesson expr: errors with their column, and the JSON export."""

import json
import math
import warnings

import pytest


def one_line_error(code, out, err):
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("backprop-tui: error:") and "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    "expr, expected",
    [
        ("(x+))", "backprop-tui: error: unexpected ')' at column 4"),
        ("6*exp(-y)/(1+x^2+y^2)) + 2*x^3", "backprop-tui: error: unexpected ')' at column 22"),
        ("2x", "backprop-tui: error: missing operator before 'x' at column 2"),
        ("__import__('os').system('true')", "backprop-tui: error: unknown function '__import__'"),
        ("sin(x", "backprop-tui: error: this '(' is never closed at column 4"),
        ("", "backprop-tui: error: the function is empty at column 1"),
        ("9^9^9^9", "backprop-tui: error: the function has no variables"),
        ("x^(1/0)", "backprop-tui: error: the exponent (1/0) is not a finite number (it is ∞) at column 3"),
        ("x^(0/0)", "backprop-tui: error: the exponent (0/0) is not a finite number (it is nan) at column 3"),
        ("x^9^9^9", "backprop-tui: error: the exponent 9^9^9 is not a finite number (it is ∞) at column 3"),
    ],
)
def test_syntax_errors_are_one_line_with_the_column(expr, expected, cli):
    line = one_line_error(*cli(["expr", "--expr", expr, "--export", "json"]))
    assert line.startswith(expected), line


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--expr", "x*y", "--at", "w=1"], "no variable w"),
        (["--expr", "x*y", "--at", "x=1,x=2"], "gives x twice"),
        (["--at", "x=abc"], "not a number"),
        (["--d", "3"], "does not use --d"),
        (["--expr", "x" * 1_000_001], "too long"),
    ],
)
def test_bad_point_and_options(argv, fragment, cli):
    assert fragment in one_line_error(*cli(["expr", *argv, "--export", "json"]))


def test_other_lessons_refuse_expr(cli):
    assert "does not use --expr" in one_line_error(*cli(["graph", "--expr", "x", "--export", "json"]))


def test_json_export_of_a_typed_function(cli):
    code, out, err = cli(["expr", "--expr=x*sin(y) + x", "--at", "x=2,y=0.5", "--export", "json"])
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["lesson"] == "expr"
    assert data["settings"] == {"expr": "x*sin(y) + x", "at": {"x": 2.0, "y": 0.5}}
    assert list(data["nodes"]) == ["x", "y", "z1", "z2", "z3"]
    assert data["output"] == "z3"
    nodes = data["nodes"]
    assert nodes["z3"]["value"] == pytest.approx(2 * math.sin(0.5) + 2, rel=1e-15)
    assert nodes["x"]["grad"] == pytest.approx(math.sin(0.5) + 1, rel=1e-15)
    assert nodes["y"]["grad"] == pytest.approx(2 * math.cos(0.5), rel=1e-15)
    assert nodes["x"]["kind"] == "input" and nodes["z1"]["kind"] == "op" and nodes["z1"]["inputs"] == ["y"]
    steps = data["steps"]
    assert [s["phase"] for s in steps] == ["forward"] * 3 + ["backward"] * 5
    assert [s["node"] for s in steps[3:]] == ["z3", "z2", "z1", "y", "x"]
    x_step = steps[-1]
    assert len(x_step["terms"]) == 2  # x is used twice: in the product and in the sum
    assert sum(t["product"] for t in x_step["terms"]) == pytest.approx(x_step["value"], rel=1e-15)
    assert all(s["why"] for s in steps)


def test_json_export_writes_nan_and_inf_as_null(cli):
    code, out, err = cli(["expr", "--expr", "log(x) + 1/y", "--at", "x=-1,y=0", "--export", "json"])
    assert code == 0 and err == ""
    data = json.loads(out)  # strict JSON: no NaN or Infinity tokens
    assert data["nodes"]["z1"]["value"] is None and data["nodes"]["z2"]["value"] is None


def test_markdown_export_works_for_expr(cli):
    code, out, err = cli(["expr", "--export", "markdown"])
    assert code == 0 and err == ""
    assert "z₄ = x²" in out and "f(x, y) = 6*exp(-y)/(1+x^2+y^2) + 2*x^3" in out


@pytest.mark.parametrize("export", ["json", "markdown"])
def test_overflow_exports_carry_notices_and_no_numpy_warning(export, cli):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # outside pytest, a RuntimeWarning would be printed on stderr
        code, out, err = cli(["expr", "--expr", "exp(exp(exp(x))) + x^x/tan(x)", "--at", "x=1e300", "--export", export])
    assert code == 0 and err == ""
    assert "∞" in out or "null" in out
