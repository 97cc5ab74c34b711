"""Matrices side by side: nothing elided that fits, everything within the width, blocks kept."""

import numpy as np
import pytest

from backprop_tui.render.matrices import Block, row_width, side_by_side

WIDE = np.kron(np.eye(4), np.array([[1.0, 2.0, 3.0]]))  # ∂g/∂vec(W) of chain (b): I ⊗ xᵀ, 4×12


def test_a_matrix_that_fits_is_whole():
    text = side_by_side([Block("J", WIDE)], [], 80).plain
    assert "…" not in text
    assert text.split("\n")[2].count(" ") == 11  # twelve entries on the first row


@pytest.mark.parametrize("width", [16, 20, 24])
def test_a_narrow_row_is_elided_to_its_width_with_whole_blocks(width):
    text = side_by_side([Block("J", WIDE, blocks=(1, 3))], [], width)
    assert row_width(text) <= width
    rows = [line[1:-1].split() for line in text.plain.split("\n")[2:] if "⋮" not in line]
    for row in rows:
        assert "…" in row
        assert "1 2 3" in " ".join(row), f"{row} hides its row's block"


def test_too_narrow_for_a_block_every_row_shown_still_shows_a_nonzero():
    text = side_by_side([Block("J", WIDE, blocks=(1, 3))], [], 12)
    assert row_width(text) <= 12
    rows = [line[1:-1].split() for line in text.plain.split("\n")[2:] if "⋮" not in line]
    assert len(rows) >= 2
    assert all(set(row) - {"0", "…"} for row in rows)


def test_operators_stay_between_matrices():
    row = np.array([[0.5, -0.25, 1.0, 2.0]])
    text = side_by_side([Block("u", row), Block("J", WIDE), Block("p", row @ WIDE)], ["·", "="], 200)
    assert row_width(text) <= 200
    middle = [line for line in text.plain.split("\n") if " · " in line and " = " in line]
    assert len(middle) == 1
