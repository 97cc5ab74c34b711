"""Unicode notation shared by the engine's texts and every rendering."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def subscript(text: str) -> str:
    """Digits as subscripts: z1 → z₁."""
    return text.translate(_SUB)


def superscript(text: str) -> str:
    """Digits as superscripts: 2 → ²."""
    return text.translate(_SUP)


def default_label(name: str) -> str:
    """Trailing digits of a name become subscripts (z12 → z₁₂)."""
    stem = name.rstrip("0123456789")
    return stem + subscript(name[len(stem):]) if stem else name


def layer_label(name: str) -> str:
    """Layer-indexed parameter names: W0 → W⁽⁰⁾."""
    stem = name.rstrip("0123456789")
    return f"{stem}⁽{superscript(name[len(stem):])}⁾"


def shape_text(shape: tuple[int, ...]) -> str:
    """A tensor's shape as people write it: 4×2 for a matrix, 4 for a vector, 1 for a scalar."""
    return "×".join(str(n) for n in shape) if shape else "1"


def column_text(shape: tuple[int, ...]) -> str:
    """A shape in matrix terms, vectors as columns: 4×2, 4×1, 1×1."""
    if len(shape) == 2:
        return f"{shape[0]}×{shape[1]}"
    return f"{math.prod(shape)}×1"


def number(x: float, digits: int = 4) -> str:
    """A float in a compact fixed width-ish form; −0 shows as 0, minus signs are real minus signs."""
    if x != x:
        return "nan"
    if x in (np.inf, -np.inf):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    mag = abs(x)
    text = f"{x:.{digits}g}" if (mag >= 1e-3 and mag < 1e5) else f"{x:.{max(digits - 2, 1)}e}"
    mantissa, e, exponent = text.partition("e")
    if e:  # 9.07e-04 → 9.07e−4
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def _elide(n: int, limit: int) -> list[int | None]:
    """Indices to show out of n in at most limit slots: all if they fit, else head, None (the gap), tail."""
    if n <= limit:
        return list(range(n))
    head = max(limit // 2, 1)
    tail = max(limit - 1 - head, 1)
    return list(range(head)) + [None] + list(range(n - tail, n))


def _ends_first(n: int, start: int = 0, stop: int | None = None) -> Iterator[int]:
    """0, n−1, 1, n−2, … (the start-th to the stop-th of them): the order in which head and tail grow together."""
    return (i // 2 if i % 2 == 0 else n - 1 - i // 2 for i in range(start, n if stop is None else stop))


def _whole_blocks(shown: set[int], count: int, size: int) -> list[int | None]:
    """The indices of the shown blocks (each `size` long) out of `count`, None wherever blocks are left out."""
    out: list[int | None] = []
    last = -1
    for b in sorted(shown):
        if b != last + 1:
            out.append(None)
        out.extend(range(b * size, (b + 1) * size))
        last = b
    if last != count - 1:
        out.append(None)
    return out


def _block_elide(
    a: np.ndarray, max_rows: int, max_cols: int, blocks: tuple[int, int]
) -> tuple[list[int | None], list[int | None]] | None:
    """Rows and columns to show, eliding whole blocks; None when the blocks do not tile `a`.

    Row blocks are taken from both ends inwards while each brings a column block
    holding a nonzero of it (if it has any), so no shown row looks all zero;
    spare column slots then take more column blocks from both ends. When that shows
    fewer than two row blocks (a block is too wide), columns are elided as usual and
    only the row blocks whose nonzeros show are kept.
    """
    rb, cb = blocks
    n_rows, n_cols = a.shape
    if rb < 1 or cb < 1 or n_rows % rb or n_cols % cb:
        return None
    nr, nc = n_rows // rb, n_cols // cb
    nonzero = a.reshape(nr, rb, nc, cb) != 0
    in_block = nonzero.any(axis=(1, 3))
    rows: set[int] = set()
    cols: set[int] = set()

    def fits(rs: set[int], cs: set[int]) -> bool:
        return len(_whole_blocks(rs, nr, rb)) <= max_rows and len(_whole_blocks(cs, nc, cb)) <= max_cols

    if fits({0}, {0}):  # at least one whole block fits
        for i in _ends_first(nr):
            own = np.flatnonzero(in_block[i])
            need = set() if not own.size or cols.intersection(own.tolist()) else {int(own[0])}
            if not fits(rows | {i}, cols | need):
                break
            rows.add(i)
            cols |= need
        for j in _ends_first(nc):
            if j not in cols:
                if not fits(rows, cols | {j}):
                    break
                cols.add(j)
        if len(rows) >= min(nr, 2):  # else the fallback below shows more rows
            return _whole_blocks(rows, nr, rb), _whole_blocks(cols, nc, cb)
        rows = set()
    shown = _elide(n_cols, max_cols)
    visible = np.zeros(n_cols, dtype=bool)
    visible[[c for c in shown if c is not None]] = True
    by_row = nonzero.any(axis=1).reshape(nr, n_cols)  # each row block's nonzero columns
    for i in _ends_first(nr):
        if by_row[i].any() and not (by_row[i] & visible).any():
            continue  # its nonzeros are all elided: it would look zero
        if len(_whole_blocks(rows | {i}, nr, rb)) > max_rows:
            break
        rows.add(i)
    return (_whole_blocks(rows, nr, rb), shown) if rows else None


def _matrix_text(
    a: np.ndarray, max_rows: int, max_cols: int, digits: int, blocks: tuple[int, int] | None
) -> list[str]:
    """matrix_lines for a 2-D array and one column limit."""
    chosen = None
    if blocks is not None and (a.shape[0] > max_rows or a.shape[1] > max_cols):
        chosen = _block_elide(a, max_rows, max_cols, blocks)
    rows, cols = chosen or (_elide(a.shape[0], max_rows), _elide(a.shape[1], max_cols))
    cells = [
        [("…" if c is None else number(float(a[r, c]), digits)) if r is not None else "" for c in cols]
        for r in rows
    ]
    widths = [max(1, *(len(row[j]) for row in cells)) for j in range(len(cols))]
    lines = []
    for r, row in zip(rows, cells, strict=True):
        if r is None:
            lines.append(" ".join("⋮".center(w) if c is not None else " " for c, w in zip(cols, widths, strict=True)))
        else:
            lines.append(" ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
    if len(lines) == 1:
        return [f"[{lines[0]}]"]
    out = []
    for i, line in enumerate(lines):
        left, right = ("┌", "┐") if i == 0 else ("└", "┘") if i == len(lines) - 1 else ("│", "│")
        out.append(f"{left}{line}{right}")
    return out


def matrix_lines(
    array: np.ndarray,
    max_rows: int = 8,
    max_cols: int = 6,
    digits: int = 4,
    *,
    blocks: tuple[int, int] | None = None,
    max_width: int | None = None,
) -> list[str]:
    """An array as aligned text rows in brackets, eliding middle rows with ⋮ and middle columns with ….

    Nothing is elided that fits in max_rows × max_cols. `blocks=(r, c)` says the
    array is made of r×c blocks (I ⊗ xᵀ is made of 1×len(x) ones): then only whole
    blocks are elided, and every row shown keeps a block holding a nonzero of it.
    `max_width` elides more columns until every line, brackets included, fits in
    that many cells (or one column is left either side of the gap).
    """
    a = np.asarray(array, dtype=float)
    if a.ndim == 0:
        return [number(float(a), digits)]
    if a.ndim == 1:
        a = a[None, :]
    limit = min(max_cols, a.shape[1])
    if max_width is not None:
        limit = min(limit, max(max_width // 2, 1))  # a column takes a digit and a space at least
    while True:
        lines = _matrix_text(a, max_rows, limit, digits, blocks)
        if max_width is None or limit <= 1 or max(map(len, lines)) <= max_width:
            return lines
        limit -= 1


def brief(array: np.ndarray, width: int = 12) -> str:
    """A value in at most `width` cells if it can be: a scalar's number, else entries in brackets, [a b … z].

    Entries are taken from both ends while they fit; the brackets are always there.
    Too narrow for one entry either side, it is [a …] with fewer digits, then […].
    """
    a = np.asarray(array, dtype=float)
    if a.size == 1:
        x = float(a.reshape(()))
        text = number(x, 4)
        for digits in (3, 2, 1):
            if len(text) <= width:
                break
            text = number(x, digits)
        return text
    flat = a.ravel()
    n = flat.size
    if n * 2 + 1 <= width:  # every entry takes a digit and a space at least: otherwise it cannot fit whole
        whole = "[" + " ".join(number(float(x), 3) for x in flat) + "]"
        if len(whole) <= width:
            return whole
    if not n:
        return "[]"
    head, tail = [number(float(flat[0]), 3)], [number(float(flat[-1]), 3)]
    used = len(head[0]) + len(tail[0]) + 5  # "[" a " … " z "]"
    if used > width:
        for digits in (3, 2, 1):
            text = f"[{number(float(flat[0]), digits)} …]"
            if len(text) <= width:
                return text
        return "[…]"
    for i in _ends_first(n, 2, n - 1):  # at least one entry stays elided: all of them did not fit
        entry = number(float(flat[i]), 3)
        if used + len(entry) + 1 > width:
            break
        used += len(entry) + 1
        (head if i < n // 2 + n % 2 else tail).append(entry)
    return "[" + " ".join(head) + " … " + " ".join(reversed(tail)) + "]"
