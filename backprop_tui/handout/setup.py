"""What every handout starts with: its title, how to fill in the sheet, the command that makes it again."""

from __future__ import annotations

import shlex
from dataclasses import MISSING, fields

from .document import Block, Code, Mat, Paragraph, SheetOnly


def title_of(section: str, title: str) -> str:
    return f"{section} · {title}" if section else title


def sheet_instructions(asks: bool) -> list[Block]:
    """The sheet's one line of instructions (the key has its answers framed where these blanks are)."""
    if not asks:
        return []
    return [SheetOnly((Paragraph((
        "Exercise sheet: fill in each blank, using the given numbers and your own earlier answers; a box per "
        "entry of a vector or matrix. The answer key is the same command without --blank.",
    ), note=True),))]


def power_text(x: float) -> str:
    """A power of ten as a reader types it: 1e-6."""
    mantissa, _, exponent = f"{x:.0e}".partition("e")
    return f"{mantissa}e{int(exponent)}"


def _shortest(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _option_text(value, kind) -> str:
    if kind == "point":
        return ",".join(f"{name}={_shortest(v)}" for name, v in value)
    if kind == "numbers":
        return ",".join(_shortest(v) for v in value)
    if kind == "number":
        return _shortest(value)
    return str(value)


def command_line(lesson: str, options, *extra: str) -> str:
    """The command that builds this lesson with these options: the options that differ from their defaults."""
    words = ["backprop-tui", lesson]
    variant_seed = bool(getattr(options, "is_variant", False))  # chain: a variant chooses the seed itself
    for f in fields(options):
        value = getattr(options, f.name)
        default = f.default if f.default is not MISSING else None
        if value is None or value == default or (f.name == "seed" and variant_seed):
            continue
        if f.name == "params":
            words += ["--params", str(getattr(value, "source", value))]
            continue
        words += [f"--{f.name}", _option_text(value, f.metadata.get("kind"))]
    return " ".join(shlex.quote(word) for word in [*words, *extra])


def elided_note(name: str, piece) -> Paragraph | None:
    """A note under a display that left out the middle of a matrix too big for a page, else None."""
    if not isinstance(piece, Mat) or not piece.elided:
        return None
    rows, cols = piece.shape
    return Paragraph((
        f"{name} is {rows}×{cols}, too big for a page: its first and last rows and columns are shown, the middle "
        "ones left out (⋮, …). The JSON export (",
        Code("--export json"),
        ") holds every entry.",
    ), note=True)
