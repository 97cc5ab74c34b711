"""A grader rebuilds each lesson from its own JSON export's settings alone and gets the same numbers.

Each rebuild reads nothing but the exported JSON: not the command line that made it.
"""

import json

import numpy as np
import pytest


def export(cli, argv):
    code, out, err = cli([*argv, "--export", "json"])
    assert code == 0 and err == "", (argv, err)
    return json.loads(out)


def numbers(values):
    return ",".join(repr(float(v)) for v in values)


def point(at):
    return ",".join(f"{name}={value!r}" for name, value in at.items())


def write_params(tmp_path, params, name="params.json"):
    path = tmp_path / name
    path.write_text(json.dumps(params))
    return str(path)


def rebuild_argv(data, tmp_path):
    """The command line that rebuilds a lesson from its export's settings."""
    s = data["settings"]
    lesson = data["lesson"]
    if lesson == "mlp":
        if "params" in s:  # numbers no seed makes (a variant's or a file's): they are a --params file
            return ["mlp", "--params", write_params(tmp_path, s["params"])]
        argv = ["mlp", "--d", str(s["d"]), "--h", str(s["h"]), "--init", s["init"], "--x", numbers(s["x"])]
        if s["init"] == "random":
            argv += ["--seed", str(s["seed"])]
        if s["init"] == "constant":
            argv += ["--const", repr(s["const"])]
        return argv
    if lesson == "graph":
        return ["graph", "--at", point(s["at"])]
    if lesson == "expr":
        return ["expr", "--expr", s["expr"], "--at", point(s["at"])]
    if lesson == "chain":
        return ["chain", "--l", str(s["l"]), "--n", str(s["n"]), "--m", str(s["m"]), "--seed", str(s["seed"])]
    raise AssertionError(lesson)


def same_nodes(a, b):
    assert a["output"] == b["output"] and list(a["nodes"]) == list(b["nodes"])
    for name, node in a["nodes"].items():
        other = b["nodes"][name]
        assert node["shape"] == other["shape"], name
        for key in ("value", "grad"):  # the same arithmetic on the same numbers: equal but for rounding at most
            np.testing.assert_allclose(node[key], other[key], rtol=1e-13, atol=1e-300, err_msg=f"{name} {key}")


WALKTHROUGHS = [
    ["mlp"],
    ["mlp", "--d", "3", "--h", "5", "--seed", "8", "--x", "-1.5,0.1,2"],
    ["mlp", "--init", "zero", "--x", "0.3,-7"],
    ["mlp", "--init", "constant", "--const", "-0.125", "--d", "1", "--h", "2"],
    ["mlp", "--variant", "3"],
    ["mlp", "--variant", "11", "--d", "4", "--h", "3"],
    ["mlp", "--variant", "2", "--init", "constant"],
    ["graph"],
    ["graph", "--at", "x=0.3"],
    ["graph", "--variant", "6"],
    ["expr"],
    ["expr", "--expr", "a*x + sin(b)/y", "--at", "a=0.1"],
    ["expr", "--expr", "log(x - 1) + exp(-w)", "--variant", "4"],
]


@pytest.mark.parametrize("argv", WALKTHROUGHS, ids=" ".join)
def test_a_walkthrough_rebuilt_from_its_settings_has_the_same_numbers(cli, tmp_path, argv):
    original = export(cli, argv)
    again = export(cli, rebuild_argv(original, tmp_path))
    same_nodes(original, again)
    assert [step["node"] for step in again["steps"]] == [step["node"] for step in original["steps"]]


@pytest.mark.parametrize("argv", [["mlp"], ["mlp", "--d", "3", "--h", "2", "--seed", "5"], ["mlp", "--variant", "1"]])
def test_an_mlp_export_is_a_params_file_for_itself(cli, tmp_path, argv):
    original = export(cli, argv)
    params = {name: original["nodes"][name]["value"] for name in ("W0", "b0", "W1", "b1", "x")}
    again = export(cli, ["mlp", "--params", write_params(tmp_path, params)])
    same_nodes(original, again)
    assert again["settings"]["params"] == params


def test_a_params_export_rebuilds_from_its_own_settings(cli, tmp_path):
    params = {"W0": [[0.5, -1.0, 2.0]], "b0": [0.25], "W1": [3.0], "b1": [-1.0], "x": [1.0, 2.0, -0.5]}
    original = export(cli, ["mlp", "--params", write_params(tmp_path, params, "given.json")])
    again = export(cli, rebuild_argv(original, tmp_path))
    same_nodes(original, again)
    assert original["settings"] == again["settings"]


@pytest.mark.parametrize(
    "argv", [["chain"], ["chain", "--l", "2", "--n", "3", "--m", "4", "--seed", "9"], ["chain", "--variant", "5"]],
    ids=" ".join,
)
def test_chain_rebuilt_from_its_settings(cli, tmp_path, argv):
    original = export(cli, argv)
    s = original["settings"]
    assert {"l", "n", "m", "seed", "x", "A", "a", "B", "c"} <= set(s)
    again = export(cli, rebuild_argv(original, tmp_path))
    assert again["jacobians"] == original["jacobians"]
    assert {k: v for k, v in again["settings"].items() if k != "variant"} == {
        k: v for k, v in s.items() if k != "variant"
    }
    # and from the drawn numbers alone, without the lesson's draw: f∘g's Jacobian by central differences
    x, A, a, B, c = (np.array(s[k], dtype=float) for k in ("x", "A", "a", "B", "c"))

    def composite(x):
        y = 1 / (1 + np.exp(-(A @ x + a)))
        return B @ (y * y) + c

    eps = 1e-6
    columns = [(composite(x + eps * e) - composite(x - eps * e)) / (2 * eps) for e in np.eye(len(x))]
    np.testing.assert_allclose(np.stack(columns, axis=1), original["jacobians"]["fg"]["value"], rtol=1e-6, atol=1e-8)


def symmetry_argv(data):
    """symmetry's export holds its data set, learning rate, activation and each side's start."""
    X, t = np.array(data["data"]["X"]), np.array(data["data"]["t"])
    symmetric, random = data["runs"]
    d, h = X.shape[1], len(symmetric["history"][0]["params"]["b0"])
    kind = "xor" if np.array_equal(t, X.sum(axis=1) % 2) else "and"
    assert kind == "xor" or np.array_equal(t, X.prod(axis=1))
    argv = ["symmetry", "--d", str(d), "--h", str(h), "--init", symmetric["init"], "--seed", str(random["seed"]),
            "--lr", repr(data["lr"]), "--activation", data["activation"], "--data", kind,
            "--steps", str(len(symmetric["history"]) - 1)]
    return argv + (["--const", repr(symmetric["const"])] if symmetric["init"] == "constant" else [])


@pytest.mark.parametrize(
    "argv",
    [["symmetry", "--steps", "5"],
     ["symmetry", "--d", "3", "--h", "3", "--init", "constant", "--const", "0.3", "--seed", "4", "--data", "and",
      "--activation", "tanh", "--steps", "4"]],
    ids=" ".join,
)
def test_symmetry_rebuilt_from_its_export(cli, argv):
    original = export(cli, argv)
    assert export(cli, symmetry_argv(original)) == original


@pytest.mark.parametrize(
    "argv",
    [["methods"], ["methods", "--d", "3", "--h", "2", "--seed", "7"], ["methods", "--of", "graph", "--at", "x=-0.5"]],
    ids=" ".join,
)
def test_methods_rebuilt_from_its_settings_differentiates_at_its_theta(cli, argv):
    original = export(cli, argv)
    s, theta = original["settings"], original["theta"]
    if s["of"] == "graph":
        again = export(cli, ["methods", "--of", "graph", "--at", point(s["at"])])
        assert theta == s["at"]
    else:
        again = export(cli, ["methods", "--d", str(s["d"]), "--h", str(s["h"]), "--seed", str(s["seed"])])
        # θ is the network the mlp lesson starts from with the same sizes and seed, at the same input
        network = export(cli, ["mlp", "--d", str(s["d"]), "--h", str(s["h"]), "--seed", str(s["seed"])])
        flat = np.concatenate([np.ravel(network["nodes"][k]["value"]) for k in ("W0", "b0", "W1", "b1")])
        np.testing.assert_array_equal(list(theta.values()), flat)
        assert s["x"] == network["nodes"]["x"]["value"]
    assert again["theta"] == theta and again["settings"] == s and s["epsilon"] > 0
    for method in ("reverse_mode", "forward_mode", "analytic"):
        np.testing.assert_allclose(again["methods"][method]["grad"], original["methods"][method]["grad"], rtol=1e-12)
    assert list(theta) == original["parameters"]
