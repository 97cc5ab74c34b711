"""Headless rendering for --screenshot: press keys (or play a demo script), then export the screen as SVG."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.worker import WorkerCancelled, WorkerFailed

from ..lessons import Options, Walkthrough
from .app import BackpropApp
from .play import Player, Script


def render_svg(
    lesson: str,
    options: Options,
    keys: tuple[str, ...],
    size: tuple[int, int],
    walk: Walkthrough | None = None,
    practice: str = "watch",
    theme: str | None = None,
    script: Script | None = None,
) -> str:
    """The app's screen after pressing `keys`, as SVG; `practice` is the level it practises at, `theme` its colours.

    With a `script` (--play) the script is played instead, without its pauses.
    """

    async def run() -> str:
        app = BackpropApp(lesson, options, walk, practice=practice)
        if theme is not None:
            app.theme = theme
        async with app.run_test(size=size) as pilot:
            if script is not None:
                try:
                    await Player(app, script, timed=False).start().wait()
                except WorkerCancelled:  # the script quit the app: its screen as it was left
                    pass
            for key in keys:
                await pilot.press(key)
            await settle(app)
            await pilot.pause()
            return app.export_screenshot()

    return asyncio.run(run())


async def settle(app: App) -> None:
    """Wait for the work the keys started (a page's computing…) to land, newest first; cancelled work is skipped."""
    while busy := [worker for worker in app.workers if not worker.is_finished]:
        for worker in reversed(busy):
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
