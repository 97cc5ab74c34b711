"""The wheel must carry every non-Python file the app loads (the .tcss above all)."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parent.parent


def test_package_data_covers_every_resource_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    resources = [
        p for p in (ROOT / "backprop_tui").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert any(p.suffix == ".tcss" for p in resources), "the app's stylesheet should exist"
    for path in resources:
        package = ".".join(path.parent.relative_to(ROOT).parts)
        globs = package_data.get(package, [])
        assert any(fnmatch(path.name, g) for g in globs), f"{path.relative_to(ROOT)} is not in package-data"


def test_console_script_points_at_main():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["scripts"]["backprop-tui"] == "backprop_tui:main"
    from backprop_tui import main

    assert callable(main)
