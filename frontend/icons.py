"""The app icons of the installable site, drawn from the site mark.

The mark is the header's: the character 绿 in green on a white disc, on the site's
green. ``make_pwa_icons`` writes the PNGs into ``frontend/static/icons/``, where they
are committed; run it again only when the mark changes.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

GREEN = "#0b6b3a"
WHITE = "#ffffff"
MARK = "绿"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
# NotoSansCJK-Bold.ttc holds one face per region; index 2 is Simplified Chinese.
FONT_INDEX = 2
ICON_DIR = Path(__file__).resolve().parent / "static" / "icons"

# name → (size in pixels, disc diameter as a share of the size, rounded corners)
# "any" icons fill most of the square; maskable ones keep the disc inside the
# central 80 % safe zone that launchers may crop to a circle.
ICONS = {
    "icon-192.png": (192, 0.78, True),
    "icon-512.png": (512, 0.78, True),
    "maskable-192.png": (192, 0.56, False),
    "maskable-512.png": (512, 0.56, False),
    "apple-touch-icon.png": (180, 0.70, False),
    "favicon-48.png": (48, 0.84, True),
}


def draw_icon(size, disc_share, rounded):
    """One icon as a Pillow image: green ground, white disc, green 绿."""
    scale = 4  # draw large, then shrink, for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=GREEN)
    else:
        draw.rectangle((0, 0, big, big), fill=GREEN)
    disc = big * disc_share
    inset = (big - disc) / 2
    draw.ellipse((inset, inset, inset + disc, inset + disc), fill=WHITE)
    font = ImageFont.truetype(str(FONT), size=int(disc * 0.62), index=FONT_INDEX)
    draw.text((big / 2, big / 2), MARK, font=font, fill=GREEN, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(directory=ICON_DIR):
    """Write every icon; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (size, disc_share, rounded) in ICONS.items():
        path = directory / name
        # Three colours and their blends: a 64-colour palette keeps the files small.
        draw_icon(size, disc_share, rounded).quantize(colors=64).save(path, optimize=True)
        written.append(path)
    return written
