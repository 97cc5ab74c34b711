"""JSON and Markdown exports carry what the step panel shows: sections, step numbers, numbers, units, remarks."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from backprop_tui.engine import BACKWARD, FORWARD
from backprop_tui.engine.notation import number
from backprop_tui.export import to_json, to_markdown
from backprop_tui.lessons import LESSONS
from backprop_tui.lessons.options import ExprOptions, GraphOptions, MlpOptions
from backprop_tui.render.steps import progress_text


def _json(walk):
    return json.loads(to_json(walk))


WALKS = {
    "mlp": lambda: LESSONS["mlp"].build(MlpOptions()),
    "graph": lambda: LESSONS["graph"].build(GraphOptions()),
    "expr": lambda: LESSONS["expr"].build(ExprOptions(expr="sin(x*y)*sin(x*y)")),
}


@pytest.mark.parametrize("name", WALKS)
def test_steps_are_numbered_as_the_app_numbers_them(name):
    walk = WALKS[name]()
    data = _json(walk)
    total = len(walk.trace)
    for entry in data["steps"]:
        assert entry["step"] == entry["index"] + 1
        shown = progress_text(walk, entry["step"]).plain
        assert f"step {entry['step']} of {total}" in shown
    headings = re.findall(r"^## Step (\d+) of (\d+) ", to_markdown(walk), flags=re.M)
    assert [(int(k), int(n)) for k, n in headings] == [(s["step"], total) for s in data["steps"]]


@pytest.mark.parametrize("name, section", [("mlp", "§3.1"), ("graph", "§4"), ("expr", "§4")])
def test_the_section_is_in_the_json_and_the_heading(name, section):
    walk = WALKS[name]()
    assert _json(walk)["section"] == section
    assert to_markdown(walk).startswith(f"# {section} · {walk.title}\n")


def test_repeated_inputs_and_local_marks_reach_the_json():
    data = _json(WALKS["expr"]())
    step = next(s for s in data["steps"] if s["phase"] == BACKWARD and s["node"] == "z2")
    assert [(t["via"], t["input"], t["slot"]) for t in step["terms"]] == [
        ("z3", 0, "left factor"),
        ("z3", 1, "right factor"),
    ]
    assert all(t["local"].startswith("local[∂z₃/∂z₂, ") for t in step["terms"])
    assert step["together"] == ["z₃ takes z₂ as both inputs: local[∂z₃/∂z₂] = z₂ + z₂ = 2z₂"]
    assert step["value"] == pytest.approx(2 * math.sin(2.0), rel=1e-14)


def test_scalar_forward_steps_export_their_numbers():
    data = _json(WALKS["graph"]())
    z2 = next(s for s in data["steps"] if s["phase"] == FORWARD and s["node"] == "z2")
    assert z2["numbers"] == "z₂ = 1 + x² + y² = 1 + 1² + 2² = 6"
    text = to_markdown(WALKS["graph"]())
    assert "\nz₂ = 1 + x² + y² = 1 + 1² + 2² = 6\n" in text
    z1 = math.exp(-2.0)
    assert f"\nz₄ = 6z₁/z₂ + 2z₃ = 6·{number(z1)}/6 + 2·1 = {number(z1 + 2)}\n" in text


def test_markdown_shows_a_tensor_forward_step_as_its_operation():
    text = to_markdown(WALKS["mlp"]())
    v = text[text.index("· forward · v") : text.index("· forward · z")]
    middle = [line for line in v.splitlines() if " · " in line and "┐" not in line[:1]]
    assert any(" + " in line and " = " in line for line in middle), v
    z = text[text.index("· forward · z") : text.index("· forward · y")]
    assert "─σ→" in z


@pytest.mark.parametrize("h, units", [(4, [1, 2, 3, 4]), (5, [1])])
def test_the_w0_step_exports_the_unit_routes(h, units):
    walk = LESSONS["mlp"].build(MlpOptions(h=h, seed=2))
    data = _json(walk)
    (step,) = [s for s in data["steps"] if "units" in s]
    assert step["node"] == "W0" and step["phase"] == BACKWARD
    assert [u["unit"] for u in step["units"]] == units
    W0 = np.array(data["nodes"]["W0"]["value"])
    W1 = np.array(data["nodes"]["W1"]["value"])[0]
    x = np.array(data["nodes"]["x"]["value"])
    b0 = np.array(data["nodes"]["b0"]["value"])
    for u in step["units"]:
        i = u["unit"] - 1
        z = 1.0 / (1.0 + np.exp(-(W0[i] @ x + b0[i])))  # independent of the engine
        np.testing.assert_allclose(u["grad"], W1[i] * z * (1 - z) * x, rtol=1e-12)
        np.testing.assert_allclose(u["grad"], np.array(data["nodes"]["W0"]["grad"])[i], rtol=1e-12)
    text = to_markdown(walk)
    assert text.count("Unit by unit (§3.1(d))") == 1
    rows = re.findall(r"∂y/∂W([1-5])⁽⁰⁾ = W", text.translate(str.maketrans("₁₂₃₄₅", "12345")))
    assert [int(k) for k in rows] == units


def test_the_layout_remarks_are_exported():
    walk = WALKS["mlp"]()
    data = _json(walk)
    remarked = {s["node"] for s in data["steps"] if "aside" in s}
    assert remarked == {"W0", "W1"}
    text = to_markdown(walk)
    assert text.count("numerator layout (§1a)") == 2
