"""Draw `docs/screenshot-placeholder.png`: the cashier's "paid" screen, until a real capture exists.

README.md shows this image. It mirrors what the app shows when M-PESA confirms a charge (green
panel, amount, receipt) using the app icon from `assets/`. Replace it with a screenshot of the real
app once one is taken; run `.venv/bin/python docs/make_screenshot_placeholder.py` to redraw.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshot-placeholder.png"

GREEN = (0, 160, 82)
GREEN_DEEP = (0, 104, 52)
INK = (24, 32, 28)
MUTED = (96, 110, 102)
PAPER = (246, 248, 247)
WHITE = (255, 255, 255)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu where installed (Debian's fonts-dejavu), else Pillow's own scalable font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in ("/usr/share/fonts/truetype/dejavu", ""):
        try:
            return ImageFont.truetype(str(Path(folder) / name) if folder else name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def centred(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    size: int,
    fill: tuple[int, ...],
    *,
    bold: bool = False,
    width: int,
) -> None:
    face = font(size, bold)
    left, _top, right, _bottom = draw.textbbox((0, 0), text, font=face)
    draw.text(((width - (right - left)) // 2, y), text, font=face, fill=fill)


def draw() -> Image.Image:
    width, height = 720, 1320
    image = Image.new("RGB", (width, height), PAPER)
    d = ImageDraw.Draw(image)
    # Status bar and app bar.
    d.text((32, 18), "9:41", font=font(26, bold=True), fill=INK)
    d.text((width - 150, 18), "4G  87%", font=font(24), fill=INK)
    d.rectangle((0, 64, width, 176), fill=WHITE)
    icon = Image.open(ROOT / "assets" / "icon.png").convert("RGBA").resize((72, 72), Image.LANCZOS)
    image.paste(icon, (32, 84), icon)
    d.text((124, 92), "Duka", font=font(40, bold=True), fill=INK)
    d.text((width - 230, 102), "Cashier: Wanjiru", font=font(24), fill=MUTED)
    # The green "paid" panel.
    d.rounded_rectangle((32, 216, width - 32, 820), 36, fill=GREEN)
    d.ellipse((width // 2 - 70, 262, width // 2 + 70, 402), fill=WHITE)
    tick = [(width // 2 - 36, 334), (width // 2 - 8, 362), (width // 2 + 40, 306)]
    d.line(tick, fill=GREEN_DEEP, width=16, joint="curve")
    centred(d, 430, "Paid · Imelipwa", 40, WHITE, bold=True, width=width)
    centred(d, 500, "KSh 1,250", 96, WHITE, bold=True, width=width)
    centred(d, 630, "M-PESA receipt", 28, (214, 244, 226), width=width)
    centred(d, 670, "TLK4H7Q2XB", 48, WHITE, bold=True, width=width)
    centred(d, 748, "0712 ••• 678 · 14:02", 28, (214, 244, 226), width=width)
    # Buttons and the live feed below.
    d.rounded_rectangle((32, 860, width - 32, 956), 48, fill=INK)
    centred(d, 888, "New charge", 34, WHITE, bold=True, width=width)
    d.text((40, 1000), "Today", font=font(30, bold=True), fill=INK)
    rows = (("KSh 1,250", "STK · TLK4H7Q2XB", "14:02"), ("KSh 300", "Till · TLK4H6PZ1M", "13:47"))
    for i, (amount, what, when) in enumerate(rows):
        top = 1050 + i * 104
        d.rounded_rectangle((32, top, width - 32, top + 88), 20, fill=WHITE)
        d.text((56, top + 14), amount, font=font(30, bold=True), fill=INK)
        d.text((56, top + 52), what, font=font(22), fill=MUTED)
        d.text((width - 130, top + 28), when, font=font(26), fill=MUTED)
    d.text(
        (32, height - 44),
        "Placeholder drawn by docs/make_screenshot_placeholder.py",
        font=font(20),
        fill=MUTED,
    )
    return image


if __name__ == "__main__":
    draw().save(OUT, optimize=True)
    print(f"wrote {OUT.relative_to(ROOT)}")
