"""The tensors table uses its width: every entry that fits shows, brackets always close, no line runs over."""

import pytest

from backprop_tui.engine.notation import brief
from backprop_tui.lessons import LESSONS, ExprOptions, MlpOptions
from backprop_tui.render.tables import cell_widths, render_table

WHOLE = 1000


@pytest.fixture(scope="module")
def mlp():
    return LESSONS["mlp"].build(MlpOptions())


def table_lines(walk, cursor: int, width: int) -> list[str]:
    header, rows = render_table(walk, cursor, width)
    return [header.plain, *rows.plain.split("\n")]


def test_at_200x60_every_four_entry_value_and_gradient_shows(mlp):
    # the tensors panel is 76 cells wide at 200×60
    plain = "\n".join(table_lines(mlp, len(mlp.trace), 76))
    for name in ("b0", "v", "z", "W1"):
        record = mlp.trace.nodes[name]
        assert brief(record.value, WHOLE) in plain
        assert brief(record.grad, WHOLE) in plain


def test_wide_enough_nothing_is_elided(mlp):
    assert "…" not in "\n".join(table_lines(mlp, len(mlp.trace), 140))


@pytest.mark.parametrize("width", [30, 36, 45, 60, 76, 100, 140])
def test_lines_fit_and_brackets_close(mlp, width):
    for cursor in range(len(mlp.trace) + 1):
        lines = table_lines(mlp, cursor, width)
        assert max(map(len, lines)) <= width
        for line in lines:
            assert line.count("[") == line.count("]"), line


def test_columns_stay_put_while_stepping(mlp):
    starts = {table_lines(mlp, cursor, 60)[0].index("∂") for cursor in range(len(mlp.trace) + 1)}
    assert len(starts) == 1


def test_scalars_take_their_width_only():
    walk = LESSONS["expr"].build(ExprOptions())
    name, value, _ = cell_widths(walk.trace, 76)
    assert value <= 8, "a column of short numbers is as wide as its widest"
    assert "…" not in "\n".join(table_lines(walk, len(walk.trace), 36))
