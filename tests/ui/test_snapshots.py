"""Snapshot tests, by feature: the screen at fixed sizes, each picture accepted only after being looked at.

The apps come from snapshot_apps, with fixed inputs; every test gives its terminal size.
"""

from __future__ import annotations

import pytest
import snapshot_apps as apps
from snapshot_apps import SIZE, SMALL

pytestmark = pytest.mark.slow


class TestWalkthrough:
    """The network and §4's graph, stepped forward and back in the shared panels."""

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
        ids=[
            "mlp-start", "mlp-forward", "mlp-backward", "mlp-end",
            "graph-start", "graph-forward", "graph-backward", "graph-end",
        ],
    )
    def test_walkthrough(self, snap_compare, lesson, keys):
        assert snap_compare(apps.lesson(lesson), press=keys, terminal_size=SIZE)

    def test_mlp_at_80x24_mid_backward(self, snap_compare):
        assert snap_compare(apps.lesson(), press=["f", "n", "n", "n", "n", "n", "n", "n"], terminal_size=SMALL)

    def test_zero_init_end(self, snap_compare):
        assert snap_compare(apps.lesson(init="zero"), press=["end"], terminal_size=SIZE)

    def test_large_network_w0_gradient(self, snap_compare):
        assert snap_compare(apps.lesson(d=784, h=256), press=["end", "p"], terminal_size=SMALL)


class TestHelpAndSize:
    """The help screen, and the message that replaces a screen too small to step in."""

    def test_help_screen(self, snap_compare):
        assert snap_compare(apps.lesson(), press=["question_mark"], terminal_size=SIZE)

    def test_too_small_terminal(self, snap_compare):
        assert snap_compare(apps.lesson(), terminal_size=(50, 14))


class TestExpr:
    """Lesson expr: a typed function stepped through, and a typed error with its caret."""

    def test_expression_walkthrough(self, snap_compare):
        # §4 typed as text, mid-way back: ∂/∂y collects two paths
        assert snap_compare(apps.lesson("expr"), press=["f"] + ["n"] * 12, terminal_size=SIZE)

    def test_expression_error(self, snap_compare):
        keys = ["n", "e", "ctrl+u", *"x*sin(y)) + 1", "enter"]
        assert snap_compare(apps.lesson("expr", expr="x*sin(y) + exp(-x^2)"), press=keys, terminal_size=SMALL)


class TestSymmetry:
    """Lesson symmetry: both sides before and after training, the nudge, the step view."""

    def test_step_0(self, snap_compare):
        assert snap_compare(apps.lesson("symmetry"), terminal_size=SIZE)

    def test_after_training(self, snap_compare):
        # the random side has solved XOR; the zero side still predicts ½ everywhere
        assert snap_compare(apps.lesson("symmetry"), run_before=apps.train(600), terminal_size=SIZE)

    def test_after_the_nudge(self, snap_compare):
        app = apps.lesson("symmetry", init="constant", const=0.3)
        assert snap_compare(app, press=["T", "s", "T", "T"], terminal_size=SIZE)

    def test_small_after_training(self, snap_compare):
        assert snap_compare(apps.lesson("symmetry"), press=["T"] * 10, terminal_size=SMALL)

    def test_small_stepping_through_w0(self, snap_compare):
        # ∂L/∂W⁽⁰⁾: equal rows
        assert snap_compare(apps.lesson("symmetry"), press=["t", "end", "p", "p"], terminal_size=SMALL)

    def test_tanh_zero_init_note(self, snap_compare):
        assert snap_compare(apps.lesson("symmetry", activation="tanh"), press=["T"], terminal_size=SMALL)


@pytest.mark.usefixtures("steady_clock", "steady_sweep")
class TestMethods:
    """Lesson methods: five gradients, their cost and the ε sweep, at several sizes."""

    def test_start(self, snap_compare):
        assert snap_compare(apps.lesson("methods"), terminal_size=SIZE)

    def test_small_terminal(self, snap_compare):
        assert snap_compare(apps.lesson("methods"), terminal_size=SMALL)

    def test_graph_function_scrolled_to_the_sweep(self, snap_compare):
        app = apps.lesson("methods", of="graph")
        assert snap_compare(app, press=["e", "e", "pagedown"], terminal_size=(100, 36))

    def test_wide(self, snap_compare):
        assert snap_compare(apps.lesson("methods", d=3, h=8), terminal_size=(180, 60))


class TestChain:
    """Lesson chain: the product of Jacobians, the wrong order, a matrix input."""

    def test_start(self, snap_compare):
        assert snap_compare(apps.lesson("chain"), terminal_size=SIZE)

    def test_small_terminal_wrong_order(self, snap_compare):
        assert snap_compare(apps.lesson("chain", l=3, n=5, m=2), press=["w", "pagedown"], terminal_size=SMALL)

    def test_large_sizes_part_b(self, snap_compare):
        assert snap_compare(apps.lesson("chain", l=12, n=20, m=6), press=["end"], terminal_size=(160, 50))
