"""layout/ is the standard library only; render/ may use rich (and numpy, through the lessons) but never textual."""

import subprocess
import sys

CHECK = """
import sys
import pkgutil, importlib
import backprop_tui.{package} as package
for module in pkgutil.iter_modules(package.__path__):
    importlib.import_module(package.__name__ + "." + module.name)
print(" ".join(sorted({{m.split('.')[0] for m in sys.modules}} & {{'textual', 'rich', 'numpy'}})))
"""


def imported(package: str) -> set[str]:
    """Which of textual, rich and numpy importing every module of the package loads, in a fresh interpreter."""
    command = [sys.executable, "-c", CHECK.format(package=package)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_layout_imports_neither_textual_rich_nor_numpy():
    assert imported("layout") == set()


def test_render_imports_no_textual():
    assert "textual" not in imported("render")
