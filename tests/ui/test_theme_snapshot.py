"""A snapshot of the projector theme: lesson mlp's backward step ∂y/∂v at 120×40, accepted after being looked at."""

from __future__ import annotations

import pytest
import snapshot_apps as apps
from snapshot_apps import SIZE

from backprop_tui.ui.themes import PROJECTOR

pytestmark = pytest.mark.slow


def test_mlp_backward_step_in_the_projector_theme(snap_compare):
    app = apps.lesson("mlp")
    app.theme = PROJECTOR
    assert snap_compare(app, press=["end", "p", "p", "p"], terminal_size=SIZE)  # step 8 of 11: ∂y/∂v
