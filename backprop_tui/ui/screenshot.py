"""Headless rendering for --screenshot: press keys, then export the screen as SVG."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.worker import WorkerCancelled, WorkerFailed

from ..lessons import Options, Walkthrough
from .app import BackpropApp


def render_svg(
    lesson: str,
    options: Options,
    keys: tuple[str, ...],
    size: tuple[int, int],
    walk: Walkthrough | None = None,
    practice: str = "watch",
    theme: str | None = None,
) -> str:
    """The app's screen after pressing `keys`, as SVG; `practice` is the level it practises at, `theme` its colours."""

    async def run() -> str:
        app = BackpropApp(lesson, options, walk, practice=practice)
        if theme is not None:
            app.theme = theme
        async with app.run_test(size=size) as pilot:
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
