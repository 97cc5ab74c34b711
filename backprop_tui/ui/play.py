"""--play: a demo script of keys and pauses, read whole before the app starts, then played into the real app.

A script is a text file, one item a line:

    n            a key, by any name --press takes: n, enter, ctrl+r, question_mark, 2, P
    n 5          the key five times
    wait 2       a pause, in seconds (decimals are fine)
    pace 0.3     the pause before each key from here on (PACE until a script says otherwise)
    type x^2     the text after "type ", one key per character, at a typist's speed
    # a note     a comment, as is the rest of any line from a space and #; blank lines are skipped

The keys go through the app as the person's would. The person's own first key
stops the demo and does nothing else: from then on the keys are theirs. With
--screenshot the script plays headless without its pauses and the final screen
is written, which is how a script is checked.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from textual import events
from textual.keys import REPLACED_KEYS, Keys, _character_to_key, _get_unicode_name_from_key, key_to_character
from textual.pilot import Pilot
from textual.worker import Worker, WorkerCancelled, WorkerFailed, get_current_worker

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel


class Stage(Protocol):
    """What a demo plays into, as the player sees it: the app (BackpropApp), which it never imports."""

    player: Player | None

    def say(self, message: str, severity: SeverityLevel = "information") -> None: ...

PACE = 0.6  # seconds before each key unless the script says `pace`
TYPE_PACE = 0.1  # seconds between the characters of a `type` line (the pace, if that is shorter)
MAX_WAIT = 3600.0
MAX_PACE = 60.0
MAX_REPEAT = 1000
MAX_BYTES = 1_000_000
STOPPED = "demo stopped: your keys"
DONE = "demo done: your keys"
KEY_NAMES = frozenset(k.value for k in Keys)


class ScriptError(Exception):
    """A script that cannot be played: one line naming the file (and line) and the problem."""


def is_key_name(key: str) -> bool:
    """A key --press and --play can press: one character, or a key name Textual knows (enter, ctrl+r, question_mark)."""
    return len(key) == 1 or key in KEY_NAMES or key_to_character(key) is not None


@dataclass(frozen=True)
class Press:
    """One key of a script, with the pause before it and the line it came from."""

    key: str
    pause: float
    line: int


@dataclass(frozen=True)
class Script:
    """A parsed script: its keys in order, and the pause after the last one."""

    path: str
    presses: tuple[Press, ...]
    tail: float = 0.0


def _seconds(word: str, args: list[str], limit: float) -> float:
    """The one number after wait or pace, from 0 to limit."""
    example = "wait 2" if word == "wait" else "pace 0.3"
    if len(args) != 1:
        raise ValueError(f"{word} takes one number of seconds, like {example}")
    try:
        value = float(args[0])
    except ValueError:
        raise ValueError(f"{word} {args[0]!r}: not a number of seconds, like {example}") from None
    if not math.isfinite(value) or not 0 <= value <= limit:
        raise ValueError(f"{word} {args[0]}: seconds must be from 0 to {limit:g}")
    return value


def _key(args: list[str]) -> tuple[str, int]:
    """A key line: the key name and how many times to press it."""
    key, *rest = args
    if not is_key_name(key):
        hint = f" (key names are lower case: {key.lower()})" if is_key_name(key.lower()) else ""
        raise ValueError(
            f"{key!r} is not a key name{hint}; a line is a key (n, enter, ctrl+r, question_mark), "
            "wait SECONDS, pace SECONDS or type TEXT"
        )
    if not rest:
        return key, 1
    if len(rest) > 1 or not rest[0].isdigit() or not 1 <= int(rest[0]) <= MAX_REPEAT:
        raise ValueError(
            f"{' '.join(args)!r}: one key a line, with a count from 1 to {MAX_REPEAT} if it repeats, like n 5"
        )
    return key, int(rest[0])


def _typed(text: str) -> list[str]:
    """The characters of a type line, each one key."""
    if not text.strip():
        raise ValueError("type needs the text to type after it, like type x^2")
    for c in text:
        if c == "\t":
            raise ValueError("type: a tab is a key, not text: press tab on a line of its own")
        if not c.isprintable():
            raise ValueError(f"type: {unicodedata.name(c, repr(c))} cannot be typed")
    return list(text)


def parse(text: str, path: str) -> Script:
    """Read a whole script; ScriptError names path:line and the problem of the first bad line."""
    presses: list[Press] = []
    pace, pause = PACE, 0.0  # pause: what the script waits before its next key, beyond the pace
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        line = raw.rstrip("\r\n").rstrip()
        stripped = line.lstrip()
        try:
            if not stripped or stripped.startswith("#"):
                continue
            stripped = re.split(r"\s+#", stripped, maxsplit=1)[0]  # a note after the item
            word, _, rest = stripped.partition(" ")
            if word == "type":
                gap = min(TYPE_PACE, pace)
                for i, c in enumerate(_typed(rest)):
                    presses.append(Press(c, pause + (pace if i == 0 else gap), number))
                    pause = 0.0
                continue
            args = stripped.split()
            if args[0] == "wait":
                pause += _seconds("wait", args[1:], MAX_WAIT)
            elif args[0] == "pace":
                pace = _seconds("pace", args[1:], MAX_PACE)
            else:
                key, count = _key(args)
                for _ in range(count):
                    presses.append(Press(key, pause + pace, number))
                    pause = 0.0
        except ValueError as error:
            raise ScriptError(f"{path}:{number}: {error}") from None
    if not presses:
        raise ScriptError(f"{path}: no keys to play (one a line, like n; see backprop-tui --help)")
    return Script(path, tuple(presses), pause)


def load(path: str) -> Script:
    """Read and parse a script file; a file that cannot be read is refused in one line, never waited on."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise ScriptError(f"cannot read {path}: it is a directory, not a script")
        if not stat.S_ISREG(mode):  # a FIFO would wait for a writer; a device never ends
            raise ScriptError(f"cannot read {path}: not a regular file (a script is a text file)")
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise ScriptError(f"cannot read {path}: {(error.strerror or str(error)).lower()}") from None
    if len(data) > MAX_BYTES:
        raise ScriptError(f"cannot read {path}: larger than {MAX_BYTES // 1_000_000} MB, too long for a script")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ScriptError(f"{path}:{line}: not UTF-8 text") from None
    return parse(text, path)


def key_event(key: str) -> events.Key:
    """The event a terminal sends for this key (as Textual's pilot makes it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


class Player:
    """Plays a script into a running app; the person's first key stops it and hands the app back."""

    def __init__(self, app: App[None], script: Script, timed: bool = True):
        self.app, self.script, self.timed = app, script, timed
        self.stage = cast(Stage, app)
        self.playing = False
        self.pressed = 0  # keys of the script sent so far
        self.worker: Worker[None] | None = None
        self._sent: set[int] = set()  # the events this player posted and the app has not seen yet

    def start(self) -> Worker[None]:
        """Play from the start, in a worker that ends with the app."""
        self.stage.player = self
        self.playing = True
        self.worker = self.app.run_worker(self._play(), name="play", group="play", exclusive=True)
        return self.worker

    async def autopilot(self, pilot: Pilot) -> None:
        """App.run's auto_pilot: starts the demo once the app is ready, and returns."""
        self.start()

    def takes(self, event: events.Key) -> bool:
        """Whether a key the app receives is the person's while the demo plays: it stops the demo and ends there."""
        if id(event) in self._sent:
            self._sent.discard(id(event))
            return False
        if not self.playing:
            return False
        self.stop()
        return True

    def stop(self) -> None:
        """Hand the app back to the person."""
        self.playing = False
        if self.worker is not None:
            self.worker.cancel()
        self.stage.say(STOPPED)

    def _send(self, key: str) -> None:
        event = key_event(key)
        self._sent.add(id(event))
        self.app.post_message(event)

    async def _play(self) -> None:
        pilot = Pilot(self.app)
        for press in self.script.presses:
            if self.timed and press.pause:
                await asyncio.sleep(press.pause)
            self._send(press.key)
            self.pressed += 1
            await pilot.pause()
            await self._settle()
        if self.timed and self.script.tail:
            await asyncio.sleep(self.script.tail)
        self.playing = False
        if self.timed:
            self.stage.say(DONE)

    async def _settle(self) -> None:
        """Wait for the work a key started (a page's computing) before the next key."""
        me = get_current_worker()
        while busy := [w for w in self.app.workers if not w.is_finished and w is not me]:
            for worker in busy:
                try:
                    await worker.wait()
                except (WorkerCancelled, WorkerFailed):
                    pass
