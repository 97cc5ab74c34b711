"""Every lesson's LaTeX, key and sheet, compiles with plain pdflatex (skipped where pdflatex is not installed)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from handout_cases import made, sheets

PDFLATEX = shutil.which("pdflatex")
pytestmark = pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (Debian: texlive-latex-base)")


@pytest.mark.parametrize("case, blank", sheets())
def test_compiles(case, blank, tmp_path):
    assert PDFLATEX is not None
    (tmp_path / "handout.tex").write_text(made(case, "latex", blank), encoding="ascii")
    result = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "handout.tex"],
        cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
    )
    log = (tmp_path / "handout.log").read_text(encoding="latin-1") if (tmp_path / "handout.log").exists() else ""
    assert result.returncode == 0, log[-3000:]
    assert (tmp_path / "handout.pdf").stat().st_size > 1000
    assert "Overfull \\hbox" not in log  # nothing runs off the page at these sizes
