"""The judge against the course notes' own answers (§3.1, §3.2, §4b) in several forms, and against junk."""

import math

import numpy as np
import pytest

from backprop_tui.lessons import ChainOptions, ExprOptions, GraphOptions, MlpOptions
from backprop_tui.practice import CORRECT, INVALID, WRONG, judge, practice_for
from backprop_tui.practice.answers import Formula, Numbers


def graph(x=1.0, y=2.0):
    return practice_for("graph", GraphOptions(at=(("x", x), ("y", y))))


def verdict(practice, phase, node, field, answer, consumer=None):
    return judge(practice.question(phase, node, field, consumer), answer)


# --- §4(b), the graph lesson: every form of the notes' answers passes ---

NOTES = [
    ("z3", "grad", ["2", "2.0", "1+1", "dz4/dz4*2"]),
    ("z2", "grad", ["-6*z1/z2^2", "−6z₁/z₂²".replace("6z", "6*z"), "-6*exp(-y)/(1+x^2+y^2)^2", "-6*z1*z2^-2",
                    "(-6*z1)/(z2*z2)", "dz4/dz4*(-6)*z1/z2**2"]),
    ("z1", "grad", ["6/z2", "6/(1+x^2+y^2)", "6*z2^(-1)"]),
    ("x", "grad", ["6*x^2 - 12*x*z1/z2^2", "2*(3*x^2) + (-6*z1/z2^2)*(2*x)", "dz4/dz3*3*x^2 + dz4/dz2*2*x",
                   "6*x^2 - 12*x*exp(-y)/(1+x^2+y^2)^2", "x*(6*x - 12*z1/z2^2)"]),
    ("y", "grad", ["-12*y*z1/z2^2 - 6*exp(-y)/z2", "(-6*z1/z2^2)*(2*y) + 6/z2*(-exp(-y))",
                   "dz4/dz2*2*y + dz4/dz1*(-z1)", "-(12*y*z1/z2 + 6*z1)/z2"]),
]


@pytest.mark.parametrize("node, field, answers", NOTES)
@pytest.mark.parametrize("point", [(1.0, 2.0), (0.5, -1.0), (-2.0, 0.3)])
def test_the_notes_answers_in_every_form_pass(node, field, answers, point):
    practice = graph(*point)
    for answer in answers:
        result = verdict(practice, "backward", node, field, answer)
        assert result.verdict == CORRECT, (answer, result.message)
        assert isinstance(result.answer, Formula | Numbers)


def test_locals_of_the_graph():
    practice = graph()
    for consumer, answers in {"z3": ["3*x^2", "3*x*x"], "z2": ["2*x", "x+x"]}.items():
        for answer in answers:
            assert verdict(practice, "backward", "x", "local", answer, consumer).correct
    assert verdict(practice, "backward", "y", "local", "-exp(-y)", "z1").correct
    assert verdict(practice, "backward", "y", "local", "-z1", "z1").correct


def test_numbers_pass_at_three_significant_figures():
    practice = graph()
    true = 6 - 12 * math.exp(-2) / 36  # 5.95489
    for typed in ("5.955", "5.95", "5.9549", f"{true!r}"):
        assert verdict(practice, "backward", "x", "grad", typed).correct, typed
    for typed in ("5.96", "5.94", "6"):
        assert verdict(practice, "backward", "x", "grad", typed).verdict == WRONG, typed
    assert verdict(practice, "backward", "x", "grad", 5.955).correct  # a JSON number
    assert verdict(practice, "backward", "y", "grad", "-0.2256").correct
    assert verdict(practice, "forward", "z1", "value", "0.135").correct


def test_a_formula_right_at_the_point_only_is_a_coincidence():
    practice = graph()  # at x = 1: 2x = 2 = ∂z₄/∂z₃, and x³ = x² = x
    for node, field, answer in [("z3", "grad", "2*x"), ("z3", "grad", "2*x^3"), ("z3", "value", "x^2")]:
        phase = "forward" if field == "value" else "backward"
        result = verdict(practice, phase, node, field, answer)
        assert result.verdict == WRONG, answer
        assert "Right at this point" in result.message


def test_forward_values_as_formulas_use_only_what_is_computed():
    practice = graph()
    assert verdict(practice, "forward", "z4", "value", "6*z1/z2 + 2*z3").correct
    assert verdict(practice, "forward", "z4", "value", "6*exp(-y)/(1+x^2+y^2) + 2*x^3").correct
    early = verdict(practice, "forward", "z2", "value", "z3 + 1")
    assert early.verdict == INVALID and "not known yet" in early.message and early.position == 0


def test_gradients_not_found_yet_cannot_be_used():
    practice = graph()
    result = verdict(practice, "backward", "z2", "grad", "dz4/dx")
    assert result.verdict == INVALID
    assert "∂z₄/∂x is not known yet" in result.message


@pytest.mark.parametrize(
    "answer, column",
    [
        ("__import__('os').system('true')", 0),
        ("(" * 10_000 + "x", 9_999),
        ("(" * 10_000, 10_000),
        ("6*x^2 +", 7),
        ("6*x^2 - 12*x*w", 13),
        ("2x", 1),
    ],
    ids=["import", "unclosed", "only-parentheses", "ends", "unknown-name", "no-operator"],
)
def test_junk_is_invalid_with_a_column_never_wrong(answer, column):
    result = verdict(graph(), "backward", "x", "grad", answer)
    assert result.verdict == INVALID
    assert result.position == column
    assert result.diagnosis == result.message


# --- §3.1 and §3.2, the network: numbers only ---


def by_hand(practice):
    nodes = practice.trace.nodes
    x, W0, b0, W1 = (np.array(nodes[n].value) for n in ("x", "W0", "b0", "W1"))
    z = 1 / (1 + np.exp(-(W0 @ x + b0)))
    dv = W1[0] * z * (1 - z)
    return x, z, dv


def text(a):
    a = np.asarray(a)
    if a.ndim == 2:
        return "[" + ", ".join(text(row) for row in a) + "]"
    return "[" + ", ".join(f"{v:.6g}" for v in np.ravel(a)) + "]"


def test_the_networks_gradients_typed_in_every_layout_pass():
    practice = practice_for("mlp", MlpOptions())
    x, z, dv = by_hand(practice)
    assert verdict(practice, "backward", "v", "grad", text(dv)).correct
    assert verdict(practice, "backward", "v", "grad", ", ".join(f"{v:.4g}" for v in dv)).correct
    assert verdict(practice, "backward", "v", "grad", text(dv.reshape(1, -1))).correct  # the 1×4 row, bracketed
    assert verdict(practice, "backward", "v", "grad", dv.tolist()).correct  # a JSON list
    assert verdict(practice, "backward", "W0", "grad", text(np.outer(dv, x))).correct
    assert verdict(practice, "backward", "W0", "grad", np.outer(dv, x).tolist()).correct
    assert verdict(practice, "backward", "W1", "grad", text(z)).correct  # ∂y/∂W⁽¹⁾ = zᵀ
    assert verdict(practice, "backward", "b1", "grad", "1").correct
    assert verdict(practice, "forward", "z", "value", text(z)).correct
    assert verdict(practice, "forward", "z", "value", text(z.reshape(-1, 1))).correct  # a value may be a column
    assert verdict(practice, "backward", "v", "local", text(np.diag(z * (1 - z)))).correct
    assert verdict(practice, "backward", "v", "local", text(z * (1 - z))).correct  # a diagonal by its diagonal
    for shape in ("1x4", "1×4", "(1, 4)"):
        assert verdict(practice, "backward", "v", "shape", shape).correct
    assert verdict(practice, "backward", "W0", "shape", "4x2").correct
    assert verdict(practice, "backward", "y", "shape", "1").correct


def test_zero_init_of_section_3_2():
    practice = practice_for("mlp", MlpOptions(init="zero"))
    assert verdict(practice, "forward", "z", "value", "0.5, 0.5, 0.5, 0.5").correct
    assert verdict(practice, "forward", "y", "value", "0").correct
    assert verdict(practice, "backward", "W1", "grad", "[0.5, 0.5, 0.5, 0.5]").correct
    assert verdict(practice, "backward", "W0", "grad", "[[0, 0], [0, 0], [0, 0], [0, 0]]").correct
    assert verdict(practice, "backward", "b0", "grad", "0 0 0 0").correct
    assert verdict(practice, "backward", "b0", "grad", "0 0 0 0.1").verdict == WRONG


def test_the_network_takes_no_formulas():
    result = verdict(practice_for("mlp", MlpOptions()), "backward", "v", "grad", "W1*z*(1-z)")
    assert result.verdict == INVALID and result.position == 0


def test_chain():
    practice = practice_for("chain", ChainOptions())  # ℓ = 3, n = 4, m = 2
    assert verdict(practice, "jacobian", "g", "shape", "4x3").correct
    assert verdict(practice, "jacobian", "fg", "shape", "2×3").correct
    assert verdict(practice, "jacobian", "fg", "order", "df/dy · dg/dx").correct
    assert verdict(practice, "jacobian", "fg", "order", "gf").verdict == WRONG
    assert verdict(practice, "jacobian", "fg", "shape", [2, 3]).verdict == INVALID


def test_expr_lesson_formulas_at_its_own_points():
    practice = practice_for("expr", ExprOptions(expr="log(x)*sqrt(y)", at=(("x", 2.0), ("y", 9.0))))
    assert verdict(practice, "backward", "x", "grad", "sqrt(y)/x").correct
    assert verdict(practice, "backward", "y", "grad", "log(x)/(2*sqrt(y))").correct
    assert verdict(practice, "backward", "y", "grad", "0.1155").correct  # log 2 / 6
    assert verdict(practice, "backward", "x", "grad", "1.5").correct
    assert verdict(practice, "backward", "x", "grad", "sqrt(y)/2").verdict == WRONG  # = 1.5 at x = 2 only
    assert all(np.isfinite(t.nodes["z1"].value) for t in practice.points.traces)  # log's domain kept
    assert practice.points.count > 3


def test_the_caret_of_an_invalid_answer():
    text = "6*x^2 - 12*x*q/z2^2"
    result = verdict(graph(), "backward", "x", "grad", text)
    line, caret = result.caret(text)
    assert line[caret.index("^")] == "q"
    assert verdict(graph(), "backward", "x", "grad", "5.955").caret("5.955") is None


# --- where the lesson's point overflows or leaves the domain ---


def test_values_that_overflow_are_typed_as_the_app_shows_them():
    practice = practice_for("expr", ExprOptions(expr="1/x", at=(("x", 0.0),)))
    assert verdict(practice, "forward", "z1", "value", "∞").correct
    assert verdict(practice, "forward", "z1", "value", "inf").correct
    assert verdict(practice, "forward", "z1", "value", float("inf")).correct  # JSON's Infinity
    assert verdict(practice, "forward", "z1", "value", "-inf").verdict == WRONG
    assert verdict(practice, "forward", "z1", "value", "1e308").verdict == WRONG
    assert verdict(practice, "backward", "x", "grad", "nan").correct
    assert verdict(practice, "backward", "x", "local", "-1/x^2").correct  # −∞ at 0, as a formula too


def test_a_point_outside_the_domain_still_checks_formulas_elsewhere():
    practice = practice_for("expr", ExprOptions(expr="log(x)", at=(("x", -1.0),)))
    assert practice.points.count > 3  # drawn around the origin once the lesson's point finds none
    assert all(p["x"] > 0 for p in map(practice.points.point, range(1, practice.points.count)))
    assert verdict(practice, "backward", "x", "local", "1/x").correct
    assert verdict(practice, "backward", "x", "local", "-1").correct  # 1/x is −1 at the lesson's point …
    assert verdict(practice, "backward", "x", "local", "-x/x").verdict == WRONG  # … and not −1 elsewhere
