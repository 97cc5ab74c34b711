"""Other renderings of a walkthrough's trace: JSON for scripts; handouts (Markdown, LaTeX) are in handout/."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterable
from itertools import chain
from typing import TextIO

import numpy as np

from .lessons import Walkthrough
from .lessons.base import UnitRoute, plain

SHOWN_UNITS = 4  # a network with at most this many hidden units has every unit's route exported; else unit 1


def to_dict(walk: Walkthrough, arrays: bool = False) -> dict:
    """The export contract: lesson, settings, output, nodes, steps.

    Numbers come as plain lists, or with arrays=True as the trace's own read-only
    arrays, which write_json writes a row at a time instead of copying them into
    lists first (a 4096×4096 network holds 16 million numbers per matrix).
    """
    numbers = (lambda a: a) if arrays else plain
    trace = walk.trace
    nodes = {
        name: {
            "shape": list(record.shape),
            "label": record.label,
            "kind": record.kind,
            "inputs": list(record.inputs),
            "value": numbers(record.value),
            "grad": numbers(record.grad),
        }
        for name, record in trace.nodes.items()
    }
    steps = []
    for step in trace.steps:
        cursor = step.index + 1
        entry: dict = {
            "index": step.index,
            "step": cursor,  # as the app counts: "step 10 of 11"
            "phase": step.phase,
            "node": step.node,
            "equation": step.equation,
            "shapes": step.shapes,
            "value": numbers(step.value),
            "why": walk.why[cursor],
        }
        if step.numbers:
            entry["numbers"] = step.numbers
        if step.terms:
            entry["terms"] = [
                {
                    "via": t.consumer,
                    "input": t.input_index,
                    **({"slot": t.slot} if t.slot else {}),
                    "local": t.derivative,
                    "upstream": numbers(t.upstream),
                    "product": numbers(t.product),
                }
                for t in step.terms
            ]
        if step.together():
            entry["together"] = list(step.together())
        routes = _routes(walk, cursor)
        if routes:
            entry["units"] = [
                {
                    "unit": r.unit + 1,
                    "z": r.z,
                    "slope": r.slope,
                    "weight": r.weight,
                    "local": numbers(r.local),
                    "grad": numbers(r.grad),
                    "bias_grad": r.bias,
                }
                for r in routes
            ]
        if walk.aside(cursor):
            entry["aside"] = walk.aside(cursor)
        steps.append(entry)
    return {
        "lesson": walk.lesson,
        "section": walk.section,
        "settings": walk.settings,
        "output": trace.output,
        "nodes": nodes,
        "steps": steps,
    }


# --- JSON, written piece by piece ---

_CHUNK = 4096  # numbers per write of a long row


def _number(x: float) -> str:
    return repr(x) if math.isfinite(x) else "null"


def _write_array(a: np.ndarray, out: TextIO, level: int) -> None:
    """A vector on one line (written a chunk at a time), a matrix a row per line."""
    if a.ndim == 0:
        out.write(_number(float(a)))
    elif a.ndim == 1:
        text = repr if np.isfinite(a).all() else _number
        out.write("[")
        for start in range(0, len(a), _CHUNK):
            out.write((", " if start else "") + ", ".join(map(text, a[start : start + _CHUNK].tolist())))
        out.write("]")
    elif not len(a):
        out.write("[]")
    elif a.ndim == 2 and 0 < a.shape[1] <= _CHUNK:  # short rows: as many per block as make a chunk
        inner = ",\n" + " " * (level + 1)
        rows = _CHUNK // a.shape[1]
        out.write("[\n" + " " * (level + 1))
        for start in range(0, len(a), rows):
            block = a[start : start + rows]
            text = repr if np.isfinite(block).all() else _number
            lines = inner.join(["[" + ", ".join(map(text, row)) + "]" for row in block.tolist()])
            out.write((inner if start else "") + lines)
        out.write("\n" + " " * level + "]")
    else:  # long rows, or more dimensions: a row at a time
        inner = "\n" + " " * (level + 1)
        out.write("[")
        for i in range(len(a)):
            out.write(("," if i else "") + inner)
            _write_array(a[i], out, level + 1)
        out.write("\n" + " " * level + "]")


def _scalar(value) -> str | None:
    """JSON text of a scalar, or None for a container."""
    kind = type(value)
    if kind is float:  # by far the most common: every number of every list
        return repr(value) if math.isfinite(value) else "null"
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return repr(value)
    if kind is str:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, np.bool_):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        return _number(float(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return None


def _key(key) -> str:
    """A key as JSON text; names (W0, loss, distinct_hidden_units) need no escaping."""
    key = str(key)
    return '"' + key + '"' if key.isidentifier() else json.dumps(key, ensure_ascii=False)


def _write_items(items: Iterable, out: TextIO, level: int, brackets: str) -> None:
    """Each item on its own line, one space of indent per level, as json.dumps(indent=1) lays them out.

    Items are written as they come, so `items` may be a generator that computes them.
    """
    inner = "\n" + " " * (level + 1)
    first = True
    for item in items:
        out.write((brackets[0] if first else ",") + inner)
        first = False
        if brackets == "{}":
            key, item = item
            out.write(_key(key) + ": ")
        write_value(item, out, level + 1)
    out.write(brackets if first else "\n" + " " * level + brackets[1])


def _write_stream(items: Iterable, out: TextIO, level: int) -> None:
    """An iterable that is not a list, written as a list while its items come (a series computed as it is written).

    Laid out as a list is when its first item says how: numbers on one line,
    anything else one item per line.
    """
    items = iter(items)
    try:
        first = next(items)
    except StopIteration:
        out.write("[]")
        return
    text = _scalar(first)
    if text is None:
        _write_items(chain((first,), items), out, level, "[]")
        return
    out.write("[" + text)
    for item in items:
        out.write(", ")
        write_value(item, out, level)
    out.write("]")


def write_value(value, out: TextIO, level: int = 0) -> None:
    """Write one JSON value: a list of plain numbers on one line, anything nested one item per line.

    Besides what json.dumps takes, numpy arrays and scalars, and any other
    iterable (a generator, say), which is written as a list, item by item as
    it yields them.
    """
    text = _scalar(value)
    if text is not None:
        out.write(text)
    elif isinstance(value, np.ndarray):
        _write_array(value, out, level)
    elif isinstance(value, dict):
        _write_items(value.items(), out, level, "{}")
    elif isinstance(value, (list, tuple)):
        texts = [_scalar(v) for v in value]
        flat = [t for t in texts if t is not None]
        if len(flat) < len(texts):  # something nested
            _write_items(value, out, level, "[]")
        else:
            out.write("[" + ", ".join(flat) + "]")
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, bytearray, set, frozenset)):
        _write_stream(value, out, level)
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_json(data, out: TextIO) -> None:
    """JSON as every export writes it: UTF-8 text, non-finite numbers as null, a newline at the end."""
    write_value(data, out)
    out.write("\n")


def to_json_text(data) -> str:
    text = io.StringIO()
    write_json(data, text)
    return text.getvalue()


def to_json(walk: Walkthrough) -> str:
    return to_json_text(to_dict(walk, arrays=True))


def _routes(walk: Walkthrough, cursor: int) -> list[UnitRoute]:
    """The unit-by-unit routes exported with this step: every unit of a small network, else unit 1."""
    units = walk.units
    if units is None or cursor != units.cursor or not units.count:
        return []
    return [units.route(i) for i in range(units.count if units.count <= SHOWN_UNITS else 1)]


def to_markdown(walk: Walkthrough) -> str:
    """The walkthrough's Markdown handout, the answer key: see backprop_tui.handout (which also writes LaTeX)."""
    from .handout import markdown, walkthrough

    return markdown.write(walkthrough.build(walk, None, None))


def json_writer(data) -> Callable[[TextIO], None]:
    return lambda out: write_json(data, out)
