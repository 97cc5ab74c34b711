"""The lesson registry: what each lesson is, with its module loaded only when the lesson is used."""

from .base import Lesson, LessonError, PageLesson, Walkthrough, WalkthroughLesson
from .options import (
    ChainOptions,
    ExprOptions,
    GraphOptions,
    MethodsOptions,
    MlpOptions,
    Options,
    SymmetryOptions,
)

LESSONS: dict[str, WalkthroughLesson | PageLesson] = {
    lesson.name: lesson
    for lesson in (
        WalkthroughLesson(
            name="mlp",
            key="1",
            title="Network",
            summary="The 1-hidden-layer network of §3.1: forward, then backward, node by node.",
            module="backprop_tui.lessons.mlp",
            options=MlpOptions,
        ),
        WalkthroughLesson(
            name="graph",
            key="2",
            title="Graph p(x, y)",
            summary="The computational graph of p(x, y) from §4, with its intermediates z₁…z₄.",
            module="backprop_tui.lessons.graph",
            options=GraphOptions,
        ),
        PageLesson(
            name="symmetry",
            key="3",
            title="Symmetry",
            summary="§3.2(c): from a constant start every hidden unit stays identical; a random start learns XOR.",
            module="backprop_tui.lessons.symmetry",
            options=SymmetryOptions,
        ),
        PageLesson(
            name="methods",
            key="4",
            title="Five ways",
            summary="One gradient five ways (§3.3): differences, by hand, forward mode, backprop; cost and ε.",
            module="backprop_tui.lessons.methods",
            options=MethodsOptions,
        ),
        PageLesson(
            name="chain",
            key="5",
            title="Chain rule",
            summary="§1: the Jacobian of f∘g as (m×n)·(n×ℓ), checked numerically; a matrix input W.",
            module="backprop_tui.lessons.chain",
            options=ChainOptions,
        ),
        WalkthroughLesson(
            name="expr",
            key="6",
            title="Your function",
            summary="Type any function (e to edit it) and step through its graph, one node per operation.",
            module="backprop_tui.lessons.expr",
            options=ExprOptions,
        ),
    )
}
DEFAULT_LESSON = "mlp"

__all__ = [
    "DEFAULT_LESSON",
    "LESSONS",
    "ChainOptions",
    "ExprOptions",
    "GraphOptions",
    "Lesson",
    "LessonError",
    "MethodsOptions",
    "MlpOptions",
    "Options",
    "PageLesson",
    "SymmetryOptions",
    "Walkthrough",
    "WalkthroughLesson",
]
