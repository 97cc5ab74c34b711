"""Array helpers every pass shares: float64 conversion, read-only copies, gradient sums, the user's error."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

FLOAT64 = np.dtype(np.float64)  # dtypes of the builtin types are singletons: `is` compares them


class GraphError(ValueError):
    """A graph that cannot be built or run, with a message meant for the user."""


def as_float64(array: Any) -> Array:
    """The array itself when it already is a float64 ndarray, else a float64 conversion."""
    if type(array) is np.ndarray and array.dtype is FLOAT64:
        return array
    return np.asarray(array, dtype=np.float64)


def frozen(array: Any) -> Array:
    """A read-only float64 copy, unless the array already is read-only float64 (then it is shared)."""
    if type(array) is np.ndarray and array.dtype is FLOAT64 and not array.flags.writeable:
        return array
    a = np.array(array, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


def seal(array: Any) -> Array:
    """Mark a freshly computed result read-only, copying only if it is a view of other data.

    Called for every value and gradient a trace keeps, so the common cases come first.
    """
    a: Array
    if type(array) is np.ndarray and array.dtype is FLOAT64:
        a = array
        flags = a.flags
        if not flags.writeable:
            return a
        if a.base is None:
            flags.writeable = False
            return a
    else:
        a = np.asarray(array, dtype=np.float64)
        if a.base is None and a.flags.writeable:
            a.flags.writeable = False
            return a
    return frozen(a)


def add_outgrads(previous: Array | None, part: Array) -> Array:
    """A sum of contributions so far plus one more; None is the empty sum.

    Every pass that adds up paths (reverse mode's gradients, forward mode's
    tangents) goes through here, so a node reached once keeps its only part as is.
    """
    return part if previous is None else previous + part


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many small acyclic objects.

    Graphs, passes and traces allocate thousands of tuples and records and form no
    cycles; left running, the collector's repeated sweeps cost up to a fifth of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
