"""WCAG 2.1 AA contrast of the colour pairs site.css uses, read from the file itself."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"
WHITE = "#ffffff"


def colours():
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6});", CSS.read_text()))


def luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("ink", "paper"),
        ("ink", "wash"),
        ("muted", "paper"),
        ("muted", "wash"),
        ("green-dark", "paper"),
        ("green-dark", "wash"),
        ("green", "paper"),
        ("danger", "paper"),
    ],
)
def test_text_colour_pairs_meet_wcag_aa(text, background):
    palette = colours()
    assert contrast(palette[text], palette[background]) >= 4.5


@pytest.mark.parametrize("background", ["green", "green-dark"])
def test_white_text_on_the_header_and_buttons_meets_wcag_aa(background):
    assert contrast(WHITE, colours()[background]) >= 4.5


@pytest.mark.parametrize("background", ["green", "green-dark"])
def test_focus_ring_stands_out_from_the_header(background):
    palette = colours()
    assert contrast(palette["focus"], palette[background]) >= 3


def test_focus_ring_outer_edge_stands_out_from_the_page():
    palette = colours()
    assert contrast(palette["ink"], palette["paper"]) >= 3
