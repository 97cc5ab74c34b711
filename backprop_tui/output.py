"""Where the command's text goes: standard output or a file, always as UTF-8.

The rule for a named target:
- a regular file or a new path is written beside itself, then renamed over the
  target, so a failure never leaves half a file and a finished file appears at
  once; an existing file keeps its mode (a private 0600 file stays private);
- a symbolic link is followed, and its target is written by that rule;
- anything else (a FIFO, a device such as /dev/null) is written in place: it is
  not a file to replace. A FIFO no process reads from is refused, not waited on.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Content = str | Callable[[TextIO], None]
STDOUT = "-"


class TargetError(Exception):
    """A target that cannot be written; the message names it and says why, on one line."""


def check_target(path: str) -> None:
    """Refuse, before any work, a target that cannot be written."""
    if path == STDOUT:
        if sys.stdout is None:
            raise TargetError("cannot write to standard output: it is closed")
        return
    if not path:
        raise TargetError("the output file name is empty (use - for standard output)")
    real = os.path.realpath(path)
    if os.path.isdir(real):
        raise TargetError(f"cannot write {path}: it is a directory")
    if os.path.exists(real) and not os.path.isfile(real):
        if not os.access(real, os.W_OK):
            raise TargetError(f"cannot write {path}: permission denied")
        return
    directory = os.path.dirname(real)
    if not os.path.isdir(directory):
        raise TargetError(f"cannot write {path}: no such directory {directory}")
    if not os.access(directory, os.W_OK) or (os.path.exists(real) and not os.access(real, os.W_OK)):
        raise TargetError(f"cannot write {path}: permission denied")


def write(path: str, content: Content) -> None:
    """Write text, or what a writer function writes, to path (- for standard output)."""
    try:
        if path == STDOUT:
            _write_stdout(content)
            return
        real = os.path.realpath(path)
        if os.path.exists(real) and not os.path.isfile(real):
            _write_in_place(real, content)
        else:
            _write_atomic(real, content)
    except BrokenPipeError:  # the reader has all it wanted (| head): not an error to report
        raise
    except OSError as error:
        name = "standard output" if path == STDOUT else path
        raise TargetError(f"cannot write {name}: {_reason(error)}") from None


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower() if error.errno != errno.ENXIO else "no process is reading it"


def _emit(content: Content, handle: TextIO) -> None:
    if callable(content):
        content(handle)
    else:
        handle.write(content)


def as_utf8(stream: TextIO | None) -> None:
    """Write UTF-8 to this stream whatever the locale says (PYTHONIOENCODING=ascii, LC_ALL=C)."""
    if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() not in ("utf-8", "utf8"):
        stream.reconfigure(encoding="utf-8")


def utf8_stdout() -> TextIO:
    """Standard output, as UTF-8."""
    if sys.stdout is None:
        raise TargetError("cannot write to standard output: it is closed")
    as_utf8(sys.stdout)
    return sys.stdout


def _write_stdout(content: Content) -> None:
    out = utf8_stdout()
    try:
        _emit(content, out)
        out.flush()
    except OSError:
        _silence_stdout()  # nothing more may reach it, not even at exit
        raise


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _write_in_place(path: str, content: Content) -> None:
    # O_NONBLOCK lets opening a FIFO fail at once (ENXIO) when nobody reads it, instead of hanging.
    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        _emit(content, handle)


def _write_atomic(path: str, content: Content) -> None:
    directory = os.path.dirname(path)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".backprop-tui-", suffix=".tmp")
    try:
        with _cleanup_on_signals():
            os.chmod(tmp, mode)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                _emit(content, handle)
                handle.flush()
                os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _sync_directory(directory)


def _mode_for(path: str) -> int:
    """An existing file's own mode; for a new one what a plain open() would give."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived while a file was being written."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception, so the temporary file is removed on the way out."""

    def stop(signum, frame):
        raise Stopped(signum)

    watched = (signal.SIGTERM, signal.SIGHUP)
    try:
        previous = {s: signal.signal(s, stop) for s in watched}
    except ValueError:  # not the main thread: signals cannot be caught here
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
