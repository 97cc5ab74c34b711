"""The floor for start-up: a bare Textual app (a Static and a Footer) rendered to SVG the same way.

    python benchmarks/minimal_app.py OUT.svg [--numpy]

With --numpy it imports numpy first: the floor for any app that computes with it.
"""

from __future__ import annotations

import asyncio
import importlib
import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class MinimalApp(App):
    def compose(self) -> ComposeResult:
        yield Static("hello")
        yield Footer()


async def shoot(path: str) -> None:
    app = MinimalApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(svg)


if __name__ == "__main__":
    if "--numpy" in sys.argv[2:]:
        importlib.import_module("numpy")
    asyncio.run(shoot(sys.argv[1]))
