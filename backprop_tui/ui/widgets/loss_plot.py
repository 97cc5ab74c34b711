"""The loss plot: loss histories on a log scale, drawn to the widget's own size."""

from __future__ import annotations

from textual.reactive import var
from textual.widgets import Static

from ...render.curves import Curve, loss_plot

MIN_WIDTH, MIN_HEIGHT = 11, 5  # smaller than this, the plot keeps what it last drew


class LossPlot(Static):
    """Draws its `curves` when they change and again whenever its size changes."""

    curves: var[tuple[Curve, ...]] = var((), init=False, always_update=True)

    def watch_curves(self) -> None:
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        width, height = self.content_size.width, self.content_size.height
        if self.curves and width >= MIN_WIDTH and height >= MIN_HEIGHT:
            self.update(loss_plot(self.curves, width, height))
