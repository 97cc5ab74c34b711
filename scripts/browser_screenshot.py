"""The README's picture of the app in a browser: --serve, then headless Chromium presses keys in the page.

    python scripts/browser_screenshot.py [OUT.png]

Needs backprop-tui[serve] and Chromium (Debian: apt-get install chromium). The page is
driven through Chromium's DevTools protocol with aiohttp, which textual-serve brings.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
APP = ["mlp", "--theme", "projector"]
KEYS = "nnnnnnnn"  # to step 8 of 11, the backward step ∂y/∂v
WIDTH, HEIGHT = 1280, 840


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def shoot(debugger: int, page_url: str) -> bytes:
    """Open the page, press the keys in its terminal, and take the picture."""
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{debugger}/json") as response:
                tab = next(t for t in json.load(response) if t["type"] == "page")
            break
        except (OSError, StopIteration):
            time.sleep(0.1)
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(tab["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            calls = 0

            async def call(method: str, **params) -> dict:
                nonlocal calls
                calls += 1
                await ws.send_json({"id": calls, "method": method, "params": params})
                while True:
                    message = json.loads((await ws.receive()).data)
                    if message.get("id") == calls:
                        return message.get("result", {})

            size = {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False}
            await call("Emulation.setDeviceMetricsOverride", **size)
            await call("Page.navigate", url=page_url)
            await asyncio.sleep(4)  # the page connects and the app draws
            await call("Runtime.evaluate", expression="document.querySelector('.xterm-helper-textarea').focus()")
            for key in KEYS:
                code = ord(key.upper())
                event = {"key": key, "code": f"Key{key.upper()}", "windowsVirtualKeyCode": code}
                await call("Input.dispatchKeyEvent", type="keyDown", text=key, **event)
                await call("Input.dispatchKeyEvent", type="keyUp", **event)
                await asyncio.sleep(0.2)
            await asyncio.sleep(1.5)
            return base64.b64decode((await call("Page.captureScreenshot", format="png"))["data"])


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots" / "browser-projector.png"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        print("browser_screenshot: no Chromium on PATH (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    port, debugger = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "backprop_tui", *APP, "--serve", "--port", str(port)],
        stdout=subprocess.PIPE, start_new_session=True,
    )
    profile = tempfile.mkdtemp()
    browser = subprocess.Popen(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", f"--remote-debugging-port={debugger}", f"--window-size={WIDTH},{HEIGHT}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        assert server.stdout is not None
        said = server.stdout.readline().decode()
        print(said.strip())
        out.write_bytes(asyncio.run(shoot(debugger, f"http://127.0.0.1:{port}/")))
        print(f"wrote {out}")
    finally:
        for process in (browser, server):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
