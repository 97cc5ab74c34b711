"""Judging one answer: read it, compare it with the true one, and diagnose it when it is wrong.

    practice = practice_for("graph", GraphOptions())
    question = practice.question("backward", "z2", "local")
    verdict = judge(question, "-6*z1/z2^2")        # verdict.verdict == "correct"

An answer is text as typed (or, from a JSON file, a number or a list of numbers).
Typed numbers are compared at the lesson's point to 3 significant figures (see
compare.py); a formula (graph, expr) must equal the true one at the lesson's point
and at the other points (see points.py). Text that cannot be read is "invalid",
never "wrong": its message says why and `position` where (0-based), for a caret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..engine.expr import caret_lines
from .answers import (
    NOT_FINITE,
    Answer,
    AnswerError,
    Formula,
    Numbers,
    Order,
    Shape,
    numbers_from_json,
    parse_formula,
    parse_numbers,
    parse_order,
    parse_shape,
)
from .compare import agrees, same_function
from .diagnose import diagnose_formula, diagnose_numbers, diagnose_order, diagnose_shape, expected_of, fit
from .questions import ORDER, SHAPE, VALUE, Question, WalkPractice

CORRECT, WRONG, INVALID = "correct", "wrong", "invalid"
_NOT_NUMBERS = re.compile(r"[^0-9.eE+\-−,;\[\]\s]")  # a character no typed number has: read a formula


@dataclass(frozen=True)
class Verdict:
    """The judgement of one answer.

    verdict    "correct", "wrong" or "invalid"
    message    one line for the student: "Right.", the diagnosis, "Not right." or why it cannot be read
    diagnosis  the known mistake in plain words, or None
    position   for "invalid": the 0-based column of the problem in the typed text
    answer     the answer as read (None when invalid)
    """

    verdict: str
    message: str
    diagnosis: str | None = None
    position: int | None = None
    answer: Answer | None = None

    @property
    def correct(self) -> bool:
        return self.verdict == CORRECT

    def caret(self, text: str, width: int = 60) -> tuple[str, str] | None:
        """For an invalid typed answer: the text around the problem and a line with a caret under it."""
        return None if self.position is None else caret_lines(text, self.position, width)


def read(question: Question, answer: object) -> Answer:
    """An answer read for this question; AnswerError when it cannot be."""
    if question.field == SHAPE:
        if not isinstance(answer, str):
            raise AnswerError("give a shape as text: ROWSxCOLS", 0)
        return parse_shape(answer)
    if question.field == ORDER:
        if not isinstance(answer, str):
            raise AnswerError("give the order as text: fg or gf", 0)
        return parse_order(answer)
    if not isinstance(answer, str):
        return numbers_from_json(answer)
    if (
        not question.formulas
        or question.names is None
        or not _NOT_NUMBERS.search(answer)
        or NOT_FINITE.fullmatch(answer)
    ):
        try:
            return parse_numbers(answer)
        except AnswerError:
            if not question.formulas or question.names is None:
                raise
    return parse_formula(answer, question.names)


def reads_formula(question: Question, answer: object) -> bool:
    """Whether this answer is read as a formula (text with a character no typed number has, where formulas go)."""
    if not (question.formulas and isinstance(answer, str)):
        return False
    return _NOT_NUMBERS.search(answer) is not None and not NOT_FINITE.fullmatch(answer)


def judge(question: Question, answer: object) -> Verdict:
    """Judge one answer to one question."""
    try:
        read_answer = read(question, answer)
    except AnswerError as error:
        return Verdict(INVALID, error.message, error.message, error.position)
    if isinstance(read_answer, Shape):
        return _shape(question, read_answer)
    if isinstance(read_answer, Order):
        if read_answer.first == question.expected:
            return Verdict(CORRECT, "Right.", answer=read_answer)
        return _wrong(diagnose_order(question, read_answer.first), read_answer)
    if isinstance(read_answer, Formula):
        return _formula(question, read_answer)
    return _numbers(question, read_answer)


def _wrong(diagnosis: str | None, answer: Answer) -> Verdict:
    return Verdict(WRONG, diagnosis or "Not right.", diagnosis, answer=answer)


def same_shape(given: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    """Shapes as typed: a scalar's is 1×1, 1 or ()."""
    if expected == (1, 1):
        return given in ((), (1,), (1, 1))
    return given == expected


def _shape(question: Question, answer: Shape) -> Verdict:
    if same_shape(answer.dims, question.expected):
        return Verdict(CORRECT, "Right.", answer=answer)
    return _wrong(diagnose_shape(question, answer.dims), answer)


def _numbers(question: Question, answer: Numbers) -> Verdict:
    expected = np.asarray(question.expected)
    practice = question.practice
    if isinstance(practice, WalkPractice) and practice.scalar:
        if answer.array.size == 1 and agrees(answer.array.reshape(()), expected):
            return Verdict(CORRECT, "Right.", answer=answer)
        return _wrong(diagnose_numbers(question, answer.array), answer)
    aligned = fit(answer.array, expected.shape, rows=question.field != VALUE, diagonal=question.diagonal)
    if aligned is not None and agrees(aligned, expected):
        return Verdict(CORRECT, "Right.", answer=answer)
    return _wrong(diagnose_numbers(question, answer.array), answer)


def _formula(question: Question, answer: Formula) -> Verdict:
    practice = question.practice
    assert isinstance(practice, WalkPractice)
    points = practice.points
    inputs = {use: points.use(use) for use in answer.uses.values()}
    values = answer.evaluate(inputs)
    expected = expected_of(question, points)
    if same_function(values, expected):
        return Verdict(CORRECT, "Right.", answer=answer)
    return _wrong(diagnose_formula(question, values), answer)
