"""Committed icons and splash images are the generator's output and fit each platform's rules."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest
from PIL import Image, ImageChops

from tests.packaging.conftest import ROOT

ASSETS = ROOT / "assets"
# Android guarantees only the central 72 of an adaptive icon's 108 dp are visible.
ADAPTIVE_SAFE_FRACTION = 72 / 108


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_assets", ASSETS / "make_assets.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def drawn(generator) -> dict[str, Image.Image]:
    return generator.build()


def committed(name: str) -> Image.Image:
    with Image.open(ASSETS / name) as image:
        image.load()
        return image


def test_committed_pngs_are_what_the_generator_draws(drawn) -> None:
    for name, image in drawn.items():
        on_disk = committed(name)
        assert on_disk.size == image.size and on_disk.mode == image.mode, name
        difference = ImageChops.difference(on_disk, image)
        worst = max(high for _low, high in difference.getextrema())
        # Resampling may differ by a level or two between Pillow builds; a redesign differs a lot.
        assert worst <= 4, f"{name} differs from make_assets.py's drawing: rerun the generator"


def test_every_platform_finds_its_icon_and_splash() -> None:
    expected = {
        "icon.png": ((1024, 1024), "RGBA"),
        "icon_ios.png": ((1024, 1024), "RGB"),
        "icon_macos.png": ((1024, 1024), "RGBA"),
        "icon_android.png": ((1024, 1024), "RGBA"),
        "icon_android_foreground.png": ((432, 432), "RGBA"),
        "icon_android_background.png": ((432, 432), "RGB"),
        "splash.png": ((1024, 1024), "RGBA"),
        "splash_dark.png": ((1024, 1024), "RGBA"),
    }
    for name, (size, mode) in expected.items():
        image = committed(name)
        assert (image.size, image.mode) == (size, mode), name


def test_ios_icon_is_opaque_full_bleed() -> None:
    # App Store review rejects an alpha channel; iOS rounds the corners itself.
    icon = committed("icon_ios.png")
    assert icon.mode == "RGB"
    assert icon.getpixel((0, 0)) != (255, 255, 255), "corners must carry the artwork, not white"


def test_generic_icon_has_transparent_corners_and_a_solid_middle() -> None:
    icon = committed("icon.png")
    assert icon.getpixel((0, 0))[3] == 0
    assert icon.getpixel((512, 512))[3] == 255


def alpha_box_fraction(image: Image.Image) -> float:
    box = image.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    assert box, "the image is empty"
    left, top, right, bottom = box
    # Measured from the centre, as a launcher's circular mask would cut.
    half = image.width / 2
    reach = max(half - left, right - half, half - top, bottom - half)
    return reach / half


@pytest.mark.parametrize("name", ["icon_android.png", "icon_android_foreground.png"])
def test_adaptive_foreground_stays_inside_the_safe_zone(name: str) -> None:
    image = committed(name)
    assert alpha_box_fraction(image) <= ADAPTIVE_SAFE_FRACTION
    assert image.getpixel((0, 0))[3] == 0, "the background layer shows through the corners"


def test_pyproject_colours_are_the_artwork_colours(generator, flet_config) -> None:
    brand = generator.hex_colour(generator.BRAND_GREEN)
    night = generator.hex_colour(generator.NIGHT)
    assert flet_config["splash"]["color"] == brand
    assert flet_config["splash"]["dark_color"] == night
    assert flet_config["android"]["adaptive_icon_background"] == brand
    assert flet_config["icon_background"] == brand
    background = committed("icon_android_background.png").getpixel((216, 216))
    assert generator.hex_colour(background) == brand


def test_light_splash_shows_on_its_background(generator) -> None:
    # The splash colour fills the screen behind it: the artwork must not be drawn in that colour.
    splash = committed("splash.png")
    opaque = {rgba[:3]: count for count, rgba in splash.getcolors(1 << 24) or [] if rgba[3] == 255}
    total = sum(opaque.values())
    assert total > splash.width * splash.height // 10, "the splash artwork is too faint"
    assert opaque.get(generator.BRAND_GREEN, 0) < total // 100
    assert (255, 255, 255) in opaque and generator.GOLD in opaque
