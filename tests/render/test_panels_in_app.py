"""The graph and tensors panels in the running app: laid out for the columns they show, scrollbars included."""

import pytest
from textual.widgets import Static

from backprop_tui.engine.notation import brief
from backprop_tui.ui.app import BackpropApp

WHOLE = 1000


def shown(app: BackpropApp, selector: str) -> list[str]:
    return str(app.query_one(selector, Static).visual).split("\n")


async def test_at_200x60_the_graph_and_tensors_show_four_entry_values_whole():
    app = BackpropApp("mlp")
    async with app.run_test(size=(200, 60)) as pilot:
        app.cursor = app.walk.trace.forward_count
        await pilot.pause()
        graph, tensors = "\n".join(shown(app, "#graph")), "\n".join(shown(app, "#tensors"))
        for name in ("b0", "v", "z", "W1"):
            whole = brief(app.walk.trace.nodes[name].value, WHOLE)
            assert whole in graph
            assert whole in tensors


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_no_line_runs_under_a_scrollbar_or_out_of_its_panel(size):
    app = BackpropApp("mlp")
    async with app.run_test(size=size) as pilot:
        app.cursor = len(app.walk.trace)
        await pilot.pause()
        await pilot.pause()
        rows = app.query_one("#tensors-rows")
        assert max(len(line) for line in shown(app, "#tensors")) <= rows.scrollable_content_region.width
        box = app.query_one("#graph-box")
        if box.scrollable_content_region.width >= 76:
            assert max(len(line) for line in shown(app, "#graph")) <= box.scrollable_content_region.width
