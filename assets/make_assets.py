"""Draw Duka's app icons and splash images with Pillow: the artwork is code, not a one-off export.

Run `.venv/bin/python assets/make_assets.py` after changing a colour or a shape and commit the PNGs
it writes next to this file. `flet build` reads them from `assets/` (see docs/packaging.md):

- `icon.png` (1024², transparent corners): web, Windows, Linux; the generic fallback.
- `icon_ios.png` (1024², opaque, full bleed): iOS, which rejects alpha and masks corners itself.
- `icon_macos.png` (1024², the tile on Apple's 824 px grid): macOS Dock and Finder.
- `icon_android.png` (1024², glyph inside the safe zone): Android launcher icon and adaptive-icon
  foreground; the adaptive background is the colour `[tool.flet.android] adaptive_icon_background`.
- `icon_android_foreground.png`, `icon_android_background.png` (432², xxxhdpi): the same two
  adaptive layers as files, for tools that take layers (Android Studio's Image Asset, store kits).
- `splash.png`, `splash_dark.png`: launch artwork over the `[tool.flet.splash]` colours.

The motif is our own: a small shopfront (a duka) under a striped awning, with a gold coin carrying
a tick, which is what the cashier waits for. It is not Safaricom's or M-PESA's logo; only the green
is a nod to the colour shop owners associate with M-PESA.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent

# Supersampling factor: shapes are drawn this much larger and scaled down, which antialiases edges.
SUPERSAMPLE = 4

Rgb = tuple[int, int, int]

BRAND_GREEN: Rgb = (0, 160, 82)  # #00A052: the splash and adaptive-icon background colour
GREEN_LIGHT: Rgb = (0, 184, 96)  # top of the tile gradient
GREEN_DEEP: Rgb = (0, 104, 52)  # bottom of the gradient, door, tick
MINT: Rgb = (196, 240, 214)  # window and the shadow under the awning
AWNING: Rgb = (120, 214, 160)  # the coloured awning stripes
WHITE: Rgb = (255, 255, 255)
GOLD: Rgb = (255, 193, 38)
GOLD_DEEP: Rgb = (222, 150, 0)
NIGHT: Rgb = (10, 28, 19)  # dark-mode splash background, #0A1C13


@dataclass(frozen=True)
class Frame:
    """Where the motif goes on a canvas: origin and side of the unit square, in pixels."""

    x: float
    y: float
    side: float

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        """Map a box in unit coordinates (0..1) to pixels."""
        return (
            round(self.x + x0 * self.side),
            round(self.y + y0 * self.side),
            round(self.x + x1 * self.side),
            round(self.y + y1 * self.side),
        )

    def point(self, x: float, y: float) -> tuple[int, int]:
        return round(self.x + x * self.side), round(self.y + y * self.side)

    def length(self, unit: float) -> int:
        return max(1, round(unit * self.side))


def hex_colour(rgb: Rgb) -> str:
    """Return `#rrggbb`, the form pyproject's `[tool.flet]` colours take."""
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def gradient(size: int, top: Rgb, bottom: Rgb) -> Image.Image:
    """A vertical gradient, light at the top, the way light falls on a shopfront."""
    column = Image.new("RGB", (1, size))
    for y in range(size):
        t = y / max(1, size - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        column.putpixel((0, y), colour)
    return column.resize((size, size))


def rounded_mask(size: int, radius_ratio: float) -> Image.Image:
    """An antialiased rounded-square mask (platforms apply their own masks on top)."""
    big = size * SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, big - 1, big - 1), round(big * radius_ratio), 255)
    return mask.resize((size, size), Image.LANCZOS)


def draw_shop(draw: ImageDraw.ImageDraw, f: Frame) -> None:
    """Draw the shopfront: sign board, scalloped awning, walls, door, window, and the step."""
    # Walls first, so the awning's scallops and their shadow fall on them.
    draw.rounded_rectangle(f.box(0.27, 0.40, 0.73, 0.78), f.length(0.02), WHITE)
    # Sign board, separated from the awning by a strip of the background.
    draw.rounded_rectangle(f.box(0.30, 0.14, 0.70, 0.235), f.length(0.03), WHITE)
    # Awning: alternating stripes, each ending in a scallop with a soft shadow under it.
    left, right, stripes = 0.19, 0.81, 5
    width = (right - left) / stripes
    top, bottom = 0.27, 0.37
    for i in range(stripes):
        x0 = left + i * width
        shadow = f.box(x0, bottom - width / 2 + 0.02, x0 + width, bottom + width / 2 + 0.02)
        draw.ellipse(shadow, MINT)
    for i in range(stripes):
        x0 = left + i * width
        colour = WHITE if i % 2 == 0 else AWNING
        draw.rectangle(f.box(x0, top, x0 + width, bottom), colour)
        draw.ellipse(f.box(x0, bottom - width / 2, x0 + width, bottom + width / 2), colour)
    # Door with a rounded top and a gold handle; a window with a mullion.
    draw.rounded_rectangle(f.box(0.34, 0.55, 0.48, 0.78), f.length(0.05), GREEN_DEEP)
    draw.rectangle(f.box(0.34, 0.62, 0.48, 0.78), GREEN_DEEP)
    draw.ellipse(f.box(0.445, 0.655, 0.46, 0.67), GOLD)
    draw.rounded_rectangle(f.box(0.53, 0.53, 0.67, 0.63), f.length(0.015), MINT)
    draw.rectangle(f.box(0.596, 0.53, 0.604, 0.63), WHITE)
    # The step the shop stands on.
    draw.rounded_rectangle(f.box(0.21, 0.77, 0.79, 0.81), f.length(0.02), WHITE)


def draw_coin(draw: ImageDraw.ImageDraw, f: Frame, centre: tuple[float, float], r: float) -> None:
    """Draw the gold coin with a tick: the payment that just landed."""
    cx, cy = centre
    ring = 0.025
    draw.ellipse(f.box(cx - r - ring, cy - r - ring, cx + r + ring, cy + r + ring), WHITE)
    draw.ellipse(f.box(cx - r, cy - r, cx + r, cy + r), GOLD_DEEP)
    inner = r * 0.86
    draw.ellipse(f.box(cx - inner, cy - inner, cx + inner, cy + inner), GOLD)
    tick = [
        f.point(cx - r * 0.45, cy + r * 0.02),
        f.point(cx - r * 0.12, cy + r * 0.35),
        f.point(cx + r * 0.48, cy - r * 0.30),
    ]
    draw.line(tick, GREEN_DEEP, f.length(r * 0.22), joint="curve")
    for x, y in (tick[0], tick[2]):
        half = f.length(r * 0.11)
        draw.ellipse((x - half, y - half, x + half, y + half), GREEN_DEEP)


def motif(size: int, inset: float) -> Image.Image:
    """The shop and coin on a transparent canvas; `inset` is the margin on each side (0..0.5)."""
    big = size * SUPERSAMPLE
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    frame = Frame(big * inset, big * inset, big * (1 - 2 * inset))
    draw_shop(draw, frame)
    draw_coin(draw, frame, (0.77, 0.74), 0.14)
    return layer.resize((size, size), Image.LANCZOS)


def with_shadow(art: Image.Image, offset: float, blur: float, opacity: int) -> Image.Image:
    """Put a soft drop shadow under transparent artwork, so white reads on light backgrounds too."""
    size = art.width
    alpha = art.getchannel("A").point(lambda a: a * opacity // 255)
    shadow = Image.new("RGBA", art.size, (*GREEN_DEEP, 0))
    shadow.putalpha(alpha)
    shadow = shadow.filter(ImageFilter.GaussianBlur(size * blur))
    canvas = Image.new("RGBA", art.size, (0, 0, 0, 0))
    canvas.alpha_composite(shadow, (0, round(size * offset)))
    canvas.alpha_composite(art)
    return canvas


def tile(size: int, corner: float) -> Image.Image:
    """The full icon: gradient tile, shop and coin; corners cut when `corner` > 0."""
    base = gradient(size, GREEN_LIGHT, GREEN_DEEP).convert("RGBA")
    base.alpha_composite(with_shadow(motif(size, 0.10), 0.012, 0.012, 110))
    if corner > 0:
        base.putalpha(rounded_mask(size, corner))
    return base


def macos_icon(size: int = 1024) -> Image.Image:
    """The tile on Apple's macOS grid: 824 px body centred in 1024 with a soft shadow."""
    body = round(size * 824 / 1024)
    art = tile(body, 0.225)
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    shadow = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    shade = Image.new("RGBA", (body, body), (0, 0, 0, 90))
    shade.putalpha(rounded_mask(body, 0.225).point(lambda a: a * 90 // 255))
    offset = (size - body) // 2
    shadow.alpha_composite(shade, (offset, offset + round(size * 0.012)))
    canvas.alpha_composite(shadow.filter(ImageFilter.GaussianBlur(size * 0.012)))
    canvas.alpha_composite(art, (offset, offset))
    return canvas


def android_glyph(size: int) -> Image.Image:
    """The adaptive-icon foreground: the motif inside Android's central 66 % safe zone.

    The deep-green shadow keeps the white shop legible where a launcher shows the layer without
    its background (Android 7 and older draw `ic_launcher` from this same file).
    """
    return with_shadow(motif(size, 0.19), 0.012, 0.014, 200)


def splash(size: int, dark: bool) -> Image.Image:
    """Launch artwork centred over the splash colour: the white motif, or the tile in dark mode."""
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    if dark:
        art = tile(round(size * 0.72), 0.225)
        offset = (size - art.width) // 2
        canvas.alpha_composite(art, (offset, offset))
        return canvas
    return with_shadow(motif(size, 0.06), 0.01, 0.01, 120)


def build() -> dict[str, Image.Image]:
    """Render every asset, keyed by file name."""
    ios = tile(1024, 0).convert("RGB")
    return {
        "icon.png": tile(1024, 0.2),
        "icon_ios.png": ios,
        "icon_macos.png": macos_icon(),
        "icon_android.png": android_glyph(1024),
        "icon_android_foreground.png": android_glyph(432),
        "icon_android_background.png": Image.new("RGB", (432, 432), BRAND_GREEN),
        "splash.png": splash(1024, dark=False),
        "splash_dark.png": splash(1024, dark=True),
    }


def main() -> None:
    for name, image in build().items():
        image.save(HERE / name, optimize=True)
        print(f"wrote {name} {image.width}x{image.height} {image.mode}")


if __name__ == "__main__":
    main()
