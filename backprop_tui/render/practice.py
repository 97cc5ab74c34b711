"""Practice as text: the question a step asks, verdicts, hints, the score and the summary; the graph and
the tensors with the asked value hidden."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from ..engine import BACKWARD
from ..engine.notation import shape_text
from ..lessons import Walkthrough
from ..practice.judge import CORRECT, INVALID, WRONG, Verdict
from ..practice.questions import LOCAL, SHAPE
from ..practice.session import ALL, SOME, WATCH, Record, Session
from .graph import UNITS, GraphPicture, _unit
from .steps import fitted_lines
from .styles import CURRENT, CURRENT_ROW, GRAD, HEADING, MUTED, PENDING
from .styles import VALUE as VALUE_STYLE
from .tables import GAP, cell_widths, current_row, render_table

HINT_KEY, REVEAL_KEY, LEVEL_KEY = "ctrl+t", "ctrl+r", "P"  # the app binds these; the texts name them
ASKED = "?"  # in place of the value or gradient asked for
RIGHT, WRONG_MARK, SHOWN = "✓", "✗", "○"
ERROR = "bold red"
GOOD = "bold green"
FIRST_ANSWER = 18  # characters of a first answer the summary shows
LEVELS_SAID = {
    WATCH: "watch: every step is shown worked",
    SOME: "some: the first steps of each kind are shown worked, later ones ask",
    ALL: "all: every step asks before it shows",
}


def level_text(level: str) -> str:
    """What a practice level does, for the line the app says when it changes."""
    return f"Practice {LEVELS_SAID[level]}"


def _plural(n: int, word: str) -> str:
    """1 hint, 2 hints; 1 try, 2 tries."""
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def score_line(session: Session, width: int = 60) -> str:
    """ "practice all · 7 of 10 right first time, 2 hints", shorter when the room is short."""
    right, total, hints = session.score()
    if not total and not hints:
        return f"practice {session.level}"
    long = f"practice {session.level} · {right} of {total} right first time, {_plural(hints, 'hint')}"
    if len(long) <= width:
        return long
    short = f"{session.level} · {right}/{total} first time, {_plural(hints, 'hint')}"
    return short if len(short) <= width else f"{right}/{total} · {hints}h"


def _subject(record: Record) -> str:
    """What a question asks, a local derivative marked as the step panel marks it: local[∂z₂/∂y]."""
    q = record.question
    return f"local[{q.subject}]" if q.field == LOCAL else q.subject


def _part(record: Record) -> str:
    """A question's answer as the app writes it: "local[∂z₂/∂y] = 2y", "the shape of ∂y/∂z: 1×4"."""
    q = record.question
    if q.field == SHAPE:
        return f"{q.subject}: {q.expected_text}"
    return f"{_subject(record)} = {q.expected_text}"


def _known(session: Session, index: int) -> list[tuple[str, np.ndarray]]:
    """What the step's question is computed from, all known by now: a forward step's operands; a backward
    step's consumers, their inputs and ∂out/∂consumer."""
    trace = session.walk.trace
    step = trace.steps[index]
    if step.phase != BACKWARD:
        return [(title, np.asarray(value)) for title, value in step.operands()]
    out = trace.nodes[trace.output].label
    known: dict[str, np.ndarray] = {}
    for term in step.terms:
        site = term.site
        for label, arg in zip(site.labels, site.args, strict=True):
            known.setdefault(label, np.asarray(arg))
        known.setdefault(term.consumer_label, np.asarray(site.out))
        known.setdefault(f"∂{out}/∂{term.consumer_label}", np.asarray(term.upstream))
    return list(known.items())


def _shape(a: np.ndarray) -> str:
    return shape_text(a.shape) if a.ndim else "scalar"


def question_text(session: Session, index: int, width: int = 60) -> Text:
    """The step panel while step `index` asks: parts answered so far, the question, its form, hints taken.

    For a network (not a scalar lesson), what the question is computed from too, as the
    tensors panel may show it cut short."""
    records = session.records(index)
    current = session.current(index)
    text = Text()
    asked = [r for r in records if not r.given]
    number = asked.index(current) + 1 if current in asked else len(asked)
    head = "Your turn" + (f" · question {number} of {len(asked)}" if len(asked) > 1 else "")
    text.append(head + "\n", style=HEADING)
    for record in records:
        if record is current:
            break
        if record.given:
            text.append(f"{SHOWN} {_part(record)}", style=VALUE_STYLE)
            text.append("  (worked for you)\n", style=MUTED)
        elif record.correct:
            text.append(f"{RIGHT} ", style=GOOD)
            text.append(_part(record) + "\n", style=VALUE_STYLE)
    if current is None:
        return text
    q = current.question
    text.append("\n")
    text.append(q.prompt + "\n", style="bold")
    text.append("Type ", style=MUTED)
    text.append(q.form, style=MUTED)
    text.append(".\n", style=MUTED)
    for k in range(current.hints):
        text.append(f"\nHint {k + 1} of {len(q.hints)}  ", style=HEADING)
        text.append(q.hints[k] + "\n")
    if current.tries:
        text.append(f"\n{_plural(current.tries, 'try')} so far\n", style=MUTED)
    text.append("\n")
    left = len(q.hints) - current.hints
    keys = ["enter checks", f"{HINT_KEY} a hint ({left} left)" if left else "no hints left", f"{REVEAL_KEY} reveals"]
    text.append(" · ".join(keys) + "\n", style=MUTED)
    if not session.practice.scalar:
        text.append("\nKnown so far", style=HEADING)
        for title, value in _known(session, index):
            gradient = title.startswith("∂")
            column = value.ndim == 1 and not gradient  # a vector value is a column, written as a row with ᵀ
            shape = (f"1×{value.size}" if gradient else f"{value.size}×1") if value.ndim == 1 else _shape(value)
            text.append(f"\n{title}", style=HEADING)
            text.append(f"  {shape}\n", style=MUTED)
            lines = fitted_lines(value, max(width - 3, 8))
            for i, line in enumerate(lines):
                end = "ᵀ" if column and i == len(lines) - 1 else ""
                text.append(f"  {line}{end}\n", style=GRAD if gradient else VALUE_STYLE)
    return text


def hidden_why() -> Text:
    """The why panel while the step asks: its reasoning would give the answer away."""
    return Text(f"Why this step works out as it does shows once it is answered ({REVEAL_KEY} reveals it).", MUTED)


def verdict_text(verdict: Verdict, typed: str, width: int, indent: int = 0) -> Text:
    """The line under the answer field: right, the diagnosis or "not quite", or why the text cannot be read.

    For text that cannot be read, the text again with a caret under the problem, `indent`
    cells in (under the field's own text) and at most `width` wide."""
    text = Text()
    if verdict.verdict == CORRECT:
        text.append(f"{RIGHT} Right.", style=GOOD)
        return text
    if verdict.verdict == INVALID:
        caret = verdict.caret(typed, max(width - 2, 10))
        if caret is not None:
            text.append(" " * indent + caret[0] + "\n")
            text.append(" " * indent + caret[1] + "\n", style=ERROR)
        text.append(verdict.message, style=ERROR)
        text.append(" (not counted)", style=MUTED)
        return text
    assert verdict.verdict == WRONG
    text.append(f"{WRONG_MARK} ", style=ERROR)
    text.append(verdict.diagnosis or "Not quite.", style="bold")
    text.append(f" Try again, or {HINT_KEY} for a hint.", style=MUTED)
    return text


def hint_text(hint: tuple[int, str] | None, total: int) -> Text:
    """A hint just taken, or that none is left."""
    if hint is None:
        return Text(f"No more hints: {REVEAL_KEY} reveals the step.", style=MUTED)
    number, said = hint
    return Text.assemble((f"Hint {number} of {total}  ", HEADING), said)


def _verdict_word(record: Record) -> str:
    if record.given:
        return "worked for you"
    if record.first_verdict == CORRECT:
        return "right first time"
    if record.first_verdict == WRONG:
        return f"wrong, then right ({_plural(record.tries, 'try')})" if record.correct else "wrong, then revealed"
    if record.revealed:
        return "revealed"
    return "not answered"


def _first(record: Record) -> str:
    first = record.first if record.first is not None else "—"
    return first if len(first) <= FIRST_ANSWER else first[: FIRST_ANSWER - 1] + "…"


def summary_text(session: Session) -> Text:
    """Every question asked, by step: the first answer, its verdict and the hints taken; a diagnosis under it."""
    right, total, hints = session.score()
    text = Text()
    text.append(f"Practice summary · {right} of {total} right first time, {_plural(hints, 'hint')}\n", style=HEADING)
    trace = session.walk.trace
    rows = [
        (f"{index + 1} {trace.steps[index].label}" if k == 0 else "", record)
        for index, records in session.asked()
        for k, record in enumerate(r for r in records if not r.given)
    ]
    if not rows:
        return text
    step_w = max(len("step"), *(len(step) for step, _ in rows))
    asked_w = max(len("asked"), *(len(_subject(r)) for _, r in rows))
    first_w = max(len("first answer"), *(len(_first(r)) for _, r in rows))
    text.append(f"{'step':<{step_w}}  {'asked':<{asked_w}}  {'first answer':<{first_w}}  verdict\n", style=MUTED)
    for step, record in rows:
        text.append(f"{step:<{step_w}}  ", style=MUTED)
        text.append(f"{_subject(record):<{asked_w}}  ")
        text.append(f"{_first(record):<{first_w}}  ", style=VALUE_STYLE if record.first is not None else MUTED)
        if record.first_verdict == CORRECT:
            text.append(f"{RIGHT} ", style=GOOD)
        elif record.first_verdict == WRONG:
            text.append(f"{WRONG_MARK} ", style=ERROR)
        else:
            text.append("· ", style=MUTED)
        text.append(_verdict_word(record), style=MUTED)
        if record.hints:
            text.append(f", {_plural(record.hints, 'hint')}", style=MUTED)
        text.append("\n")
        if record.first_verdict == WRONG and record.first_message:
            text.append(f"{'':<{step_w + asked_w + 4}}{record.first_message}\n", style=MUTED)
    return text


# --- the graph and the tensors with the asked value or gradient hidden ---


class AskingPicture(GraphPicture):
    """The graph with one node's value (forward) or gradient (backward) drawn as "?", the node marked."""

    hidden: str | None = None  # the node whose value or gradient is asked

    def _node_label(self, layout, name, cursor, backward):  # type: ignore[no-untyped-def]
        if name != self.hidden:
            return super()._node_label(layout, name, cursor, backward)
        label = self.walk.trace.nodes[name].label
        return f"{label} {'∂' if backward else '='}{ASKED}", CURRENT

    def _unit_labels(self, units, cursor, backward):  # type: ignore[no-untyped-def]
        labels = super()._unit_labels(units, cursor, backward)
        walk = self.walk
        if self.hidden is None or walk.neurons is None or self.hidden not in walk.neurons:
            return labels
        prefix, symbol = UNITS[list(walk.neurons).index(self.hidden)]
        for box in labels:
            if box.startswith(prefix):
                i = int(box[len(prefix) :] or 0)
                labels[box] = (f"{_unit(prefix, symbol, i)} {'∂' if backward else '='}{ASKED}", PENDING)
        return labels


def asking_table(walk: Walkthrough, cursor: int, width: int) -> tuple[Text, Text]:
    """render_table with the current node's value (forward) or gradient (backward) shown as "?"."""
    header, rows = render_table(walk, cursor, width)
    row = current_row(walk, cursor)
    if row is None:
        return header, rows
    name_width, cell, _ = cell_widths(walk.trace, width)
    lines = rows.split("\n")
    line = lines[row]
    backward = walk.trace.steps[cursor - 1].phase == BACKWARD
    start = name_width + GAP + (cell + GAP if backward else 0)
    end = len(line) if backward else start + cell + GAP
    asked = Text(ASKED.ljust(end - start), style=GRAD if backward else VALUE_STYLE)
    new = Text.assemble(line[:start], asked, line[end:], no_wrap=True)
    new.stylize(CURRENT_ROW)
    lines[row] = new
    return header, Text("\n", no_wrap=True).join(lines)
