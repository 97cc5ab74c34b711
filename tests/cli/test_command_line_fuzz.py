"""Generated command lines: each ends in exit 0 with valid output, or exit 2 with one line on stderr.

Never a traceback, a hang, a special file replaced, a user's file half-written or
left with another mode, or a temporary file left behind.
"""

import io
import json
import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop_tui import cli
from backprop_tui.lessons import LESSONS

NUMBERS = [
    "0", "1", "2", "3", "-1", "-1e-3", "0.5", "1e309", "-inf", "nan", "1e-320", "12", "17", "abc", "", " ", "1,2",
    "-1,2",
]
SMALL = ["1", "2", "3", "4", "0", "-2", "9", "33", "5000", "1.5", "x", ""]
VALUES = {
    "--d": SMALL,
    "--h": SMALL,
    "--init": ["random", "zero", "constant", "ones", ""],
    "--const": NUMBERS,
    "--seed": ["0", "5", "-1", "9" * 30, "x"],
    "--x": ["1,2", "-1,2", "1,,2", "inf,1", "1", "0.5,0.5,0.5", "", "1e308,1e308"],
    "--at": ["x=1,y=2", "x=-1", "x=1,x=5", "z=1", "x=abc", "x", "y=1e300", "x=1e308,y=-1e308", "x=1\ny=2", ""],
    "--lr": NUMBERS,
    "--steps": ["0", "1", "10", "-1", "100001", "x"],
    "--data": ["xor", "and", "or", ""],
    "--activation": ["sigmoid", "tanh", "relu", "gelu"],
    "--of": ["mlp", "graph", "nope"],
    "--l": SMALL,
    "--n": SMALL,
    "--m": SMALL,
    "--variant": ["1", "7", "0", "-1", "9" * 30, "x", ""],
    "--params": ["params.json", "existing.json", "fifo", "folder", "dangling.json", "missing/p.json", ""],
    "--expr": [
        "x^2*y", "x^(1/0)", "x^9^9^9", "x^(0/0)", "log(x)+y", "((((", "sin(x*y)*sin(x*y)", "0^x", "x+",
        "__import__('os')", "x\ny", "",
    ],
    "--export": ["json", "markdown", "yaml"],
    "--press": ["n,n,end", "ctrl+p", "nokey", ""],
    "--size": ["80x24", "1x1", "120x", "2000x2000"],
}
TARGETS = [
    "new.json", "existing.json", "link.json", "dangling.json", "fifo", "folder", "missing/out.json", os.devnull, "-", ""
]


def lay_out_targets(folder):
    (folder / "existing.json").write_text("the user's own file")
    (folder / "existing.json").chmod(0o600)
    (folder / "linked.json").write_text("the link's target")
    (folder / "link.json").symlink_to(folder / "linked.json")
    (folder / "dangling.json").symlink_to(folder / "nowhere.json")
    os.mkfifo(folder / "fifo")
    (folder / "folder").mkdir()
    params = {"W0": [[1, -2], [0.5, 3]], "b0": [0, 1], "W1": [1, -1], "b1": 0, "x": [1, 2]}
    (folder / "params.json").write_text(json.dumps(params))


def junk():
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


option = st.sampled_from(sorted(VALUES)).flatmap(
    lambda name: st.tuples(st.just(name), st.one_of(st.sampled_from(VALUES[name]), junk()))
)
output = st.tuples(st.sampled_from(["-o", "--output"]), st.sampled_from(TARGETS))
GOOD = {  # values each lesson accepts, so that about half the lines get through to an export
    "d": ["1", "2", "3"],
    "h": ["1", "2", "5"],
    "init": ["random", "zero", "constant"],
    "const": ["-1e-3", "0.5"],
    "seed": ["0", "7"],
    "x": ["-1,2"],
    "at": ["x=-1", "y=0.5", "x=1e300,y=1e300", "x=0,y=0"],
    "lr": ["-0.5", "0.5", "2"],
    "steps": ["0", "3", "20"],
    "data": ["xor", "and"],
    "activation": ["sigmoid", "tanh", "relu"],
    "of": ["mlp", "graph"],
    "l": ["1", "3"],
    "n": ["1", "4"],
    "m": ["1", "2"],
    "variant": ["1", "7"],
    "params": ["params.json"],
    "expr": ["x^2*y", "sin(x*y)*sin(x*y)", "log(x)+y", "0^x", "y^x", "x^(1/0)", "sqrt(x-y)/(x-1)"],
}


def lesson_line(name):
    own = st.sampled_from(LESSONS[name].options.names()).flatmap(
        lambda o: st.tuples(st.just(f"--{o}"), st.sampled_from(GOOD[o]))
    )
    return st.tuples(st.just(name), st.lists(st.one_of(own, output), max_size=4), st.sampled_from(["json", "markdown"]))


command_line = st.one_of(
    st.sampled_from(sorted(LESSONS)).flatmap(lesson_line),
    st.tuples(
        st.one_of(st.sampled_from(sorted(LESSONS)), st.just(None), junk()),
        st.lists(st.one_of(option, output), max_size=5),
        st.one_of(st.just(None), st.sampled_from(["json", "markdown"])),
    ),
)


def argv_of(lesson, options, export):
    argv = [] if lesson is None else [lesson]
    for name, value in options:
        argv += [name, value]
    if export:
        argv += ["--export", export]
    return argv


def check_folder(folder, argv, code):
    names = {p.name for p in folder.iterdir()}
    assert not [n for n in names if n.endswith(".tmp")], names
    assert (folder / "link.json").is_symlink() and (folder / "dangling.json").is_symlink()
    assert stat.S_ISFIFO(os.lstat(folder / "fifo").st_mode)
    assert (folder / "folder").is_dir() and list((folder / "folder").iterdir()) == []
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    existing = folder / "existing.json"
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    for path in (existing, folder / "linked.json", folder / "nowhere.json", folder / "new.json"):
        if path.exists():
            text = path.read_text(encoding="utf-8")
            if text not in ("the user's own file", "the link's target"):
                assert code == 0, argv
                complete(text, argv)


def complete(text, argv):
    """Output that is whole: JSON that parses, Markdown that ends its last line."""
    formats = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--export"]
    if formats[-1] == "markdown":
        assert text.startswith("#") and text.endswith("\n")
    else:
        json.loads(text)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(command_line)
def test_generated_command_lines(tmp_path_factory, capsys, monkeypatch, tally, line):
    folder = tmp_path_factory.mktemp("targets")
    lay_out_targets(folder)
    monkeypatch.chdir(folder)
    monkeypatch.setattr("sys.stdin", io.StringIO())  # no terminal: the app itself must refuse in one line
    argv = argv_of(*line)
    tally["command lines"] = tally.get("command lines", 0) + 1
    try:
        code = cli.main(argv)
    except SystemExit as exit:  # --help and --version
        code = exit.code
    out, err = capsys.readouterr()
    assert code in (0, 2), (argv, code, err)
    if code == 0:
        tally["of them run"] = tally.get("of them run", 0) + 1
    assert "Traceback" not in err
    if code == 2:
        assert len(err.splitlines()) == 1 and err.startswith("backprop-tui: error:"), (argv, err)
    elif out and ("--export" in argv):
        complete(out, argv)
    check_folder(folder, argv, code)


@pytest.mark.parametrize(
    "argv",
    [
        ["--x", "-1,2", "--export", "json"],
        ["--init", "constant", "--const", "-1e-3", "--export", "json"],
        ["graph", "--at", "x=-1", "--at", "y=-2.5", "--export", "json"],
        ["symmetry", "--lr", "2", "--steps", "3", "--export", "json"],
    ],
)
def test_negative_values_after_a_space(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    if "--x" in argv:
        assert data["nodes"]["x"]["value"] == [-1.0, 2.0]
    if "--at" in argv:
        assert data["settings"]["at"] == {"x": -1.0, "y": -2.5}


@pytest.mark.parametrize("lesson", ["graph", "methods", "expr"])
@pytest.mark.parametrize("at", [["--at", "x=1,x=5"], ["--at", "x=1", "--at", "x=5"]])
def test_a_name_given_twice_is_refused_by_every_lesson(lesson, at, capsys):
    code = cli.main([lesson, *at, "--export", "json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == "backprop-tui: error: --at gives x twice\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["gr\naph"],
        ["expr", "--expr", "x+\n(", "--export", "json"],
        ["--x", "1\n,a", "--export", "json"],
        ["--press", "n\nq", "--screenshot", "s.svg"],
    ],
)
def test_a_newline_in_an_argument_stays_on_one_line(argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1, err

