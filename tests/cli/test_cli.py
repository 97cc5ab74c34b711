"""The command line: --help, bad input (one line, exit 2), and the JSON / Markdown exports."""

import gc
import json
import math
import os
import re
import shutil
import stat
import subprocess
import sys

import numpy as np
import pytest

from backprop_tui.cli import main, settle_imports
from backprop_tui.lessons import LESSONS, GraphOptions, MlpOptions
from backprop_tui.lessons.options import MAX_H

OPTIONS = [
    "--d", "--h", "--init", "--const", "--seed", "--x", "--at", "--export", "-o", "--screenshot", "--press", "--size"
]


def assert_usage_error(code, out, err):
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("backprop-tui: error:"), err
    assert "Traceback" not in err


def lists_option(text, option):
    return re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", text) is not None


# --- help ---


def test_help_lists_every_option(cli):
    code, out, err = cli(["--help"])
    assert code == 0
    assert err == ""
    for option in OPTIONS:
        assert lists_option(out, option), option
    for lesson in LESSONS:
        assert lesson in out


def test_installed_entry_point_runs_help():
    script = os.path.join(os.path.dirname(sys.executable), "backprop-tui")
    if not os.path.exists(script):
        script = shutil.which("backprop-tui")
    command = [script] if script else [sys.executable, "-m", "backprop_tui"]
    result = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: backprop-tui")
    for option in OPTIONS:
        assert lists_option(result.stdout, option), option


def test_the_command_turns_the_collector_back_on_and_a_caller_keeps_its_own(monkeypatch):
    # the command starts with the collector off; the app must not run that way
    monkeypatch.setattr(gc, "freeze", lambda: None)  # leave this test process's objects alone
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        settle_imports(["--screenshot", "x.svg"])  # a caller passing argv
        assert not gc.isenabled()
        settle_imports(None)  # the command itself
        assert gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_self_check_option_matcher():
    assert not lists_option("--help --height", "--h")
    assert not lists_option("--output", "-o")
    assert lists_option("  -o FILE, --output FILE", "-o")


# --- bad input: one line on stderr, exit 2 ---
# Each command also asks for an export, so a regression prints JSON instead of opening the app.

BAD = {
    "unknown lesson": ["nosuchlesson", "--export", "json"],
    "d zero": ["--d", "0", "--export", "json"],
    "d negative": ["--d", "-3", "--export", "json"],
    "d not a number": ["--d", "abc", "--export", "json"],
    "d fraction": ["--d", "2.5", "--export", "json"],
    "h zero": ["--h", "0", "--export", "json"],
    "h above limit": ["--h", str(MAX_H + 1), "--export", "json"],
    "x wrong length": ["--d", "2", "--x", "1,2,3", "--export", "json"],
    "x wrong length for d": ["--d", "4", "--x", "1,2", "--export", "json"],
    "x not a number": ["--x", "1,abc", "--export", "json"],
    "x empty entry": ["--x", "1,,2", "--export", "json"],
    "x not finite": ["--x", "1,inf", "--export", "json"],
    "at unknown variable": ["graph", "--at", "z=1", "--export", "json"],
    "at not a number": ["graph", "--at", "x=abc", "--export", "json"],
    "at without =": ["graph", "--at", "x", "--export", "json"],
    "at nan": ["graph", "--at", "x=nan", "--export", "json"],
    "init unknown": ["--init", "ones", "--export", "json"],
    "graph with --d": ["graph", "--d", "3", "--export", "json"],
    "mlp with --at": ["mlp", "--at", "x=1", "--export", "json"],
    "const without constant init": ["--const", "2", "--export", "json"],
    "export format unknown": ["--export", "yaml"],
    "seed negative": ["--seed", "-1", "--export", "json"],
    "size without screenshot": ["--size", "120x40", "--export", "json"],
    "press without screenshot": ["--press", "n,n", "--export", "json"],
}


@pytest.mark.parametrize("argv", BAD.values(), ids=BAD.keys())
def test_bad_input_is_one_line_and_exit_2(argv, cli):
    assert_usage_error(*cli(argv))


@pytest.mark.parametrize("size", ["12", "0x0", "10x5", "120x", "x40", "axb", "120x40x2"])
def test_bad_size(size, tmp_path, cli):
    target = tmp_path / "s.svg"
    assert_usage_error(*cli(["--screenshot", str(target), "--size", size]))
    assert list(tmp_path.iterdir()) == []


def test_export_and_screenshot_together_are_refused(tmp_path, cli):
    assert_usage_error(*cli(["--export", "json", "--screenshot", str(tmp_path / "s.svg")]))
    assert list(tmp_path.iterdir()) == []


def test_output_without_export_is_refused(tmp_path, cli):
    assert_usage_error(*cli(["-o", str(tmp_path / "w.json")]))
    assert list(tmp_path.iterdir()) == []


# --- -o targets that cannot be written: one line, exit 2, nothing left behind ---


def test_output_into_missing_directory(tmp_path, cli):
    target = tmp_path / "missing" / "w.json"
    assert_usage_error(*cli(["--export", "json", "-o", str(target)]))
    assert list(tmp_path.iterdir()) == []


def test_output_pointing_at_a_directory(tmp_path, cli):
    existing = tmp_path / "existing"
    existing.mkdir()
    assert_usage_error(*cli(["--export", "json", "-o", str(existing)]))
    assert list(tmp_path.iterdir()) == [existing]
    assert list(existing.iterdir()) == []


def test_output_into_read_only_directory(tmp_path, cli):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("running as root: a 0o555 directory is still writable")
        assert_usage_error(*cli(["--export", "json", "-o", str(ro / "w.json")]))
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(stat.S_IRWXU)


def test_failed_write_leaves_no_partial_or_temp_file(tmp_path, cli, monkeypatch):
    # A failure after the temporary file exists (here: the final rename) must clean it up.
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", dst)

    monkeypatch.setattr(os, "replace", refuse)
    target = tmp_path / "w.json"
    assert_usage_error(*cli(["--export", "json", "-o", str(target)]))
    assert list(tmp_path.iterdir()) == []


# --- JSON export ---


def export_json(argv, cli):
    code, out, err = cli([*argv, "--export", "json"])
    assert code == 0, err
    assert err == ""
    return out, json.loads(out)


def check_contract(data, lesson, trace):
    assert set(data) >= {"lesson", "settings", "output", "nodes", "steps"}
    assert data["lesson"] == lesson
    assert isinstance(data["settings"], dict)
    assert data["output"] == trace.output
    assert list(data["nodes"]) == list(trace.nodes)
    for name, node in data["nodes"].items():
        assert set(node) >= {"shape", "value", "grad"}
        record = trace.nodes[name]
        assert node["shape"] == list(record.shape)
        value, grad = np.array(node["value"], dtype=float), np.array(node["grad"], dtype=float)
        assert value.shape == record.shape and grad.shape == record.shape
        np.testing.assert_array_equal(value, record.value)
        np.testing.assert_array_equal(grad, record.grad)
    steps = data["steps"]
    assert [s["index"] for s in steps] == list(range(len(steps)))
    assert len(steps) == len(trace)
    for step, record in zip(steps, trace.steps, strict=True):
        assert set(step) >= {"index", "phase", "node", "equation", "shapes", "value"}
        assert step["phase"] in ("forward", "backward")
        assert step["node"] in data["nodes"]
        assert isinstance(step["equation"], str) and step["equation"]
        assert isinstance(step["shapes"], str) and step["shapes"]
        assert (step["phase"], step["node"], step["equation"], step["shapes"]) == (
            record.phase, record.node, record.equation, record.shapes,
        )
        np.testing.assert_array_equal(np.array(step["value"], dtype=float), record.value)
    phases = [s["phase"] for s in steps]
    assert phases == sorted(phases, key=["forward", "backward"].index)
    assert [s["node"] for s in steps if s["phase"] == "backward"][0] == data["output"]


MLP_CASES = {
    "default": ([], MlpOptions()),
    "zero": (["--init", "zero"], MlpOptions(init="zero")),
    "d3h5x": (["--d", "3", "--h", "5", "--x", "1,2,3"], MlpOptions(d=3, h=5, x=(1.0, 2.0, 3.0))),
}


@pytest.mark.parametrize("argv, settings", MLP_CASES.values(), ids=MLP_CASES.keys())
def test_mlp_json_round_trip(argv, settings, cli):
    _, data = export_json(["mlp", *argv], cli)
    trace = LESSONS["mlp"].build(settings).trace
    check_contract(data, "mlp", trace)
    assert data["output"] == "y"
    assert list(data["nodes"]) == ["x", "W0", "b0", "v", "z", "W1", "b1", "y"]
    assert data["nodes"]["b1"]["shape"] == [] and data["nodes"]["y"]["shape"] == []
    assert isinstance(data["nodes"]["y"]["value"], float)
    h, d = settings.h, settings.d
    assert data["nodes"]["W0"]["shape"] == [h, d]
    assert data["settings"]["d"] == d and data["settings"]["h"] == h and data["settings"]["init"] == settings.init
    # independent of the engine: §3.1(d) from the exported values alone
    n = {k: np.array(v["value"], dtype=float) for k, v in data["nodes"].items()}
    z = 1.0 / (1.0 + np.exp(-(n["W0"] @ n["x"] + n["b0"])))
    delta = n["W1"][0] * z * (1 - z)
    np.testing.assert_allclose(data["nodes"]["W0"]["grad"], np.outer(delta, n["x"]), rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(data["nodes"]["W1"]["grad"], [z], rtol=1e-13)
    if settings.x is not None:
        assert data["settings"]["x"] == list(settings.x)
    if settings.init == "zero":
        assert data["nodes"]["z"]["value"] == [0.5] * h
        assert data["nodes"]["y"]["value"] == 0.0


def test_graph_json_round_trip(cli):
    _, data = export_json(["graph", "--at", "x=0.5,y=-1"], cli)
    trace = LESSONS["graph"].build(GraphOptions(at=(("x", 0.5), ("y", -1.0)))).trace
    check_contract(data, "graph", trace)
    assert data["output"] == "z4"
    assert data["settings"] == {"at": {"x": 0.5, "y": -1.0}}
    assert list(data["nodes"]) == ["x", "y", "z1", "z2", "z3", "z4"]
    x, y = 0.5, -1.0
    z1, z2 = math.exp(-y), 1 + x * x + y * y
    assert data["nodes"]["x"]["grad"] == pytest.approx(6 * x * x - 12 * x * z1 / z2**2, rel=1e-13)
    assert data["nodes"]["y"]["grad"] == pytest.approx(-12 * y * z1 / z2**2 - 6 * math.exp(-y) / z2, rel=1e-13)
    assert data["nodes"]["z4"]["value"] == pytest.approx(6 * z1 / z2 + 2 * x**3, rel=1e-14)


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_output_file_holds_the_same_text_as_stdout(fmt, tmp_path, cli):
    argv = ["graph", "--at", "x=0.5,y=-1", "--export", fmt]
    code, printed, _ = cli(argv)
    assert code == 0
    target = tmp_path / f"walk.{fmt}"
    code, out, err = cli([*argv, "-o", str(target)])
    assert code == 0 and out == "" and err == ""
    assert target.read_text(encoding="utf-8") == printed
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_output_file_gets_the_usual_permissions(tmp_path, cli):
    # like a plain open(): 0o666 minus the umask, not the private 0o600 of a temporary file
    old = os.umask(0o022)
    try:
        code, _, _ = cli(["--export", "json", "-o", str(tmp_path / "w.json")])
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE((tmp_path / "w.json").stat().st_mode) == 0o644


def test_output_replaces_an_existing_file(tmp_path, cli):
    target = tmp_path / "w.json"
    target.write_text("old contents that are longer than nothing" * 1000)
    code, _, _ = cli(["--export", "json", "-o", str(target)])
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["lesson"] == "mlp"
    assert [p.name for p in tmp_path.iterdir()] == ["w.json"]


@pytest.mark.parametrize("argv", [["mlp"], ["mlp", "--init", "zero", "--h", "3"], ["graph"]])
def test_markdown_export_contains_every_equation(argv, cli):
    code, out, err = cli([*argv, "--export", "markdown"])
    assert code == 0 and err == ""
    lesson = argv[0]
    options = LESSONS[lesson].options(init="zero", h=3) if "zero" in argv else LESSONS[lesson].options()
    trace = LESSONS[lesson].build(options).trace
    assert len(trace) > 0
    for step in trace.steps:
        assert step.equation in out
        for term in step.terms:
            assert term.derivative in out
    assert out.count("## Step ") == len(trace)


def test_screenshot_writes_a_valid_svg_after_pressing_keys(tmp_path):
    import xml.etree.ElementTree as ET

    target = tmp_path / "shot.svg"
    code = main(["graph", "--screenshot", str(target), "--press", "end", "--size", "100x30"])
    assert code == 0
    root = ET.parse(target).getroot()
    assert root.tag.endswith("svg")
    text = target.read_text(encoding="utf-8")
    assert "step&#160;10&#160;of&#160;10" in text or "step 10 of 10" in text


def test_unknown_key_name_in_press_is_refused(tmp_path, capsys):
    target = tmp_path / "shot.svg"
    code = main(["--screenshot", str(target), "--press", "n,foo"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "'foo' is not a key name" in err
    assert not target.exists()


def test_markdown_lists_each_path_of_a_node_with_two_consumers(cli):
    code, out, err = cli(["graph", "--export", "markdown"])
    assert code == 0, err
    x_step = out[out.index("· backward · x"):]
    # at (1, 2): via z₃ the path is 2·3x² = 6; via z₂ it is (−6z₁/z₂²)·2x with z₁ = e⁻², z₂ = 6
    x_step = x_step[: x_step.index("\n## ")] if "\n## " in x_step else x_step
    assert "via z₃:  2 · 3 = 6\n" in x_step
    upstream, path = -6 * math.exp(-2) / 36, -12 * math.exp(-2) / 36
    assert f"via z₂:  {upstream:.4g} · 2 = {path:.4g}\n" in x_step  # numbers in ASCII, to paste
    assert f"sum:  6 - {-path:.4g} = {6 + path:.4g}\n" in x_step  # 6 - 0.04511, never 6 + -0.04511
    assert "x = 1,  y = 2" in out


@pytest.mark.parametrize("name", ["out.png", "out.pdf", "picture", "out.svg.png"])
def test_a_screenshot_is_refused_a_name_that_is_not_svg(name, tmp_path, cli):
    target = tmp_path / name
    assert_usage_error(*cli(["--screenshot", str(target)]))
    assert list(tmp_path.iterdir()) == []
