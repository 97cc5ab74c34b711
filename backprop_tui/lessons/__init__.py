"""The lesson registry: each lesson module contributes one LESSON entry."""

from . import chain, expr, graph, methods, mlp, symmetry
from .base import MAX_D, MAX_H, Lesson, LessonError, Settings, Walkthrough

LESSONS: dict[str, Lesson] = {lesson.name: lesson for lesson in (mlp.LESSON, graph.LESSON, symmetry.LESSON, methods.LESSON, chain.LESSON, expr.LESSON)}
DEFAULT_LESSON = "mlp"

__all__ = ["DEFAULT_LESSON", "LESSONS", "MAX_D", "MAX_H", "Lesson", "LessonError", "Settings", "Walkthrough"]
