"""Other renderings of a walkthrough's trace: JSON for scripts, Markdown for notes."""

from __future__ import annotations

import json
import os
import tempfile

from .engine.notation import brief, matrix_lines, shape_text
from .lessons import Walkthrough
from .lessons.base import plain


def to_dict(walk: Walkthrough) -> dict:
    """The export contract: lesson, settings, output, nodes, steps."""
    trace = walk.trace
    nodes = {
        name: {
            "shape": list(record.shape),
            "label": record.label,
            "kind": record.kind,
            "inputs": list(record.inputs),
            "value": plain(record.value),
            "grad": plain(record.grad),
        }
        for name, record in trace.nodes.items()
    }
    steps = []
    for step in trace.steps:
        entry = {
            "index": step.index,
            "phase": step.phase,
            "node": step.node,
            "equation": step.equation,
            "shapes": step.shapes,
            "value": plain(step.value),
            "why": walk.why[step.index + 1],
        }
        if step.terms:
            entry["terms"] = [
                {"via": t.consumer, "local": t.derivative, "upstream": plain(t.upstream), "product": plain(t.product)}
                for t in step.terms
            ]
        steps.append(entry)
    return {
        "lesson": walk.lesson,
        "settings": walk.settings,
        "output": trace.output,
        "nodes": nodes,
        "steps": steps,
    }


def to_json_text(data: dict) -> str:
    """JSON as every export writes it: UTF-8 text, no NaN or Infinity."""
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def to_json(walk: Walkthrough) -> str:
    return to_json_text(to_dict(walk))


def to_markdown(walk: Walkthrough) -> str:
    """A readable handout: every step's equation, shapes and value."""
    trace = walk.trace
    output = trace.nodes[trace.output].label
    out = [f"# {walk.title}", "", walk.formula, "", f"| node | shape | value | ∂{output}/∂node |", "|---|---|---|---|"]
    for record in trace.nodes.values():
        shape = shape_text(record.shape) if record.shape else "scalar"
        out.append(f"| {record.label} | {shape} | {brief(record.value, 40)} | {brief(record.grad, 40)} |")
    for step in trace.steps:
        out += ["", f"## Step {step.index + 1} of {len(trace)} · {step.phase} · {step.label}", ""]
        out += [f"    {step.equation}"] + [f"    {t.derivative}" for t in step.terms]
        out += ["", f"Shapes: {step.shapes}", ""]
        if len(step.terms) > 1:
            out += [f"- the path via {t.consumer_label} gives {brief(t.product, 60)}" for t in step.terms] + [""]
        out += ["```", *matrix_lines(step.value, 8, 8), "```"]
        if walk.why[step.index + 1]:
            out += ["", walk.why[step.index + 1]]
    return "\n".join(out) + "\n"


FORMATS = {"json": to_json, "markdown": to_markdown}


def write_atomic(path: str, text: str) -> None:
    """Write text to path all at once: a temporary file beside it, then a rename. No partial files."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".backprop-tui-", suffix=".tmp")
    try:
        umask = os.umask(0)  # mkstemp makes the file 0600; give it the mode a plain open() would
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
