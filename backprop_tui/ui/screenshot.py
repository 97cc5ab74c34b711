"""Headless rendering for --screenshot: press keys, then export the screen as SVG."""

from __future__ import annotations

import asyncio

from ..lessons import Options, Walkthrough
from .app import BackpropApp


def render_svg(
    lesson: str, options: Options, keys: tuple[str, ...], size: tuple[int, int], walk: Walkthrough | None = None
) -> str:
    async def run() -> str:
        app = BackpropApp(lesson, options, walk)
        async with app.run_test(size=size) as pilot:
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            return app.export_screenshot()

    return asyncio.run(run())
