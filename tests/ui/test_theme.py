"""The projector theme: chosen with --theme or in the palette, high contrast, colour-blind safe, not colour alone."""

from __future__ import annotations

import pytest
from rich.color import Color
from rich.style import Style
from textual.theme import BUILTIN_THEMES

from backprop_tui import cli
from backprop_tui.render import styles
from backprop_tui.ui.app import BackpropApp
from backprop_tui.ui.screens.help import KEYS
from backprop_tui.ui.themes import PROJECTOR, PROJECTOR_ANSI, PROJECTOR_THEME, theme_names

# Machado, Oliveira and Fernandes (2009): full dichromacy, on linear RGB.
DICHROMACY = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def linear(rgb: tuple[int, int, int]) -> tuple[float, ...]:
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb))


def luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = linear(rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def seen_with(kind: str, rgb: tuple[int, int, int]) -> tuple[float, ...]:
    """The colour as a dichromat sees it, in linear RGB clipped to 0…1."""
    r, g, b = linear(rgb)
    return tuple(min(max(m[0] * r + m[1] * g + m[2] * b, 0.0), 1.0) for m in DICHROMACY[kind])


def panel_colour(style: str) -> tuple[int, int, int]:
    """The colour a panel style's text (or, failing that, its background) is drawn in by the projector theme."""
    parsed = Style.parse(style)
    colour = parsed.color or parsed.bgcolor
    assert colour is not None
    triplet = colour.get_truecolor(PROJECTOR_ANSI)
    return triplet.red, triplet.green, triplet.blue


def hex_rgb(colour: str) -> tuple[int, int, int]:
    triplet = Color.parse(colour).get_truecolor()
    return triplet.red, triplet.green, triplet.blue


BLACK = (0, 0, 0)


# --- choosing it ---


def test_theme_choices_are_the_projector_and_textuals_own():
    assert theme_names()[0] == PROJECTOR
    assert set(theme_names()) == {PROJECTOR, *BUILTIN_THEMES}


def test_unknown_theme_refused_on_one_line_with_the_choices(capsys):
    assert cli.main(["--theme", "neon"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "unknown theme 'neon'; choose one of: projector, " in err and "textual-dark" in err


def test_theme_refused_where_nothing_is_drawn(capsys):
    assert cli.main(["--theme", "projector", "--export", "json"]) == 2
    assert "--theme colours the app and --screenshot, not --export" in capsys.readouterr().err


@pytest.mark.parametrize("theme", [PROJECTOR, "textual-light"])
def test_screenshot_in_a_theme(theme, tmp_path, capsys):
    svg = tmp_path / "s.svg"
    assert cli.main(["--theme", theme, "--screenshot", str(svg), "--size", "80x24"]) == 0
    background = PROJECTOR_THEME.background if theme == PROJECTOR else BUILTIN_THEMES[theme].background
    assert f"fill: {background.lower()}" in svg.read_text().lower()


async def test_the_app_in_the_projector_theme_maps_the_panels_ansi_colours_and_back():
    app = BackpropApp()
    default_palette = app.ansi_theme_dark
    async with app.run_test() as pilot:
        assert app.theme == "textual-dark" and app.ansi_theme is default_palette
        app.theme = PROJECTOR
        await pilot.pause()
        assert app.has_class("-theme-projector") and app.ansi_theme is PROJECTOR_ANSI
        app.theme = "nord"
        await pilot.pause()
        assert app.ansi_theme is default_palette


@pytest.mark.slow
async def test_the_palettes_theme_command_offers_the_projector_theme():
    app = BackpropApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"theme")
        await pilot.pause()
        await pilot.press("enter")  # Textual's "Theme: Change the current theme"
        await pilot.pause()
        await pilot.press(*"projector")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == PROJECTOR


def test_help_names_the_theme_and_where_to_change_it():
    described = " ".join(f"{key} {what}" for key, what in KEYS)
    assert "--theme projector" in described and "Theme" in described


# --- high contrast, colour-blind safe ---


def test_theme_colours_stand_out_on_black():
    assert PROJECTOR_THEME.background == "#000000" and PROJECTOR_THEME.text_alpha == 1.0
    for name in ("foreground", "primary", "accent", "warning", "error", "success"):
        assert contrast(hex_rgb(getattr(PROJECTOR_THEME, name)), BLACK) >= 4.5, name
    assert contrast(hex_rgb(PROJECTOR_THEME.variables["text-muted"]), BLACK) >= 7


@pytest.mark.parametrize("name", ["VALUE", "GRAD", "PENDING", "MUTED", "NOTICE"])
def test_panel_text_stands_out_on_black(name):
    assert contrast(panel_colour(getattr(styles, name)), BLACK) >= 4.5


@pytest.mark.parametrize("kind", sorted(DICHROMACY))
def test_values_and_gradients_stay_apart_for_colour_blind_eyes(kind):
    """Values (sky blue) and gradients (orange) stay far apart to a dichromat (pure red against green: 0.12 to 0.83)."""
    value, grad = seen_with(kind, panel_colour(styles.VALUE)), seen_with(kind, panel_colour(styles.GRAD))
    distance = sum((a - b) ** 2 for a, b in zip(value, grad, strict=True)) ** 0.5
    assert distance > 0.6, f"{kind}: {value} against {grad}"


async def test_nothing_is_told_by_colour_alone(text):
    """With the colours taken away the panels still say which phase, which numbers are values or gradients,
    what is not computed yet and which node is current."""
    app = BackpropApp("mlp")
    app.theme = PROJECTOR
    async with app.run_test(size=(120, 40)) as pilot:
        app.cursor = 2  # forward: values carry =, what is not computed yet —
        await pilot.pause()
        assert "forward pass · step 2 of 11 · z" in text(app, "#progress")
        graph = text(app, "#graph")
        assert "v =[0.0261" in graph and "z =[0.507" in graph and "y =—" in graph and "∂" not in graph
        app.cursor = 8  # backward: gradients carry ∂ and their minus signs
        await pilot.pause()
        assert "backward pass · step 8 of 11 · v" in text(app, "#progress")
        graph = text(app, "#graph")
        assert "v ∂[−0.0395" in graph and "z₁ ∂−0.158" in graph and "x ∂—" in graph and "y ∂1" in graph
    # the current node and the current row: reversed or bold, which no colour-vision deficiency hides
    assert "reverse" in styles.CURRENT.split() and "bold" in styles.CURRENT_ROW.split()
