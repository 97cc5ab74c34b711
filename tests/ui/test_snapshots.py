"""Snapshot tests: the screen at fixed sizes, each accepted only after being looked at."""

from __future__ import annotations

import pytest

from backprop_tui.lessons import LESSONS
from backprop_tui.ui.app import BackpropApp

SIZE = (120, 40)
SMALL = (80, 24)


def app(lesson: str = "mlp", **settings) -> BackpropApp:
    return BackpropApp(lesson, LESSONS[lesson].options(**settings))


@pytest.mark.parametrize(
    "lesson, keys",
    [
        ("mlp", []),  # start: only the leaves are known
        ("mlp", ["n", "n"]),  # mid-forward: z = σ(v)
        ("mlp", ["f", "n", "n", "n", "n"]),  # mid-backward: ∂y/∂v through the diagonal ∂z/∂v
        ("mlp", ["end"]),  # end: ∂y/∂x
        ("graph", []),
        ("graph", ["n", "n"]),  # z₂ = 1 + x² + y²
        ("graph", ["f", "n", "n", "n", "n"]),  # ∂z₄/∂y: two paths and their sum
        ("graph", ["end"]),  # ∂z₄/∂x: two paths and their sum
    ],
    ids=["mlp-start", "mlp-forward", "mlp-backward", "mlp-end", "graph-start", "graph-forward", "graph-backward", "graph-end"],
)
def test_walkthrough(snap_compare, lesson, keys):
    assert snap_compare(app(lesson), press=keys, terminal_size=SIZE)


def test_mlp_at_80x24_mid_backward(snap_compare):
    assert snap_compare(app(), press=["f", "n", "n", "n", "n", "n", "n", "n"], terminal_size=SMALL)


def test_zero_init_end(snap_compare):
    assert snap_compare(app(init="zero"), press=["end"], terminal_size=SIZE)


def test_large_network_w0_gradient(snap_compare):
    assert snap_compare(app(d=784, h=256), press=["end", "p"], terminal_size=SMALL)


def test_help_screen(snap_compare):
    assert snap_compare(app(), press=["question_mark"], terminal_size=SIZE)


def test_too_small_terminal(snap_compare):
    assert snap_compare(app(), terminal_size=(50, 14))
