"""Command-palette entries for the app's own commands: lessons, jumps, initialization, practice, files."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..lessons import LESSONS
from ..practice.session import LEVELS
from ..render.practice import LEVELS_SAID


class LessonCommands(Provider):
    """Open a lesson, jump in the walkthrough, change the network's initialization or the practice level."""

    def _commands(self):
        app = self.app
        for lesson in LESSONS.values():
            yield f"Lesson: {lesson.name}", partial(app.action_lesson, lesson.name), lesson.summary
        yield "Step: start", app.action_first, "Before the forward pass"
        yield "Step: end of forward pass", app.action_forward_end, "All values computed, no gradients yet"
        yield "Step: end", app.action_last, "Every gradient computed"
        for init in app.inits():  # only where the lesson has starts to choose from
            rebuild = "Start again with this initialization"
            yield f"Initialization: {init}", partial(app.switch_init, init), rebuild
        for level in LEVELS:
            now = " (now)" if level == app.practice else ""
            yield f"Practice: {level}", partial(app.set_practice, level), LEVELS_SAID[level].split(": ", 1)[1] + now
        yield "Save handout…", app.action_save_handout, f"Lesson {app.lesson}: Markdown or LaTeX, key or sheet (ctrl+s)"
        yield "Load network parameters…", app.action_load_params, "Lesson mlp with W0, b0, W1, b1, x from a JSON file"

    async def discover(self) -> Hits:
        for name, run, help_text in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
