"""Run a Python program as `python` would, then write its peak resident memory (KiB) to a file.

    python benchmarks/peak.py REPORT -m module [args…]
    python benchmarks/peak.py REPORT script.py [args…]

The peak is the process's own high-water mark, VmHWM in /proc/self/status. The
rusage maximum that os.wait4 returns is no use for this: Linux carries a parent's
peak into a child it starts, so every child of the benchmark (which holds numpy
and the lessons) would report at least the benchmark's own size, and a small
program would look as big as its parent.
"""

from __future__ import annotations

import atexit
import os
import resource
import runpy
import sys


def peak_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # elsewhere: the best there is


def report(path: str) -> None:
    with open(path, "w", encoding="ascii") as out:
        out.write(str(peak_kib()))


if __name__ == "__main__":
    target, *program = sys.argv[1:]
    atexit.register(report, target)
    if program[0] == "-m":
        sys.argv = program[1:]
        sys.path[0] = os.getcwd()  # as python -m does
        runpy.run_module(program[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = program
        sys.path[0] = os.path.dirname(os.path.abspath(program[0]))  # as python script.py does
        runpy.run_path(program[0], run_name="__main__")
