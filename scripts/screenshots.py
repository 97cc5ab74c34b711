"""Regenerate every picture in screenshots/ through the app's own --screenshot option."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHOTS = {
    "mlp-forward.svg": ["mlp", "--press", "n,n"],
    "mlp-backward.svg": ["mlp", "--press", "f,n,n,n,n,n"],
    "mlp-zero-init.svg": ["mlp", "--init", "zero", "--press", "end"],
    "graph-x-two-paths.svg": ["graph", "--press", "end"],
    "mlp-large.svg": ["mlp", "--d", "784", "--h", "256", "--press", "end,p"],
    "help.svg": ["--press", "question_mark"],
    "symmetry.svg": ["symmetry", "--press", "T,T,T,T,T,T,T,T,T,T"],
    "methods.svg": ["methods"],
    "chain.svg": ["chain"],
    "expr.svg": ["expr", "--expr", "x*sin(y) + x^2", "--at", "x=1,y=2", "--press", "end"],
    # practice: steps 1–9 revealed, then at x a right local derivative and a path left out
    "practice.svg": ["graph", "--practice", "all", "--press",
                     ",".join(["n,ctrl+r"] * 9) + ",n,text:3*x^2,enter,text:2*x,enter,text:6*x^2,enter"],
    "projector.svg": ["mlp", "--theme", "projector", "--press", "f,n,n,n,n,n"],
}


def main() -> int:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    for name, args in SHOTS.items():
        command = [sys.executable, "-m", "backprop_tui", *args, "--size", "120x40", "--screenshot", str(out / name)]
        subprocess.run(command, check=True)
        print(f"wrote screenshots/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
