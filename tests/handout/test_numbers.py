"""The key holds the true numbers, worked out here apart from the engine; the sheet leaves the answers out."""

from __future__ import annotations

import math

import numpy as np
from handout_cases import has_close, made, numbers

from backprop_tui.lessons import MlpOptions
from backprop_tui.lessons.chain import draw
from backprop_tui.lessons.mlp import default_x, initial_parameters


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def network():
    """§3.1 by hand: the default network's values and gradients."""
    p = initial_parameters(MlpOptions())
    x = default_x(2)
    v = p["W0"] @ x + p["b0"]
    z = 1 / (1 + np.exp(-v))
    delta = p["W1"][0] * z * (1 - z)  # ∂y/∂v = W⁽¹⁾ ∘ z ∘ (1 − z)
    return {"x": x, "v": v, "z": z, "y": p["W1"][0] @ z + p["b1"], "W0": np.outer(delta, x), "b0": delta,
            "W1": z, "dx": delta @ p["W0"], "params": p}


def test_the_mlp_key_has_every_value_and_gradient():
    n = network()
    key = made("mlp", "markdown", False)
    found = numbers(section(key, "## Final gradients"))
    for name in ("W0", "b0", "W1", "dx"):
        for value in np.ravel(n[name]):
            assert has_close(found, float(value)), (name, value)
    steps = numbers(key)
    for value in [*n["v"], *n["z"], n["y"]]:
        assert has_close(steps, float(value))
    setup = numbers(section(key, "## Setup"))
    for value in np.ravel(n["params"]["W0"]):  # W⁽⁰⁾ in full, never elided at the course's sizes
        assert has_close(setup, float(value))


def test_the_mlp_sheet_leaves_the_answers_out_but_gives_the_parameters():
    n = network()
    sheet = made("mlp", "markdown", True)
    found = numbers(sheet)
    for name in ("W0", "b0", "W1", "dx"):
        for value in np.ravel(n[name]):
            assert not has_close(found, float(value)), (name, value)
    for value in [*n["v"], *n["z"], n["y"]]:
        assert not has_close(found, float(value))
    for value in np.ravel(n["params"]["W0"]):
        assert has_close(found, float(value))


def test_the_graph_key_has_the_notes_closed_forms():
    x, y = 1.0, 2.0
    z1, z2 = math.exp(-y), 1 + x * x + y * y
    dx = 6 * x * x - 12 * x * z1 / z2**2  # §4(b)
    dy = -12 * y * z1 / z2**2 - 6 * math.exp(-y) / z2
    for fmt in ("markdown", "latex"):
        key = made("graph", fmt, False)
        final = numbers(key[key.index("Final gradients"):])
        assert has_close(final, dx) and has_close(final, dy)
        paths = numbers(key)
        assert has_close(paths, -12 * x * z1 / z2**2)  # the path via z₂: (−6z₁/z₂²)·2x
        assert has_close(paths, 6 * z1 / z2 + 2 * x**3)  # p(x, y)
    sheet = made("graph", "markdown", True)
    assert not has_close(numbers(sheet), dx) and not has_close(numbers(sheet), dy)


def test_the_chain_key_has_both_jacobians_and_their_product():
    fn = draw(3, 4, 2, 0)
    y = 1 / (1 + np.exp(-(fn.A @ fn.x + fn.a)))
    J_g = np.diag(y * (1 - y)) @ fn.A
    J_f = fn.B @ np.diag(2 * y)
    key = made("chain", "markdown", False)
    found = numbers(key)
    for value in [*np.ravel(J_g), *np.ravel(J_f), *np.ravel(J_f @ J_g), *fn.x, *np.ravel(fn.A)]:
        assert has_close(found, float(value)), value
    sheet = numbers(made("chain", "markdown", True))
    assert not any(has_close(sheet, float(v)) for v in np.ravel(J_f @ J_g))
    assert all(has_close(sheet, float(v)) for v in np.ravel(fn.B))  # the setup is given


def test_the_methods_handout_counts_as_the_notes_do():
    text = made("methods", "markdown", False)
    d, h = 2, 4
    n = h * d + 2 * h + 1
    assert f"| forward difference | {n + 1} evaluations |" in text
    assert f"| central difference | {2 * n} evaluations |" in text
    assert "| reverse-mode AD | 1 pass |" in text
    reverse = h * h + h * h * d  # (1×h)(h×h), then (1×h)(h×hd)
    forward = h * h * h * d + h * h * d  # (h×h)(h×hd), then (1×h)(h×hd)
    assert f"total:  {reverse} multiply-adds" in text and f"total:  {forward} multiply-adds" in text
    assert "| 1e-6 (in use) |" in text and "| 1e-15 |" in text  # the sweep, every ε of it


def test_the_symmetry_handout_keeps_the_zero_side_one_unit():
    text = made("symmetry", "markdown", False)
    table = section(text, "## Loss and distinct hidden units over training")
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert [int(r.split("|")[1]) for r in rows] == [0, 1, 2, 5, 10, 100]
    for r in rows:
        cells = [c.strip() for c in r.split("|")[1:-1]]
        assert cells[2] == "1 of 4" and cells[4] == "4 of 4"
    # at step 0 the zero side predicts 0 everywhere: L = ½·mean(t²) with XOR's targets 0, 1, 1, 0
    assert float(rows[0].split("|")[2]) == 0.25


def test_the_graph_sheet_does_not_plug_in_an_earlier_answer():
    sheet = made("graph", "markdown", True)
    assert "z₂ = 1 + x² + y² = 1 + 1² + 2² = ____" in sheet  # x and y are given
    assert "z₄ = 6z₁/z₂ + 2z₃ = ____" in sheet  # z₁, z₂ and z₃ are the student's own
    assert not has_close(numbers(sheet), math.exp(-2.0))
    key = made("graph", "markdown", False)
    assert f"z₄ = 6z₁/z₂ + 2z₃ = 6·{math.exp(-2.0):.4g}/6 + 2·1 = " in key
