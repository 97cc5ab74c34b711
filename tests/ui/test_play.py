"""--play: scripts parsed whole (a bad line named by file:line), played into the app; a key of the person's stops it."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from textual.widgets import Static

from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.play import DONE, PACE, STOPPED, TYPE_PACE, Player, Press, ScriptError, key_event, load, parse

DEMOS = Path(__file__).resolve().parents[2] / "demos"


def keys(text: str) -> list[str]:
    return [press.key for press in parse(text, "s.play").presses]


def test_a_script_is_keys_waits_paces_typing_and_notes():
    script = parse(
        "# a note\n\nn\nwait 2\nn 2   # twice\npace 0.3\ntype x^2 # a note too\ntype a#b\nctrl+r\nwait .5\n",
        "demo.play",
    )
    assert [p.key for p in script.presses] == ["n", "n", "n", *"x^2", *"a#b", "ctrl+r"]
    first, second, third, typed, *_ = script.presses
    assert first == Press("n", PACE, 3)
    assert second == Press("n", 2 + PACE, 5), "a wait adds to the pause before the next key"
    assert third.pause == PACE
    assert typed == Press("x", 0.3, 7) and script.presses[4].pause == TYPE_PACE, "typing runs at a typist's speed"
    assert script.presses[-1].pause == 0.3 and script.tail == 0.5


def test_windows_line_endings_a_bom_and_indentation_are_fine():
    assert keys("\ufeffn\r\n  p\r\n\ttype ab\r\n") == ["n", "p", "a", "b"]


def test_key_names_are_those_press_takes():
    assert keys("enter\nquestion_mark\n?\nctrl+r\nshift+tab\nP\n2\nspace\npagedown") == [
        "enter", "question_mark", "?", "ctrl+r", "shift+tab", "P", "2", "space", "pagedown",
    ]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("n\nnxt\n", "s.play:2: 'nxt' is not a key name"),
        ("Enter", "s.play:1: 'Enter' is not a key name (key names are lower case: enter)"),
        ("wait", "s.play:1: wait takes one number of seconds, like wait 2"),
        ("wait soon", "s.play:1: wait 'soon': not a number of seconds"),
        ("wait -1", "s.play:1: wait -1: seconds must be from 0 to 3600"),
        ("wait nan", "seconds must be from 0"),
        ("wait inf", "seconds must be from 0"),
        ("wait 1 2", "wait takes one number"),
        ("pace 100", "s.play:1: pace 100: seconds must be from 0 to 60"),
        ("n 0", "s.play:1: 'n 0': one key a line, with a count from 1 to 1000"),
        ("n p", "one key a line"),
        ("n 1.5", "one key a line"),
        ("type", "s.play:1: type needs the text to type"),
        ("type   ", "type needs the text"),
        ("type a\tb", "a tab is a key, not text: press tab on a line of its own"),
        ("type a\x7fb", "'\\x7f' cannot be typed"),
        ("# nothing\n\n", "s.play: no keys to play"),
        ("wait 2", "no keys to play"),
    ],
)
def test_a_bad_line_is_named_by_file_and_line(text, said):
    with pytest.raises(ScriptError) as caught:
        parse(text, "s.play")
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_files_that_are_not_scripts_are_refused_without_waiting(tmp_path):
    (tmp_path / "latin1.play").write_bytes(b"n\n# caf\xe9\n")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "big.play").write_bytes(b"n\n" * 600_000)
    for name, said in [
        ("latin1.play", "latin1.play:2: not UTF-8 text"),
        ("fifo", "not a regular file"),
        (".", "it is a directory"),
        ("missing.play", "no such file or directory"),
        ("big.play", "too long for a script"),
    ]:
        with pytest.raises(ScriptError) as caught:
            load(str(tmp_path / name))
        assert said in str(caught.value), name


@pytest.mark.parametrize("demo", sorted(DEMOS.glob("*.play")), ids=lambda p: p.name)
def test_the_demos_parse(demo):
    assert load(str(demo)).presses


def test_a_key_event_is_the_terminals():
    assert (key_event("n").key, key_event("n").character) == ("n", "n")
    assert (key_event("^").key, key_event("^").character) == ("circumflex_accent", "^")
    assert (key_event("space").key, key_event("space").character) == ("space", " ")
    assert key_event("enter").key == "enter"
    assert key_event("ctrl+r").key == "ctrl+r"


def notice(app: BackpropApp) -> str:
    return str(app.main.query_one("#notice", Static).visual)


async def test_a_script_steps_the_app_at_its_pace():
    app = BackpropApp("mlp")
    async with app.run_test(size=(100, 30)) as pilot:
        player = Player(app, parse("pace 0\nn 3\np\n", "s.play"))
        await player.start().wait()
        await pilot.pause()
        assert app.cursor == 2 and not player.playing
        assert DONE in notice(app)


async def test_a_key_of_the_persons_stops_the_demo_and_does_nothing_else():
    app = BackpropApp("mlp")
    async with app.run_test(size=(100, 30)) as pilot:
        player = Player(app, parse("pace 0.05\nn\nwait 30\nn\nn\n", "s.play"))
        worker = player.start()
        for _ in range(100):
            await asyncio.sleep(0.02)
            if player.pressed:
                break
        await pilot.pause()
        assert app.cursor == 1 and player.playing
        await pilot.press("end")  # the person's key: it stops the demo, and is not taken as end
        await pilot.pause()
        assert not player.playing and worker.is_cancelled
        assert app.cursor == 1
        assert STOPPED in notice(app)
        await pilot.press("n")  # from now on the keys are the person's
        assert app.cursor == 2


async def test_a_headless_play_answers_practice_questions():
    app = BackpropApp("mlp")
    async with app.run_test(size=(100, 30)) as pilot:
        script = parse("2\nP\nP\nn\ntype exp(-y)\nenter\n", "s.play")
        await Player(app, script, timed=False).start().wait()
        await pilot.pause()
        assert app.lesson == "graph" and app.practice == "all"
        assert app.session is not None and app.session.score()[:2] == (1, 1)
