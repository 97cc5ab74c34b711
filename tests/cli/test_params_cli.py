"""backprop-tui mlp --params FILE.json: a problem set's own numbers, and one line for each way a file goes wrong."""

import json
import os

import numpy as np
import pytest

GOOD = {
    "W0": [[0.5, -1.0], [2.0, 0.25], [-0.5, 0.5]],
    "b0": [0.1, -0.2, 0.3],
    "W1": [[1.0, -2.0, 0.5]],
    "b1": 0.75,
    "x": [1.0, -1.0],
}


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def write(folder, content, name="params.json"):
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def export(cli, *argv):
    code, out, err = cli(["mlp", *argv, "--export", "json"])
    assert code == 0 and err == "", err
    return json.loads(out)


def test_the_files_numbers_are_the_network(cli, tmp_path):
    data = export(cli, "--params", write(tmp_path, GOOD))
    nodes, settings = data["nodes"], data["settings"]
    assert (settings["d"], settings["h"]) == (2, 3)
    assert settings["params"] == GOOD and settings["x"] == GOOD["x"] and settings["seed"] is None
    W0, b0, W1, x = (np.array(GOOD[k]) for k in ("W0", "b0", "W1", "x"))
    z = sigmoid(W0 @ x + b0)
    assert nodes["y"]["value"] == pytest.approx(float(W1[0] @ z + GOOD["b1"]), rel=1e-13)
    delta = W1[0] * z * (1 - z)  # ∂y/∂v, written out here
    np.testing.assert_allclose(nodes["W0"]["grad"], np.outer(delta, x), rtol=1e-12)
    np.testing.assert_allclose(nodes["x"]["grad"], delta @ W0, rtol=1e-12)


def test_w1_may_be_a_list_and_b1_a_list_of_one(cli, tmp_path):
    short = {**GOOD, "W1": GOOD["W1"][0], "b1": [GOOD["b1"]]}
    assert export(cli, "--params", write(tmp_path, short))["nodes"] == export(
        cli, "--params", write(tmp_path, GOOD, "other.json")
    )["nodes"]


def test_one_hidden_unit_and_one_input(cli, tmp_path):
    data = export(cli, "--params", write(tmp_path, {"W0": [[2]], "b0": [0], "W1": [3], "b1": 1, "x": [0]}))
    assert (data["settings"]["d"], data["settings"]["h"]) == (1, 1)
    assert data["nodes"]["y"]["value"] == pytest.approx(3 * 0.5 + 1)  # σ(0) = ½


def test_the_title_names_the_file_and_markdown_and_check_work(cli, tmp_path):
    path = write(tmp_path, GOOD)
    code, out, err = cli(["mlp", "--params", path, "--export", "markdown"])
    assert code == 0 and "weights from params.json" in out
    z = sigmoid(np.array(GOOD["W0"]) @ np.array(GOOD["x"]) + np.array(GOOD["b0"]))
    answers = write(tmp_path, {"answers": [{"node": "z", "phase": "forward", "value": z.tolist()}]}, "answers.json")
    code, out, err = cli(["mlp", "--params", path, "--check", answers])
    assert code == 0, err
    assert json.loads(out)["score"] == {"correct": 1, "total": 1}


BAD = [
    ("missing key", {k: v for k, v in GOOD.items() if k != "b1"}, "is missing b1"),
    ("two missing", {k: v for k, v in GOOD.items() if k not in ("b0", "x")}, "is missing b0 and x"),
    ("unknown key", {**GOOD, "W2": [[1.0]]}, "unknown key 'W2'"),
    ("not an object", [GOOD], "must hold a JSON object with W0, b0, W1, b1 and x, not a list"),
    ("a bare number", "3", "not a number"),
    ("not JSON", '{"W0": [[1, 2]],', "is not valid JSON"),
    ("empty", "", "is not valid JSON"),
    ("W0 a vector", {**GOOD, "W0": [1.0, 2.0]}, "W0 must be an h×d matrix"),
    ("W0 empty", {**GOOD, "W0": []}, "W0 must be an h×d matrix"),
    ("W0 ragged", {**GOOD, "W0": [[1.0, 2.0], [3.0], [4.0, 5.0]]}, "row 0 has 2 numbers, row 1 has 1"),
    ("W0 empty row", {**GOOD, "W0": [[], [], []]}, "W0[0] must be a row of d numbers, got an empty list"),
    ("b0 too short", {**GOOD, "b0": [0.1, 0.2]}, "b0 has 2 numbers but W0 has 3 rows"),
    ("b0 a number", {**GOOD, "b0": 0.1}, "b0 must be a list of h = 3 numbers"),
    ("W1 too long", {**GOOD, "W1": [[1.0, 2.0, 3.0, 4.0]]}, "W1 is 1×4 but W0 has 3 rows"),
    ("W1 a column", {**GOOD, "W1": [[1.0], [2.0], [3.0]]}, "W1[0] must be a number, got a list"),
    ("b1 two numbers", {**GOOD, "b1": [1.0, 2.0]}, "b1 must be one number (or a list of one), got 2 numbers"),
    ("b1 a string", {**GOOD, "b1": "1"}, "b1 must be one number (or a list of one), got a string"),
    ("b1 a boolean", {**GOOD, "b1": False}, "b1 must be one number (or a list of one), got false"),
    ("x too long", {**GOOD, "x": [1.0, 2.0, 3.0]}, "x has 3 numbers but W0 has 2 columns"),
    ("a string entry", {**GOOD, "x": [1.0, "2"]}, "x[1] must be a number, got a string"),
    ("a boolean entry", {**GOOD, "b0": [0.1, True, 0.3]}, "b0[1] must be a number, got true"),
    ("a null entry", {**GOOD, "W0": [[0.5, None], [2.0, 0.25], [-0.5, 0.5]]}, "W0[0][1] must be a number, got null"),
]
NOT_FINITE = [
    ("NaN", '"b0": [0.1, NaN, 0.3]', "b0[1] must be a finite number, got nan"),
    ("Infinity", '"x": [-Infinity, 1]', "x[0] must be a finite number, got -inf"),
    ("overflow", '"b1": 1e999', "b1 must be a finite number, got inf"),
    ("in a list", '"b1": [NaN]', "b1[0] must be a finite number, got nan"),
]


def check_one_line(code, out, err, *words):
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop-tui: error: "), err
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in err


@pytest.mark.parametrize("what, content, words", BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_is_one_line_naming_the_problem(cli, tmp_path, what, content, words):
    path = write(tmp_path, content)
    check_one_line(*cli(["mlp", "--params", path, "--export", "json"]), f"--params {path}", words)


@pytest.mark.parametrize("what, entry, words", NOT_FINITE, ids=[n[0] for n in NOT_FINITE])
def test_a_number_that_is_not_finite_is_named(cli, tmp_path, what, entry, words):
    text = json.dumps({k: v for k, v in GOOD.items() if k != entry[1 : entry.index('"', 1)]})
    path = write(tmp_path, text[:-1] + ", " + entry + "}")
    check_one_line(*cli(["mlp", "--params", path, "--export", "json"]), words)


def test_an_unreadable_file_is_one_line(cli, tmp_path):
    check_one_line(*cli(["mlp", "--params", str(tmp_path / "nowhere.json")]), "cannot read", "No such file")
    check_one_line(*cli(["mlp", "--params", str(tmp_path)]), "cannot read", "not a regular file")
    os.mkfifo(tmp_path / "fifo")  # read, it would wait for a writer forever
    check_one_line(*cli(["mlp", "--params", str(tmp_path / "fifo")]), "not a regular file")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"x": "é"}'.encode("latin-1"))
    check_one_line(*cli(["mlp", "--params", str(latin)]), "is not UTF-8 text")
    if os.geteuid() != 0:  # root reads any file
        locked = tmp_path / "locked.json"
        locked.write_text(json.dumps(GOOD))
        locked.chmod(0)
        check_one_line(*cli(["mlp", "--params", str(locked)]), "cannot read", "Permission denied")


def test_a_file_nested_too_deeply_is_one_line(cli, tmp_path):
    path = write(tmp_path, "[" * 100_000 + "]" * 100_000)
    check_one_line(*cli(["mlp", "--params", path, "--export", "json"]), "is not valid JSON")


def test_a_network_too_big_is_refused(cli, tmp_path):
    big = {"W0": [[0.0] * 4097], "b0": [0.0], "W1": [1.0], "b1": 0.0, "x": [0.0] * 4097}
    check_one_line(*cli(["mlp", "--params", write(tmp_path, big)]), "W0 is 1×4097", "at most 4096×4096")


@pytest.mark.parametrize(
    "option, value",
    [("--d", "2"), ("--h", "3"), ("--init", "zero"), ("--seed", "1"), ("--variant", "1"), ("--x", "1,2"),
     ("--const", "0.5")],
)
def test_params_with_an_option_that_sets_the_same_numbers_is_refused(cli, tmp_path, option, value):
    path = write(tmp_path, GOOD)
    check_one_line(*cli(["mlp", "--params", path, option, value, "--export", "json"]), f"--params and {option}")


def test_other_lessons_do_not_take_params(cli, tmp_path):
    check_one_line(*cli(["graph", "--params", write(tmp_path, GOOD)]), "lesson graph does not use --params")
