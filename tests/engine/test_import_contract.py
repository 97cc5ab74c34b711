"""The engine (and the non-UI layers on top of it) never import textual or rich."""

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
