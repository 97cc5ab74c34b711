"""The benchmark script must keep running; its timings are read by people, never asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_prints_every_row():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    rows = re.findall(r"^\| (\d+) \|", done.stdout, flags=re.MULTILINE)
    assert rows == [str(n) for n in range(1, 14)], done.stdout
    assert "machine:" in done.stdout
    keys = next(line for line in done.stdout.splitlines() if line.startswith("| 12 |"))
    for lesson in ("mlp", "graph", "symmetry", "chain", "expr enter", "methods e"):
        assert lesson in keys, keys
    assert "worker" in keys and "computing…" in keys
    judged = next(line for line in done.stdout.splitlines() if line.startswith("| 13 |"))
    assert re.search(r"\d ms; \d+\.\d ms", judged), judged
