"""Big graphs drawn a piece at a time: the neighbourhood of one node, laid out once."""

from __future__ import annotations

from backprop_tui.layout import MORE, Pieces


def test_a_piece_is_the_node_two_levels_back_and_one_on():
    chain = [("x", ())] + [(f"z{k}", ("x" if k == 1 else f"z{k - 1}",)) for k in range(1, 11)]
    pieces = Pieces(chain, {name: 8 for name, _ in chain})
    assert pieces.near("z5") == ["z3", "z4", "z5", "z6"]
    layout, names = pieces.around("z5")
    assert names == ("z3", "z4", "z5", "z6")
    stand_ins = {name for name in layout.boxes if name.startswith(MORE)}
    assert stand_ins == {MORE + "<z3", MORE + ">z6"}  # z2 feeds z3 and z7 uses z6, neither drawn
    assert pieces.around("z5") is pieces.around("z5"), "laid out once"
