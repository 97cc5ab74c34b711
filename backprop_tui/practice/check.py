"""The graders' check: a file of answers judged with the app's own judge, a JSON report back.

The file (UTF-8 JSON; "-" on the command line reads standard input):

    {"answers": [
      {"node": "z2", "phase": "backward", "local": "-6*z1/z2^2"},
      {"node": "y",  "phase": "backward", "local": {"z1": "-z1", "z2": "2*y"}},
      {"node": "x",  "phase": "backward", "grad": "6*x^2 - 12*x*z1/z2^2"},
      {"node": "W0", "phase": "backward", "shape": "4x2", "grad": [[0.1, 0.2], …]},
      {"node": "z",  "phase": "forward",  "value": [0.5, 0.5, 0.5, 0.5]},
      {"node": "fg", "phase": "jacobian", "shape": "2x3", "order": "fg"}]}     (lesson chain)

An entry names a node and a phase and gives one or more answers:
  value   the forward value (phase forward; a node that is an input has no forward step)
  shape   the shape of ∂output/∂node in numerator layout: 1x4 for a vector of 4, the
          node's own shape for a matrix (phase backward)
  local   ∂consumer/∂node (phase backward): for a node with one consumer the answer
          itself, or an object keyed by consumer name, {"z1": …, "z2": …}, which a node
          used by several nodes needs: one entry per consumer you answer for. A
          consumer that takes the node twice (z1 = x·x) has one local derivative, the
          sum of both slots' (2x)
  grad    ∂output/∂node (phase backward)
  order   lesson chain only, on node fg: which product is ∂(f∘g)/∂x, "fg" or "gf"
Lesson chain's nodes are its Jacobians g (∂g/∂x), f (∂f/∂y) and fg; their phase is
"jacobian" and may be left out. An answer is text as a student types it (numbers,
a shape, or for graph and expr a formula: see answers.py), a JSON number, or a list
of numbers (a matrix as a list of rows). Other top-level keys are ignored.

The report: {"lesson", "settings", "results", "score": {"correct", "total"}}, one
result per answer (per consumer for an object of local derivatives), in the file's
order and within an entry in the order the app asks (shape, local, grad, value,
order): {"node", "phase", "field", "consumer" (local only), "verdict": "correct" |
"wrong" | "invalid", "diagnosis": the known mistake, or why the answer cannot be
read (with its column), or null, "expected"}. "expected" is the true answer as the
app shows it: numbers (a bare number for a scalar; nested lists otherwise), or the
formula in the lesson's labels when the answer was a formula, or the shape (1×4).

A file that is not such a document (not JSON, not an object with a list "answers",
an entry that is not an object, a missing or unknown node, an unknown field, a
phase that does not fit) raises CheckError, one line saying which entry and why:
nothing is judged then.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np

from ..lessons.base import plain
from .judge import CORRECT, INVALID, judge, reads_formula
from .questions import JACOBIAN, LOCAL, ChainPractice, Practice, Question, QuestionError

ANSWER_FIELDS = ("shape", "local", "grad", "value", "order")  # the order results come in
ENTRY_FIELDS = ("node", "phase", *ANSWER_FIELDS)


class CheckError(ValueError):
    """An answers file that cannot be checked; the message is one line."""


def load(source: str) -> str:
    """The text of the answers file, or of standard input for "-"."""
    try:
        if source == "-":
            if sys.stdin is None:
                raise CheckError("cannot read the answers from standard input: it is closed")
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        else:
            with open(source, "rb") as handle:
                data = handle.read()
    except OSError as error:
        name = "standard input" if source == "-" else source
        raise CheckError(f"cannot read {name}: {(error.strerror or str(error)).lower()}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        name = "standard input" if source == "-" else source
        raise CheckError(f"{name} is not UTF-8 text (byte {error.start + 1})") from None


def _entries(text: str, name: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CheckError(f"{name} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        raise CheckError(f"{name} is nested too deeply to read") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), list):
        raise CheckError(f'{name} must be a JSON object with a list "answers": {{"answers": [{{"node": …}}, …]}}')
    return data["answers"]


def _is_answer(value: object) -> bool:
    return isinstance(value, (str, list)) or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _questions(practice: Practice, entry: object, where: str) -> list[tuple[Question, object]]:
    """The questions an entry answers, with its answers, in the order the app asks; CheckError if it is not valid."""
    if not isinstance(entry, dict):
        raise CheckError(f'{where} is not an object like {{"node": "x", "phase": "backward", "grad": …}}')
    unknown = [key for key in entry if key not in ENTRY_FIELDS]
    if unknown:
        raise CheckError(f"{where}: unknown field {unknown[0]!r} (the fields: {', '.join(ENTRY_FIELDS)})")
    node = entry.get("node")
    if node is None:
        raise CheckError(f"{where} names no node")
    if not isinstance(node, str):
        raise CheckError(f'{where}: the node must be a name, like "x", not {json.dumps(node)}')
    chain = isinstance(practice, ChainPractice)
    phase = entry.get("phase", JACOBIAN if chain else None)
    if phase is None:
        raise CheckError(f"{where} ({node}) gives no phase: forward or backward")
    if not isinstance(phase, str):
        raise CheckError(f"{where} ({node}): the phase must be text, not {json.dumps(phase)}")
    fields = [f for f in ANSWER_FIELDS if f in entry]
    if not fields:
        raise CheckError(f"{where} ({node}) gives no answer: add {', '.join(ANSWER_FIELDS[:-1])} or order")
    pairs: list[tuple[Question, object]] = []
    try:
        for field in fields:
            answer = entry[field]
            if field == LOCAL and isinstance(answer, dict):
                if not answer:
                    raise CheckError(f"{where} ({node}): local names no consumer")
                given = {consumer: practice.question(phase, node, LOCAL, consumer) for consumer in answer}
                for question in sorted(given.values(), key=lambda q: q.terms[0] if q.terms else 0):
                    value = answer[question.consumer]
                    if not _is_answer(value):
                        kind = "text, a number or a list"
                        raise CheckError(f"{where} ({node}): local {question.consumer} must be {kind}")
                    pairs.append((question, value))
                continue
            if not _is_answer(answer):
                raise CheckError(f"{where} ({node}): {field} must be text, a number or a list of numbers")
            pairs.append((practice.question(phase, node, field), answer))
    except QuestionError as error:
        raise CheckError(f"{where}: {error}") from None
    return pairs


def expected_json(question: Question, answer: object) -> Any:
    """The true answer as the report gives it: numbers, or the text for a formula, a shape or an order."""
    if not isinstance(question.expected, np.ndarray):
        return question.expected_text
    if reads_formula(question, answer):
        return question.expected_text
    numbers = np.asarray(question.expected)
    return plain(numbers.reshape(()) if numbers.size == 1 else numbers)


def check(practice: Practice, text: str, name: str = "the answers file") -> dict:
    """Judge every answer in a file's text; CheckError (nothing judged) when the file is not valid."""
    entries = _entries(text, name)
    asked = [pair for i, entry in enumerate(entries) for pair in _questions(practice, entry, f"answer {i + 1}")]
    results = []
    for question, answer in asked:
        verdict = judge(question, answer)
        diagnosis = verdict.diagnosis
        if verdict.verdict == INVALID and verdict.position is not None and isinstance(answer, str):
            diagnosis = f"{verdict.message} at column {verdict.position + 1}"
        result: dict[str, Any] = {"node": question.node, "phase": question.phase, "field": question.field}
        if question.field == LOCAL:
            result["consumer"] = question.consumer
        result.update(verdict=verdict.verdict, diagnosis=diagnosis, expected=expected_json(question, answer))
        results.append(result)
    correct = sum(r["verdict"] == CORRECT for r in results)
    return {
        "lesson": practice.lesson,
        "settings": practice.settings,
        "results": results,
        "score": {"correct": correct, "total": len(results)},
    }
