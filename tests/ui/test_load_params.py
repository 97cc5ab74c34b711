"""The palette's "Load network parameters…": lesson mlp with a problem set's file; a bad file is said in the dialog."""

from __future__ import annotations

import json

import numpy as np
from textual.widgets import Input, Static

from backprop_tui.lessons import MlpOptions
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.load_params import LoadParamsDialog

SIZE = (100, 34)
GOOD = {
    "W0": [[0.5, -1.0], [2.0, 0.25], [-0.5, 0.5]],
    "b0": [0.1, -0.2, 0.3],
    "W1": [[1.0, -2.0, 0.5]],
    "b1": 0.75,
    "x": [1.0, -1.0],
}


def shown(app: BackpropApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).visual)


async def load(app: BackpropApp, pilot, typed: str) -> None:
    app.action_load_params()
    await pilot.pause()
    assert isinstance(app.screen, LoadParamsDialog)
    app.screen.query_one("#path", Input).value = typed
    await pilot.press("enter")
    await pilot.pause()


async def test_a_file_opens_lesson_mlp_with_its_network(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hw3.json").write_text(json.dumps(GOOD), encoding="utf-8")
    app = BackpropApp("graph")  # from another lesson: the switch opens mlp
    async with app.run_test(size=SIZE) as pilot:
        await load(app, pilot, "hw3.json")
        assert app.screen is app.main and app.lesson == "mlp"
        options = app.options
        assert isinstance(options, MlpOptions) and (options.d, options.h) == (2, 3)
        assert options.params is not None and options.params.source == str(tmp_path / "hw3.json")
        assert np.allclose(app.walk.trace.nodes["W0"].value, GOOD["W0"])
        assert "Network from hw3.json: d = 2, h = 3" in shown(app, "#notice")
        app.action_load_params()
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == str(tmp_path / "hw3.json"), "offers the file it has"


async def test_a_bad_file_is_said_in_the_dialog_and_keeps_the_network(tmp_path):
    bad = dict(GOOD, b0=[0.1, 0.2])
    files = {
        "short.json": json.dumps(bad),
        "nan.json": json.dumps(GOOD).replace("0.75", "NaN"),
        "broken.json": "{",
    }
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    app = BackpropApp("mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n")
        walk = app.walk
        for name, said in [
            ("short.json", "short.json: b0 has 2 numbers but W0 has 3 rows"),
            ("nan.json", "b1 must be a finite number"),
            ("broken.json", "is not valid JSON"),
            ("missing.json", "cannot read missing.json: No such file or directory"),
            (".", "cannot read .: not a regular file"),
            ("", "Type the path of a JSON file"),
        ]:
            typed = name if name in ("", ".", "missing.json") else str(tmp_path / name)
            await load(app, pilot, typed)
            assert isinstance(app.screen, LoadParamsDialog), name
            error = shown(app, "#error")
            assert said in error and "--params" not in error, (name, error)
            await pilot.press("escape")
        assert app.screen is app.main and app.walk is walk and app.cursor == 2, "the network and its step stay"
        assert app.options == MlpOptions()
