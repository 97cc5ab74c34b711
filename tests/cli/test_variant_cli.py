"""--variant N on the command line: a student's own numbers in exports and --check, conflicts on one line."""

import json
import os
import subprocess
import sys

import pytest


def export(cli, *argv):
    code, out, err = cli([*argv, "--export", "json"])
    assert code == 0 and err == "", err
    return json.loads(out)


def check_one_line(code, out, err, *words):
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop-tui: error: "), err
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.mark.parametrize("lesson", ["mlp", "graph", "expr", "chain"])
def test_the_same_variant_gives_the_same_numbers_and_another_other_numbers(cli, lesson):
    one, again, two = (export(cli, lesson, "--variant", n) for n in ("7", "7", "8"))
    course = export(cli, lesson)
    assert one == again
    key = "jacobians" if lesson == "chain" else "nodes"
    assert one[key] != two[key] and one[key] != course[key]
    assert one["settings"]["variant"] == 7 and "variant" not in course["settings"]


def test_the_numbers_do_not_depend_on_pythons_hash_seed(tmp_path):
    def run(seed):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "backprop_tui", "mlp", "--variant", "3", "--export", "json"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["settings"]

    assert run("1") == run("2")


def test_exported_settings_hold_the_variants_numbers(cli):
    assert export(cli, "graph", "--variant", "1")["settings"] == {"at": {"x": 1.7, "y": -2.0}, "variant": 1}
    mlp = export(cli, "mlp", "--variant", "1")
    assert mlp["settings"]["params"]["x"] == mlp["settings"]["x"] == mlp["nodes"]["x"]["value"] == [2.0, -3.0]
    for name in ("W0", "b0", "W1", "b1"):
        assert mlp["settings"]["params"][name] == mlp["nodes"][name]["value"]
    chain = export(cli, "chain", "--variant", "1")["settings"]
    assert chain["variant"] == 1 and chain["seed"] == 1041427993


def test_explicit_values_win_over_the_variants(cli):
    drawn = export(cli, "graph", "--variant", "4")["settings"]["at"]
    mixed = export(cli, "graph", "--variant", "4", "--at", "y=0.5")["settings"]["at"]
    assert mixed == {"x": drawn["x"], "y": 0.5}
    mlp = export(cli, "mlp", "--variant", "4", "--x", "1,1")["settings"]
    assert mlp["x"] == [1.0, 1.0] and mlp["params"]["W0"] == export(cli, "mlp", "--variant", "4")["settings"][
        "params"
    ]["W0"]


def test_a_zero_start_with_a_variant_varies_x_only(cli):
    data = export(cli, "mlp", "--variant", "5", "--init", "zero")
    assert data["nodes"]["W0"]["value"] == [[0.0, 0.0]] * 4
    assert data["settings"]["x"] == export(cli, "mlp", "--variant", "5")["settings"]["x"]


def test_check_judges_against_the_students_variant(cli, tmp_path):
    graph = export(cli, "graph", "--variant", "9")
    own = graph["nodes"]["x"]["grad"]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": [
        {"node": "x", "phase": "backward", "grad": own},
        {"node": "x", "phase": "backward", "grad": 5.955},  # the course's number, right for nobody else
    ]}))
    code, out, err = cli(["graph", "--variant", "9", "--check", str(answers)])
    assert code == 0, err
    report = json.loads(out)
    assert [r["verdict"] for r in report["results"]] == ["correct", "wrong"]
    assert report["settings"]["variant"] == 9
    code, out, err = cli(["graph", "--check", str(answers)])  # without the variant, the other way round
    assert [r["verdict"] for r in json.loads(out)["results"]] == ["wrong", "correct"]


def test_markdown_handout_of_a_variant(cli):
    code, out, err = cli(["mlp", "--variant", "2", "--export", "markdown"])
    assert code == 0 and err == "" and "variant 2" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["mlp", "--variant", "1", "--seed", "3"], ["--seed and --variant"]),
        (["chain", "--variant", "1", "--seed", "3"], ["--seed and --variant"]),
        (["mlp", "--variant", "1", "--init", "zero", "--x", "1,2"], ["change nothing", "--x gives x"]),
        (["graph", "--variant", "1", "--at", "x=1,y=2"], ["change nothing", "both x and y"]),
        (["expr", "--expr", "x*y", "--variant", "1", "--at", "x=1", "--at", "y=2"], ["change nothing"]),
        (["symmetry", "--variant", "1"], ["lesson symmetry does not use --variant"]),
        (["methods", "--variant", "1"], ["lesson methods does not use --variant"]),
        (["graph", "--variant", "0"], ["--variant must be a whole number 1 or more, got 0"]),
        (["graph", "--variant", "-2"], ["--variant must be a whole number 1 or more"]),
        (["graph", "--variant", "two"], ["--variant", "not a whole number"]),
    ],
)
def test_conflicts_and_bad_values_are_one_line(cli, argv, words):
    check_one_line(*cli([*argv, "--export", "json"]), *words)
