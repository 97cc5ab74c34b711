"""Unicode notation shared by the engine's texts and every rendering."""

from __future__ import annotations

import math

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


def matrix_lines(array: np.ndarray, max_rows: int = 8, max_cols: int = 6, digits: int = 4) -> list[str]:
    """An array as aligned text rows in brackets, eliding middle rows and columns with ⋮ and …."""
    a = np.asarray(array, dtype=float)
    if a.ndim == 0:
        return [number(float(a), digits)]
    if a.ndim == 1:
        a = a[None, :]
    rows, cols = _elide(a.shape[0], max_rows), _elide(a.shape[1], max_cols)
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


def brief(array: np.ndarray, width: int = 12) -> str:
    """A one-cell summary of a value: the number for a scalar, else the first entries until width."""
    a = np.asarray(array, dtype=float)
    if a.size == 1:
        return number(float(a.reshape(())), 4)
    flat = a.ravel()
    parts: list[str] = []
    for x in flat[: width // 2 + 1]:  # no more entries than could ever fit
        parts.append(number(float(x), 3))
    whole = "[" + " ".join(parts) + "]"
    if len(parts) == flat.size and len(whole) <= width:
        return whole
    while len(parts) > 1 and len("[" + " ".join(parts) + " …]") > width:
        parts.pop()
    return "[" + " ".join(parts) + " …]"
