"""Themes: a projector theme, high-contrast and colour-blind safe, beside Textual's own.

The projector theme draws in Okabe and Ito's palette (distinct under every common
colour-vision deficiency) on black. Black, not white: the panels' rich text keeps
its own colours (render/styles.py), and orange gradients and grey "not yet" marks
are legible on black only. The panels never say anything by colour alone: values
carry =, gradients ∂, what is not computed yet —, negative numbers a minus sign,
the phase is written out ("forward pass", "backward pass"), the current node is
drawn reversed and the focused panel's title starts with ▸.
"""

from __future__ import annotations

from rich.terminal_theme import TerminalTheme
from textual._ansi_theme import MONOKAI  # Textual's own ANSI palette for dark themes (Textual is pinned exactly)
from textual.app import App
from textual.theme import BUILTIN_THEMES, Theme

PROJECTOR = "projector"

# Okabe & Ito (2008), "Color Universal Design".
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
WHITE = "#FFFFFF"

PROJECTOR_THEME = Theme(
    name=PROJECTOR,
    primary=SKY_BLUE,
    secondary=BLUE,
    accent=ORANGE,
    warning=YELLOW,
    error=VERMILLION,
    success=BLUISH_GREEN,
    foreground=WHITE,
    background=BLACK,
    surface=BLACK,
    panel="#303030",
    dark=True,
    text_alpha=1.0,  # text at full strength: a projector washes out the rest
    variables={
        "text-muted": "#C8C8C8",  # panel subtitles and hints, still 12:1 on black
        "footer-key-foreground": ORANGE,
        "footer-description-foreground": WHITE,
        "footer-background": "#303030",
        "block-cursor-background": ORANGE,
        "block-cursor-foreground": BLACK,
        "input-selection-background": f"{SKY_BLUE} 40%",
    },
)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


# The ANSI colours the panels use (cyan values, yellow notices, red errors, green "all distinct") in the same
# palette; the 256-colour ones (dark orange gradients, greys) are fixed and already clear on black.
PROJECTOR_ANSI = TerminalTheme(
    _rgb(BLACK),
    _rgb(WHITE),
    [
        _rgb(BLACK),
        _rgb(VERMILLION),  # red
        _rgb(BLUISH_GREEN),  # green
        _rgb(YELLOW),  # yellow
        _rgb(SKY_BLUE),  # blue: the dark blue is too dim on black
        _rgb(REDDISH_PURPLE),  # magenta
        _rgb(SKY_BLUE),  # cyan: forward values
        _rgb(WHITE),
    ],
    [
        (128, 128, 128),
        _rgb(VERMILLION),
        _rgb(BLUISH_GREEN),
        _rgb(YELLOW),
        _rgb(SKY_BLUE),
        _rgb(REDDISH_PURPLE),
        _rgb(SKY_BLUE),
        _rgb(WHITE),
    ],
)


def theme_names() -> list[str]:
    """Every theme --theme accepts: the projector theme first, then Textual's own."""
    return [PROJECTOR, *sorted(BUILTIN_THEMES)]


def register_themes(app: App) -> None:
    """Make the projector theme available to `app.theme` and to the palette's Theme command."""
    app.register_theme(PROJECTOR_THEME)


def use_palette(app: App, theme: str) -> None:
    """Map the panels' ANSI colours for the theme now in use (call from the app's watch_theme)."""
    palette = PROJECTOR_ANSI if theme == PROJECTOR else MONOKAI
    if app.ansi_theme_dark is not palette:
        app.ansi_theme_dark = palette
