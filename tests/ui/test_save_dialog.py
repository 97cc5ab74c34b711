"""ctrl+s: the current lesson's handout saved from the app, the format asked in a small dialog; errors stay in it."""

from __future__ import annotations

import os

import pytest
from textual.widgets import Input, Static

from backprop_tui.handout import handout
from backprop_tui.lessons import MethodsOptions, MlpOptions, SymmetryOptions
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.commands import LessonCommands
from backprop_tui.ui.screens.save_dialog import Choice, SaveDialog
from backprop_tui.ui.screenshot import settle

SIZE = (100, 34)


def shown(app: BackpropApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).visual)


async def save(app: BackpropApp, pilot, *keys: str) -> None:
    await pilot.press(*keys)
    dialog = app.screen
    for worker in list(app.workers):
        if worker.group == "handout":
            await worker.wait()
    await pilot.pause()
    assert dialog is not None


@pytest.fixture
def here(tmp_path, monkeypatch):
    """The app started in an empty directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_ctrl_s_then_enter_saves_the_key_in_markdown_and_says_where(here):
    app = BackpropApp("mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "ctrl+s")
        assert isinstance(app.screen, SaveDialog)
        assert app.screen.query_one("#name", Input).value == "mlp-handout.md"
        assert str(here / "mlp-handout.md") in shown(app, "#where")
        await save(app, pilot, "enter")
        assert app.screen is app.main, "the dialog closed"
        target = here / "mlp-handout.md"
        assert target.read_text(encoding="utf-8") == handout("mlp", MlpOptions(), "markdown")
        assert f"Saved the Markdown handout to {target}" in shown(app, "#notice")
        assert app.cursor == 1, "the walkthrough stays where it was"


async def test_the_choices_name_the_file_and_make_the_sheet_in_latex(here):
    app = BackpropApp("graph")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s", "right")  # format: LaTeX
        name = app.screen.query_one("#name", Input)
        assert name.value == "graph-handout.tex"
        await pilot.press("down", "right")  # sheet: blank
        assert name.value == "graph-sheet.tex"
        await save(app, pilot, "enter")
        text = (here / "graph-sheet.tex").read_text(encoding="utf-8")
        assert text == handout("graph", app.options, "latex", blank=True)
        assert not (here / "graph-handout.tex").exists()


async def test_a_typed_name_keeps_its_name_and_follows_the_format(here):
    app = BackpropApp("graph")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        dialog = app.screen
        name = dialog.query_one("#name", Input)
        name.value = "week3.md"
        dialog.query_one("#format", Choice).focus()
        await pilot.press("right")
        assert name.value == "week3.tex"
        name.value = "notes.txt"
        await pilot.press("left")
        assert name.value == "notes.txt", "a name of the person's own is never changed"


async def test_a_page_lesson_saves_its_options_as_the_page_has_them(here):
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")  # d = 3 on the page
        for worker in list(app.workers):
            await worker.wait()
        page = app.screen
        assert page.options.d == 3
        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, SaveDialog)
        assert dialog.options == MethodsOptions(d=3)
        sheet = dialog.query_one("#sheet", Choice)
        assert sheet.query("RadioButton").last().disabled, "methods asks no questions: no sheet"
        assert "no blank sheet" in shown(app, "#no-sheet")
        sheet.focus()
        await pilot.press("right")
        assert dialog.query_one("#name", Input).value == "methods-handout.md", "the blank sheet cannot be chosen"
        await save(app, pilot, "enter")
        assert app.screen is page, "back on the page"
        text = (here / "methods-handout.md").read_text(encoding="utf-8")
        assert text == handout("methods", MethodsOptions(d=3), "markdown")


async def test_escape_cancels(here):
    app = BackpropApp("mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s", "escape")
        assert app.screen is app.main
        assert os.listdir(here) == []


async def test_a_directory_a_missing_folder_and_an_empty_name_are_said_in_the_dialog(here):
    (here / "out").mkdir()
    app = BackpropApp("mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        dialog = app.screen
        name = dialog.query_one("#name", Input)
        for typed, said in [
            ("out", "cannot write out: it is a directory"),
            ("nowhere/h.md", "no such directory"),
            ("   ", "Type a file name, like mlp-handout.md"),
            ("-", "Type a file name"),
        ]:
            name.value = typed
            await save(app, pilot, "enter")
            assert app.screen is dialog, typed
            assert said in shown(app, "#error"), (typed, shown(app, "#error"))
        name.value = "fine.md"
        await pilot.pause()
        assert not dialog.query_one("#error").has_class("-shown"), "typing clears the error"
        assert os.listdir(here) == ["out"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
async def test_an_unwritable_directory_is_said_in_the_dialog(here):
    locked = here / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    app = BackpropApp("mlp")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+s")
            app.screen.query_one("#name", Input).value = "locked/h.md"
            await save(app, pilot, "enter")
            assert isinstance(app.screen, SaveDialog)
            assert "permission denied" in shown(app, "#error")
    finally:
        locked.chmod(0o700)


async def test_an_existing_file_is_replaced_on_the_second_enter(here):
    (here / "mlp-handout.md").write_text("old", encoding="utf-8")
    app = BackpropApp("mlp")
    async with app.run_test(size=SIZE) as pilot:
        await save(app, pilot, "ctrl+s", "enter")
        assert isinstance(app.screen, SaveDialog)
        assert "mlp-handout.md exists: enter again replaces it" in shown(app, "#error")
        assert (here / "mlp-handout.md").read_text(encoding="utf-8") == "old"
        await save(app, pilot, "enter")
        assert app.screen is app.main
        assert (here / "mlp-handout.md").read_text(encoding="utf-8").startswith("# ")


async def test_the_palette_offers_both_commands():
    app = BackpropApp("chain")
    async with app.run_test(size=SIZE):
        names = [name for name, _, _ in LessonCommands(app.screen)._commands()]
    assert "Save handout…" in names and "Load network parameters…" in names


async def test_symmetry_saves_the_seed_and_start_its_page_has_now(here):
    app = BackpropApp("symmetry", SymmetryOptions(steps=20))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "c")  # a new seed for the random side; a constant start for the other
        config = app.screen.config
        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, SaveDialog)
        wanted = SymmetryOptions(steps=20, seed=1, init=config.init, const=config.const)
        assert config.seed == 1 and config.init == "constant" and dialog.options == wanted
        await save(app, pilot, "enter")
        text = (here / "symmetry-handout.md").read_text(encoding="utf-8")
        assert text == handout("symmetry", wanted, "markdown")


async def test_enter_right_after_a_choice_saves_under_the_name_for_it(here):
    app = BackpropApp("graph")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, SaveDialog)
        dialog.query_one("#sheet", Choice).action_choose(1)
        dialog.action_save()  # before the message that the choice changed is handled, as a quick enter can be
        await settle(app)  # the save's work; work a newer key cancelled is skipped
        await pilot.pause()
        assert sorted(os.listdir(here)) == ["graph-sheet.md"]


async def test_ctrl_s_inside_the_dialog_opens_no_second_one(tmp_path, monkeypatch):
    from backprop_tui.ui.app import BackpropApp
    from backprop_tui.ui.screens.save_dialog import SaveDialog

    monkeypatch.chdir(tmp_path)
    app = BackpropApp("mlp")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.action_save_handout()  # what ctrl+s does, wherever the focus is
        app.action_load_params()
        await pilot.pause()
        assert sum(isinstance(screen, SaveDialog) for screen in app.screen_stack) == 1
        assert isinstance(app.screen, SaveDialog)


async def test_the_dialog_opens_again_at_once_after_it_closed(tmp_path, monkeypatch):
    from backprop_tui.ui.app import BackpropApp
    from backprop_tui.ui.screens.save_dialog import SaveDialog

    monkeypatch.chdir(tmp_path)
    app = BackpropApp("mlp")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            app.action_save_handout()
            await pilot.pause()
            app.screen.dismiss()  # escape; the closed dialog is still being taken down
            app.action_save_handout()
            await pilot.pause()
            assert isinstance(app.screen, SaveDialog)
            app.screen.dismiss()
            await pilot.pause()
