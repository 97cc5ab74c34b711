"""Unicode notation as LaTeX, prose escaped, and ASCII numbers: whatever the text, the output is safe ASCII."""

from __future__ import annotations

import pytest

from backprop_tui.handout.numbers import ascii_numbers
from backprop_tui.handout.tex import escape_code, escape_text, tex_math, tex_text


@pytest.mark.parametrize(
    "unicode, latex",
    [
        ("v = W⁽⁰⁾x + b⁽⁰⁾", "v = W^{(0)}x + b^{(0)}"),
        ("∂y/∂vec(W⁽⁰⁾)", r"\partial y/\partial \operatorname{vec}(W^{(0)})"),
        ("diag(z∘(1−z))", r"\operatorname{diag}(z\circ (1-z))"),
        ("I₄ ⊗ xᵀ", r"I_{4} \otimes  x^{\top }"),
        ("x^(y−1)", "x^{(y-1)}"),
        ("√(x+1)", r"\sqrt{x+1}"),
        ("3.57e−4", r"\num{3.57e-4}"),
        ("─σ→", r"\xrightarrow{\sigma }"),
        ("W⁽⁰⁾'s", "W^{(0)}{}'s"),  # never a double superscript
        ("W⁽¹⁾ᵀ", r"W^{(1)\top }"),
    ],
)
def test_notation(unicode, latex):
    assert tex_math(unicode).replace(" ", "") == latex.replace(" ", "")


def test_words_inside_a_formula_are_text_and_names_are_one_name():
    assert tex_math("local[∂z₃/∂z₂, left factor]") == (
        r"\operatorname{local}[\partial z_{3}/\partial z_{2},\ \text{left}\ \text{factor}]"
    )
    assert tex_math("rate·x", ["rate"]) == r"\mathit{rate}\cdot x"
    assert tex_math("rate·x") == r"\text{rate}\cdot x"


HOSTILE = "50% & #1 _x_ ~ ^ \\ {} <b> a|b \"q\" -- é 中 𝟏 ∂ ⁽ ₉ ᵀ \x00\t\n$"


def balanced(tex: str) -> bool:
    depth = 0
    skip = False
    for c in tex:
        if skip:
            skip = False
            continue
        if c == "\\":
            skip = True
            continue
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("convert", [tex_math, tex_text, escape_text, escape_code])
def test_any_text_becomes_safe_ascii(convert):
    out = convert(HOSTILE)
    assert out.isascii() and balanced(out)
    assert "\x00" not in out and "\n" not in out


def test_prose_sets_its_notation_as_maths():
    assert tex_text("so ∂y/∂v = W⁽¹⁾ ∘ z ∘ (1−z).") == r"so $\partial y/\partial v = W^{(1)} \circ  z \circ  (1-z)$."
    assert tex_text("at x and f(g(x))") == "at $x$ and $f(g(x))$"
    assert escape_text("50% & a_b") == r"50\% \& a\_b"
    assert escape_code("x^2*y_1") == r"x\symbol{94}2*y\symbol{95}1"


@pytest.mark.parametrize(
    "text, ascii",
    [
        ("= −0.9953", "= -0.9953"),
        ("(−1)²", "(-1)²"),
        ("3.57e−4", "3.57e-4"),
        ("[−0.04 −0.14]", "[-0.04 -0.14]"),
        ("z∘(1−z)", "z∘(1−z)"),  # notation stays
        ("6 − 0.0451", "6 − 0.0451"),
        ("−6z₁/z₂²", "−6z₁/z₂²"),
        ("−∞", "-inf"),
    ],
)
def test_ascii_numbers(text, ascii):
    assert ascii_numbers(text) == ascii
