"""backprop-tui --play FILE: a demo script, refused in one line when it cannot be played; headless with --screenshot."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

DEMOS = Path(__file__).resolve().parents[2] / "demos"


def svg_text(path) -> str:
    """The screenshot's text without its markup (a line's runs of colour joined), non-breaking spaces as spaces."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))).replace("\xa0", " ")


def play(cli, tmp_path, script: str, *argv: str) -> tuple[int, str, str]:
    path = tmp_path / "demo.play"
    path.write_text(script, encoding="utf-8")
    return cli([*argv, "--play", str(path)])


def test_the_section_demo_ends_on_the_last_step_of_a_zero_start(cli, tmp_path):
    target = tmp_path / "end.svg"
    code, out, err = cli(["--play", str(DEMOS / "mlp-section.play"), "--screenshot", str(target), "--size", "120x40"])
    assert (code, out, err) == (0, "", "")
    shown = svg_text(target)
    assert "step 11 of 11" in shown and "zero init" in shown
    assert "hidden units are identical" in shown
    assert "demo" not in shown, "headless, the screen is where the keys lead, without the demo's own notices"


def test_the_practice_demo_answers_all_but_the_last_question(cli, tmp_path):
    target = tmp_path / "practice.svg"
    code, _, err = cli(["mlp", "--play", str(DEMOS / "practice-graph.play"), "--screenshot", str(target)])
    assert code == 0, err
    shown = svg_text(target)
    assert "step 8 of 10" in shown and "practice all · 8 of 11 right first time, 1 hint" in shown
    assert "Revealed. z₁ is shown" in shown


def test_a_script_plays_headless_without_its_pauses(cli, tmp_path):
    target = tmp_path / "s.svg"
    code, _, err = play(cli, tmp_path, "wait 600\nn\nwait 600\nn\n", "graph", "--screenshot", str(target))
    assert code == 0, err
    assert "step 2 of 10" in svg_text(target)


@pytest.mark.parametrize(
    ("script", "said"),
    [
        ("n\n\n# fine so far\nnxt\n", "demo.play:4: 'nxt' is not a key name"),
        ("n\nwait two\n", "demo.play:2: wait 'two': not a number of seconds"),
        ("pace -1\nn\n", "demo.play:1: pace -1: seconds must be from 0 to 60"),
        ("# only notes\n", "demo.play: no keys to play"),
    ],
)
def test_a_bad_line_is_one_line_naming_file_and_line(cli, tmp_path, script, said):
    code, out, err = play(cli, tmp_path, script, "mlp")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("backprop-tui: error: ") and said in err, err
    assert "needs a terminal" not in err, "the script is read before the app would start"


def test_a_file_that_is_no_script_is_refused(cli, tmp_path):
    os.mkfifo(tmp_path / "fifo")
    for name, said in [("fifo", "not a regular file"), (".", "it is a directory"), ("none", "no such file")]:
        code, out, err = cli(["--play", str(tmp_path / name)])
        assert code == 2 and out == "" and err.count("\n") == 1 and said in err, (name, err)


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--press", "n", "--screenshot", "x.svg"], "choose --play or --press"),
        (["--export", "json"], "--play drives the app in this terminal, or a --screenshot; not --export"),
        (["--check", "a.json"], "not --check"),
        (["--serve"], "not --serve"),
        (["--size", "100x30"], "--press and --size go with --screenshot"),
    ],
)
def test_play_is_refused_where_it_means_nothing(cli, tmp_path, extra, said):
    code, out, err = play(cli, tmp_path, "n\n", "mlp", *extra)
    assert code == 2 and out == "" and said in err, err
    assert not (tmp_path / "x.svg").exists()


def test_without_a_terminal_a_good_script_still_needs_one(cli, tmp_path):
    code, _, err = play(cli, tmp_path, "n\n", "mlp")
    assert code == 2 and "the app needs a terminal" in err
