"""What each layer imports: the engine, lessons, export and CLI never textual or rich; a lesson only when used."""

import subprocess
import sys

CHECK = """
import sys
import backprop_tui.engine
engine = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))
import backprop_tui.lessons, backprop_tui.export, backprop_tui.__main__
rest = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))
print(len(engine), len(rest))
"""


def test_engine_lessons_export_and_cli_import_no_ui():
    # a fresh interpreter: this pytest process may already hold textual from the UI tests
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "0"]


LAZY = """
import sys
from backprop_tui.lessons import LESSONS, Settings
LESSONS["mlp"].validate(Settings())
import backprop_tui.ui.app
print(" ".join(sorted(m for m in sys.modules if m.startswith("backprop_tui.lessons."))))
print("numpy.random" in sys.modules)
"""


def test_opening_one_lesson_loads_no_other_and_no_numpy_random():
    # start-up pays only for the lesson it shows; the registry alone names them all
    result = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    modules, random_loaded = result.stdout.splitlines()
    loaded = set(modules.split())
    assert "backprop_tui.lessons.mlp" in loaded
    others = {f"backprop_tui.lessons.{name}" for name in ("graph", "symmetry", "methods", "chain", "expr")}
    assert not loaded & others
    assert random_loaded == "False", "numpy.random alone costs the first frame about 3 MB and 10 ms"
