"""The show's cover art: the user's image checked and converted (:func:`prepare_cover`), or a
square 3000x3000 RGB JPEG drawn with Pillow when none is given (:func:`draw_cover`).

Apple Podcasts asks for 1400-3000 px square artwork, JPEG or PNG, RGB. The generated cover
is a deep blue field with a sound-wave motif and the show title.
"""

from __future__ import annotations

import io
import math
import textwrap
from pathlib import Path

from newsaudio.errors import ConfigError, plain_reason

COVER_PX = 3000
TAG_COVER_PX = 600
"""Cover size embedded in ID3 tags (small, so the tag stays small)."""


def draw_cover(title: str, size: int = COVER_PX) -> bytes:
    """JPEG bytes of a generated square cover for a show called ``title``."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (size, size), (18, 36, 74))
    draw = ImageDraw.Draw(img)
    # a sound-wave motif: rounded bars of varying height across the lower third
    bars = 31
    pitch = size * 0.8 / bars
    bar_w = pitch * 0.6
    cy = size * 0.74
    for i in range(bars):
        h = size * (0.04 + 0.15 * abs(math.sin(i * 0.55)) * (0.6 + 0.4 * math.cos(i * 0.21)))
        x = size * 0.1 + i * pitch + (pitch - bar_w) / 2
        draw.rounded_rectangle(
            [x, cy - h / 2, x + bar_w, cy + h / 2], radius=bar_w / 2, fill=(255, 176, 59)
        )
    # the title, wrapped and shrunk until every line fits in 80 % of the width
    words = " ".join(title.split()) or "newsaudio"
    for width in (12, 16, 20, 26, 34):
        lines = textwrap.wrap(words, width, break_long_words=True)
        if len(lines) <= 4:
            break
    lines = lines[:4]
    font_px = int(size * 0.13)
    font = ImageFont.load_default(size=font_px)
    while font_px > size // 40 and max(draw.textlength(ln, font=font) for ln in lines) > size * 0.8:
        font_px = int(font_px * 0.92)
        font = ImageFont.load_default(size=font_px)
    y = size * 0.12
    for line in lines:
        draw.text((size * 0.1, y), line, font=font, fill=(255, 255, 255))
        y += font_px * 1.18
    return _jpeg(img)


def _jpeg(img: object, quality: int = 88) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, optimize=True)  # type: ignore[attr-defined]
    return buf.getvalue()


def thumbnail(jpeg: bytes, size: int = TAG_COVER_PX) -> bytes:
    """A ``size`` px JPEG copy of ``jpeg`` (for embedding in ID3 tags). A large JPEG is
    decoded already scaled down (libjpeg's DCT scaling, to no less than ``size``), which
    makes a 3000 px cover about four times cheaper to shrink."""
    from PIL import Image

    with Image.open(io.BytesIO(jpeg)) as img:
        img.draft("RGB", (size, size))  # no-op for other formats
        small = img.convert("RGB").resize((size, size), Image.Resampling.LANCZOS)
        return _jpeg(small, quality=85)


CHAPTER_IMAGE_PX = 600


def chapter_image(data: bytes, size: int = CHAPTER_IMAGE_PX) -> bytes:
    """A JPEG copy of an article image (any format Pillow reads) no larger than ``size`` px
    on its longer side, aspect kept (for a chapter's ID3 APIC). Raises ValueError (or
    Pillow's OSError) for data that is not an image."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        small = img.convert("RGB")
        small.thumbnail((size, size), Image.Resampling.LANCZOS)
        return _jpeg(small, quality=85)


MIN_COVER_PX = 1400


def prepare_cover(path: Path) -> bytes:
    """JPEG bytes of the user's cover image ``path``, checked against Apple's artwork rules.

    The image must be JPEG or PNG, square, and at least 1400x1400 px. An RGB JPEG of
    1400-3000 px is returned byte for byte; anything else is converted: other colour modes
    to RGB (transparency flattened onto white), larger images scaled down to 3000 px, PNG
    re-encoded as JPEG. Raises ConfigError naming the file and the problem.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        data = path.read_bytes()
        img = Image.open(io.BytesIO(data))
        img.load()
    except OSError as exc:
        if isinstance(exc, UnidentifiedImageError):
            raise ConfigError(f"{path}: cover image is not a JPEG or PNG image") from exc
        raise ConfigError(f"{path}: cannot read the cover image ({plain_reason(exc)})") from exc
    with img:
        if img.format not in ("JPEG", "PNG"):
            raise ConfigError(f"{path}: cover image must be JPEG or PNG, not {img.format}")
        width, height = img.size
        if width != height:
            raise ConfigError(f"{path}: cover image must be square, not {width}x{height} px")
        if width < MIN_COVER_PX:
            raise ConfigError(
                f"{path}: cover image is {width}x{height} px; Apple asks for 1400-3000 px"
            )
        if img.format == "JPEG" and img.mode == "RGB" and width <= COVER_PX:
            return data
        rgb: Image.Image = img
        if img.mode in ("RGBA", "LA", "P", "PA") or "transparency" in img.info:
            rgba = img.convert("RGBA")
            rgb = Image.new("RGB", img.size, (255, 255, 255))
            rgb.paste(rgba, mask=rgba.getchannel("A"))
        elif img.mode != "RGB":
            rgb = img.convert("RGB")
        if width > COVER_PX:
            rgb = rgb.resize((COVER_PX, COVER_PX), Image.Resampling.LANCZOS)
        return _jpeg(rgb, quality=92)
