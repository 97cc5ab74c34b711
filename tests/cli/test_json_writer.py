"""The streaming JSON writer: the same content as the standard library's json, written a row at a time."""

import io
import json
import tracemalloc

import numpy as np
import pytest

from backprop_tui.export import to_dict, to_json_text, write_json
from backprop_tui.lessons import (
    LESSONS,
    ChainOptions,
    ExprOptions,
    GraphOptions,
    MethodsOptions,
    MlpOptions,
    SymmetryOptions,
)
from backprop_tui.lessons.base import plain
from backprop_tui.output import TargetError, write


def same_as_stdlib(ours: str, reference) -> None:
    assert ours.endswith("\n")
    assert json.loads(ours) == json.loads(json.dumps(reference, ensure_ascii=False, allow_nan=False, default=listed))


def listed(value):
    """For json.dumps: arrays as plain lists, lazy series (a symmetry history) as lists of their items."""
    return plain(value) if isinstance(value, np.ndarray) else list(value)


@pytest.mark.parametrize(
    "lesson, settings",
    [
        ("mlp", MlpOptions()),
        ("mlp", MlpOptions(d=5, h=3, init="constant")),
        ("graph", GraphOptions()),
        ("expr", ExprOptions(expr="log(x - 2) + y", at=(("x", 1.0), ("y", 2.0)))),  # nan on the way
        ("expr", ExprOptions(expr="exp(x)*y", at=(("x", 1000.0), ("y", 0.0)))),  # inf and nan
    ],
)
def test_walkthroughs_match_the_standard_library(lesson, settings):
    walk = LESSONS[lesson].build(settings)
    same_as_stdlib(to_json_text(to_dict(walk, arrays=True)), to_dict(walk))


@pytest.mark.parametrize(
    "lesson, settings",
    [("symmetry", SymmetryOptions(steps=20)), ("symmetry", SymmetryOptions(steps=20, lr=1e6, activation="tanh")),
     ("methods", MethodsOptions()), ("chain", ChainOptions())],
)
def test_lesson_exports_match_the_standard_library(lesson, settings):
    data = LESSONS[lesson].export(settings)
    same_as_stdlib(to_json_text(data), data)


def test_non_finite_numbers_become_null_in_every_shape():
    long = np.arange(10_000, dtype=float)  # longer than one chunk of a row
    long[[0, 4095, 4096, 9999]] = [np.inf, np.nan, -np.inf, np.nan]
    data = {
        "scalar": np.float64("nan"),
        "row": long,
        "matrix": np.array([[1.0, np.inf], [np.nan, 2.0]]),
        "list": [1.5, None],
    }
    parsed = json.loads(to_json_text(data))
    expected_row = [None if not np.isfinite(v) else v for v in long.tolist()]
    assert parsed == {"scalar": None, "row": expected_row, "matrix": [[1.0, None], [None, 2.0]], "list": [1.5, None]}
    assert "NaN" not in to_json_text(data) and "Infinity" not in to_json_text(data)


def test_short_rows_in_blocks_keep_a_row_per_line_and_nulls():
    matrix = np.arange(30_000, dtype=float).reshape(10_000, 3)  # several blocks of a chunk's numbers
    matrix[[0, 4000, 9999], [0, 1, 2]] = [np.nan, np.inf, -np.inf]
    for value in (matrix, matrix[:, :0], matrix[:0], np.ones((2, 5000)), np.ones((2, 3, 4))):
        text = to_json_text({"m": value})
        assert text == to_json_text({"m": plain(value)})  # the layout of the same numbers as lists
        same_as_stdlib(text, {"m": plain(value)})
    assert to_json_text(matrix).count("\n") == 10_000 + 2  # after "[", after each row, after "]"


def test_generators_are_written_as_lists_item_by_item():
    sink = io.StringIO()
    written = []

    def entries():
        for k in range(3):
            written.append(len(sink.getvalue()))
            yield {"step": k, "value": np.array([k, 0.5])}

    write_json({"history": entries()}, sink)
    assert written[0] < written[1] < written[2], "each item is written before the next is asked for"
    listed_text = to_json_text({"history": [{"step": k, "value": [float(k), 0.5]} for k in range(3)]})
    assert sink.getvalue() == listed_text
    assert to_json_text({"a": iter(()), "b": (x / 2 for x in range(3)), "c": map(float, [1, "nan"])}) == \
        to_json_text({"a": [], "b": [0.0, 0.5, 1.0], "c": [1.0, None]})
    with pytest.raises(TypeError):
        to_json_text({"a": {1, 2}})


def test_layout_a_row_per_line_and_text_unescaped():
    text = to_json_text({"label": "W⁽⁰⁾", "value": np.array([[1.0, 2.0], [3.0, 4.0]]), "shape": [2, 2], "ok": True})
    assert text == (
        '{\n "label": "W⁽⁰⁾",\n "value": [\n  [1.0, 2.0],\n  [3.0, 4.0]\n ],\n "shape": [2, 2],\n "ok": true\n}\n'
    )


@pytest.mark.slow
def test_a_big_matrix_is_written_without_holding_it_as_text_or_lists(counting_sink):
    big = np.random.default_rng(0).normal(size=(1000, 1000))  # a million numbers, about 20 MB of JSON
    sink = counting_sink()
    tracemalloc.start()
    try:
        write_json({"value": big}, sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.chars > 18_000_000
    # as lists of floats it would take over 30 MB; a row at a time it takes a few hundred kB
    assert peak < 3_000_000, peak


def test_a_writer_that_fails_halfway_leaves_no_file(tmp_path):
    target = tmp_path / "w.json"

    def half(out):
        out.write('{"lesson": ')
        raise OSError(28, "No space left on device")

    with pytest.raises(TargetError, match="no space left on device"):
        write(str(target), half)
    assert list(tmp_path.iterdir()) == []
    write(str(target), lambda out: write_json({"a": [1, 2]}, out))
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": [1, 2]}
