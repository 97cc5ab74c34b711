"""The handout of lesson symmetry (§3.2): a constant start and a random start trained side by side.

The setup (data, network, both starts), the loss and the distinct hidden units
at sample steps, the parameters at the first and last of them, and the
predictions at the end. The runs are the lesson's own (symmetry.Run).
"""

from __future__ import annotations

import math

from ..engine.notation import layer_label, superscript
from ..lessons import SymmetryOptions
from ..lessons import symmetry as lesson
from .document import Block, Code, Display, Document, Heading, Mat, Num, Paragraph, Piece, Table, column, row
from .setup import command_line, elided_note, title_of

SAMPLES = (0, 1, 2, 5, 10, 100, 1000, 10_000, 100_000)
PARAMS = ("W0", "b0", "W1", "b1")


def sample_steps(steps: int) -> list[int]:
    """The steps the tables show: 0, 1, 2, 5, 10, 100, … up to `steps`, and `steps` itself."""
    return sorted({s for s in SAMPLES if s <= steps} | {steps})


def side_name(run: lesson.Run) -> str:
    if run.init == "random":
        return f"random (seed {run.seed})"
    return "zero" if run.init == "zero" else f"constant {Num(run.const or 0.0).text}"


class Snapshot:
    """One side at one step: what the tables print."""

    def __init__(self, run: lesson.Run):
        self.step = run.step
        self.loss = run.loss
        self.distinct = run.distinct()
        self.params = dict(run.params)


def train(run: lesson.Run, steps: list[int]) -> list[Snapshot]:
    shots = []
    for step in steps:
        run.advance(step - run.step)
        shots.append(Snapshot(run))
    return shots


def loss_cell(loss: float) -> tuple[Piece, ...]:
    return (Num(loss),) if math.isfinite(loss) else ("diverged",)


def build(options: SymmetryOptions) -> Document:
    c = lesson.config(options)
    runs = lesson.sides(c)
    steps = sample_steps(c.steps)
    title = title_of(lesson.SECTION, "Symmetry: a constant start against a random one")
    act = lesson.SYMBOL[c.activation]
    blocks: list[Block] = [Heading(1, title), Heading(2, "Setup")]
    blocks.append(Paragraph((
        f"Two copies of the 1-hidden-layer network, d = {c.d} inputs and h = {c.h} hidden units with {c.activation} "
        f"activations, trained by full-batch gradient descent with learning rate ", Num(c.lr),
        f" on all {2 ** c.d} points of {{0, 1}}{superscript(str(c.d))}, with their {lesson.DATA_SETS[c.data]} as "
        f"targets. One starts with every weight and bias equal to {Num(c.const).text}, the other from the random "
        f"start of seed {c.seed}. Made with ",
        Code(command_line("symmetry", options)), ".",
    )))
    formula, _, ones = lesson.FORMULA.format(act=act).partition(";")
    blocks.append(Display(tuple((part.strip(),) for part in formula.split(",  "))))
    if ones.strip():
        blocks.append(Paragraph((f"where {ones.strip()}.",)))
    X, t = runs[0].problem.X, runs[0].problem.t
    data = column(X)
    blocks.append(Paragraph(("The data, one point per row of X, its target in t:",)))
    blocks.append(Display((("X = ", data, ",   t = ", column(t)),)))
    note = elided_note("X", data)
    if note:
        blocks.append(note)

    shots = [train(run, steps) for run in runs]
    blocks.append(Heading(2, "The starting parameters"))
    blocks += parameters(runs, [s[0] for s in shots])

    blocks.append(Heading(2, "Loss and distinct hidden units over training"))
    names = [side_name(run) for run in runs]
    rows = tuple(
        ((str(a.step),), loss_cell(a.loss), (f"{a.distinct} of {c.h}",), loss_cell(b.loss), (f"{b.distinct} of {c.h}",))
        for a, b in zip(*shots, strict=True)
    )
    blocks.append(Table(
        (("step",), (f"loss, {names[0]}",), ("distinct units",), (f"loss, {names[1]}",), ("distinct units",)),
        rows, "rrrrr",
    ))
    first, last = shots[0][0], shots[0][-1]
    blocks.append(Paragraph((
        "Two hidden units count as the same when their incoming weights, bias and outgoing weight agree to 1e-12. ",
        f"The {names[0]} side has {last.distinct} distinct unit{'s' if last.distinct != 1 else ''} at step "
        f"{last.step}"
        + (" as at the start" if last.distinct == first.distinct else f" ({first.distinct} at the start)")
        + f"; the random side has {shots[1][-1].distinct}.",
        " From a constant start every unit computes the same value and gets the same gradient, so every update "
        "moves them alike and they stay identical at every step: the network has one hidden unit's worth of "
        "expressiveness, however large h is (§3.2(c)). A random start breaks the tie from the first step.",
    )))
    stuck = [run.stuck_note() for run in runs if run.stuck_note()]
    if stuck:
        blocks.append(Paragraph((stuck[0] or "",), note=True))
    diverged = [side_name(run) for run in runs if run.diverged]
    if diverged:
        blocks.append(Paragraph((
            f"Diverged ({', '.join(diverged)}): the learning rate is too large for this start.",), note=True))

    blocks.append(Heading(2, f"The parameters after {c.steps} steps"))
    blocks += parameters(runs, [s[-1] for s in shots])

    blocks.append(Heading(2, f"Predictions after {c.steps} steps"))
    outcomes = [run.outcome for run in runs]
    pred_rows = []
    for n in range(X.shape[0]):
        cells: list[tuple[Piece, ...]] = [("".join(str(int(v)) for v in X[n]),), (str(int(t[n])),)]
        for outcome in outcomes:
            value = float(outcome.predictions[n])
            cells.append((Num(value, 3),) if math.isfinite(value) else ("diverged",))
        pred_rows.append(tuple(cells))
    blocks.append(Table((("x",), ("t",), *((f"y, {name}",) for name in names)), tuple(pred_rows), "lrrr"))
    right = [sum(o.right) for o in outcomes]
    blocks.append(Paragraph((
        f"Within {lesson.CLOSE} of the target: {right[0]} of {len(t)} points on the {names[0]} side, {right[1]} of "
        f"{len(t)} on the random side.",
    )))
    return Document.of(title, blocks, "symmetry")


def parameters(runs: tuple[lesson.Run, lesson.Run], shots: list[Snapshot]) -> list[Block]:
    blocks: list[Block] = []
    for run, shot in zip(runs, shots, strict=True):
        p = shot.params
        blocks.append(Paragraph((f"The {side_name(run)} side at step {shot.step} ({shot.distinct} distinct "
                                 f"hidden unit{'s' if shot.distinct != 1 else ''}):",)))
        W0, b0, W1, b1 = (layer_label(k) for k in PARAMS)
        blocks.append(Display((
            (f"{W0} = ", Mat(p["W0"]), f",   {b0} = ", column(p["b0"])),
            (f"{W1} = ", row(p["W1"]), f",   {b1} = ", Num(float(p["b1"]))),
        )))
    return blocks
