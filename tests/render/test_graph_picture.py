"""The graph picture uses the width it is given: values whole where they fit, brackets never cut."""

import pytest

from backprop_tui.engine.notation import brief
from backprop_tui.lessons import LESSONS, ExprOptions, GraphOptions, MlpOptions
from backprop_tui.render.graph import GraphPicture

WHOLE = 1000


@pytest.fixture(scope="module")
def mlp():
    return LESSONS["mlp"].build(MlpOptions())


def lines(picture) -> list[str]:
    return picture.text.plain.split("\n")


def test_at_200_columns_every_four_entry_value_shows_whole(mlp):
    forward_end = mlp.trace.forward_count
    plain = GraphPicture(mlp).paint(forward_end, 196).text.plain
    for name in ("b0", "v", "z", "W1"):
        whole = brief(mlp.trace.nodes[name].value, WHOLE)
        assert whole.count(" ") == 3, "four entries"
        assert whole in plain, f"{name}'s value {whole} is not whole"
    assert max(map(len, plain.split("\n"))) <= 196


def test_at_200_columns_the_units_stay_beside_the_graph(mlp):
    picture = GraphPicture(mlp).paint(len(mlp.trace), 196)
    assert len(lines(picture)) == 7, "graph and unit picture side by side, 7 lines"


@pytest.mark.parametrize("width", [40, 76, 116, 150, 196, 300])
def test_brackets_close_and_lines_fit(mlp, width):
    picture = GraphPicture(mlp)
    for cursor in range(len(mlp.trace) + 1):
        painted = lines(picture.paint(cursor, width))
        for line in painted:
            assert line.count("[") == line.count("]"), f"a bracket is cut at {width}: {line!r}"
        if width >= 76:  # narrower, the graph itself does not fit and the panel scrolls
            assert max(map(len, painted)) <= width


def test_wider_panels_show_more_entries(mlp):
    picture = GraphPicture(mlp)
    end = len(mlp.trace)
    digits = [sum(ch.isdigit() for ch in picture.paint(end, width).text.plain) for width in (76, 116, 196)]
    assert digits[0] < digits[1] < digits[2]


def test_scalar_nodes_take_only_their_numbers_width():
    walk = LESSONS["expr"].build(ExprOptions())
    painted = lines(GraphPicture(walk).paint(len(walk.trace), 116))
    assert max(map(len, painted)) <= 116, "the expression's graph fits at 120×40 without scrolling"


def test_graph_lesson_values_whole_at_80_columns():
    walk = LESSONS["graph"].build(GraphOptions())
    picture = GraphPicture(walk)
    for cursor in range(len(walk.trace) + 1):
        plain = picture.paint(cursor, 76).text.plain
        assert max(map(len, plain.split("\n"))) <= 76
    plain = picture.paint(walk.trace.forward_count, 76).text.plain
    for record in walk.trace.nodes.values():
        assert f"{record.label} ={brief(record.value, WHOLE)}" in plain
