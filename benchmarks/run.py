"""Speed of backprop-tui against its floor and its peers, measured side by side in one run.

    python benchmarks/run.py           the full table (a few minutes)
    python benchmarks/run.py --quick   every row once, small sizes (a smoke test)

Each ratio alternates the two sides (A B A B …) and compares medians, so a
machine that slows down mid-run slows both sides alike.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backprop_tui.engine import Graph, ops, passes  # noqa: E402
from backprop_tui.engine.arrays import frozen  # noqa: E402
from backprop_tui.lessons import LESSONS, ExprOptions, GraphOptions, MlpOptions, SymmetryOptions  # noqa: E402
from backprop_tui.lessons.mlp import build_graph, default_x, initial_parameters  # noqa: E402
from backprop_tui.lessons.options import METHODS_MAX_D, METHODS_MAX_H  # noqa: E402


def alternate(a: Callable[[], float], b: Callable[[], float], rounds: int) -> tuple[float, float]:
    """Median of each side over rounds run A B A B …; each callable returns one measurement."""
    xs, ys = [], []
    for _ in range(rounds):
        xs.append(a())
        ys.append(b())
    return statistics.median(xs), statistics.median(ys)


def timed(f: Callable[[], object], repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        f()
    return (time.perf_counter() - start) / repeat


# --- rows 1 and 2: start-up, whole process ---

def run_process(command: list[str], report: Path) -> tuple[float, float]:
    """Wall time and peak resident memory (MiB) of one child process, run through peak.py."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "peak.py"), str(report), *command],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    status = child.wait()
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{command} failed with status {status}")
    return elapsed, int(report.read_text(encoding="ascii")) / 1024


def startup(rounds: int) -> dict[str, tuple[float, float]]:
    """Median wall time (s) and peak memory (MiB) of ours, the minimal app, and the minimal app importing numpy.

    The third is the floor for any app that computes with numpy; the table shows
    ours against it in brackets.
    """
    # Installing compiles a package's bytecode, as it did textual's; an editable checkout under
    # PYTHONDONTWRITEBYTECODE would otherwise compile our sources again in every run.
    compileall.compile_dir(ROOT / "backprop_tui", quiet=1)
    minimal = str(ROOT / "benchmarks" / "minimal_app.py")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        commands = {
            "ours": ["-m", "backprop_tui", "--screenshot", f"{tmp}/ours.svg", "--size", "80x24"],
            "floor": [minimal, f"{tmp}/floor.svg"],
            "numpy": [minimal, f"{tmp}/numpy.svg", "--numpy"],
        }
        runs = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                runs[name].append(run_process(command, folder / name))
    return {
        name: (statistics.median(t for t, _ in results), statistics.median(m for _, m in results))
        for name, results in runs.items()
    }


# --- rows 3 and 4: a key press until the panels are updated ---

def key_press_ms(settings: MlpOptions, presses: int) -> tuple[float, float]:
    """Median ms of a step action: the app's own work, and that plus rendering every panel's lines.

    Neither waits for a frame: Textual's 60 fps refresh cap is left out.
    """
    from textual.geometry import Region

    from backprop_tui.ui.app import BackpropApp

    async def run() -> float:
        app = BackpropApp("mlp", settings)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            panels = [app.query_one(s) for s in ("#graph", "#step", "#tensors", "#why", "#progress")]
            handled, rendered = [], []
            for _ in range(presses):
                start = time.perf_counter()
                if app.cursor == len(app.walk.trace):
                    app.action_first()
                else:
                    app.action_next()
                handled.append(time.perf_counter() - start)
                for panel in panels:
                    panel.render_lines(Region(0, 0, panel.size.width, panel.size.height))
                rendered.append(time.perf_counter() - start)
            return statistics.median(handled) * 1000, statistics.median(rendered) * 1000

    return asyncio.run(run())


# --- row 5: the engine against the course's closed forms ---

def engine_vs_closed_form(d: int, h: int, rounds: int, repeat: int) -> tuple[float, float]:
    params = {k: frozen(v) for k, v in initial_parameters(MlpOptions(d=d, h=h)).items()}
    x = frozen(default_x(d))
    W0, b0, W1, b1 = params["W0"], params["b0"], params["W1"], params["b1"]

    def engine():
        graph, y = build_graph(x, params)
        return passes.run(graph, y)

    def closed_form():
        z = ops.stable_sigmoid(W0 @ x + b0)
        y = W1 @ z + b1
        dv = W1[0] * z * (1 - z)
        return y, np.outer(dv, x), dv, z, dv @ W0

    return alternate(lambda: timed(engine, repeat), lambda: timed(closed_form, repeat), rounds)


# --- row 6: training on XOR against micrograd ---

XOR = SymmetryOptions(d=2, h=4, seed=1)


def xor_start() -> tuple[object, dict[str, np.ndarray]]:
    """The symmetry lesson's XOR problem (sigmoid, its learning rate) and a seeded random start."""
    from backprop_tui.lessons import symmetry

    problem = symmetry.problem(symmetry.config(XOR))
    return problem, symmetry.random_parameters(XOR.d, XOR.h, XOR.seed)


def train_engine(steps: int) -> float:
    """Full-batch gradient descent through the engine, the same loop as micrograd's below.

    The symmetry lesson's graph, compiled once into a Tape; each step is one
    forward and backward pass and the update, without the lesson's bookkeeping
    (loss history, row differences) that micrograd's loop does not do either.
    """
    from backprop_tui.engine.tape import Tape
    from backprop_tui.lessons import symmetry

    problem, params = xor_start()
    tape = Tape(*symmetry.build_graph(problem, params), wrt=list(params))
    with np.errstate(all="ignore"):
        for _ in range(steps):
            loss, grads = tape(**params)
            params = {k: v - problem.lr * grads[k] for k, v in params.items()}
    return float(loss)


def train_micrograd(steps: int) -> float | None:
    """The same network, data, start, loss and learning rate, one scalar Value at a time."""
    try:
        from micrograd.engine import Value
    except ImportError:
        return None

    def sigmoid(v: Value) -> Value:
        s = 1.0 / (1.0 + math.exp(-v.data))
        out = Value(s, (v,), "σ")

        def _backward():
            v.grad += s * (1 - s) * out.grad

        out._backward = _backward
        return out

    problem, p = xor_start()
    X, T, lr = problem.X, problem.t, problem.lr
    W0 = [[Value(float(w)) for w in row] for row in p["W0"]]
    b0 = [Value(float(b)) for b in p["b0"]]
    W1 = [Value(float(w)) for w in p["W1"][0]]
    b1 = Value(float(p["b1"]))
    every = [w for row in W0 for w in row] + b0 + W1 + [b1]
    for _ in range(steps):
        loss = Value(0.0)
        for x, t in zip(X, T, strict=True):
            z = [
                sigmoid(sum((w * float(xi) for w, xi in zip(row, x, strict=True)), b))
                for row, b in zip(W0, b0, strict=True)
            ]
            y = sum((w * zi for w, zi in zip(W1, z, strict=True)), b1)
            loss = loss + (y - float(t)) ** 2 * (0.5 / len(T))
        for v in every:
            v.grad = 0
        loss.backward()
        for v in every:
            v.data -= lr * v.grad
    return loss.data


# --- row 7: long chains ---

def chain_seconds_per_node(length: int) -> float:
    graph = Graph()
    node = graph.input("a", 0.5)
    for _ in range(length):
        node = graph.apply(ops.sigmoid, node)
    start = time.perf_counter()
    passes.gradients(graph, node)
    return (time.perf_counter() - start) / length


def micrograd_chain_fails(length: int = 1000) -> str:
    try:
        from micrograd.engine import Value
    except ImportError:
        return "micrograd not installed"
    v = Value(0.5)
    for _ in range(length):
        v = v * 1.0
    try:
        v.backward()
    except RecursionError:
        return f"micrograd: RecursionError at {length}"
    return f"micrograd: ok at {length}"


# --- row 11: typed functions at the size limit, linear in their size ---

def expr_walkthrough_seconds(terms: int, rounds: int) -> float:
    """Best time to build the expr lesson on x + x + … + x and write every text a screen or export shows."""
    def once(spaces: int) -> float:
        text = " " * spaces + " + ".join(["x"] * terms)  # a new text each round: the lesson caches parses
        start = time.perf_counter()
        walk = LESSONS["expr"].build(ExprOptions(expr=text))
        written = 0
        for step in walk.trace.steps:
            written += len(step.equation) + len(step.shapes) + sum(len(term.derivative) for term in step.terms)
        assert written > 0
        return time.perf_counter() - start

    return min(once(k) for k in range(rounds))


# --- row 12: the slowest key of each lesson at its largest allowed options ---

SCREEN_KEYS = {  # (key, action) pairs whose work is measured; the action of a key as its binding names it
    "mlp": (("n", "next"), ("i", "cycle_init")),
    "graph": (("n", "next"),),
    "symmetry": (("t", "train(1)"), ("T", "train(10)"), ("r", "reseed"), ("c", "cycle_constant"), ("s", "nudge")),
    "chain": (("l", "size('l', 1)"), ("r", "reseed"), ("w", "wrong_order")),
}


def largest_options(quick: bool) -> dict[str, object]:
    """Each lesson at the largest options it accepts (smaller for --quick where that takes seconds)."""
    from backprop_tui.lessons import ChainOptions, GraphOptions, MethodsOptions
    from backprop_tui.lessons.options import CHAIN_LIMIT, MAX_D, MAX_H, METHODS_MAX_D, METHODS_MAX_H

    d, h = (784, 256) if quick else (MAX_D, MAX_H)
    c = 16 if quick else CHAIN_LIMIT
    return {
        "mlp": MlpOptions(d=d, h=h),
        "graph": GraphOptions(),
        "symmetry": SymmetryOptions(d=8, h=16),
        "chain": ChainOptions(l=c - 1, n=c, m=c),  # key l makes it c³
        "methods": MethodsOptions(d=METHODS_MAX_D, h=METHODS_MAX_H),
    }


async def _settled(app, pilot, patience: float = 600.0) -> None:
    """Wait for the lesson's workers and for the screen to process what the key posted (however long it draws)."""
    from textual.pilot import WaitForScreenTimeout
    from textual.worker import WorkerCancelled, WorkerFailed

    for worker in list(app.workers):
        try:
            await worker.wait()
        except (WorkerCancelled, WorkerFailed):
            pass
    deadline = time.perf_counter() + patience
    while True:
        try:
            await pilot.pause(0)
            return
        except WaitForScreenTimeout:
            if time.perf_counter() > deadline:
                raise


async def _action_seconds(app, pilot, target, action: str) -> float:
    """UI-thread time of one key's action (handler and the watchers it sets off); then the screen settles."""
    start = time.perf_counter()
    await target.run_action(action)
    seconds = time.perf_counter() - start
    await _settled(app, pilot)
    return seconds


UNDO = {"size('l', 1)": "size('l', -1)"}  # a key that would be refused the second time is undone between rounds


def slowest_key(
    lesson: str, options: object, rounds: int, keys: tuple[tuple[str, str], ...]
) -> tuple[str, float]:
    """The key of the lesson whose action keeps the UI thread longest (median over rounds), and that time."""
    from backprop_tui.ui.app import BackpropApp

    async def run() -> tuple[str, float]:
        app = BackpropApp(lesson, options)
        async with app.run_test(size=(120, 40)) as pilot:
            await _settled(app, pilot)
            target = app if lesson in ("mlp", "graph") else app.screen
            times = {}
            for key, action in keys:
                if action == "next":  # the slowest step of a whole walk through the trace, then back to its start
                    walks = []
                    for _ in range(rounds):
                        length = len(app.walk.trace)
                        walks.append(max([await _action_seconds(app, pilot, target, "next") for _ in range(length)]))
                        await target.run_action("first")
                    times[key] = statistics.median(walks)
                    continue
                measured = []
                for k in range(rounds):
                    if k and action in UNDO:
                        await target.run_action(UNDO[action])
                        await _settled(app, pilot)
                    measured.append(await _action_seconds(app, pilot, target, action))
                times[key] = statistics.median(measured)
            key = max(times, key=times.__getitem__)
            return key, times[key]

    return asyncio.run(run())


def expr_submit_seconds(terms: int) -> float:
    """UI-thread time of enter in lesson expr's field with x + x + … + x: parse, build, load the walkthrough."""
    from backprop_tui.ui.app import BackpropApp
    from backprop_tui.ui.widgets.expr_bar import ExprBar

    async def run() -> float:
        app = BackpropApp("expr", ExprOptions())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0)
            bar = app.query_one(ExprBar)
            text = " + ".join(["x"] * terms)
            start = time.perf_counter()
            app.on_expr_bar_submitted(ExprBar.Submitted(bar, text, "x=1", False))
            seconds = time.perf_counter() - start
            await pilot.pause(0)
            return seconds

    return asyncio.run(run())


def milliseconds(seconds: float) -> str:
    """1.5 ms, 15.2 ms, 1,003 ms: a tenth of a millisecond only where it is not noise."""
    return f"{seconds * 1e3:,.1f} ms" if seconds < 0.1 else f"{seconds * 1e3:,.0f} ms"


PROBE = 0.004  # the stall probe wakes this often: often enough to catch a frame's delay, rarely enough not to cost one


def methods_key(options: object, rounds: int) -> tuple[float, float, float, float]:
    """Lesson methods at its caps, key e and E in turn (each reruns everything): median UI-thread time of the key,
    of drawing the result when it lands, the worker's time from key to result, and the event loop's longest stall
    while the worker runs (the worker holds Python's GIL between numpy calls)."""
    from backprop_tui.ui.app import BackpropApp

    async def run() -> tuple[float, float, float, float]:
        app = BackpropApp("methods", options)
        async with app.run_test(size=(120, 40)) as pilot:
            await _settled(app, pilot)
            screen = app.screen
            handled, landed, worked, stalls = [], [], [], []
            for k in range(rounds):
                stall = 0.0
                start = time.perf_counter()
                screen.action_epsilon(1 if k % 2 == 0 else -1)
                handled.append(time.perf_counter() - start)
                worker = screen.worker
                while worker.is_running or worker.state.name == "PENDING":
                    tick = time.perf_counter()
                    await asyncio.sleep(PROBE)
                    stall = max(stall, time.perf_counter() - tick - PROBE)
                worked.append(time.perf_counter() - start)
                stalls.append(stall)
                await _settled(app, pilot)
                start = time.perf_counter()
                screen.refresh_page()  # what the result landing does on the UI thread
                landed.append(time.perf_counter() - start)
            return tuple(statistics.median(x) for x in (handled, landed, worked, stalls))  # type: ignore[return-value]

    return asyncio.run(run())


# --- row 13: judging one practice answer ---


def judge_ms(lesson: str, options, node: str, answers: list[str], rounds: int) -> float:
    """The slowest answer's median time to judge (parse, evaluate at the point and the other points, diagnose).

    The lesson's practice (its questions, the lesson re-run at the other points) is built once
    and kept by the app, so it is made and warmed by a first answer before timing.
    """
    from backprop_tui.practice import clear_cache, judge, practice_for

    clear_cache()
    question = practice_for(lesson, options).question("backward", node, "grad")
    for answer in answers:
        judge(question, answer)  # the first answer also prepares the diagnoses
    worst = 0.0
    for answer in answers:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            judge(question, answer)
            times.append(time.perf_counter() - start)
        worst = max(worst, statistics.median(times))
    return worst * 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="each row once with small sizes")
    args = parser.parse_args(argv)
    quick = args.quick
    rounds = 1 if quick else 5

    import textual

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, textual {textual.__version__}")
    print()
    def row(number: int, what: str, value: str, target: str) -> None:
        print(f"| {number} | {what} | {value} | {target} |", flush=True)

    print("| # | what | measured | target |")
    print("|---|---|---|---|")
    runs = startup(rounds)
    (t_ours, m_ours), (t_floor, m_floor), (t_numpy, m_numpy) = runs["ours"], runs["floor"], runs["numpy"]
    row(
        1,
        "start to first frame, ours ÷ minimal Textual app [÷ minimal app importing numpy]",
        f"{t_ours / t_floor:.2f} ({t_ours:.2f} s ÷ {t_floor:.2f} s) [{t_ours / t_numpy:.2f}]",
        "≤ 1.3",
    )
    row(
        2,
        "peak memory of that run, ours ÷ minimal [÷ minimal importing numpy]",
        f"{m_ours / m_floor:.2f} ({m_ours:.1f} MiB ÷ {m_floor:.1f} MiB) [{m_ours / m_numpy:.2f}]",
        "≤ 1.5",
    )

    presses = 20 if quick else 200
    for number, label, settings, target in (
        (3, "default size", MlpOptions(), "≤ 2 ms"),
        (4, "--d 784 --h 256", MlpOptions(d=784, h=256), "≤ 16 ms"),
    ):
        handled, rendered = key_press_ms(settings, presses)
        row(
            number,
            f"key press to panels updated, {label}: app's work / with rendering",
            f"{handled:.2f} ms / {rendered:.2f} ms",
            target,
        )

    small_ours, small_floor = engine_vs_closed_form(2, 4, rounds * 4, 50 if quick else 500)
    large = (64, 128) if quick else (784, 1024)
    large_ours, large_floor = engine_vs_closed_form(*large, rounds * 2, 2 if quick else 20)
    row(
        5,
        f"engine forward+backward with trace ÷ closed form, (2, 4) and {large}",
        f"{small_ours / small_floor:.1f} ({small_ours * 1e6:.0f} µs ÷ {small_floor * 1e6:.0f} µs) and "
        f"{large_ours / large_floor:.2f} ({large_ours * 1e3:.2f} ms ÷ {large_floor * 1e3:.2f} ms)",
        "≤ 3 and ≤ 1.2",
    )

    steps = 20 if quick else 1000
    theirs = train_micrograd(1)
    if theirs is None:
        row(
            6,
            f"{steps} gradient-descent steps on XOR, ours ÷ micrograd",
            "micrograd not installed (pip install -e '.[bench]')",
            "≤ 0.1",
        )
    else:
        ours_s, theirs_s = alternate(
            lambda: timed(lambda: train_engine(steps)), lambda: timed(lambda: train_micrograd(steps)), 1 if quick else 3
        )
        row(
            6,
            f"{steps} gradient-descent steps on XOR, ours ÷ micrograd",
            f"{ours_s / theirs_s:.3f} ({ours_s:.3f} s ÷ {theirs_s:.3f} s)",
            "≤ 0.1",
        )

    lengths = (1_000, 10_000) if quick else (1_000, 10_000, 100_000, 1_000_000)
    per_node = {n: min(chain_seconds_per_node(n) for _ in range(1 if quick or n >= 100_000 else 3)) for n in lengths}
    spread = max(per_node.values()) / min(per_node.values())
    detail = ", ".join(f"{n:,}: {t * 1e6:.1f} µs" for n, t in per_node.items())
    row(
        7,
        "backward through chains, time per node largest ÷ smallest",
        f"{spread:.2f} ({detail}; {micrograd_chain_fails()})",
        "≤ 2",
    )

    if "expr" in LESSONS:
        from backprop_tui.engine.expr import parse

        terms = 1_000 if quick else 10_000
        text = " + ".join(f"{i % 7 + 1}*sin(x{i % 50})" for i in range(terms))
        point = {f"x{i}": 0.5 for i in range(50)}
        seconds = min(timed(lambda: parse(text).graph(point)) for _ in range(rounds))
        whole = min(timed(lambda: LESSONS["expr"].build(ExprOptions(expr=text))) for _ in range(rounds))
        row(
            8,
            f"parse + build a {terms:,}-term expression (the whole walkthrough)",
            f"{seconds:.3f} s ({whole:.2f} s)",
            "≤ 0.1 s",
        )
    else:
        row(8, "parse + build a 10,000-term expression", "n/a: no expr lesson", "≤ 0.1 s")
    if "symmetry" in LESSONS:
        from backprop_tui.export import write_json

        steps = 100 if quick else 10_000
        with open(os.devnull, "w", encoding="utf-8") as sink:  # the history trains as it is written
            seconds = min(
                timed(lambda: write_json(LESSONS["symmetry"].export(SymmetryOptions(steps=steps)), sink))
                for _ in range(rounds)
            )
        row(9, f"{steps:,} symmetry training steps exported", f"{seconds:.2f} s", "≤ 2 s")
        steps = 2_000 if quick else 100_000
        with tempfile.TemporaryDirectory() as tmp:
            command = ["-m", "backprop_tui", "symmetry", "--d", "8", "--h", "16", "--steps", str(steps),
                       "--export", "json", "-o", f"{tmp}/s.json"]
            seconds, peak = run_process(command, Path(tmp) / "peak")
        row(
            10,
            f"symmetry --d 8 --h 16 --steps {steps:,} exported to a file: time, peak memory",
            f"{seconds:.1f} s, {peak:.0f} MiB",
            "≤ 500 MiB",
        )
    else:
        row(9, "10,000 symmetry training steps exported", "n/a: no symmetry lesson", "≤ 2 s")
    if "expr" in LESSONS:
        small, large = (500, 5_000) if quick else (4_999, 49_999)  # 49,999 uses all of MAX_NODES
        t_small, t_large = expr_walkthrough_seconds(small, rounds), expr_walkthrough_seconds(large, rounds)
        row(
            11,
            f"expr walkthrough of x + x + … + x with every text, {large:,} terms ÷ {small:,}",
            f"{t_large / t_small:.1f} ({t_large:.2f} s ÷ {t_small:.3f} s)",
            "≈ 10 (linear), ≤ 2 s",
        )
    else:
        row(11, "expr walkthrough of x + x + … + x, 49,999 terms ÷ 4,999", "n/a: no expr lesson", "≈ 10, ≤ 2 s")

    largest = largest_options(quick)
    key_rounds = 1 if quick else 3
    parts = []
    for lesson in ("mlp", "graph", "symmetry", "chain"):
        if lesson in LESSONS:
            # chain at 64³ took about a minute a key when this row was added: only its size key, once
            keys = SCREEN_KEYS[lesson][:1] if lesson == "chain" and not quick else SCREEN_KEYS[lesson]
            key, seconds = slowest_key(lesson, largest[lesson], 1 if lesson == "chain" else key_rounds, keys)
            parts.append(f"{lesson} {key}: {milliseconds(seconds)}")
    if "expr" in LESSONS:
        terms = 5_000 if quick else 49_999
        parts.append(f"expr enter ({terms:,} terms): {milliseconds(expr_submit_seconds(terms))}")
    handled, landed, worked, stall = methods_key(largest["methods"], 2 if quick else 6)
    parts.append(
        f"methods e: {handled * 1e3:.1f} ms, result drawn {landed * 1e3:.1f} ms "
        f"(worker {worked * 1e3:,.0f} ms behind \"computing…\", loop stalls ≤ {stall * 1e3:.1f} ms)"
    )
    mlp = largest["mlp"]
    assert isinstance(mlp, MlpOptions)
    row(
        12,
        f"slowest key per lesson at its largest options (mlp d = {mlp.d}, h = {mlp.h}; symmetry 8, 16; "
        f"chain {largest['chain'].n}³; methods {METHODS_MAX_D}, {METHODS_MAX_H}), UI thread",
        "; ".join(parts),
        "≤ 16 ms, else progress shown",
    )

    judged = 10 if quick else 50
    graph_answers = ["6*x^2 - 12*x*z1/z2^2", "dz4/dz3*3*x^2 + dz4/dz2*2*x", "5.955", "6*x^2", "2*x"]
    graph_ms = judge_ms("graph", GraphOptions(), "x", graph_answers, judged)
    nested = "sin(" * 1000 + "x" + ")" * 1000  # 1,001 nodes in a chain: the answer is a product of 1,000 cosines
    product = "*".join(["cos(x)"] + [f"cos(z{k})" for k in range(1, 1000)])
    expr_ms = judge_ms("expr", ExprOptions(expr=nested), "x", [product, product + "*2", "cos(x)", "1"], judged)
    row(
        13,
        "judging one practice answer, slowest of right and wrong ones: graph; expr of 1,001 nodes",
        f"{graph_ms:.2f} ms; {expr_ms:.1f} ms",
        "≤ 5 ms; ≤ 20 ms",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
