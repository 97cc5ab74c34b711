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
    ("tab  shift+tab", "focus the next / previous panel: step, why, tensors, graph (its title is marked ▸)"),
    ("pgdn  pgup", "scroll the focused panel a page (the step panel when none is focused)"),
    ("↓  ↑", "scroll the focused panel a line"),
    ("g", "fold the graph panel to one line, or open it (it starts folded below 30 rows)"),
    *((lesson.key, f"lesson {lesson.name}: {lesson.summary}") for lesson in LESSONS.values()),
    ("", "each lesson keeps its step, options and training while you visit the others"),
    ("i", "cycle the network's initialization: random → zero → constant (starts the lesson again)"),
    ("u", "mlp: the next hidden unit for ∂y/∂W⁽⁰⁾ worked out unit by unit (§3.1(d))"),
    ("t T  a  r  c  s  tab", "symmetry: 1 / 10 training steps, autoplay, reseed, cycle the constant, nudge, "
     "the side n / p step through (escape closes the step view)"),
    ("e E  d D  h H  o", "methods: ε ×10 / ÷10, d +1 / −1, h ×2 / ÷2, the function (network or p(x, y))"),
    ("l L  n N  m M  w  r", "chain: ℓ, n, m +1 / −1, the product in the wrong order, new random draw"),
    ("e  tab  enter  escape", "expr: edit the function, go to the other field, rebuild, go back to stepping"),
    ("ctrl+u  ctrl+k", "expr, in a field: delete to the start / to the end (e puts the cursor at the end)"),
    ("P", "practice: watch → some → all (see Practice below; --practice on the command line)"),
    ("ctrl+p", "command palette: lessons, steps, initialization, practice; Theme changes the colours"),
    ("", "the projector theme: high contrast, colour-blind safe (--theme projector on the command line)"),
    ("ctrl+s", "save the lesson's handout: Markdown or LaTeX, the key or a blank sheet (the palette too)"),
    ("", "Load network parameters… in the palette: lesson mlp with W0, b0, W1, b1 and x from a JSON file"),
    ("any key", "while a demo plays (--play): stops it, and the keys are yours"),
    ("?", "this help (escape closes it)"),
    ("q", "quit"),
]

# The mark on a local derivative, in the Notation table right after ∂y/∂v.
LOCAL_MARK = (
    "local[∂z/∂v]",
    "z's own partial with respect to v, its other inputs held fixed; an unmarked ∂y/∂v is the total "
    "(every path included)",
)

NOTATION = [
    ("W⁽⁰⁾ b⁽⁰⁾ W⁽¹⁾ b⁽¹⁾", "layer-indexed parameters (W0 … in the JSON export)"),
    ("∂y/∂v", "partial derivative of y with respect to v"),
    LOCAL_MARK,
    ("∘", "entry-by-entry product"),
    ("xᵀ", "transpose; vectors are columns, so a value shown as a row carries ᵀ"),
    ("(1×4)·(4×4) → 1×4", "shapes of a chain-rule product, numerator layout"),
    ("vec(W)", "W flattened row by row; its gradient is folded back to W's shape"),
    ("—", "not computed yet (never the same as 0)"),
]

PRACTICE = [
    ("watch", "every step is shown worked, as it is taken"),
    ("some", "the first step of each kind is shown worked, later ones ask; a kind you get right first time "
     "keeps asking, one you get wrong is shown worked once more"),
    ("all", "every step asks before it shows: a forward step its value; a backward step the shape of the "
     "gradient, the local derivative for each consumer, then the gradient"),
    ("enter", "check the answer typed; right goes on to the next question, the last one shows the step"),
    ("ctrl+t", "a hint, up to three per question, one each time"),
    ("ctrl+r", "reveal the step now (what was not answered counts as revealed)"),
    ("escape  n", "leave the answer field to step back with p; n returns to the field"),
    ("1x4  (1, 4)", "a shape; numbers 0.5, 0.5 or [[1, 2], [3, 4]]; in graph and expr also a formula in the "
     "lesson's names, -6*z1/z2^2, with dz4/dz3 for a gradient found already"),
    ("", "text that cannot be read is marked with a caret and never counted; the score counts answers right "
     "first time, and the last step lists every answer"),
]

LANGUAGE = [
    ("2  2.5  .5  1e-3", "numbers; pi and e are constants"),
    ("x  y2  rate_1", "variables: letters, digits and _, case-sensitive (z1, z2, … name the nodes)"),
    ("+  -  *  /", "written out: 2*x, not 2x; − · × work too"),
    ("x^2  x**2", "powers group to the right (2^3^2 = 2⁹) and bind tighter than a leading minus (-x^2 = −(x²))"),
    ("sin(x)", "functions of one argument: exp log sqrt sin cos tan tanh sigmoid relu abs"),
    ("x=1, y=2", "the point; a variable left out is 1 (x is 1 and y is 2)"),
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

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(_table(KEYS, "Keys"))
            yield Static(_table(NOTATION, "Notation"))
            yield Static(_table(PRACTICE, "Practice (mlp, graph, expr)"))
            yield Static(_table(LANGUAGE, "Typing a function (lesson expr)"))
            yield Static(
                "Each step is one node. Forward steps compute a value from the node's inputs. "
                "Backward steps multiply the output's gradient at a consumer (a row vector) by that "
                "consumer's local Jacobian; a node with several consumers adds one product per path.",
                id="help-reading",
            )

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help — escape to close"
