"""The methods lesson on screen: keys change ε, d, h and the function at once, and every panel follows.

The numbers are computed in a worker thread; each test waits for it (settle) before reading them.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from backprop_tui.lessons import MethodsOptions
from backprop_tui.lessons import methods as lesson
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.chain import ChainScreen
from backprop_tui.ui.screens.methods import MethodsScreen, SweepPlot

SIZE = (120, 40)


pytestmark = pytest.mark.usefixtures("steady_clock", "steady_sweep")


async def settle(pilot: Pilot) -> None:
    """Wait for the computations in workers to finish (those called off by newer keys too) and the result drawn."""
    for worker in list(pilot.app.workers):
        with contextlib.suppress(WorkerCancelled):  # workers.wait_for_complete() raises on these
            await worker.wait()
    await pilot.pause()


class Gate:
    """lesson.compute held at a gate: each call waits until the test opens it, so "computing…" can be seen."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.open = threading.Event()
        self.calls: list[tuple[int, int]] = []
        real = lesson.compute

        def compute(s, epsilon=lesson.EPSILON, cancelled=lesson.never):
            self.calls.append((s.d, s.h))
            self.open.wait(timeout=10)
            return real(s, epsilon, cancelled)

        monkeypatch.setattr(lesson, "compute", compute)


async def test_opens_with_every_panel(text):
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MethodsScreen)
        title = text(app, "#page-title")
        assert "§3.3" in title and "n = 17" in title and "computing" not in title
        summary = text(app, "#summary")
        for words in ("18 evaluations", "34 evaluations", "17 passes", "1 pass", "formulas", "100 µs"):
            assert words in summary
        grads = text(app, "#gradients")
        assert "W⁽⁰⁾[0,0]" in grads and "b⁽¹⁾" in grads
        assert "(4×4)·(4×8) → 4×8" in text(app, "#association")
        assert "1024" in text(app, "#association")
        assert "v (4), z (4), y (1)" in text(app, "#memory")
        plot = str(app.screen.query_one(SweepPlot).render())
        assert "◆" in plot and "10⁻¹⁵" in plot
        assert any("\u2800" < ch <= "\u28ff" for ch in plot), "the curves are drawn in braille"


async def test_keys_change_epsilon_d_h_and_function(text):
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("e")
        await settle(pilot)
        assert screen.result.epsilon == pytest.approx(1e-5)
        assert "ε = 10⁻⁵" in text(app, "#page-title")
        await pilot.press("E", "E")
        await settle(pilot)
        assert screen.result.epsilon == pytest.approx(1e-7)
        await pilot.press("h")
        await settle(pilot)
        assert screen.options.h == 8 and screen.result.n == 8 * 2 + 2 * 8 + 1
        assert "n = 33" in text(app, "#page-title")
        assert "(8×8)·(8×16) → 8×16" in text(app, "#association")
        await pilot.press("d")
        await settle(pilot)
        assert screen.options.d == 3 and screen.result.n == 8 * 3 + 17
        await pilot.press("H", "D")
        await settle(pilot)
        assert (screen.options.d, screen.options.h, screen.result.n) == (2, 4, 17)
        await pilot.press("o")
        await settle(pilot)
        assert screen.result.of == "graph" and screen.result.n == 2
        assert "∇p of §4" in text(app, "#page-title")
        assert "3 evaluations" in text(app, "#summary")
        await pilot.press("o")
        await settle(pilot)
        assert screen.result.of == "mlp"


async def test_limits_are_explained_not_crashed(notifications):
    app = BackpropApp("methods", MethodsOptions(d=1, h=1))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        messages = notifications(app)
        await pilot.press("D")
        assert screen.options.d == 1
        await pilot.press("H")
        assert screen.options.h == 1
        screen.action_epsilon(1)  # 10⁻⁵
        for _ in range(6):
            screen.action_epsilon(1)
        await settle(pilot)
        assert screen.result.epsilon == pytest.approx(1e-1)
        await pilot.press("n")  # the app's step key: this page has no steps
        assert any("1 to" in m for m in messages)
        assert any("10⁻¹" in m for m in messages)
        assert any("not a walkthrough" in m for m in messages)


async def test_footer_shows_the_lesson_keys():
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = {key for key, b in app.screen.active_bindings.items() if b.binding.show}
        assert {"e", "E", "d", "D", "h", "H", "o"} <= shown
        assert not {"n", "p", "f"} & shown


async def test_number_keys_switch_lessons():
    app = BackpropApp("mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        assert isinstance(app.screen, MethodsScreen)
        await pilot.press("5")
        assert isinstance(app.screen, ChainScreen)
        await pilot.press("1")
        assert not isinstance(app.screen, (MethodsScreen, ChainScreen))
        assert app.walk.lesson == "mlp"


async def test_a_key_shows_its_options_at_once_and_marks_the_old_numbers(text, monkeypatch):
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MethodsScreen)
        gate = Gate(monkeypatch)
        await pilot.press("h")
        title = text(app, "#page-title")
        assert "h = 8" in title and "n = 33" in title and "computing…" in title
        assert screen.result.n == 17, "the old numbers stay until the new ones land"
        assert "17 passes" in text(app, "#summary")
        assert screen.query_one("#summary").styles.text_opacity < 1
        assert screen.query_one("#summary").border_subtitle.startswith("computing…")
        gate.open.set()
        await settle(pilot)
        assert screen.result.n == 33 and screen.query_one("#summary").styles.text_opacity == 1
        assert "computing" not in text(app, "#page-title")
        assert "33 passes" in text(app, "#summary")
        assert not screen.query_one("#summary").border_subtitle


async def test_only_the_newest_keys_result_lands(monkeypatch):
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MethodsScreen)
        landed = []
        monkeypatch.setattr(MethodsScreen, "watch_result", lambda self: landed.append(self.result.n))
        gate = Gate(monkeypatch)
        await pilot.press("h", "h", "d")  # h = 8, then h = 16, then d = 3, before anything is computed
        assert (screen.options.d, screen.options.h) == (3, 16)
        gate.open.set()
        await settle(pilot)
        assert landed == [16 * 3 + 2 * 16 + 1], "results of keys overtaken by newer ones are dropped"
        assert gate.calls[-1] == (3, 16)


async def test_the_first_numbers_are_computed_off_the_ui_thread(text, monkeypatch):
    gate = Gate(monkeypatch)
    app = BackpropApp("methods", MethodsOptions(d=8, h=32))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MethodsScreen) and screen.result is None
        assert "computing…" in text(app, "#page-title") and "computing…" in text(app, "#summary")
        gate.open.set()
        await settle(pilot)
        assert screen.result is not None and screen.result.n == 321
        assert "322 evaluations" in text(app, "#summary")


async def test_the_panels_explain_errors_costs_memory_and_times(text):
    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        summary = " ".join(text(app, "#summary").split())
        # rel. is no longer max |Δ| again: the forward quotient's largest relative error is ~1e−6, its error ~1e−7
        row = next(line for line in text(app, "#summary").splitlines() if line.startswith("forward difference"))
        assert "~1e−7" in row and "~1e−6" in row
        assert "max |Δᵢ|/|gᵢ|" in summary and "W⁽⁰⁾[2,1]" in summary
        assert "68 multiply-adds instead of 24" in summary  # §3.3(b): shared terms made again per partial
        assert "slip in the algebra" in summary
        assert "Python's cost of each call" in summary and "not arithmetic" in summary
        memory = " ".join(text(app, "#memory").split())
        assert "at most 16 floats" in memory and "9 floats" in memory
        assert "from 2 layers on reverse mode keeps more" in memory
        assert "tangent beside every value" in memory


async def test_a_result_that_arrives_after_a_newer_key_is_dropped(monkeypatch):
    """A computation can finish just as a key starts the next: its success, handled late, must not land."""
    from textual.worker import Worker, WorkerState

    app = BackpropApp("methods")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MethodsScreen)
        finished = screen.worker
        assert finished is not None and finished.state == WorkerState.SUCCESS
        gate = Gate(monkeypatch)
        await pilot.press("h")
        before = screen.result
        screen.post_message(Worker.StateChanged(finished, WorkerState.SUCCESS))
        await pilot.pause()
        assert screen.result is before and screen.query_one("#summary").styles.text_opacity < 1
        gate.open.set()
        await settle(pilot)
        assert screen.result is not None and screen.result.n == 33


async def test_memory_speaks_of_the_network_when_p_is_shown(text):
    app = BackpropApp("methods", MethodsOptions(of="graph"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        memory = " ".join(text(app, "#memory").split())
        assert "In the network (d = 2, h = 4)" in memory
        assert "17 for this network" in memory, "the network's passes, not p's two"
        summary = " ".join(text(app, "#summary").split())
        assert "18 multiply-adds instead of 12" in summary and "exp(−y)" in summary
