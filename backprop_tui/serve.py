"""--serve: the app in a browser through textual-serve, each browser tab running its own app.

textual-serve starts the app as a shell command for every page that connects and
relays its screen and keys over a websocket; the command is this interpreter
running backprop_tui with the same lesson, options, practice level and theme.
"""

from __future__ import annotations

import argparse
import errno
import os
import shlex
import socket
import sys
from dataclasses import fields
from typing import Any

from .lessons import LESSONS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
INSTALL = "pip install 'backprop-tui[serve]'"
WILDCARDS = ("0.0.0.0", "::", "")  # every address of the machine


class ServeError(Exception):
    """The app cannot be served; the message says why on one line."""


def port_number(text: str) -> int:
    """A TCP port, 1…65535."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 1 to 65535")
    return int(text)


def _text(value: Any) -> str:
    """A parsed option's value written back as the command line reads it (floats exactly, by repr)."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):
        return ",".join(f"{v[0]}={v[1]!r}" if isinstance(v, tuple) else _text(v) for v in value)
    return str(value)


def app_arguments(args: argparse.Namespace) -> list[str]:
    """The arguments that open the app as `args` asks: the lesson, the options given, practice and theme."""
    arguments = [args.lesson]
    for f in fields(LESSONS[args.lesson].options):
        value = getattr(args, f.name, None)
        if value is None:
            continue
        if f.metadata["kind"] == "file":  # the served app may start elsewhere: the file by its full path
            value = os.path.abspath(value)
        for part in value if f.name == "at" else [value]:  # --at may be given more than once
            arguments.append(f"--{f.name}={_text(part)}")  # with =, a value starting with - is not an option
    if args.practice is not None:
        arguments.append(f"--practice={args.practice}")
    if getattr(args, "theme", None) is not None:
        arguments.append(f"--theme={args.theme}")
    return arguments


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser: every argument quoted."""
    return shlex.join([sys.executable, "-m", "backprop_tui", *app_arguments(args)])


def url(host: str, port: int) -> str:
    """Where a browser finds the app."""
    if host in WILDCARDS:
        host = socket.gethostname()
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on the address, or ServeError saying why not (the port in use, an unknown host)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        raise ServeError(f"cannot serve on host {host!r}: {error.strerror}") from None
    listening = socket.socket(family, kind, proto)
    try:
        if os.name == "posix":  # a port just freed (in TIME_WAIT) can be had again; one in use cannot
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
        listening.listen(128)
    except OSError as error:
        listening.close()
        if error.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} is in use on {host}: choose another with --port") from None
        raise ServeError(f"cannot serve on {host} port {port}: {(error.strerror or str(error)).lower()}") from None
    return listening


def serve(args: argparse.Namespace) -> int:
    """Serve the app until Ctrl+C (or SIGTERM); one line says where."""
    import asyncio
    import logging
    import signal

    try:
        from textual_serve import server as textual_server
    except ImportError:
        raise ServeError(f"--serve needs textual-serve: {INSTALL}") from None
    from aiohttp import web

    host = DEFAULT_HOST if args.host is None else args.host
    port = DEFAULT_PORT if args.port is None else args.port
    listening = listen(host, port)  # before the server starts: the line that gives the address is true when read
    where = url(host, port)

    class AppService(textual_server.AppService):
        """One page's app; stopped, it is also waited for, so its pipes close while the server still runs."""

        async def stop(self) -> None:
            await super().stop()
            process = self._process
            if process is not None:
                await asyncio.shield(reap(process))  # whole even when the server stops during it

    async def reap(process: asyncio.subprocess.Process) -> None:
        """Wait for the app to end and read its pipes to their ends, so each closes now, with the loop running."""
        try:
            await asyncio.wait_for(process.communicate(), 5)
        except asyncio.TimeoutError:  # it did not take the quit
            process.kill()
            await process.communicate()

    textual_server.AppService = AppService  # type: ignore[misc]  # the server starts each page's app by this name

    class AppServer(textual_server.Server):
        """textual-serve's server, saying one line, and stopping the apps of open pages when it stops."""

        def __init__(self) -> None:
            super().__init__(app_command(args), host=host, port=port, title="backprop-tui")
            self.pages: set[asyncio.Task[Any]] = set()

        def serve(self, debug: bool = False) -> None:
            """As textual-serve's own, on the socket already listening."""
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self.request_exit)
            web.run_app(self._make_app(), sock=listening, handle_signals=False, loop=loop, print=None)

        def initialize_logging(self) -> None:
            super().initialize_logging()
            logging.getLogger().setLevel(logging.WARNING)  # problems only, not every request

        async def on_startup(self, app: web.Application) -> None:
            print(f"backprop-tui: serving lesson {args.lesson} at {where} (Ctrl+C stops)", flush=True)

        async def on_shutdown(self, app: web.Application) -> None:
            for page in self.pages:  # each page's handler then tells its app to quit and waits for it
                page.cancel()
            await asyncio.gather(*self.pages, return_exceptions=True)

        async def handle_index(self, request: web.Request) -> Any:
            # The page's websocket address from the address the browser used (right for --host 0.0.0.0 too).
            # The page is made without waiting in between, so no other request sees this address.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            page = asyncio.current_task()
            assert page is not None
            self.pages.add(page)
            try:
                return await super().handle_websocket(request)
            finally:
                self.pages.discard(page)

    with listening:
        AppServer().serve()
    return 0
