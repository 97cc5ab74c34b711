"""render_step and why_text: the step panel's words and numbers, fitted to its width."""

from __future__ import annotations

import re

import numpy as np
import pytest
from rich.cells import cell_len
from rich.text import Text

from backprop_tui.engine import BACKWARD, FORWARD
from backprop_tui.engine.notation import number
from backprop_tui.lessons import LESSONS
from backprop_tui.lessons.options import ExprOptions, GraphOptions, MlpOptions
from backprop_tui.render.steps import render_step, why_text


def _cursor(trace, phase, node):
    return trace.step_index(phase, node) + 1


def _mlp(**options):
    return LESSONS["mlp"].build(MlpOptions(**options))


# --- forward steps show the operation ---


def test_scalar_forward_steps_show_the_formula_with_numbers():
    walk = LESSONS["graph"].build(GraphOptions())
    text = render_step(walk, _cursor(walk.trace, FORWARD, "z2"), 80).plain
    assert text.startswith("z₂ = 1 + x² + y² = 1 + 1² + 2² = 6\n")
    assert " , " not in text and "→ [" not in text, "no operand list"


def test_tensor_forward_steps_show_operators_between_matrices():
    walk = _mlp()
    v = render_step(walk, _cursor(walk.trace, FORWARD, "v"), 120).plain
    rows = [line for line in v.splitlines() if " · " in line]
    assert rows and " + " in rows[0] and " = " in rows[0], v
    z = render_step(walk, _cursor(walk.trace, FORWARD, "z"), 120).plain
    assert "─σ→" in z


# --- local factors and repeated inputs in the panel ---


def test_the_panel_marks_local_factors_and_names_both_factors():
    walk = LESSONS["expr"].build(ExprOptions(expr="sin(x*y)*sin(x*y)"))
    text = render_step(walk, _cursor(walk.trace, BACKWARD, "z2"), 100).plain
    s = number(np.sin(2.0))
    assert f"via z₃, left factor: 1 · {s} = {s}" in text
    assert f"via z₃, right factor: 1 · {s} = {s}" in text
    assert "local[∂z₃/∂z₂] = z₂ + z₂ = 2z₂" in text
    assert f"= {number(2 * np.sin(2.0))}" in text
    mlp = _mlp()
    b1 = render_step(mlp, _cursor(mlp.trace, BACKWARD, "b1"), 80).plain
    assert b1.startswith("∂y/∂b⁽¹⁾ = ∂y/∂y · local[∂y/∂b⁽¹⁾]\n  local[∂y/∂b⁽¹⁾] = 1\n")


def test_the_mark_survives_rich_markup_and_takes_one_cell_a_character():
    walk = _mlp()
    for step in walk.trace.steps:
        for term in step.terms:
            assert Text.from_markup(term.derivative).plain == term.derivative
            assert cell_len(term.local) == len(term.local)


# --- §3.1(d) unit by unit ---


def test_the_w0_step_works_out_the_unit_asked_for():
    walk = _mlp()
    at = walk.units.cursor
    assert at == _cursor(walk.trace, BACKWARD, "W0")
    default = render_step(walk, at, 100).plain
    assert "hidden unit i = 1 of 4" in default
    third = render_step(walk, at, 100, unit=2).plain
    assert "hidden unit i = 3 of 4" in third and "∂y/∂W₃⁽⁰⁾" in third
    route = walk.units.route(2)
    assert f"{route.weight:.5g}".replace("-", "−") in third
    assert render_step(walk, at, 100, unit=6).plain == third, "the unit counts round"
    assert "Unit by unit" not in render_step(walk, at - 1, 100).plain


def test_the_layout_remark_is_in_the_step_text():
    walk = _mlp()
    text = render_step(walk, _cursor(walk.trace, BACKWARD, "W1"), 100).plain
    assert "numerator layout (§1a)" in text


# --- the width is used ---


def _block(text, title):
    """The matrix lines under a title line starting with `title`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(title))
    out = []
    for line in lines[start + 1 :]:
        body = line.strip()
        if not body or body[0] not in "[┌│└":
            break
        out.append(body)
    return out


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_a_jacobian_that_fits_is_never_elided(width):
    walk = _mlp()  # ∂v/∂vec(W⁽⁰⁾) is 4×8: "┌1 2 0 0 0 0 0 0┐" takes 17 cells
    text = render_step(walk, _cursor(walk.trace, BACKWARD, "W0"), width).plain
    assert "┌1 2 0 0 0 0 0 0┐" in text
    assert "└0 0 0 0 0 0 1 2┘" in text
    assert "…" not in "".join(line for line in text.splitlines() if re.fullmatch(r"\s*[┌│└][0-9 ]+[┐│┘]", line))


def test_a_row_that_fits_is_shown_whole_and_one_that_does_not_fits_the_width():
    walk = _mlp(d=3, h=12)
    at = _cursor(walk.trace, BACKWARD, "W0")
    wide = render_step(walk, at, 200).plain
    rows = _block(wide, "∂y/∂W⁽⁰⁾")
    assert len(rows) == 12 and "⋮" not in "".join(rows), "12 rows are shown whole"
    for width in (50, 80):
        narrow = render_step(walk, at, width).plain
        for line in narrow.splitlines():
            if re.match(r"\s*[\[┌│└]", line):
                assert cell_len(line) <= width, line


def test_columns_come_from_the_numbers_widths_not_a_fixed_cap():
    walk = _mlp(d=12, h=2, x=tuple(float(k) for k in range(12)))
    text = render_step(walk, 0, 60).plain  # x is 12 small integers: "[0 1 2 … 11]ᵀ" takes 29 cells
    assert "[0 1 2 3 4 5 6 7 8 9 10 11]ᵀ" in text


# --- the why panel's notices ---


def test_why_text_shows_only_the_notices_already_true():
    walk = _mlp(init="zero")
    at_z = _cursor(walk.trace, FORWARD, "z")
    assert "identical" not in why_text(walk, 0).plain
    assert "identical" not in why_text(walk, at_z - 1).plain
    assert "identical" in why_text(walk, at_z).plain
