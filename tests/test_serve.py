"""--serve as a user meets it: the page over HTTP, keys through its websocket, the next step coming back.

Also the command line's refusals (one line, exit 2), the command each browser's app is
started with, and deliver(): a download when served, a file in a terminal.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import select
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from backprop_tui import cli
from backprop_tui.serve import INSTALL, app_arguments, app_command

textual_serve = pytest.importorskip("textual_serve", reason="--serve needs textual-serve: pip install -e '.[serve]'")
aiohttp = pytest.importorskip("aiohttp", reason="textual-serve brings aiohttp; the test talks to the page with it")

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --- the command line ---


@pytest.mark.parametrize(
    "argv, said",
    [
        (["--port", "8001"], "--port and --host go with --serve"),
        (["--host", "0.0.0.0"], "--port and --host go with --serve"),
        (["--serve", "--port", "0"], "not a port number from 1 to 65535"),
        (["--serve", "--port", "http"], "not a port number"),
        (["--serve", "--export", "json"], "--serve runs the app in a browser"),
        (["--serve", "--screenshot", "s.svg"], "--serve runs the app in a browser"),
        (["--serve", "--press", "n"], "--press and --size go with --screenshot"),
        (["graph", "--serve", "--d", "3"], "lesson graph does not use --d"),
    ],
)
def test_serve_options_refused_on_one_line(argv, said, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert said in err and err.count("\n") == 1


def test_port_in_use_refused_on_one_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(["--serve", "--port", str(port)], capsys)
    assert code == 2 and out == ""
    assert err == f"backprop-tui: error: port {port} is in use on 127.0.0.1: choose another with --port\n"


def test_unknown_host_refused_on_one_line(capsys):
    code, _, err = run(["--serve", "--host", "no-such-host.invalid", "--port", str(free_port())], capsys)
    assert code == 2 and err.startswith("backprop-tui: error: cannot serve on host 'no-such-host.invalid'")
    assert err.count("\n") == 1


def test_without_textual_serve_says_what_to_install(capsys, monkeypatch):
    for name in ("textual_serve", "textual_serve.server"):  # import fails as if it were not installed
        monkeypatch.setitem(sys.modules, name, None)
    code, out, err = run(["--serve", "--port", str(free_port())], capsys)
    assert code == 2 and out == ""
    assert err == f"backprop-tui: error: --serve needs textual-serve: {INSTALL}\n"
    assert "pip install 'backprop-tui[serve]'" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--serve"],
        ["mlp", "--serve", "--d", "3", "--h", "5", "--init", "constant", "--const", "-0.25", "--theme", "projector"],
        ["mlp", "--serve", "--x", "-1,2.5", "--practice", "some"],
        ["graph", "--serve", "--at", "x=-1", "--at", "y=0.1"],
        ["expr", "--serve", "--expr", "x^2 * exp(-y); echo $HOME `id` 'quoted' \"too\"", "--at", "x=2"],
        ["symmetry", "--serve", "--lr", "1e-3", "--data", "and", "--activation", "tanh", "--steps", "10"],
        ["methods", "--serve", "--of", "graph", "--at", "x=1,y=2"],
        ["chain", "--serve", "--variant", "3", "--port", "8123", "--host", "0.0.0.0"],
    ],
)
def test_served_command_opens_the_same_lesson_and_options(argv):
    """The shell command textual-serve runs parses back to the same lesson, options, practice and theme."""
    args = cli.build_parser().parse_args(argv)
    command = shlex.split(app_command(args))
    assert command[:3] == [sys.executable, "-m", "backprop_tui"]
    again = cli.build_parser().parse_args(command[3:])
    assert not again.serve and again.port is None and again.host is None
    assert (again.lesson, again.practice, again.theme) == (args.lesson, args.practice, args.theme)
    assert cli.options_from(again) == cli.options_from(args)
    assert app_arguments(again) == app_arguments(args)


# --- the page, its websocket, a key pressed in the browser ---


def read_line(stream, timeout: float) -> str:
    """One line of the server's output, or fail after `timeout` seconds."""
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, f"the server said nothing in {timeout} s"
    return stream.readline().decode()


def gone(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


async def screen_until(ws, wanted: str, timeout: float = 10) -> str:
    """What the page has drawn, escapes removed, once it shows `wanted`."""
    received = b""
    deadline = time.monotonic() + timeout
    while wanted not in (text := ESCAPES.sub("", received.decode("utf-8", "replace"))):
        left = deadline - time.monotonic()
        assert left > 0, f"{wanted!r} never came back; got {text[-400:]!r}"
        message = await ws.receive(timeout=left)
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        if message.type == aiohttp.WSMsgType.BINARY:
            received += message.data
    return text


async def browse(ws_url: str, server: subprocess.Popen) -> tuple[str, str]:
    """What a browser does: connect, say its size, press n; then a second page is open when the server stops."""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{ws_url}?width=120&height=40") as ws:
            await ws.send_str(json.dumps(["resize", {"width": 120, "height": 40}]))
            before = await screen_until(ws, "step 0 of 11")
            await ws.send_str(json.dumps(["stdin", "n"]))
            after = await screen_until(ws, "step 1 of 11")
        async with session.ws_connect(f"{ws_url}?width=80&height=24") as ws:
            await screen_until(ws, "step 0 of 11")
            server.terminate()  # Ctrl+C or SIGTERM with a student still connected: the page is closed
            while (message := await ws.receive(timeout=10)).type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                pass
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED), message
    return before, after


@pytest.mark.slow
def test_a_browser_steps_through_the_served_app(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "backprop_tui", "mlp", "--serve", "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        start_new_session=True,  # the server and the apps it starts in a process group of their own
    )
    group = server.pid
    try:
        said = read_line(server.stdout, timeout=10)
        assert said == f"backprop-tui: serving lesson mlp at http://127.0.0.1:{port} (Ctrl+C stops)\n"
        url = re.search(r"http://\S+", said).group()

        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
            page = response.read().decode()
        assert "<div>backprop-tui</div>" in page  # the app's name on the page's start dialog
        ws_url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)
        assert ws_url == f"ws://127.0.0.1:{port}/ws"

        before, after = asyncio.run(browse(ws_url, server))
        assert "start · step 0 of 11" in before
        assert "forward pass · step 1 of 11 · v" in after  # the next step's own line, drawn by the served app
        assert "v = W⁽⁰⁾x + b⁽⁰⁾" in after

        assert server.wait(timeout=10) == 0
        deadline = time.monotonic() + 5
        while not gone(group) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone(group), "an app the server started outlived it"
        assert server.stderr.read().decode() == ""  # nor a traceback from an app's pipes closed too late
    finally:
        if not gone(group):
            os.killpg(group, signal.SIGKILL)
        server.wait(timeout=5)
        server.stdout.close()
        server.stderr.close()


# --- deliver: how the app hands over a file ---


async def test_deliver_in_a_terminal_writes_the_file_and_says_where(tmp_path, monkeypatch):
    from backprop_tui.ui.app import BackpropApp

    monkeypatch.chdir(tmp_path)
    app = BackpropApp()
    async with app.run_test():
        path = app.deliver("mlp.md", "# the handout\n")
        assert path == str(tmp_path / "mlp.md")
        assert (tmp_path / "mlp.md").read_text() == "# the handout\n"
        assert str(app._message) == f"Saved {tmp_path / 'mlp.md'}"


async def test_deliver_served_is_a_download(tmp_path, monkeypatch):
    from backprop_tui.ui.app import BackpropApp

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(BackpropApp, "is_web", property(lambda app: True))
    app = BackpropApp()
    delivered = []
    async with app.run_test():
        monkeypatch.setattr(
            app, "deliver_text", lambda file, **options: delivered.append((file.read(), options)) or "key"
        )
        assert app.deliver("handouts/mlp.tex", "\\documentclass{article}") is None
        assert str(app._message) == "Sent mlp.tex to the browser as a download"
    assert delivered == [("\\documentclass{article}", {"save_filename": "mlp.tex", "mime_type": None})]
    assert list(tmp_path.iterdir()) == []  # nothing written on the server's side
