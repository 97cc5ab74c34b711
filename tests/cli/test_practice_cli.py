"""--practice on the command line, and --press typing answers (text:…) for a headless practice run."""

from __future__ import annotations

import argparse
import html

import pytest

from backprop_tui.cli import build_parser, key_list


def svg_text(path) -> str:
    """The screenshot's text, its non-breaking spaces as spaces."""
    return html.unescape(path.read_text(encoding="utf-8")).replace("\xa0", " ")


@pytest.mark.parametrize(
    ("given", "keys"),
    [
        ("n,n,end", ("n", "n", "end")),
        ("n, n", ("n", "n")),
        ("n,text:5.955,enter", ("n", "5", ".", "9", "5", "5", "enter")),
        ("text:-6*z1/z2^2", tuple("-6*z1/z2^2")),
        ("text: 2", (" ", "2")),
        ('n,"text:0.5, 0.5",enter', ("n", *"0.5, 0.5", "enter")),
        ('"text:[[1, 2], [3, 4]]"', tuple("[[1, 2], [3, 4]]")),
    ],
)
def test_press_types_text_one_key_per_character(given, keys):
    assert key_list(given) == keys


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("text:", "needs the text to type"),
        ("text:[[1, 2]", "text with commas goes in double quotes"),
        ('n,"text:1, 2', "double quotes"),
        ("n,nokey", "'nokey' is not a key name"),
    ],
)
def test_press_refuses_what_it_cannot_type(given, said):
    with pytest.raises(argparse.ArgumentTypeError, match=said):
        key_list(given)


def test_practice_alone_means_all_and_watch_is_the_default():
    parser = build_parser()
    assert parser.parse_args(["graph", "--practice"]).practice == "all"
    assert parser.parse_args(["graph", "--practice", "some"]).practice == "some"
    assert parser.parse_args(["graph"]).practice is None


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["graph", "--practice", "often"], "invalid choice: 'often'"),
        (["methods", "--practice"], "lesson methods has nothing to practise"),
        (["graph", "--practice", "--export", "json"], "--practice is for the app and --screenshot, not --export"),
    ],
)
def test_practice_is_refused_where_it_means_nothing(cli, argv, said):
    code, out, err = cli(argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and said in err, err


def test_a_headless_practice_run_types_answers(cli, tmp_path):
    target = tmp_path / "practice.svg"
    press = "n,text:exp(-y),enter,n,text:7,enter"  # z1 right, then z2 wrong
    argv = ["graph", "--practice", "all", "--screenshot", str(target), "--press", press, "--size", "120x40"]
    code, _, err = cli(argv)
    assert code == 0, err
    shown = svg_text(target)
    assert "The value of z₂" not in shown and "Its value?" in shown, "z₂ asks"
    assert "z₂ =?" in shown
    assert "answer ›" in shown and "7" in shown
    assert "1 of 2 right first time" in shown


def test_a_headless_practice_run_on_the_network_types_a_vector(cli, tmp_path):
    target = tmp_path / "mlp.svg"
    press = 'n,"text:0.02605, 0.7037, 2.559, -5.32",enter'
    code, _, err = cli(["mlp", "--practice", "--screenshot", str(target), "--press", press, "--size", "120x40"])
    assert code == 0, err
    shown = svg_text(target)
    assert "✓ Right." in shown and "1 of 1 right first time" in shown


def test_the_screenshot_without_practice_is_unchanged(cli, tmp_path):
    target = tmp_path / "watch.svg"
    code, _, err = cli(["graph", "--screenshot", str(target), "--press", "n", "--size", "100x30"])
    assert code == 0, err
    shown = svg_text(target)
    assert "exp(−2) = 0.1353" in shown and "answer ›" not in shown
