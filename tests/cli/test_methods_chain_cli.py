"""The command line for methods and chain: JSON exports by contract, bad sizes as one-line errors."""

import json

import numpy as np
import pytest


def assert_one_line_error(code, out, err, *words):
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("backprop-tui: error:")
    for word in words:
        assert word in lines[0], lines[0]


def test_methods_export(cli):
    code, out, err = cli(["methods", "--export", "json"])
    assert code == 0 and err == ""
    data = json.loads(out)
    assert (data["lesson"], data["of"], data["n"]) == ("methods", "mlp", 17)
    m = data["methods"]
    assert m["forward_difference"]["evaluations"] == 18 and m["central_difference"]["evaluations"] == 34
    assert m["forward_mode"]["passes"] == 17 and m["reverse_mode"]["passes"] == 1
    ref = np.array(m["reverse_mode"]["grad"])
    np.testing.assert_allclose(m["forward_mode"]["grad"], ref, rtol=1e-10)
    np.testing.assert_allclose(m["analytic"]["grad"], ref, rtol=1e-10)
    assert m["forward_difference"]["max_abs_error"] == pytest.approx(
        np.max(np.abs(np.array(m["forward_difference"]["grad"]) - ref))
    )


def test_methods_export_of_graph_at_a_point(cli, tmp_path):
    target = tmp_path / "m.json"
    code, out, err = cli(["methods", "--of", "graph", "--at", "x=0.5,y=-1", "--export", "json", "-o", str(target)])
    assert code == 0 and out == "" and err == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["of"], data["n"], data["parameters"]) == ("graph", 2, ["x", "y"])
    x, y = 0.5, -1.0
    z1, z2 = np.exp(-y), 1 + x * x + y * y
    expected = [6 * x * x - 12 * x * z1 / z2**2, -12 * y * z1 / z2**2 - 6 * np.exp(-y) / z2]
    np.testing.assert_allclose(data["methods"]["reverse_mode"]["grad"], expected, rtol=1e-12)
    assert data["methods"]["forward_difference"]["evaluations"] == 3


def test_methods_chain_cost_follows_d_and_h(cli):
    code, out, _ = cli(["methods", "--d", "3", "--h", "8", "--export", "json"])
    assert code == 0
    cost = json.loads(out)["chain_cost"]
    h, d = 8, 3
    assert cost == {"reverse_multiply_adds": h * h + h * h * d, "forward_multiply_adds": h * h * h * d + h * h * d}


def test_chain_export(cli):
    code, out, err = cli(["chain", "--l", "3", "--n", "5", "--m", "2", "--export", "json"])
    assert code == 0 and err == ""
    data = json.loads(out)
    j = data["jacobians"]
    assert (j["f"]["shape"], j["g"]["shape"], j["fg"]["shape"]) == ([2, 5], [5, 3], [2, 3])
    np.testing.assert_allclose(np.array(j["f"]["value"]) @ np.array(j["g"]["value"]), j["fg"]["value"], rtol=1e-14)
    assert 0 <= data["finite_difference_max_error"] < 1e-8


@pytest.mark.parametrize(
    "argv, words",
    [
        (["chain", "--l", "0"], ["--l", "from 1 to 64"]),
        (["chain", "--n", "-2"], ["--n"]),
        (["chain", "--m", "65"], ["--m", "64"]),
        (["chain", "--l", "three"], ["--l", "whole number"]),
        (["chain", "--d", "3"], ["chain", "--d"]),
        (["chain", "--of", "graph"], ["--of"]),
        (["methods", "--l", "3"], ["methods", "--l"]),
        (["methods", "--of", "mlp", "--at", "x=1,y=2"], ["--at", "--of graph"]),
        (["methods", "--of", "mlp", "--at", "x=1"], ["--at"]),
        (["methods", "--of", "graph", "--at", "z=1"], ["'z'"]),
        (["methods", "--d", "17"], ["--d", "1 to 16"]),
        (["methods", "--of", "graph", "--at", "x=1e200"], ["--at x"]),
        (["methods", "--h", "65"], ["--h", "1 to 64"]),
        (["methods", "--of", "nope"], ["--of"]),
        (["methods", "--export", "markdown", "--blank"], ["methods", "no exercise sheet"]),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, words, cli):
    code, out, err = cli([*argv, "--export", "json"] if "--export" not in argv else argv)
    assert_one_line_error(code, out, err, *words)


def test_screenshot_of_methods(tmp_path, cli):
    target = tmp_path / "m.svg"
    code, _, err = cli(["methods", "--screenshot", str(target), "--press", "e", "--size", "100x30"])
    assert code == 0, err
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Five" in svg
