"""The help screen: keys and notation."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...lessons import LESSONS

KEYS = [
    ("n  space  →", "next step"),
    ("p  ←", "previous step"),
    ("home / end", "first / last step"),
    ("f", "jump to the end of the forward pass"),
    *((lesson.key, f"lesson {lesson.name}: {lesson.summary}") for lesson in LESSONS.values()),
    ("i", "cycle the network's initialization: random → zero → constant"),
    ("ctrl+p", "command palette: lessons, steps, initialization"),
    ("?", "this help (escape closes it)"),
    ("q", "quit"),
]

NOTATION = [
    ("W⁽⁰⁾ b⁽⁰⁾ W⁽¹⁾ b⁽¹⁾", "layer-indexed parameters (W0 … in the JSON export)"),
    ("∂y/∂v", "partial derivative of y with respect to v"),
    ("∘", "entry-by-entry product"),
    ("xᵀ", "transpose; vectors are columns, so a value shown as a row carries ᵀ"),
    ("(1×4)·(4×4) → 1×4", "shapes of a chain-rule product, numerator layout"),
    ("vec(W)", "W flattened row by row; its gradient is folded back to W's shape"),
    ("—", "not computed yet (never the same as 0)"),
]


def _table(rows: list[tuple[str, str]], heading: str) -> Table:
    table = Table(title=heading, title_justify="left", show_header=False, box=None, padding=(0, 2, 0, 0), expand=True)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(ratio=1)
    for left, right in rows:
        table.add_row(left, right)
    return table


class HelpScreen(ModalScreen):
    """Keys, notation and how to read the panels."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(_table(KEYS, "Keys"))
            yield Static(_table(NOTATION, "Notation"))
            yield Static(
                "Each step is one node. Forward steps compute a value from the node's inputs. "
                "Backward steps multiply the output's gradient at a consumer (a row vector) by that "
                "consumer's local Jacobian; a node with several consumers adds one product per path.",
                id="help-reading",
            )

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help { width: 90%; max-width: 100; height: auto; max-height: 90%;
            border: round $accent; border-title-color: $text-accent; padding: 1 2; background: $surface; }
    #help Static { margin-bottom: 1; }
    """

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help — escape to close"
