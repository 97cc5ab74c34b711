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
"""


def test_opening_one_lesson_loads_no_other():
    # start-up pays only for the lesson it shows; the registry alone names them all
    result = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["backprop_tui.lessons.base", "backprop_tui.lessons.mlp"]
