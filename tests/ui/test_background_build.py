"""A walkthrough that takes longer than a frame to build is built off the screen's thread.

While it builds, the lesson on screen stays and answers keys, and a line says what is computing;
a newer build replaces an older one, whose walk never shows.
"""

from __future__ import annotations

from textual.worker import WorkerCancelled, WorkerState

from backprop_tui.lessons import ExprOptions, MlpOptions
from backprop_tui.ui.app import BackpropApp, slow_to_build

BIG = MlpOptions(d=500, h=500)


async def built(app: BackpropApp, pilot) -> None:
    for worker in list(app.workers):
        if worker.group == "build":
            try:
                await worker.wait()
            except WorkerCancelled:  # replaced by a newer build
                pass
    await pilot.pause()


def notice(app: BackpropApp) -> str:
    return str(app.query_one("#notice").render())


def test_only_big_walkthroughs_count_as_slow():
    assert slow_to_build(BIG) and not slow_to_build(MlpOptions())
    assert slow_to_build(ExprOptions(expr="+".join(["x"] * 3_000))) and not slow_to_build(ExprOptions())


async def test_cycling_the_start_of_a_big_network_keeps_the_screen_answering():
    app = BackpropApp("mlp", BIG)
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.walk
        app.action_cycle_init()  # what i does; the build's result can land only once the loop runs again
        assert app.walk is before, "the old walk stays while the new one builds"
        assert "Computing mlp with d = 500, h = 500, init zero" in notice(app)
        assert [w.group for w in app.workers] == ["build"]
        await built(app, pilot)
        assert app.walk is not before and app.walk.settings["init"] == "zero" and app.cursor == 0
        assert app.options_of("mlp").init == "zero"


async def test_a_newer_build_wins_over_an_older_one():
    app = BackpropApp("mlp", BIG)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_cycle_init()
        app.action_cycle_init()  # zero, then constant: the zero build is cancelled
        await built(app, pilot)
        assert app.walk.settings["init"] == "constant"
        builds = [w for w in app.workers if w.group == "build"]
        assert all(w.state in (WorkerState.SUCCESS, WorkerState.CANCELLED) for w in builds)


async def test_a_long_function_is_parsed_and_built_in_the_background_and_a_bad_one_says_why():
    app = BackpropApp("expr")
    async with app.run_test(size=(120, 40)) as pilot:
        long = "+".join(f"sin({k}*x)" for k in range(1, 600))
        await pilot.press("e")
        app.query_one("#expr-input").value = long
        await pilot.press("enter")
        await built(app, pilot)
        assert app.walk.settings["expr"] == long and app.cursor == 0
        assert app.options_of("expr").expr == long
        await pilot.press("e")
        app.query_one("#expr-input").value = long + "+("
        await pilot.press("enter")
        await built(app, pilot)
        assert app.query_one("#expr-error").display, "the parse error shows in the bar, nothing is built"
        assert app.walk.settings["expr"] == long and app.options_of("expr").expr == long
