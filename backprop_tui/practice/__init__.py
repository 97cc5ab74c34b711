"""Practice: the questions each step asks, reading and judging answers, diagnosing known mistakes.

No textual here: the app and `--check` use the same calls.

    from backprop_tui.practice import judge, practice_for
    practice = practice_for("graph", GraphOptions())   # kept per (lesson, options)
    for question in practice.step_questions(9):          # the backward step of x
        print(question.prompt, question.form)
    verdict = judge(question, "dz4/dz3*3*x^2 + dz4/dz2*2*x")
    verdict.verdict, verdict.message, verdict.position   # "correct", "Right.", None

See questions.py for what is asked, answers.py for what may be typed (and the
dOUT/dNODE spelling of a gradient already found), compare.py for when numbers
agree, diagnose.py for the mistakes recognised, check.py for the graders' file.
"""

from .answers import AnswerError, Formula, Names, Numbers, Order, Shape
from .judge import CORRECT, INVALID, WRONG, Verdict, judge
from .questions import (
    FIELDS,
    WITH_QUESTIONS,
    ChainPractice,
    Practice,
    Question,
    QuestionError,
    WalkPractice,
    clear_cache,
    practice_for,
)

__all__ = [
    "CORRECT",
    "FIELDS",
    "INVALID",
    "WITH_QUESTIONS",
    "WRONG",
    "AnswerError",
    "ChainPractice",
    "Formula",
    "Names",
    "Numbers",
    "Order",
    "Practice",
    "Question",
    "QuestionError",
    "Shape",
    "Verdict",
    "WalkPractice",
    "clear_cache",
    "judge",
    "practice_for",
]
