"""The lesson registry: what each lesson is, with its module loaded only when the lesson is used."""

from .base import MAX_D, MAX_H, Lesson, LessonError, Settings, Walkthrough

LESSONS: dict[str, Lesson] = {
    lesson.name: lesson
    for lesson in (
        Lesson(
            name="mlp",
            key="1",
            title="Network",
            summary="The 1-hidden-layer network of §3.1: forward, then backward, node by node.",
            module="backprop_tui.lessons.mlp",
            options=("d", "h", "init", "const", "seed", "x"),
        ),
        Lesson(
            name="graph",
            key="2",
            title="Graph p(x, y)",
            summary="The computational graph of p(x, y) from §4, with its intermediates z₁…z₄.",
            module="backprop_tui.lessons.graph",
            variables=("x", "y"),
            options=("at",),
        ),
        Lesson(
            name="symmetry",
            key="3",
            title="Symmetry",
            summary="§3.2(c): from a constant start every hidden unit stays identical; a random start learns XOR.",
            module="backprop_tui.lessons.symmetry",
            screen="backprop_tui.ui.screens.symmetry:SymmetryScreen",
            options=("d", "h", "init", "const", "seed", "lr", "steps", "data", "activation"),
        ),
        Lesson(
            name="methods",
            key="4",
            title="Five ways",
            summary="One gradient five ways (§3.3): differences, by hand, forward mode, backprop; cost and ε.",
            module="backprop_tui.lessons.methods",
            screen="backprop_tui.ui.screens.methods:MethodsScreen",
            options=("d", "h", "seed", "at", "of"),
        ),
        Lesson(
            name="chain",
            key="5",
            title="Chain rule",
            summary="§1: the Jacobian of f∘g as (m×n)·(n×ℓ), checked numerically; a matrix input W.",
            module="backprop_tui.lessons.chain",
            screen="backprop_tui.ui.screens.chain:ChainScreen",
            options=("l", "n", "m", "seed"),
        ),
        Lesson(
            name="expr",
            key="6",
            title="Your function",
            summary="Type any function (e to edit it) and step through its graph, one node per operation.",
            module="backprop_tui.lessons.expr",
            options=("expr", "at"),
        ),
    )
}
DEFAULT_LESSON = "mlp"

__all__ = ["DEFAULT_LESSON", "LESSONS", "MAX_D", "MAX_H", "Lesson", "LessonError", "Settings", "Walkthrough"]
