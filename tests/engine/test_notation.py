"""matrix_lines and brief: what is elided, what stays, and brackets that are never cut."""

import numpy as np
import pytest

from backprop_tui.engine.notation import brief, matrix_lines


def kron(h: int, x: np.ndarray) -> np.ndarray:
    """∂v/∂vec(W) for v = Wx: I ⊗ xᵀ, h × (h·d)."""
    return np.kron(np.eye(h), x[None, :])


def entries(line: str) -> list[str]:
    """The cells of one matrix line, brackets off."""
    return line[1:-1].split()


def closed(lines: list[str]) -> bool:
    """Every line starts with an opening bracket and ends with its closing one."""
    if len(lines) == 1:
        return lines[0].startswith("[") and lines[0].endswith("]")
    lefts, rights = "┌" + "│" * (len(lines) - 2) + "└", "┐" + "│" * (len(lines) - 2) + "┘"
    return all(line[0] == left and line[-1] == right for line, left, right in zip(lines, lefts, rights, strict=True))


def test_nothing_is_elided_that_fits():
    lines = matrix_lines(kron(4, np.array([1.0, 2.0])), 6, 8, blocks=(1, 2))
    assert [entries(line) for line in lines] == [
        ["1", "2", "0", "0", "0", "0", "0", "0"],
        ["0", "0", "1", "2", "0", "0", "0", "0"],
        ["0", "0", "0", "0", "1", "2", "0", "0"],
        ["0", "0", "0", "0", "0", "0", "1", "2"],
    ]


def test_default_elision_is_unchanged_without_blocks():
    lines = matrix_lines(kron(4, np.array([1.0, 2.0])), 6, 6)
    assert [entries(line) for line in lines] == [
        ["1", "2", "0", "…", "0", "0"],
        ["0", "0", "1", "…", "0", "0"],
        ["0", "0", "0", "…", "0", "0"],  # the row that looks all zero: why blocks exist
        ["0", "0", "0", "…", "1", "2"],
    ]


@pytest.mark.parametrize("max_cols", [5, 6, 7])
def test_blocks_elide_whole_blocks_and_every_row_shows_its_block(max_cols):
    x = np.array([1.0, 2.0])
    lines = matrix_lines(kron(4, x), 6, max_cols, blocks=(1, 2))
    assert closed(lines)
    rows = [entries(line) for line in lines]
    for row in rows:
        if "⋮" in row:
            continue
        assert len(row) <= max_cols
        gap = row.index("…")
        # whole blocks either side of the gap: an even number of entries each
        assert gap % 2 == 0 and (len(row) - gap - 1) % 2 == 0
        assert ["1", "2"] in [row[k : k + 2] for k in range(0, len(row), 1)], f"row {row} hides its block"
    assert rows[0][:2] == ["1", "2"] and rows[-1][-2:] == ["1", "2"]


def test_block_rows_and_columns_match():
    lines = matrix_lines(kron(4, np.array([1.0, 2.0])), 6, 7, blocks=(1, 2))
    assert [entries(line) for line in lines] == [
        ["1", "2", "0", "0", "…", "0", "0"],
        ["0", "0", "1", "2", "…", "0", "0"],
        ["⋮", "⋮", "⋮", "⋮", "⋮", "⋮"],
        ["0", "0", "0", "0", "…", "1", "2"],
    ]


def test_blocks_wider_than_the_room_keep_rows_whose_entries_show():
    lines = matrix_lines(kron(32, np.arange(1.0, 9.0)), 6, 8, blocks=(1, 8))
    rows = [entries(line) for line in lines if "⋮" not in line]
    assert all(any(cell not in ("0", "…") for cell in row) for row in rows)
    assert len(rows) == 2


def test_blocks_that_do_not_tile_are_ignored():
    a = np.arange(1.0, 36.0).reshape(5, 7)
    assert matrix_lines(a, 4, 4, blocks=(2, 2)) == matrix_lines(a, 4, 4)


def test_marks_say_which_way_is_elided():
    lines = matrix_lines(np.arange(100.0).reshape(10, 10), 4, 4)
    gap_lines = [line for line in lines if "⋮" in line]
    assert len(gap_lines) == 1 and "…" not in gap_lines[0]
    assert all("⋮" not in line and "…" in line for line in lines if line not in gap_lines)
    assert closed(lines)


@pytest.mark.parametrize("max_width", [16, 20, 30, 45])
def test_max_width_elides_columns_until_the_lines_fit(max_width):
    a = np.linspace(-1.2345, 9.876, 24).reshape(3, 8)
    lines = matrix_lines(a, 8, 8, max_width=max_width)
    assert max(map(len, lines)) <= max_width
    assert closed(lines)
    wider = matrix_lines(a, 8, 8, max_width=max_width + 30)
    assert len(entries(wider[0])) >= len(entries(lines[0]))


def test_max_width_keeps_blocks():
    lines = matrix_lines(kron(4, np.array([1.0, 2.0])), 6, 100, blocks=(1, 2), max_width=14)
    assert max(map(len, lines)) <= 14
    assert entries(lines[0])[:2] == ["1", "2"] and entries(lines[-1])[-2:] == ["1", "2"]


VECTOR = np.array([1.15, -0.351, 0.0753, 0.254, 0.908, 0.665, 0.145, -1.86])


@pytest.mark.parametrize("width", range(3, 60))
def test_brief_fits_and_keeps_its_brackets(width):
    text = brief(VECTOR, width)
    assert len(text) <= width
    assert text.startswith("[") and text.endswith("]")


def test_brief_shows_every_entry_that_fits():
    assert brief(VECTOR, 60) == "[1.15 −0.351 0.0753 0.254 0.908 0.665 0.145 −1.86]"
    assert brief(VECTOR, 30) == "[1.15 −0.351 … 0.145 −1.86]"
    assert brief(VECTOR, 14) == "[1.15 … −1.86]"
    assert brief(VECTOR, 10) == "[1.15 …]"


def test_brief_scalar_gives_up_digits_before_width():
    assert brief(np.array(2.13456), 20) == "2.135"
    assert brief(np.array(2.13456), 4) == "2.13"
    assert len(brief(np.array(-3.5712e-4), 7)) <= 7
