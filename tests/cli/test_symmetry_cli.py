"""The command line for lesson symmetry: its JSON export and its refusals."""

import json

import numpy as np
import pytest


def export(argv, cli):
    code, out, err = cli(["symmetry", *argv, "--export", "json"])
    assert code == 0, err
    assert err == ""
    return json.loads(out)


def test_default_export(cli):
    data = export([], cli)
    assert data["lesson"] == "symmetry"
    assert data["data"]["X"] == [[0, 0], [0, 1], [1, 0], [1, 1]] and data["data"]["t"] == [0, 1, 1, 0]
    assert data["loss"] == "0.5*mean((y-t)^2)" and data["lr"] == 1.0 and data["activation"] == "sigmoid"
    sym, rand = data["runs"]
    assert (sym["init"], sym["const"], sym["seed"]) == ("zero", None, None)
    assert (rand["init"], rand["const"], rand["seed"]) == ("random", None, 0)
    assert [e["step"] for e in sym["history"]] == list(range(1001))
    assert sym["history"][-1]["loss"] > 0.12 > 1e-8 > rand["history"][-1]["loss"]


def test_options_reach_the_export(cli):
    data = export(["--init", "constant", "--const", "-0.25", "--seed", "7", "--lr", "0.5", "--steps", "3",
                   "--h", "3", "--d", "3", "--data", "and", "--activation", "tanh"], cli)
    assert data["lr"] == 0.5 and data["activation"] == "tanh"
    assert len(data["data"]["X"]) == 8 and data["data"]["t"] == [0, 0, 0, 0, 0, 0, 0, 1]
    sym, rand = data["runs"]
    assert (sym["init"], sym["const"], rand["seed"]) == ("constant", -0.25, 7)
    assert len(sym["history"]) == 4
    assert sym["history"][0]["params"]["W0"] == [[-0.25] * 3] * 3
    assert np.array(rand["history"][3]["params"]["W0"]).shape == (3, 3)
    assert {e["distinct_hidden_units"] for e in sym["history"]} == {1}
    assert {e["distinct_hidden_units"] for e in rand["history"]} == {3}


def test_export_to_a_file(tmp_path, cli):
    target = tmp_path / "sym.json"
    code, out, err = cli(["symmetry", "--steps", "2", "--export", "json", "-o", str(target)])
    assert (code, out, err) == (0, "", "")
    assert json.loads(target.read_text(encoding="utf-8"))["runs"][1]["history"][2]["step"] == 2


def test_a_file_and_stdout_get_the_same_text_past_a_block(tmp_path, cli):
    target = tmp_path / "sym.json"
    argv = ["symmetry", "--steps", "300", "--d", "3", "--h", "5", "--activation", "tanh", "--export", "json"]
    code, out, err = cli(argv)
    assert (code, err) == (0, "")
    assert cli([*argv, "-o", str(target)]) == (0, "", "")
    assert target.read_text(encoding="utf-8") == out
    history = json.loads(out)["runs"][0]["history"]
    assert [e["step"] for e in history] == list(range(301))
    assert {e["distinct_hidden_units"] for e in history} == {1}


BAD = {
    "h too large": ["--h", "17"],
    "d too large": ["--d", "9"],
    "unknown data": ["--data", "spiral"],
    "unknown activation": ["--activation", "softplus"],
    "lr zero": ["--lr", "0"],
    "lr negative": ["--lr", "-0.5"],
    "lr not finite": ["--lr", "inf"],
    "steps negative": ["--steps", "-1"],
    "steps too many": ["--steps", "100001"],
    "steps not whole": ["--steps", "1.5"],
    "option of another lesson": ["--x", "1,2"],
    "const without constant": ["--const", "0.3"],
}


@pytest.mark.parametrize("argv", BAD.values(), ids=BAD.keys())
def test_bad_input_is_one_line_and_exit_2(argv, cli):
    code, out, err = cli(["symmetry", *argv, "--export", "json"])
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop-tui: error:"), err


def test_markdown_is_a_handout_and_its_sheet_is_refused(cli):
    code, out, err = cli(["symmetry", "--export", "markdown"])
    assert code == 0 and err == "" and out.startswith("# §3.2 · ")
    code, out, err = cli(["symmetry", "--export", "markdown", "--blank"])
    assert code == 2 and out == ""
    assert err.startswith("backprop-tui: error:") and "no exercise sheet" in err


def test_screenshot(tmp_path, cli):
    target = tmp_path / "s.svg"
    code, out, err = cli(["symmetry", "--screenshot", str(target), "--press", "T", "--size", "100x30"])
    assert (code, out, err) == (0, "", "")
    svg = target.read_text(encoding="utf-8")
    assert "distinct" in svg and "step" in svg
