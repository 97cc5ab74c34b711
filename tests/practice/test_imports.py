"""The practice package is the app's and --check's alike: no textual or rich, and only the lesson it is asked about."""

import subprocess
import sys

CHECK = """
import sys
from backprop_tui.lessons import GraphOptions
from backprop_tui.practice import judge, practice_for
practice = practice_for("graph", GraphOptions())
assert judge(practice.question("backward", "x", "grad"), "6*x^2 - 12*x*z1/z2^2").correct
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))) or "-")
print(" ".join(sorted(m for m in sys.modules if m.startswith("backprop_tui.lessons."))))
print("numpy.random" in sys.modules)
"""


def test_practice_imports_no_ui_and_no_other_lesson():
    # a fresh interpreter: this pytest process may already hold textual from other tests
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    ui, lessons, random_loaded = result.stdout.splitlines()
    assert ui == "-"
    loaded = set(lessons.split())
    assert "backprop_tui.lessons.graph" in loaded
    assert not loaded & {f"backprop_tui.lessons.{name}" for name in ("mlp", "symmetry", "methods", "chain", "expr")}
    assert random_loaded == "False"
