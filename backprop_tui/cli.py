"""Command line: open the app, export a walkthrough, or render a screenshot."""

from __future__ import annotations

import argparse
import csv
import gc
import math
import os
import re
import signal
import sys
from collections.abc import Callable
from dataclasses import fields
from typing import TextIO

from .lessons import DEFAULT_LESSON, LESSONS, LessonError, Options, PageLesson, Walkthrough, WalkthroughLesson
from .output import STDOUT, Stopped, TargetError, as_utf8, check_target, write
from .serve import ServeError, port_number

MIN_SIZE = (40, 12)
PRACTICE_LEVELS = ("watch", "some", "all")  # as practice.session.LEVELS, without importing the judge here
NOTHING_TO_PRACTISE = ("methods",)
MAX_SIZE = (1000, 500)

EPILOG = f"""\
lessons:
{chr(10).join(f"  {lesson.key}  {lesson.name:<9}{lesson.summary}" for lesson in LESSONS.values())}

examples:
  backprop-tui                         the network, stepping with n / p
  backprop-tui mlp --init zero         §3.2: every hidden unit stays identical
  backprop-tui graph --at x=1,y=2      p(x, y) and its intermediates
  backprop-tui expr --expr "x^2*y"     a function you type, one node per operation
  backprop-tui --export json -o w.json the whole walkthrough for scripts
  backprop-tui chain --export latex    a handout, the key; with --blank, the exercise sheet
  backprop-tui graph --check a.json    judge a student's answers, verdicts as JSON
  backprop-tui graph --practice        every step asks before it shows (watch, some, all)
  backprop-tui --screenshot s.svg --press n,n,n --size 120x40
  backprop-tui --play demos/mlp-section.play  a demo that runs itself; any key takes over
  backprop-tui --serve                 the app in a browser, at http://127.0.0.1:8000
  backprop-tui --theme projector       high contrast, colour-blind safe, for a classroom projector
"""


class UsageError(Exception):
    """Bad command-line input; reported on one line with exit status 2."""


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # argparse takes only -1 and -.5 for values; let -1,2 and -1e-3 follow an option with a space too
        self._negative_number_matcher = re.compile(r"^-\.?\d")

    def error(self, message: str):  # one line instead of usage + message
        raise UsageError(message)


def finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def number_list(text: str) -> tuple[float, ...]:
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers, like 1,2")
    return tuple(finite_float(p) for p in parts)


def assignments(text: str) -> tuple[tuple[str, float], ...]:
    pairs = []
    for part in text.split(","):
        name, eq, value = part.partition("=")
        if not eq or not name.strip():
            raise argparse.ArgumentTypeError(f"{part!r} is not name=value (like x=1,y=2)")
        pairs.append((name.strip(), finite_float(value.strip())))
    return tuple(pairs)


def point(parts: list[tuple[tuple[str, float], ...]]) -> tuple[tuple[str, float], ...]:
    """Every --at together; a name given twice is refused, in one option or across several."""
    pairs = tuple(pair for part in parts for pair in part)
    names = [name for name, _ in pairs]
    for name in names:
        if names.count(name) > 1:
            raise UsageError(f"--at gives {name} twice")
    return pairs


def size(text: str) -> tuple[int, int]:
    w, x, h = text.lower().partition("x")
    if not x or not w.isdigit() or not h.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, like 120x40")
    width, height = int(w), int(h)
    if not (MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]):
        raise argparse.ArgumentTypeError(f"{text} is outside {MIN_SIZE[0]}x{MIN_SIZE[1]} … {MAX_SIZE[0]}x{MAX_SIZE[1]}")
    return width, height


TYPED = "text:"  # in --press, text:5.955 types 5.955, one key per character


def key_list(text: str) -> tuple[str, ...]:
    """Key names separated by commas; text:ABC types A, B, C (in "double quotes" it may hold commas)."""
    from .ui.play import is_key_name

    try:  # read as CSV only with a quote in it: anything else splits at every comma, as it always did
        items = next(csv.reader([text], skipinitialspace=True, strict=True)) if '"' in text else text.split(",")
    except csv.Error as error:
        raise argparse.ArgumentTypeError(
            f'{text!r}: {error}; text with commas goes in double quotes, like n,"text:0.5, 0.5",enter'
        ) from None
    keys: list[str] = []
    typed = False  # the item before was text:
    for item in items:
        after_text, typed = typed, item.startswith(TYPED)
        if typed:
            if not item[len(TYPED) :]:
                raise argparse.ArgumentTypeError("text: needs the text to type after it, like text:5.955")
            keys.extend(item[len(TYPED) :])  # one key per character: pilot presses a character as its key
            continue
        key = item.strip()
        if not key:
            continue
        if not is_key_name(key):
            if after_text:
                raise argparse.ArgumentTypeError(
                    f"{key!r} is not a key name; a comma ends text:, so text with commas goes in double quotes, "
                    'like n,"text:0.5, 0.5",enter'
                )
            raise argparse.ArgumentTypeError(
                f"{key!r} is not a key name (try n, space, right, end, question_mark, ctrl+p, or text:5.955)"
            )
        keys.append(key)
    if not keys:
        raise argparse.ArgumentTypeError("give keys separated by commas, like n,n,space,end")
    return tuple(keys)


def theme_name(text: str) -> str:
    from .ui.themes import theme_names

    if text not in theme_names():
        raise argparse.ArgumentTypeError(f"unknown theme {text!r}; choose one of: {', '.join(theme_names())}")
    return text


def build_parser() -> Parser:
    p = Parser(
        prog="backprop-tui",
        description="Step through backpropagation node by node: the forward pass, then the backward\n"
        "pass, with every chain-rule product's shapes and numbers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "lesson", nargs="?", default=DEFAULT_LESSON, help=f"one of: {', '.join(LESSONS)} (default {DEFAULT_LESSON})"
    )
    add_lesson_options(p)
    out = p.add_argument_group("output without the app")
    out.add_argument(
        "--export", choices=("json", "markdown", "latex"),
        help="print the lesson and exit: JSON for scripts, a Markdown or LaTeX handout (the answer key)",
    )
    out.add_argument(
        "--blank", action="store_true",
        help="with --export markdown or latex: the exercise sheet, the practice questions left blank",
    )
    out.add_argument("-o", "--output", metavar="FILE", help="with --export: write to FILE (atomically) instead")
    out.add_argument("--screenshot", metavar="FILE.svg", help="render headlessly to an SVG and exit")
    out.add_argument(
        "--press",
        type=key_list,
        default=(),
        metavar="KEYS",
        help="with --screenshot: keys to press first, e.g. n,n,n; text:5.955 types an answer a key per character "
        '(in double quotes it may hold commas: n,"text:0.5, 0.5",enter)',
    )
    out.add_argument("--size", type=size, metavar="WxH", help="with --screenshot: terminal size (default 120x40)")
    out.add_argument(
        "--check",
        metavar="ANSWERS.json",
        help="judge a file of answers (- reads standard input) and print the verdicts as JSON",
    )
    p.add_argument(
        "--practice",
        nargs="?",
        const="all",
        choices=PRACTICE_LEVELS,
        help="predict before you see: all asks every step, some shows the first steps of each kind worked "
        "and asks later ones, watch only shows (the default; --practice alone means all; P changes it in the app)",
    )
    p.add_argument(
        "--play", metavar="FILE",
        help="a demo that runs itself: a script of keys and pauses (n, wait 2, type x^2, # notes) played into "
        "the app; any key takes over. With --screenshot: played headless without the pauses (see demos/)",
    )
    p.add_argument(
        "--theme", type=theme_name, metavar="NAME",
        help="colours: projector (high contrast, colour-blind safe) or one of Textual's themes (default textual-dark)",
    )
    web = p.add_argument_group("in a browser")
    web.add_argument("--serve", action="store_true", help="serve the app to browsers (needs backprop-tui[serve])")
    web.add_argument("--port", type=port_number, metavar="N", help="with --serve: the port (default 8000)")
    web.add_argument(
        "--host", metavar="H", help="with --serve: the address to listen on (default 127.0.0.1, this machine only)"
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__import__('backprop_tui').__version__}")
    return p


KINDS = {"whole": whole_number, "number": finite_float, "numbers": number_list, "point": assignments, "text": str}


def add_lesson_options(p: Parser) -> None:
    """One argument per lesson option, listed under the first lesson that has it; help from its fields."""
    seen: set[str] = set()
    for lesson in LESSONS.values():
        own = [f for f in fields(lesson.options) if f.name not in seen]
        if own:
            group = p.add_argument_group(f"lesson {lesson.name}")
        for f in own:
            seen.add(f.name)
            same, differs = [], []
            kinds = [f.metadata["kind"]]
            for other in LESSONS.values():
                theirs = {g.name: g for g in fields(other.options)}.get(f.name)
                if other is lesson or theirs is None:
                    continue
                kinds.append(theirs.metadata["kind"])
                if theirs.metadata["help"] == f.metadata["help"]:
                    same.append(other.name)
                else:
                    differs.append(f"; in {other.name}: {theirs.metadata['help']}")
            text = f.metadata["help"] + (f" (also {', '.join(same)})" if same else "") + "".join(differs)
            extra: dict = {"metavar": f.metadata["metavar"], "type": KINDS.get(f.metadata["kind"])}
            if isinstance(f.metadata["kind"], tuple):  # every lesson's choices; each lesson checks its own
                choices = tuple(dict.fromkeys(c for kind in kinds for c in kind))
                extra = {"choices": choices, "metavar": "{" + ",".join(choices) + "}"}
            if f.name == "at":
                extra["action"] = "append"
            group.add_argument(f"--{f.name}", help=text, **extra)


def options_from(args: argparse.Namespace) -> Options:
    """The lesson's options from what was given; an option the lesson does not use is refused."""
    if args.lesson not in LESSONS:
        raise UsageError(f"unknown lesson {args.lesson!r}; choose one of: {', '.join(LESSONS)}")
    lesson = LESSONS[args.lesson]
    names = lesson.options.names()
    for name in {f for other in LESSONS.values() for f in other.options.names()} - set(names):
        if getattr(args, name) is not None:
            raise UsageError(f"lesson {lesson.name} does not use --{name}")
    if args.output is not None and not args.export:
        raise UsageError("-o/--output needs --export (a screenshot names its file directly)")
    if (args.press or args.size) and args.screenshot is None:
        raise UsageError("--press and --size go with --screenshot")
    if args.export and args.screenshot is not None:
        raise UsageError("choose --export or --screenshot, not both")
    if args.blank and args.export not in ("markdown", "latex"):
        raise UsageError("--blank goes with --export markdown or --export latex (a handout's exercise sheet)")
    if args.practice is not None and (args.export or args.check is not None):
        raise UsageError(f"--practice is for the app and --screenshot, not --{'export' if args.export else 'check'}")
    if args.practice is not None and args.lesson in NOTHING_TO_PRACTISE:
        raise UsageError(f"lesson {args.lesson} has nothing to practise (try mlp, graph, expr or chain)")
    if (args.port is not None or args.host is not None) and not args.serve:
        raise UsageError("--port and --host go with --serve")
    if args.serve and (args.export or args.screenshot is not None or args.check is not None):
        raise UsageError("--serve runs the app in a browser: not with --export, --screenshot or --check")
    if args.theme is not None and (args.export or args.check is not None):
        raise UsageError(f"--theme colours the app and --screenshot, not --{'export' if args.export else 'check'}")
    if args.play is not None and args.press:
        raise UsageError("choose --play or --press: both give the keys to press")
    if args.play is not None and (args.export or args.check is not None or args.serve):
        other = "--export" if args.export else "--check" if args.check is not None else "--serve"
        raise UsageError(f"--play drives the app in this terminal, or a --screenshot; not {other}")
    if args.check is not None and (args.export or args.screenshot is not None):
        raise UsageError(f"--check prints its own JSON: choose it or --{'export' if args.export else 'screenshot'}")
    if args.screenshot and args.screenshot != STDOUT and not args.screenshot.lower().endswith(".svg"):
        # the picture is SVG text: a .png or .pdf name would promise what the file is not
        raise UsageError(f"--screenshot writes SVG: name the file .svg, not {os.path.basename(args.screenshot)!r}")
    given = {name: getattr(args, name) for name in names}
    if given.get("at") is not None:
        given["at"] = point(given["at"])
    return lesson.options.from_given(given)


def settle_imports(argv: list[str] | None) -> None:
    """When this process is the command, move everything imported so far out of the collector's way.

    Loading the modules creates a great many objects that live as long as the
    process, so the command starts with the collector off: collecting then finds
    nothing to free. Frozen, they are left out of every later collection, and the
    collector runs as usual for the app, the screenshot or the export (together
    about 40 ms of start-up). A caller passing argv (a test, a script) keeps its
    collector as it was.
    """
    if argv is None:
        gc.freeze()
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        options = options_from(args)
        target = args.output if args.export else args.screenshot
        if args.export or args.screenshot is not None:
            check_target(STDOUT if target is None else target)
        lesson = LESSONS[args.lesson]
        walk = lesson.build(options) if isinstance(lesson, WalkthroughLesson) else None
        if args.blank:
            from .handout import check_blank

            check_blank(lesson.name, walk)  # a lesson without practice questions has no sheet
        args.script = None
        if args.play is not None:  # read whole first: a bad line is reported before the app starts
            from .ui.play import ScriptError
            from .ui.play import load as load_script

            try:
                args.script = load_script(args.play)
            except ScriptError as error:
                raise UsageError(str(error)) from None
        if not args.export and args.screenshot is None and args.check is None and not args.serve:
            require_terminal()
    except (UsageError, LessonError, TargetError) as error:
        return fail(error)

    if args.serve:
        from .serve import serve

        try:
            return serve(args)
        except ServeError as error:
            return fail(error)
    try:
        if args.check is not None:
            return check(args, options, walk)
        if args.export:
            return export(args, lesson, options, walk, argv)
        if args.screenshot is not None:
            return screenshot(args, options, walk, argv)
    except TargetError as error:
        return fail(error)
    except BrokenPipeError:  # e.g. piped into head, which has read all it wanted
        return 0
    except Stopped as stop:  # the temporary file is gone; end as the signal would have
        signal.signal(stop.signum, signal.SIG_DFL)
        os.kill(os.getpid(), stop.signum)
        return 128 + stop.signum
    except KeyboardInterrupt:
        return fail("interrupted", status=130)
    return run_app(args, options, walk, argv)


def export(
    args: argparse.Namespace,
    lesson: WalkthroughLesson | PageLesson,
    options: Options,
    walk: Walkthrough | None,
    argv: list[str] | None,
) -> int:
    from .export import json_writer, to_dict

    settle_imports(argv)
    content: str | Callable[[TextIO], None]
    if args.export in ("markdown", "latex"):
        from .handout import handout

        content = handout(lesson.name, options, args.export, args.blank, walk)
    elif walk is not None:  # written as it goes: a big network's JSON never sits in memory whole
        content = json_writer(to_dict(walk, arrays=True))
    else:
        assert isinstance(lesson, PageLesson)
        content = json_writer(lesson.export(options))
    write(STDOUT if args.output is None else args.output, content)
    return 0


def check(args: argparse.Namespace, options: Options, walk: Walkthrough | None) -> int:
    """Judge a file of answers with the practice judge; JSON on standard output (see practice/check.py)."""
    from .export import json_writer
    from .practice import QuestionError, practice_for
    from .practice.check import CheckError, load
    from .practice.check import check as check_answers

    try:
        practice = practice_for(args.lesson, options, walk)  # a lesson without questions is refused first
        report = check_answers(practice, load(args.check), "standard input" if args.check == STDOUT else args.check)
    except (QuestionError, CheckError) as error:
        return fail(error)
    write(STDOUT, json_writer(report))
    return 0


def screenshot(args: argparse.Namespace, options: Options, walk: Walkthrough | None, argv: list[str] | None) -> int:
    from .ui.screenshot import render_svg

    settle_imports(argv)
    size = args.size or (120, 40)
    script = getattr(args, "script", None)  # --play: refused together with --press, so keys are empty then
    svg = render_svg(args.lesson, options, args.press, size, walk, args.practice or "watch", args.theme, script)
    write(args.screenshot, svg)
    return 0


def run_app(args: argparse.Namespace, options: Options, walk: Walkthrough | None, argv: list[str] | None) -> int:
    from .ui.app import BackpropApp

    settle_imports(argv)
    utf8_terminal()
    app = BackpropApp(args.lesson, options, walk, practice=args.practice or "watch")
    if args.theme is not None:
        app.theme = args.theme
    if getattr(args, "script", None) is not None:  # --play: the demo starts once the app is up
        from .ui.play import Player

        app.run(auto_pilot=Player(app, args.script).autopilot)
    else:
        app.run()
    return app.return_code or 0  # non-zero when the app stopped on an error


def require_terminal() -> None:
    """The app reads keys from standard input and draws on standard error: both must be a terminal.

    Served (--serve), the app talks to textual-serve through pipes instead, with Textual's web driver.
    """
    if os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return
    streams = (sys.stdin, sys.__stderr__)
    if not all(stream is not None and stream.isatty() for stream in streams):
        raise UsageError("the app needs a terminal; without one, use --export or --screenshot")


def utf8_terminal() -> None:
    """Draw in UTF-8 even where the locale says ASCII, so boxes are not shown as \\u escapes."""
    for stream in (sys.__stdout__, sys.__stderr__):
        as_utf8(stream)


def fail(error: Exception | str, status: int = 2) -> int:
    """Report on exactly one line of standard error: control characters are shown escaped."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(error))
    print(f"backprop-tui: error: {text}", file=sys.stderr)
    return status
