"""backprop-tui LESSON --check ANSWERS.json: verdicts as JSON (exit 0); a file that is not valid exits 2 on one line."""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from backprop_tui.lessons import LESSONS, MlpOptions


def assert_refused(code, out, err, words):
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("backprop-tui: error:"), err
    assert words in lines[0], lines[0]
    assert "Traceback" not in err


@pytest.fixture
def answers(tmp_path):
    """Write an answers document to a file: answers(data) gives its path."""

    def write(data, name="answers.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    return write


def run_check(cli, lesson, path, *options):
    code, out, err = cli([lesson, *options, "--check", path])
    assert code == 0, err
    assert err == ""
    return json.loads(out)


# --- the issue's example, with the true values computed here ---

X, Y = 1.0, 2.0
Z1, Z2 = math.exp(-Y), 1 + X * X + Y * Y
DZ4_DX = 6 * X * X - 12 * X * Z1 / Z2**2  # §4(b): 5.95489
DZ4_DY = -12 * Y * Z1 / Z2**2 - 6 * math.exp(-Y) / Z2


def test_graph_answers_from_the_issue(cli, answers):
    path = answers(
        {
            "answers": [
                {"node": "z2", "phase": "backward", "local": "-6*z1/z2^2"},
                {"node": "x", "phase": "backward", "grad": "6*x^2 - 12*x*z1/z2^2"},
                {"node": "x", "phase": "backward", "grad": round(DZ4_DX, 3)},
                {"node": "y", "phase": "backward", "grad": f"{DZ4_DY:.4f}"},
                {"node": "z3", "phase": "forward", "value": "x^3"},
            ]
        }
    )
    report = run_check(cli, "graph", path)
    assert report["lesson"] == "graph"
    assert report["settings"] == {"at": {"x": 1.0, "y": 2.0}}
    results = report["results"]
    assert [(r["node"], r["phase"], r["field"]) for r in results] == [
        ("z2", "backward", "local"),
        ("x", "backward", "grad"),
        ("x", "backward", "grad"),
        ("y", "backward", "grad"),
        ("z3", "forward", "value"),
    ]
    assert [r["verdict"] for r in results] == ["correct"] * 5
    assert all(r["diagnosis"] is None for r in results)
    assert results[0]["consumer"] == "z4"
    assert results[0]["expected"] == "−6z₁/z₂²"  # a formula answered: the formula, as the app writes it
    assert results[2]["expected"] == pytest.approx(DZ4_DX, rel=1e-12)  # a number answered: the number
    assert results[3]["expected"] == pytest.approx(DZ4_DY, rel=1e-12)
    assert report["score"] == {"correct": 5, "total": 5}


def test_the_options_apply(cli, answers):
    x, y = 0.5, -1.0
    z1, z2 = math.exp(-y), 1 + x * x + y * y
    path = answers({"answers": [{"node": "x", "phase": "backward", "grad": 6 * x * x - 12 * x * z1 / z2**2}]})
    assert run_check(cli, "graph", path, "--at", "x=0.5,y=-1")["score"] == {"correct": 1, "total": 1}
    assert run_check(cli, "graph", path)["score"] == {"correct": 0, "total": 1}


def test_the_network(cli, answers):
    nodes = LESSONS["mlp"].build(MlpOptions()).trace.nodes
    x, W0, b0, W1 = (np.array(nodes[n].value) for n in ("x", "W0", "b0", "W1"))
    z = 1 / (1 + np.exp(-(W0 @ x + b0)))
    dv = W1[0] * z * (1 - z)
    path = answers(
        {
            "answers": [
                {"node": "z", "phase": "forward", "value": z.tolist()},
                {"node": "W0", "phase": "backward", "shape": "4x2", "grad": np.outer(dv, x).tolist()},
                {"node": "v", "phase": "backward", "local": ", ".join(f"{d:.5f}" for d in z * (1 - z))},
                {"node": "x", "phase": "backward", "grad": (dv @ W0).tolist(), "shape": "2x1"},
            ]
        }
    )
    report = run_check(cli, "mlp", path)
    verdicts = [(r["node"], r["field"], r["verdict"]) for r in report["results"]]
    assert verdicts == [
        ("z", "value", "correct"),
        ("W0", "shape", "correct"),  # within an entry: shape, local, grad, value, as the app asks
        ("W0", "grad", "correct"),
        ("v", "local", "correct"),
        ("x", "shape", "wrong"),
        ("x", "grad", "correct"),
    ]
    shape = report["results"][4]
    assert "Transposed" in shape["diagnosis"] and shape["expected"] == "1×2"
    np.testing.assert_allclose(report["results"][2]["expected"], np.outer(dv, x), rtol=1e-12)
    assert report["settings"]["x"] == [1.0, 2.0]
    assert report["score"] == {"correct": 5, "total": 6}


def test_chain(cli, answers):
    path = answers({"answers": [{"node": "fg", "shape": "2x3", "order": "gf"}, {"node": "g", "phase": "jacobian",
                                                                                 "shape": "4×3"}]})
    report = run_check(cli, "chain", path)
    assert [(r["node"], r["field"], r["verdict"]) for r in report["results"]] == [
        ("fg", "shape", "correct"),
        ("fg", "order", "wrong"),
        ("g", "shape", "correct"),
    ]
    assert report["results"][1]["expected"] == "∂f/∂y · ∂g/∂x"
    assert report["settings"] == {"l": 3, "n": 4, "m": 2}


def test_expr_with_its_function(cli, answers):
    path = answers({"answers": [{"node": "x", "phase": "backward", "grad": "2*x*y"},
                                {"node": "y", "phase": "backward", "grad": "x^2"}]})
    report = run_check(cli, "expr", path, "--expr", "x^2*y", "--at", "x=3,y=-2")
    assert report["score"] == {"correct": 2, "total": 2}


# --- wrong answers and their diagnoses ---


def test_wrong_answers_get_their_diagnoses(cli, answers):
    path = answers(
        {
            "answers": [
                {"node": "x", "phase": "backward", "grad": "6*x^2"},
                {"node": "z2", "phase": "backward", "local": "6*z1/z2^2"},
                {"node": "z2", "phase": "backward", "grad": "-3*z1/z2^2"},
                {"node": "x", "phase": "backward", "grad": "3*x^2 + 2*x"},
                {"node": "z2", "phase": "backward", "grad": "z2"},
                {"node": "z3", "phase": "backward", "grad": "2*x"},
                {"node": "y", "phase": "backward", "local": {"z2": "2*x", "z1": "-z1"}},
                {"node": "x", "phase": "backward", "grad": "x^5"},
            ]
        }
    )
    results = run_check(cli, "graph", path)["results"]
    diagnoses = [r["diagnosis"] for r in results]
    assert diagnoses[0].startswith("Only the path via z₃")
    assert "sign" in diagnoses[1]
    assert "half" in diagnoses[2]
    assert "local derivatives alone" in diagnoses[3]
    assert "value of z₂" in diagnoses[4]
    assert "Right at this point" in diagnoses[5]
    assert [r["consumer"] for r in results[6:8]] == ["z2", "z1"]  # in the order the app asks
    assert "with respect to x" in diagnoses[6] and results[7]["verdict"] == "correct"
    assert results[8]["verdict"] == "wrong" and diagnoses[8] is None
    assert [r["verdict"] for r in results[:6]] == ["wrong"] * 6


def test_network_mistakes(cli, answers):
    nodes = LESSONS["mlp"].build(MlpOptions()).trace.nodes
    x, W0, b0, W1 = (np.array(nodes[n].value) for n in ("x", "W0", "b0", "W1"))
    z = 1 / (1 + np.exp(-(W0 @ x + b0)))
    path = answers(
        {
            "answers": [
                {"node": "v", "phase": "backward", "local": z.tolist()},
                {"node": "v", "phase": "backward", "grad": (z * (1 - z)).tolist()},
                {"node": "v", "phase": "backward", "shape": "4x1"},
            ]
        }
    )
    diagnoses = [r["diagnosis"] for r in run_check(cli, "mlp", path)["results"]]
    assert "σ′(v)" in diagnoses[0]
    assert "upstream factor" in diagnoses[1]
    assert "Transposed" in diagnoses[2]


def test_answers_that_cannot_be_read_are_invalid_with_a_column(cli, answers):
    path = answers(
        {
            "answers": [
                {"node": "x", "phase": "backward", "grad": "6*x^2 +"},
                {"node": "x", "phase": "backward", "grad": "__import__('os')"},
                {"node": "x", "phase": "backward", "grad": ["a"]},
                {"node": "x", "phase": "backward", "grad": "(" * 10_000 + "x"},
            ]
        }
    )
    report = run_check(cli, "graph", path)
    assert [r["verdict"] for r in report["results"]] == ["invalid"] * 4
    assert report["results"][0]["diagnosis"].endswith("at column 8")
    assert "__import__" in report["results"][1]["diagnosis"]
    assert report["score"] == {"correct": 0, "total": 4}


def test_standard_input(cli, monkeypatch):
    import io

    document = json.dumps({"answers": [{"node": "z3", "phase": "backward", "grad": "2"}]})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(document.encode("utf-8"))))
    code, out, err = cli(["graph", "--check", "-"])
    assert code == 0, err
    assert json.loads(out)["score"] == {"correct": 1, "total": 1}


def test_an_empty_list_of_answers(cli, answers):
    assert run_check(cli, "graph", answers({"answers": []}))["score"] == {"correct": 0, "total": 0}


def test_the_report_is_utf8_whatever_the_locale(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"answers": [{"node": "z2", "phase": "backward", "local": "z1"}]}), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    result = subprocess.run(
        [sys.executable, "-m", "backprop_tui", "graph", "--check", str(path)], capture_output=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.decode("utf-8"))["results"][0]["expected"] == "−6z₁/z₂²"


# --- files that are not valid: one line, exit 2, nothing judged ---


def entry(**fields):
    return {"answers": [{"node": "x", "phase": "backward", "grad": "1"}, fields]}


@pytest.mark.parametrize(
    "document, words",
    [
        ("{not json", "is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        ("", "is not valid JSON"),
        ("[1, 2]", 'a JSON object with a list "answers"'),
        ('{"answers": {"node": "x"}}', 'a JSON object with a list "answers"'),
        ('{"answers": [' + "[" * 100_000 + "]" * 100_000 + "]}", "nested too deeply"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (entry(phase="backward", grad="1"), "answer 2 names no node"),
        (entry(node=4, phase="backward", grad="1"), "the node must be a name"),
        (entry(node="w", phase="backward", grad="1"), "answer 2: lesson graph has no node 'w'"),
        (entry(node="x", phase="backward", slope="1"), "answer 2: unknown field 'slope'"),
        (entry(node="x", grad="1"), "answer 2 (x) gives no phase"),
        (entry(node="x", phase="backward", value="1"), "value goes with phase forward"),
        (entry(node="z2", phase="forward", grad="1"), "grad goes with phase backward"),
        (entry(node="x", phase="forward", value="1"), "x has no forward step"),
        (entry(node="x", phase="sideways", grad="1"), "phase must be forward or backward"),
        (entry(node="x", phase="backward"), "answer 2 (x) gives no answer"),
        (entry(node="x", phase="backward", local="2*x"), "give its local derivatives one per consumer"),
        (entry(node="x", phase="backward", local={"z1": "1"}), "'z1' does not use x"),
        (entry(node="x", phase="backward", local={}), "local names no consumer"),
        (entry(node="z4", phase="backward", local="1"), "z4 is the output"),
        (entry(node="x", phase="backward", grad=None), "grad must be text, a number or a list"),
        (entry(node="x", phase="backward", grad=True), "grad must be text, a number or a list"),
        (entry(node="x", phase="backward", local={"z2": {"a": 1}}), "local z2 must be text"),
        ({"answers": ["x"]}, "answer 1 is not an object"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_files_that_are_not_valid(cli, answers, document, words):
    path = answers(document)
    assert_refused(*cli(["graph", "--check", path]), words)


def test_a_file_that_cannot_be_read(cli, tmp_path):
    assert_refused(*cli(["graph", "--check", str(tmp_path / "missing.json")]), "no such file")
    assert_refused(*cli(["graph", "--check", str(tmp_path)]), "cannot read")
    binary = tmp_path / "latin1.json"
    binary.write_bytes('{"answers": ["é"]}'.encode("latin-1"))
    assert_refused(*cli(["graph", "--check", str(binary)]), "is not UTF-8 text")


@pytest.mark.parametrize("lesson", ["symmetry", "methods"])
def test_lessons_without_questions_are_refused(cli, answers, lesson):
    path = answers({"answers": []})
    assert_refused(*cli([lesson, "--check", path]), f"lesson {lesson} asks no questions")


def test_check_goes_alone(cli, answers):
    path = answers({"answers": []})
    assert_refused(*cli(["graph", "--check", path, "--export", "json"]), "--check prints its own JSON")
    assert_refused(*cli(["graph", "--check", path, "--screenshot", "a.svg"]), "--check prints its own JSON")
    assert_refused(*cli(["graph", "--check", path, "-o", "x.json"]), "-o/--output needs --export")


def test_chain_entries_are_checked_too(cli, answers):
    path = answers({"answers": [{"node": "fg", "phase": "backward", "shape": "2x3"}]})
    assert_refused(*cli(["chain", "--check", path]), "phase must be jacobian")
    path = answers({"answers": [{"node": "g", "order": "fg"}]})
    assert_refused(*cli(["chain", "--check", path]), "only fg has an order")
