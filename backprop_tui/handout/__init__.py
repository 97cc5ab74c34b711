"""Handouts: every lesson as Markdown or LaTeX, the answer key or (blank=True) the exercise sheet.

    from backprop_tui.handout import handout
    text = handout("mlp", MlpOptions(), "latex", blank=True)

The lessons compute; this package only writes down what they computed. A
lesson becomes a format-neutral Document (document.py) in its own module
(walkthrough.py for mlp, graph and expr; symmetry.py, methods.py, chain.py),
which markdown.py and latex.py write out. Nothing here imports textual.
"""

from __future__ import annotations

from ..lessons import (
    LESSONS,
    ChainOptions,
    LessonError,
    MethodsOptions,
    Options,
    SymmetryOptions,
    Walkthrough,
    WalkthroughLesson,
)
from . import latex, markdown
from .document import Document

FORMATS = ("markdown", "latex")
SHEET_STEPS = 1000  # a walkthrough longer than this gets no practice questions: a key without blanks, no sheet
WITH_BLANKS = ("mlp", "graph", "expr", "chain")  # the lessons whose practice asks questions


class HandoutError(LessonError):
    """A handout that cannot be made (a sheet of a lesson that asks nothing); one line for the user."""


def check_blank(lesson: str, walk: Walkthrough | None = None) -> None:
    """Refuse an exercise sheet for a lesson without practice questions, or of a walkthrough too long for one."""
    if lesson not in WITH_BLANKS:
        raise HandoutError(
            f"lesson {lesson} asks no practice questions, so it has no exercise sheet: --blank goes with "
            f"{', '.join(WITH_BLANKS[:-1])} and {WITH_BLANKS[-1]}"
        )
    if walk is not None and len(walk.trace) > SHEET_STEPS:
        raise HandoutError(
            f"this {lesson} walkthrough has {len(walk.trace)} steps, more than an exercise sheet takes "
            f"({SHEET_STEPS}); its key, without --blank, has every step"
        )


def document(lesson: str, options: Options, walk: Walkthrough | None = None) -> Document:
    """The lesson's handout as a Document (key and sheet in one)."""
    entry = LESSONS[lesson]
    if isinstance(entry, WalkthroughLesson):
        from ..practice import practice_for
        from . import walkthrough

        walk = walk if walk is not None else entry.build(options)
        asks = len(walk.trace) <= SHEET_STEPS
        return walkthrough.build(walk, options, practice_for(lesson, options, walk) if asks else None)
    if lesson == "chain":
        from . import chain

        assert isinstance(options, ChainOptions)
        return chain.build(options)
    if lesson == "symmetry":
        from . import symmetry

        assert isinstance(options, SymmetryOptions)
        return symmetry.build(options)
    from . import methods

    assert isinstance(options, MethodsOptions)
    return methods.build(options)


def handout(lesson: str, options: Options, fmt: str, blank: bool = False, walk: Walkthrough | None = None) -> str:
    """The handout as Markdown or LaTeX text: the key, or with blank=True the exercise sheet."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown handout format {fmt!r}")
    entry = LESSONS[lesson]
    if walk is None and isinstance(entry, WalkthroughLesson):
        walk = entry.build(options)
    if blank:
        check_blank(lesson, walk)
    doc = document(lesson, options, walk)
    return (markdown if fmt == "markdown" else latex).write(doc, blank)


__all__ = ["FORMATS", "WITH_BLANKS", "Document", "HandoutError", "check_blank", "document", "handout"]
