"""Time judging one answer (parse, evaluate at the lesson's point and the other points, diagnose).

    python tests/practice/bench_judge.py

Not a test: pytest collects test_*.py only. The practice of a lesson (its questions
and the lesson re-run at the other points) is built once and kept, so the numbers
below are per answer once it exists; the one-time costs are printed apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from backprop_tui.lessons import ExprOptions, GraphOptions
from backprop_tui.practice import clear_cache, judge, practice_for

RUNS = 50


def timed(f: Callable[[], object]) -> tuple[float, float]:
    """Best and median of RUNS calls, in ms."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[0] * 1e3, times[len(times) // 2] * 1e3


def once(f: Callable[[], object]) -> float:
    start = time.perf_counter()
    f()
    return (time.perf_counter() - start) * 1e3


def report(practice_name: str, options, node: str, answers: list[str]) -> None:
    clear_cache()
    practice = None

    def make():
        nonlocal practice
        practice = practice_for(practice_name, options)

    built = once(make)
    assert practice is not None
    question = practice.question("backward", node, "grad")
    points = once(lambda: practice.points.traces)
    first = once(lambda: judge(question, answers[0]))
    size = len(practice.trace.nodes)
    print(f"{practice_name} ({size} nodes): practice {built:.1f} ms, other points {points:.1f} ms, "
          f"first answer {first:.1f} ms")
    for answer in answers:
        best, median = timed(lambda answer=answer: judge(question, answer))
        verdict = judge(question, answer)
        shown = answer if len(answer) <= 36 else answer[:33] + "…"
        print(f"  {shown!r:40} {len(answer):6} chars  best {best:6.2f} ms  median {median:6.2f} ms  {verdict.verdict}")


def main() -> None:
    report("graph", GraphOptions(), "x", [
        "6*x^2 - 12*x*z1/z2^2",
        "dz4/dz3*3*x^2 + dz4/dz2*2*x",
        "5.955",
        "6*x^2",
        "2*x",
    ])
    report("expr", ExprOptions(expr="+".join(["x"] * 1001)), "x", [
        "1001",
        "2002",
        "+".join(["x/x"] * 1001),
        "+".join(["x/x"] * 1000),
    ])
    nested = "sin(" * 1000 + "x" + ")" * 1000
    chain = "*".join(["cos(x)"] + [f"cos(z{k})" for k in range(1, 1000)])
    report("expr", ExprOptions(expr=nested), "x", [chain, chain + "*2", "cos(x)", "1"])


if __name__ == "__main__":
    main()
