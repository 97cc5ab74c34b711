"""The handouts the tests read: every lesson at small options, each made once (methods and symmetry take a while)."""

from __future__ import annotations

import functools
import re

from backprop_tui.handout import WITH_BLANKS, handout
from backprop_tui.lessons import LESSONS

# a hostile function: names with underscores, a name that looks like a Greek letter, constants, powers, a root
HOSTILE = "a_b__c + rate*x_1^2 - sqrt(abs(theta))/(e+pi) + 2^x_1"

CASES = {
    "mlp": {},
    "graph": {},
    "expr": {},
    "hostile": {"expr": HOSTILE, "at": (("a_b__c", 2.0),)},
    "chain": {},
    "methods": {},
    "symmetry": {"steps": 100},
}
LESSON_OF = {"hostile": "expr"}


def lesson_of(case: str) -> str:
    return LESSON_OF.get(case, case)


def options_of(case: str):
    return LESSONS[lesson_of(case)].options(**CASES[case])


@functools.cache
def made(case: str, fmt: str, blank: bool) -> str:
    return handout(lesson_of(case), options_of(case), fmt, blank)


def sheets():
    """(case, blank) for every key, and every sheet a lesson has."""
    return [(case, blank) for case in CASES for blank in (False, True) if not blank or lesson_of(case) in WITH_BLANKS]


NUMBER = re.compile(r"(?<![\w.⁽₀-₉])-?(?:\d+\.\d*|\d+|\.\d+)(?:e-?\d+)?(?![\w⁾])")


def numbers(text: str) -> list[float]:
    """Every ASCII number in a text."""
    return [float(m) for m in NUMBER.findall(text)]


def has_close(found: list[float], value: float, rel: float = 2e-3) -> bool:
    """Whether a number printed with 4 significant digits is there for value (rounding allowed for)."""
    return any(abs(x - value) <= rel * abs(value) + 1e-12 for x in found)
