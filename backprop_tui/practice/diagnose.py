"""Known mistakes, recognised by what a wrong answer equals, and said in plain words.

A wrong answer is compared, with the same rule that judges it (3 significant
figures for numbers, every point for a formula), with what each known mistake
would have given, in this order; the first match is the diagnosis:

  the right numbers transposed, or a transposed shape;
  the sign flipped;
  a path left out where the node is used more than once (6x² alone for ∂z₄/∂x), or
    one slot's derivative where a consumer takes the node twice;
  σ(v) (or tanh) used where its slope σ′(v) = σ(v)(1 − σ(v)) belongs;
  the upstream factor left out (the local derivative given for the gradient), or
    only the upstream factor given, or (for a local derivative) the upstream included;
  a local derivative taken with respect to the consumer's other input (2x for ∂z₂/∂y);
  the value of another node, or another node's gradient;
  a constant factor off (the ratio is the same everywhere and not ±1; for a single
    number, a simple ratio like 2, 1/2 or 3);
  for a formula: right at the lesson's point but not at the others.

A mistake that would give the right answer at this point (an upstream factor of
1, say) is not a candidate. No match: no diagnosis, and the hints take over.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from itertools import combinations

import numpy as np

from ..engine import BACKWARD, Term
from ..engine.notation import number, shape_text
from .compare import agree, agree_each, agrees, same_values
from .points import Points
from .questions import GRAD, LOCAL, VALUE, ChainPractice, Question, WalkPractice

Message = Callable[[], str]
Candidate = tuple[np.ndarray, Message]
ALL_SUBSETS = 5  # paths up to which every combination of left-out paths is tried
MANY_PATHS = 50  # beyond this many paths, adding the local derivatives alone is not looked for
MAX_SIMPLE = 12  # a single number's ratio counts as a constant factor when it is p/q with q ≤ this


# --- fitting a typed array to a shape ---


def fit(a: np.ndarray, shape: tuple[int, ...], rows: bool = True, diagonal: bool = False) -> np.ndarray | None:
    """The typed array read in `shape`, or None when it cannot be.

    A flat list fits any shape with at most one size above 1 (a vector, a 1×n row,
    an n×1 column). Typed with brackets as a matrix, it must be that matrix, except
    that with rows=False (a value, where a vector is a column or a row as you like)
    a vector may be typed as a row or a column. With diagonal, a flat list of n
    numbers is the diagonal of an n×n matrix.
    """
    if a.shape == shape:
        return a
    size = int(np.prod(shape))
    if a.size != size:
        if diagonal and a.ndim == 1 and len(shape) == 2 and shape[0] == shape[1] == a.size:
            return np.diag(a)
        return None
    if sum(d > 1 for d in shape) > 1:
        return None  # a matrix must be typed as that matrix
    if a.ndim <= 1 or not rows:
        return a.reshape(shape)
    wanted = shape if len(shape) == 2 else (1, size)
    return a.reshape(shape) if a.shape == wanted else None


# --- the candidates ---


def _path_names(terms: tuple[Term, ...]) -> list[str]:
    """Each path by its consumer, with the slot when a consumer takes the node more than once."""
    counts: dict[str, int] = {}
    for t in terms:
        counts[t.consumer] = counts.get(t.consumer, 0) + 1
    seen: dict[str, int] = {}
    names = []
    for t in terms:
        seen[t.consumer] = seen.get(t.consumer, 0) + 1
        ordinal = ("1st", "2nd", "3rd")[seen[t.consumer] - 1] if seen[t.consumer] <= 3 else f"{seen[t.consumer]}th"
        names.append(t.consumer_label + (f" ({ordinal} input)" if counts[t.consumer] > 1 else ""))
    return names


def _listed(names: list[str], most: int = 4) -> str:
    """a, b and c; a long list shortened: a, b, c and 97 more."""
    if len(names) > most:
        return ", ".join(names[: most - 1]) + f" and {len(names) - most + 1} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


SLOPES = {
    "sigmoid": "That uses σ({v}) where its slope belongs: σ′({v}) = σ({v})(1 − σ({v})).",
    "tanh": "That uses tanh({v}) where its slope belongs: tanh′({v}) = 1 − tanh²({v}).",
}


class _Source:
    """What the candidates are made of: series over points (scalar lessons) or the arrays at the point (mlp)."""

    def __init__(self, practice: WalkPractice, points: Points | None):
        self.practice = practice
        self.points = points
        self.trace = practice.trace

    def value(self, node: str) -> np.ndarray:
        return self.points.value(node) if self.points else np.asarray(self.trace.nodes[node].value)

    def grad(self, node: str) -> np.ndarray:
        return self.points.grad(node) if self.points else np.asarray(self.trace.nodes[node].grad)

    def term(self, node: str, k: int) -> Term:
        return self.trace.steps[self.trace.step_of[(BACKWARD, node)]].terms[k]

    def local(self, node: str, k: int) -> np.ndarray:
        if self.points:
            return self.points.local(node, k)
        jacobian = self.term(node, k).local_jacobian()
        return np.asarray(jacobian) if jacobian is not None else np.full(1, np.nan)  # too big: matches nothing

    def upstream(self, node: str, k: int) -> np.ndarray:
        return self.points.upstream(node, k) if self.points else np.asarray(self.term(node, k).upstream)

    def product(self, node: str, k: int) -> np.ndarray:
        return self.points.product(node, k) if self.points else np.asarray(self.term(node, k).product)


def expected_of(q: Question, points: Points | None) -> np.ndarray:
    """The true answer: its series over the points, or (points None) its array at the lesson's point."""
    if points is None:
        return np.asarray(q.expected)
    if q.field == VALUE:
        return points.value(q.node)
    if q.field == GRAD:
        return points.grad(q.node)
    return np.sum([points.local(q.node, k) for k in q.terms], axis=0)


def candidates(q: Question, points: Points | None) -> list[Candidate]:
    """What each known mistake gives for this question, in the order they are tried."""
    practice = q.practice
    assert isinstance(practice, WalkPractice)
    source = _Source(practice, points)
    trace = practice.trace
    labels = {name: r.label for name, r in trace.nodes.items()}
    out, n = labels[trace.output], labels[q.node]
    expected = expected_of(q, points)
    found: list[Candidate] = [(-expected, lambda: "The sign is flipped: the right answer is the negative of this.")]
    step = trace.steps[q.step] if q.step is not None else None
    terms = step.terms if step is not None else ()

    if q.field == GRAD and len(terms) > 1:
        names = _path_names(terms)
        products = np.array([source.product(q.node, k) for k in range(len(terms))])
        count = len(terms)
        subsets: list[tuple[int, ...]]
        if count <= ALL_SUBSETS:
            subsets = [s for r in range(1, count) for s in combinations(range(count), r)]
        else:  # one path alone, or every path but one
            subsets = [(k,) for k in range(-count, count)]  # k < 0: all but path −1 − k
        total = products.sum(axis=0)
        for subset in subsets:

            def missing(subset: tuple[int, ...] = subset) -> str:  # made only when it is the diagnosis
                chosen = {-1 - subset[0]} if subset[0] < 0 else set(subset)
                inside = [m for j, m in enumerate(names) if (j in chosen) != (subset[0] < 0)]
                outside = [m for j, m in enumerate(names) if (j in chosen) == (subset[0] < 0)]
                kept, left = inside, outside
                s = "s" if len(kept) > 1 else ""
                return (
                    f"Only the path{s} via {_listed(kept)}: {n} also reaches {out} via {_listed(left)}, "
                    "and the chain rule adds the products of every path."
                )

            if subset[0] < 0:
                found.append((total - products[-1 - subset[0]], missing))
            else:
                found.append((products[list(subset)].sum(axis=0), missing))

    if q.field == LOCAL and len(q.terms) > 1:
        c = labels[q.consumer or ""]
        one_slot = _say(
            f"{c} takes {n} in more than one of its inputs: ∂{c}/∂{n} adds the derivatives "
            "through each of them, and this is only one."
        )
        for k in q.terms:
            found.append((source.local(q.node, k), one_slot))

    # a slope function's value where its slope belongs
    for k in q.terms if q.field in (GRAD, LOCAL) else ():
        term = terms[k]
        slope = SLOPES.get(trace.nodes[term.consumer].op or "")
        if slope is None:
            continue
        value = source.value(term.consumer)
        message = _say(slope.format(v=n))
        if q.field == LOCAL:
            found.append((value, message))
            if not points:
                found.append((np.diag(np.ravel(value)), message))
        else:
            found.append((source.upstream(q.node, k) * value, message))

    if q.field == GRAD and terms:
        first: dict[str, int] = {}
        for k, t in enumerate(terms):
            first.setdefault(t.consumer, k)
        for k in first.values():
            c = terms[k].consumer_label
            found.append((source.upstream(q.node, k), _say(
                f"That is ∂{out}/∂{c}, the gradient arriving at {c}: "
                f"it still has to be multiplied by the local derivative ∂{c}/∂{n}."
            )))
        if len(terms) == 1:
            c = terms[0].consumer_label
            local = source.local(q.node, 0)
            message = _say(
                f"That is the local derivative ∂{c}/∂{n} alone: the upstream factor ∂{out}/∂{c} is left out."
            )
            found.append((local, message))
            if not points and terms[0].elementwise:
                found.append((np.diag(local) if local.ndim == 2 else local, message))
        elif points and len(terms) <= MANY_PATHS:
            locals_ = [source.local(q.node, k) for k in range(len(terms))]
            arriving = _listed([terms[k].consumer_label for k in first.values()])
            found.append((np.sum(locals_, axis=0), _say(
                "That adds the local derivatives alone: each path's must first be multiplied by "
                f"the gradient arriving at its consumer ({arriving})."
            )))

    if q.field == LOCAL:
        c = labels[q.consumer or ""]
        product = np.sum([source.product(q.node, k) for k in q.terms], axis=0)
        found.append((product, _say(
            f"That already includes ∂{out}/∂{c} from above: the local derivative is ∂{c}/∂{n} alone."
        )))

    if q.field == LOCAL:  # the consumer differentiated with respect to another of its inputs
        c = labels[q.consumer or ""]
        for other in dict.fromkeys(trace.nodes[q.consumer or ""].inputs):
            if other == q.node:
                continue
            its = trace.steps[trace.step_of[(BACKWARD, other)]].terms
            slots = [k for k, t in enumerate(its) if t.consumer == q.consumer]
            m = labels[other]
            found.append((np.sum([source.local(other, k) for k in slots], axis=0), _say(
                f"That is ∂{c}/∂{m}, the derivative with respect to {m}; this one is with respect to {n}."
            )))

    what = q.subject
    for name, label in labels.items():
        if q.field == VALUE and name == q.node:
            continue
        text = (
            f"That is the value of {n} itself, not its gradient."
            if name == q.node and q.field == GRAD
            else f"That is the value of {label}, not {what}."
        )
        found.append((source.value(name), _say(text)))
    if q.field != VALUE:
        for name, label in labels.items():
            if q.field == GRAD and name == q.node:
                continue
            found.append((source.grad(name), _say(f"That is ∂{out}/∂{label}, the gradient of {label}, not {what}.")))
    return found


def _say(text: str) -> Message:
    return lambda: text


# --- matching ---


def _simple(r: float) -> Fraction | None:
    f = Fraction(r).limit_denominator(MAX_SIMPLE)
    if f == 0 or abs(f.numerator) > 2 * MAX_SIMPLE or not agrees(np.array(r), np.array(float(f))):
        return None
    return f


def _ratio_words(r: float) -> str:
    f = _simple(r)
    if f is None:
        return f"{number(r)} times"
    if f == 2:
        return "twice"
    if f == Fraction(1, 2):
        return "half"
    if f.denominator == 1:
        return f"{number(float(f))} times"
    if f.numerator == 1:
        return f"1/{f.denominator} of"
    return f"{number(float(f.numerator))}/{f.denominator} times"


def constant_factor(a: np.ndarray, e: np.ndarray, formula: bool) -> str | None:
    """When a is e times the same constant (not ±1) everywhere, say so."""
    a, e = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(e, dtype=float))
    if not (np.isfinite(a).all() and np.isfinite(e).all()):
        return None
    zero = agree(e, np.zeros(e.shape)) if not formula else same_values(e, np.zeros(e.shape))
    if zero.all():
        return None
    a_zero = agree(a, np.zeros(a.shape)) if not formula else same_values(a, np.zeros(a.shape))
    if not a_zero[zero].all():
        return None
    with np.errstate(all="ignore"):
        ratios = a[~zero] / e[~zero]
    r = float(ratios.flat[0])
    same = same_values if formula else agree
    if r == 0 or not same(ratios, np.full(ratios.shape, r)).all():
        return None
    if agrees(np.array(abs(r)), np.array(1.0)):
        return None
    if ratios.size == 1 and _simple(r) is None:
        return None  # one number wrong by a ratio that means nothing in particular
    return f"Off by a constant factor: this is {_ratio_words(r)} the right answer."


def _point_text(points: Points, k: int) -> str:
    labels = {name: r.label for name, r in points.traces[k].nodes.items()}
    values = points.point(k)
    return ", ".join(f"{labels[name]} = {number(v, 3)}" for name, v in list(values.items())[:4])


def _stacked(q: Question, points: Points) -> tuple[np.ndarray, list[Message]]:
    """The candidates of a scalar lesson's question as one matrix, a row per candidate that differs
    from the true answer and a column per point, with their messages; kept per question."""
    practice = q.practice
    assert isinstance(practice, WalkPractice)
    key = ("candidates", q.key, points.others)
    known = practice.memo.get(key)
    if known is None:
        found = candidates(q, points)
        matrix = np.array([v for v, _ in found], dtype=float)
        expected = expected_of(q, points)
        if points.others:
            differs = ~same_values(matrix, expected[None, :]).all(axis=1)
        else:
            differs = ~agree_each(matrix[:, 0], np.full(len(found), expected[0]))
        kept = np.flatnonzero(differs)
        known = practice.memo[key] = (matrix[kept], [found[k][1] for k in kept])
    return known


def diagnose_numbers(q: Question, a: np.ndarray) -> str | None:
    """Why typed numbers are wrong, if the mistake is a known one."""
    practice = q.practice
    if isinstance(practice, ChainPractice):
        return None
    assert isinstance(practice, WalkPractice)
    expected = np.asarray(q.expected)
    rows = q.field != VALUE
    if practice.scalar:
        if a.size != 1:
            return _sentence(f"{q.subject} is a single number; this answer has {_count(a.size)}.")
        matrix, messages = _stacked(q, practice.here)
        hit = agree_each(np.full(len(messages), float(a.reshape(()))), matrix[:, 0])
        if hit.any():
            return messages[int(np.argmax(hit))]()
        return constant_factor(a.reshape(()), expected, formula=False)
    aligned = fit(a, expected.shape, rows=rows, diagonal=q.diagonal)
    if aligned is None and a.ndim == 2:
        flipped = fit(a.T, expected.shape, rows=rows, diagonal=q.diagonal)
        if flipped is not None and agrees(flipped, expected):
            return f"Transposed: these are the right numbers, but {q.subject} is {_dims(expected, q)}."
    for values, message in candidates(q, None):
        candidate = fit(a, values.shape, rows=False, diagonal=values.ndim == 2 and _is_diagonal(values))
        if candidate is None or not agrees(candidate, values):
            continue
        same = fit(values, expected.shape, rows=False)
        if same is not None and agrees(same, expected):
            continue  # this mistake changes nothing here
        return message()
    if aligned is None and a.size == expected.size and expected.ndim == 2:
        if agrees(a.reshape(expected.shape), expected):
            return (
                f"These are the right numbers in one row; {q.subject} is {_dims(expected)}: "
                "type it row by row, [[…], […]]."
            )
        return _sentence(f"{q.subject} is {_dims(expected)}: type it row by row, [[…], […]].")
    if aligned is None:
        given = _count(a.size)
        return _sentence(f"{q.subject} is {_dims(expected, q)}: {_count(expected.size)}; this answer has {given}.")
    return constant_factor(aligned, expected, formula=False)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _count(n: int) -> str:
    return "1 number" if n == 1 else f"{n} numbers"


def _is_diagonal(m: np.ndarray) -> bool:
    return m.shape[0] == m.shape[1] and not np.any(m - np.diag(np.diag(m)))


def _dims(expected: np.ndarray, q: Question | None = None) -> str:
    if expected.ndim == 2:
        return shape_text(expected.shape)
    if expected.ndim == 1:
        return f"a row of {expected.size}" if q is not None and q.field != VALUE else f"a vector of {expected.size}"
    return "a scalar"


def diagnose_formula(q: Question, answer: np.ndarray) -> str | None:
    """Why a formula is wrong, given its value at every point, if the mistake is a known one."""
    practice = q.practice
    assert isinstance(practice, WalkPractice)
    points = practice.points
    expected = expected_of(q, points)
    matrix, messages = _stacked(q, points)
    hit = same_values(answer[None, :], matrix).all(axis=1)
    if hit.any():
        return messages[int(np.argmax(hit))]()
    factor = constant_factor(answer, expected, formula=True)
    if factor is not None and points.count > 1:
        return factor
    here = same_values(answer, expected)
    if here[0] and not here.all():
        k = int(np.argmin(here))
        return (
            f"Right at this point, but not as a formula: at {_point_text(points, k)} it gives "
            f"{number(float(answer[k]))}, and the true value there is {number(float(expected[k]))}."
        )
    return None


def diagnose_shape(q: Question, dims: tuple[int, ...]) -> str | None:
    """Why a shape is wrong: transposed, a bare vector length, the flattened form, or the wrong product."""
    expected: tuple[int, ...] = q.expected
    if isinstance(q.practice, ChainPractice):
        chain = q.practice
        if len(dims) == 2 and dims == expected[::-1]:
            return "Transposed: a Jacobian has one row per output and one column per input."
        if q.node == "fg" and chain.l == chain.m and dims == (chain.n, chain.n):
            return "That is the shape of ∂g/∂x · ∂f/∂y, the product in the wrong order."
        if q.node == "fg" and dims in ((chain.m, chain.n), (chain.n, chain.l)):
            which = "∂f/∂y" if dims == (chain.m, chain.n) else "∂g/∂x"
            return f"That is the shape of {which} alone; the product (m×n)·(n×ℓ) is m×ℓ."
        return None
    practice = q.practice
    assert isinstance(practice, WalkPractice)
    record = practice.trace.nodes[q.node]
    out = practice.trace.nodes[practice.trace.output].label
    if len(dims) == 2 and dims == expected[::-1]:
        if record.is_matrix:
            return f"Transposed: ∂{out}/∂{record.label} takes {record.label}'s own shape, {shape_text(expected)}."
        return (
            f"Transposed: in numerator layout ∂{out}/∂{record.label} is a row, {shape_text(expected)}: "
            f"one row for the one output, one column per entry of {record.label}."
        )
    if dims == (record.value.size,) and not record.is_matrix:
        return f"As a Jacobian it has two sizes: a row, {shape_text(expected)}, in numerator layout."
    if record.is_matrix and dims == (1, record.value.size):
        return (
            f"That is ∂{out}/∂vec({record.label}), flattened; folded back into {record.label}'s own shape "
            f"it is {shape_text(expected)}."
        )
    return None


def diagnose_order(q: Question, first: str) -> str | None:
    """The chain lesson's own explanation of the product taken the other way round."""
    practice = q.practice
    assert isinstance(practice, ChainPractice)
    return practice.wrong.explanation
