"""Graph and network drawings: geometry, box-drawing glyphs, and edges a reader can trace."""

from __future__ import annotations

import random

import pytest

from backprop_tui.layout import Box, Layout, layout_graph, neuron_layout, paint

NETWORK = [
    ("x", ()),
    ("W0", ()),
    ("b0", ()),
    ("v", ("x", "W0", "b0")),
    ("z", ("v",)),
    ("W1", ()),
    ("b1", ()),
    ("y", ("W1", "b1", "z")),
]
PXY = [("x", ()), ("y", ()), ("z1", ("y",)), ("z2", ("x", "y")), ("z3", ("x",)), ("z4", ("z1", "z2", "z3"))]
LONG_EDGE = [("a", ()), ("b", ("a",)), ("c", ("b",)), ("d", ("c", "a"))]
# x feeds every node of the next layer and a long edge: forces a run off its row (a jog)
ATTENTION = [
    ("x", ()),
    ("Wq", ()),
    ("Wk", ()),
    ("Wv", ()),
    ("q", ("x", "Wq")),
    ("k", ("x", "Wk")),
    ("v", ("x", "Wv")),
    ("s", ("q", "k")),
    ("a", ("s",)),
    ("o", ("a", "v")),
    ("L", ("o", "x")),
]
EXAMPLES = {"network": NETWORK, "pxy": PXY, "long_edge": LONG_EDGE, "attention": ATTENTION}

LINE_CHARS = set(" ─│┌┐└┘├┤┬┴┼▶")
UP, DOWN, LEFT, RIGHT = (-1, 0), (1, 0), (0, -1), (0, 1)
GLYPH_DIRS = {
    "─": {LEFT, RIGHT},
    "│": {UP, DOWN},
    "┌": {DOWN, RIGHT},
    "┐": {DOWN, LEFT},
    "└": {UP, RIGHT},
    "┘": {UP, LEFT},
    "├": {UP, DOWN, RIGHT},
    "┤": {UP, DOWN, LEFT},
    "┬": {LEFT, RIGHT, DOWN},
    "┴": {LEFT, RIGHT, UP},
    "┼": {UP, DOWN, LEFT, RIGHT},
}
OPPOSITE = {UP: DOWN, DOWN: UP, LEFT: RIGHT, RIGHT: LEFT}


def widths_of(nodes, width=None):
    return {name: width or len(name) for name, _ in nodes}


def lay(nodes, width=None) -> Layout:
    return layout_graph(nodes, widths_of(nodes, width))


def show(layout: Layout) -> str:
    """The painted drawing, for assertion messages (run pytest -s to see it printed)."""
    return "\n".join(paint(layout, {name: name for name in layout.boxes}))


def glyph(lines, r, c):
    return lines[r][c] if 0 <= r < len(lines) and 0 <= c < len(lines[r]) else " "


def trace(layout: Layout, name: str) -> set[str]:
    """Names whose arrow a reader reaches from `name`'s outgoing run, never stepping leftwards.

    Lines join where both glyphs point at each other; a horizontal run hops over
    "│" cells (crossings drawn as bridges). Arrows end the walk.
    """
    box = layout.boxes[name]
    at_arrow = {(b.row, b.col - 1): n for n, b in layout.boxes.items()}
    start = (box.row, box.col + box.width + 1)
    seen, todo, reached = {start}, [start], set()
    while todo:
        r, c = todo.pop()
        for d in GLYPH_DIRS.get(glyph(layout.lines, r, c), set()) - {LEFT}:
            nr, nc = r + d[0], c + d[1]
            here = glyph(layout.lines, nr, nc)
            if here == "▶" and d == RIGHT:
                reached.add(at_arrow[nr, nc])
                continue
            if OPPOSITE[d] not in GLYPH_DIRS.get(here, set()):
                if d != RIGHT or here != "│":
                    continue
                while glyph(layout.lines, nr, nc) == "│":
                    nc += 1  # hop the bridges
                if LEFT not in GLYPH_DIRS.get(glyph(layout.lines, nr, nc), set()):
                    continue
            if (nr, nc) not in seen:
                seen.add((nr, nc))
                todo.append((nr, nc))
    return reached


def consumers(nodes) -> dict[str, set[str]]:
    out = {name: set() for name, _ in nodes}
    for name, ins in nodes:
        for i in ins:
            out[i].add(name)
    return out


def outside_boxes(layout: Layout) -> list[str]:
    """Every character of the drawing that is not inside a box."""
    inside = {(b.row, b.col + i) for b in layout.boxes.values() for i in range(b.width)}
    return [ch for r, line in enumerate(layout.lines) for c, ch in enumerate(line) if (r, c) not in inside]


# --------------------------------------------------------------------------- layout_graph


def test_empty_graph():
    assert layout_graph([], {}) == Layout(0, (), {})


def test_single_node():
    assert layout_graph([("a", ())], {"a": 5}) == Layout(5, ("     ",), {"a": Box(0, 0, 5)})


def test_network_boxes_by_layer():
    layout = lay(NETWORK, width=2)
    boxes = layout.boxes
    assert list(boxes) == [name for name, _ in NETWORK]
    col = {name: box.col for name, box in boxes.items()}
    assert col["x"] == col["W0"] == col["b0"] == 0
    assert col["x"] < col["v"] < col["z"] == col["W1"] == col["b1"] < col["y"]
    assert all(box.width == 2 for box in boxes.values())
    # three-node layers fill rows 0, 2, 4; single nodes sit in the middle
    assert sorted(boxes[n].row for n in ("x", "W0", "b0")) == [0, 2, 4]
    assert sorted(boxes[n].row for n in ("z", "W1", "b1")) == [0, 2, 4]
    assert boxes["v"].row == boxes["y"].row == 2
    assert len(layout.lines) == 5


def test_network_keeps_main_path_straight():
    boxes = lay(NETWORK, width=2).boxes
    assert boxes["v"].row == boxes["z"].row == boxes["y"].row


def test_leaf_sits_left_of_its_first_consumer():
    nodes = [("a", ()), ("b", ("a",)), ("c", ("b",)), ("k", ()), ("d", ("c", "k")), ("e", ("d", "k")), ("lonely", ())]
    col = {name: box.col for name, box in lay(nodes).boxes.items()}
    assert col["k"] == col["c"]  # first consumer d is one layer right of c
    assert col["lonely"] == col["a"] == 0


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_line_has_the_layout_width(name):
    layout = lay(EXAMPLES[name])
    assert layout.width > 0
    assert all(len(line) == layout.width for line in layout.lines)
    assert all(len(line) == layout.width for line in paint(layout, {"x": "a very long label"}))


@pytest.mark.parametrize("name", EXAMPLES)
def test_boxes_are_blank_in_lines(name):
    layout = lay(EXAMPLES[name])
    for box in layout.boxes.values():
        assert layout.lines[box.row][box.col : box.col + box.width] == " " * box.width


@pytest.mark.parametrize("name", EXAMPLES)
def test_one_arrow_into_each_op_just_left_of_its_box(name):
    nodes = EXAMPLES[name]
    layout = lay(nodes)
    ops = [n for n, ins in nodes if ins]
    for n in ops:
        box = layout.boxes[n]
        assert box.col >= 1 and layout.lines[box.row][box.col - 1] == "▶", show(layout)
    assert sum(line.count("▶") for line in layout.lines) == len(ops), show(layout)


@pytest.mark.parametrize("name", EXAMPLES)
def test_only_box_drawing_characters_outside_boxes(name):
    layout = lay(EXAMPLES[name])
    assert set(outside_boxes(layout)) <= LINE_CHARS


@pytest.mark.parametrize("name", ["network", "pxy", "long_edge"])
def test_each_run_leads_exactly_to_its_consumers(name):
    nodes = EXAMPLES[name]
    layout = lay(nodes)
    for source, targets in consumers(nodes).items():
        if targets:
            assert trace(layout, source) == targets, f"{source}\n{show(layout)}"


def test_source_feeding_several_multi_input_targets_reaches_all_of_them():
    # x feeds q, k and v, each of which also has its own weight: x's run must pass
    # through buses that carry other inputs, so a walk can reach more than x feeds
    layout = lay(ATTENTION)
    for source, targets in consumers(ATTENTION).items():
        if targets:
            assert trace(layout, source) >= targets, f"{source}\n{show(layout)}"
    assert trace(layout, "Wq") == {"q"}  # its run is moved off the row of x's long edge
    assert trace(layout, "o") == {"L"}


def test_pxy_source_with_two_consumers_branches():
    layout = lay(PXY)
    x = layout.boxes["x"]
    run = layout.lines[x.row][x.col + x.width + 1 :].split(" ")[0]  # x's run, up to the gap
    assert run[0] == "─", show(layout)
    assert any(ch in "┬┴┼" for ch in run), show(layout)  # branches off to one bus ...
    assert run[-1] in "┐┘┤", show(layout)  # ... and ends on the other
    assert trace(layout, "x") == {"z2", "z3"}
    assert trace(layout, "y") == {"z1", "z2"}


def test_long_edge_passes_through_intermediate_layers():
    layout = lay(LONG_EDGE)
    b, c = layout.boxes["b"], layout.boxes["c"]
    # b's layer holds b and the pass-through point of a -> d, one line apart
    dummy_rows = [r for r, line in enumerate(layout.lines) if r != b.row and line[b.col] != " "]
    assert len(dummy_rows) == 1 and abs(dummy_rows[0] - b.row) == 2, show(layout)
    line = layout.lines[dummy_rows[0]]
    # a plain horizontal run across the columns of b and c and the gutter between them
    assert line[b.col : c.col + c.width] == "─" * (c.col + c.width - b.col), show(layout)
    assert trace(layout, "a") == {"b", "d"}
    assert "▶" not in line  # pass-through points get no arrow


def test_crossing_is_drawn_as_a_bridge_not_a_junction():
    # d's bus (c and the long edge from a) must cross the long edge b -> e
    nodes = [("a", ()), ("b", ("a",)), ("c", ("b",)), ("d", ("c", "a")), ("e", ("d", "b", "a"))]
    layout = lay(nodes)
    for source, targets in consumers(nodes).items():
        if targets:
            assert trace(layout, source) == targets, f"{source}\n{show(layout)}"
    assert any("─│─" in line for line in layout.lines), show(layout)


def test_duplicate_input_is_drawn_once():
    once = lay([("x", ()), ("y", ("x",))])
    twice = lay([("x", ()), ("y", ("x", "x"))])
    assert once == twice
    assert "".join(once.lines).count("▶") == 1


def test_node_without_consumers_and_isolated_leaves():
    layout = lay([("a", ()), ("b", ()), ("c", ("a",)), ("d", ("a",))])
    assert layout.boxes["b"].col == 0
    assert trace(layout, "a") == {"c", "d"}
    assert all(len(line) == layout.width for line in layout.lines)


def test_layout_is_deterministic():
    assert lay(ATTENTION) == lay(ATTENTION)


def test_inputs_must_come_first():
    with pytest.raises(ValueError):
        layout_graph([("y", ("x",)), ("x", ())], {"x": 1, "y": 1})
    with pytest.raises(ValueError):
        layout_graph([("x", ()), ("x", ())], {"x": 1})


def random_dag(seed: int, n: int) -> list[tuple[str, tuple[str, ...]]]:
    rng = random.Random(seed)
    nodes = []
    for i in range(n):
        k = 0 if i < 3 else rng.choice([0, 1, 1, 2, 2, 3])
        ins = tuple(sorted({f"n{rng.randrange(max(0, i - 6), i)}" for _ in range(k)}))
        nodes.append((f"n{i}", ins))
    return nodes


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_stay_well_formed_and_traceable(seed):
    nodes = random_dag(seed, 14)
    layout = lay(nodes)
    assert all(len(line) == layout.width for line in layout.lines)
    assert set(outside_boxes(layout)) <= LINE_CHARS
    ops = [n for n, ins in nodes if ins]
    assert sum(line.count("▶") for line in layout.lines) == len(ops)
    for source, targets in consumers(nodes).items():
        # buses merge inputs, so a walk may reach more; it must reach every real consumer
        assert trace(layout, source) >= targets, f"{source}\n{show(layout)}"


def test_chain_of_5000_needs_no_recursion():
    nodes = [(f"n{i}", (f"n{i - 1}",) if i else ()) for i in range(5000)]
    layout = layout_graph(nodes, {name: 3 for name, _ in nodes})
    cols = [layout.boxes[f"n{i}"].col for i in range(5000)]
    assert cols == sorted(set(cols))
    assert layout.lines[0].count("▶") == 4999


@pytest.mark.parametrize(
    "nodes",
    [
        [(f"n{i}", (f"n{i - 1}",) if i else ()) for i in range(3000)],
        [(f"n{i}", tuple(f"n{j}" for j in (i - 1, i - 2) if j >= 0)) for i in range(3000)],
        random_dag(7, 3000),
        [(f"l{i}", ()) for i in range(2000)] + [(f"o{i}", (f"l{2 * i}", f"l{2 * i + 1}")) for i in range(1000)],
    ],
    ids=["chain", "ladder", "random", "wide"],
)
def test_three_thousand_nodes_lay_out_completely(nodes):
    # Speed is measured in the benchmark script; here only that big graphs come out whole.
    layout = layout_graph(nodes, {name: 4 for name, _ in nodes})
    assert set(layout.boxes) == {name for name, _ in nodes}
    assert all(len(line) == layout.width for line in layout.lines)


# --------------------------------------------------------------------------- paint


def test_paint_writes_labels_into_boxes():
    layout = lay(PXY, width=4)
    lines = paint(layout, {"x": "x=1", "z4": "z4=0.25", "y": "y=-2"})
    for name, text in {"x": "x=1 ", "z4": "z4=0", "y": "y=-2"}.items():
        box = layout.boxes[name]
        assert lines[box.row][box.col : box.col + box.width] == text[: box.width]
    z1 = layout.boxes["z1"]
    assert lines[z1.row][z1.col : z1.col + 4] == "    "  # no label: stays blank
    assert all(len(line) == layout.width for line in lines)
    assert lines[z1.row][: z1.col] == layout.lines[z1.row][: z1.col]  # edges untouched


def test_paint_ignores_names_without_a_box():
    layout = neuron_layout(2, 256, (3, 5, 3))
    assert paint(layout, {"hid100": "nope"}) == list(layout.lines)


def test_print_examples_for_a_human():
    widths = {n: 2 for n, _ in NETWORK}
    print()
    print("\n".join(paint(layout_graph(NETWORK, widths), {n: n for n, _ in NETWORK})))
    print()
    print("\n".join(paint(lay(PXY), {n: n for n, _ in PXY})))
    print()
    print("\n".join(paint(neuron_layout(3, 256, (2, 6, 1)), {"in0": "x0", "hid255": "h255", "out": "y"})))


# --------------------------------------------------------------------------- neuron_layout


def test_neuron_layout_small_network_shows_every_unit():
    layout = neuron_layout(3, 4, (2, 3, 1))
    assert list(layout.boxes) == ["in0", "in1", "in2", "hid0", "hid1", "hid2", "hid3", "out"]
    assert "⋮" not in "".join(layout.lines)
    hidden_rows = [layout.boxes[f"hid{i}"].row for i in range(4)]
    assert hidden_rows == [0, 2, 4, 6]
    assert [layout.boxes[f"in{i}"].row for i in range(3)] == [1, 3, 5]  # centred
    assert layout.boxes["out"].row == 3
    assert layout.width == 2 + 5 + 3 + 5 + 1
    assert all(len(line) == layout.width for line in layout.lines)


def test_neuron_layout_elides_long_columns():
    layout = neuron_layout(2, 256, (3, 5, 3), max_units=6)
    hidden = [name for name in layout.boxes if name.startswith("hid")]
    # first max_units // 2 and last max_units - max_units // 2 - 1: the ⋮ row is one of the six
    assert hidden == ["hid0", "hid1", "hid2", "hid254", "hid255"]
    hid = layout.boxes["hid0"]
    rows = [layout.boxes[name].row for name in hidden]
    assert rows == [0, 2, 4, 8, 10]
    dots = layout.lines[6]
    assert dots.count("⋮") == 1
    assert dots.index("⋮") == hid.col + (hid.width - 1) // 2  # centred in the hidden column
    assert [layout.boxes[f"in{i}"].row for i in range(2)] == [4, 6]


def test_neuron_layout_elides_inputs_too():
    layout = neuron_layout(10, 3, (3, 3, 3), max_units=5)
    assert [n for n in layout.boxes if n.startswith("in")] == ["in0", "in1", "in8", "in9"]
    col = layout.boxes["in0"]
    assert layout.lines[4][col.col + 1] == "⋮"


@pytest.mark.parametrize("n_in, n_hidden", [(1, 1), (3, 4), (2, 256), (784, 16)])
def test_neuron_layout_every_input_reaches_every_hidden_unit(n_in, n_hidden):
    layout = neuron_layout(n_in, n_hidden, (4, 5, 3))
    inputs = [n for n in layout.boxes if n.startswith("in")]
    hidden = {n for n in layout.boxes if n.startswith("hid")}
    assert set(outside_boxes(layout)) <= LINE_CHARS | {"⋮"}
    for name in inputs:
        assert trace(layout, name) == hidden, show(layout)
    for name in hidden:
        assert trace(layout, name) == {"out"}, show(layout)
    for name in hidden | {"out"}:
        box = layout.boxes[name]
        assert layout.lines[box.row][box.col - 1] == "▶"


def test_neuron_layout_rejects_empty_columns():
    with pytest.raises(ValueError):
        neuron_layout(0, 3, (2, 2, 2))
