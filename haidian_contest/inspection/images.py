"""Photos: real format, size in pixels, dpi and colour, read from the file, with no pixel decoded
before its size is known to be sane."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFile

from .errors import FileRefused
from .limits import Limits, current

# Formats a camera or a scanner produces; anything else Pillow can open (GIF, BMP, icons…) is not
# an on-site photo.
PHOTO_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "TIFF": "TIFF", "MPO": "JPEG", "WEBP": "WebP"}
# Decoded at 1/8 scale when only a small copy is needed (Image.draft): cheap whatever the size.
REDUCIBLE = {"JPEG", "MPO"}
GREY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}
# A colour file whose channels differ by no more than this everywhere is a greyscale picture.
GREY_TOLERANCE = 12
NOT_AN_IMAGE = "文件不是可识别的图片（可能只是改了扩展名）"


@dataclass(frozen=True)
class ImageFacts:
    image_format: str
    dpi: tuple[float, float] | None
    mode: str
    colour: bool
    width: int
    height: int


def _megapixels(n: int) -> str:
    return f"{n / 1_000_000:,.0f} 百万像素" if n >= 10_000_000 else f"{n / 1_000_000:,.1f} 百万像素"


def open_header(fileobj) -> ImageFile.ImageFile:
    """The image with its header read and no pixel decoded, whatever size it claims.

    Image.open() refuses huge sizes itself, but only as "a decompression bomb" with no size, which
    users read as "not an image"; the size check below is ours and says what the file is.
    """
    Image.init()
    fileobj.seek(0)
    prefix = fileobj.read(16)
    for name, (factory, accept) in Image.OPEN.items():
        if name not in PHOTO_FORMATS and name not in ("GIF", "BMP"):
            continue
        if accept and not accept(prefix):
            continue
        fileobj.seek(0)
        try:
            return factory(fileobj, "")
        except (SyntaxError, IndexError, TypeError, ValueError, OSError, EOFError):
            continue
    raise FileRefused(NOT_AN_IMAGE)


def check_pixels(img, limits: Limits) -> None:
    width, height = img.size
    pixels = width * height
    if pixels > limits.image_pixels:
        raise FileRefused(
            f"图片像素过多：{width}×{height}（{_megapixels(pixels)}），超过 {_megapixels(limits.image_pixels)}的上限，"
            "不是正常的照片。请缩小尺寸后重新上传。"
        )
    if img.format not in REDUCIBLE and pixels > limits.decoded_image_pixels:
        raise FileRefused(
            f"{img.format} 图片像素过多：{width}×{height}（{_megapixels(pixels)}），该格式须整张解码，上限为 "
            f"{_megapixels(limits.decoded_image_pixels)}。请另存为 JPEG 或缩小尺寸后重新上传。"
        )


def _read_dpi(img) -> tuple[float, float] | None:
    dpi = img.info.get("dpi")
    if not dpi:
        return None
    try:
        x, y = (float(v) for v in dpi)
    except (TypeError, ValueError):
        return None
    return (x, y) if x > 0 and y > 0 else None


def _looks_colour(img) -> bool:
    if img.mode in GREY_MODES:
        return False
    # A greyscale picture saved as RGB is still greyscale: compare the channels on a small copy.
    img.draft("RGB", (256, 256))  # JPEG decodes at reduced size; changes img.size, so read it first
    img.thumbnail((256, 256))  # others decode once, within the pixel limit, then shrink in place
    small = img.convert("RGB")
    r, g, b = small.split()
    spread = max(ImageChops.difference(r, g).getextrema()[1], ImageChops.difference(g, b).getextrema()[1])
    return spread > GREY_TOLERANCE


def inspect_image(fileobj, limits: Limits | None = None) -> ImageFacts:
    """Facts of a photo; FileRefused for a file that is no photo or one too large to decode."""
    limits = limits or current()
    try:
        img = open_header(fileobj)
        fmt = PHOTO_FORMATS.get(img.format or "")
        if fmt is None:
            raise FileRefused(f"不支持的图片格式（{img.format}），请上传 JPEG、PNG 或 TIFF 照片")
        check_pixels(img, limits)
        width, height = img.size  # the true size, before draft() shrinks it
        img.verify()  # structure check; the image must be reopened afterwards
        img = open_header(fileobj)
        dpi, mode = _read_dpi(img), img.mode
        colour = _looks_colour(img)
    except FileRefused:
        raise
    except (OSError, SyntaxError, ValueError, IndexError, TypeError, EOFError, Image.DecompressionBombError) as exc:
        raise FileRefused(NOT_AN_IMAGE) from exc
    finally:
        fileobj.seek(0)
    return ImageFacts(image_format=fmt, dpi=dpi, mode=mode, colour=colour, width=width, height=height)


def make_thumbnail(source, target, size: int = 320, limits: Limits | None = None) -> None:
    img = open_header(source)
    check_pixels(img, limits or current())
    img.draft("RGB", (size * 2, size * 2))
    img.thumbnail((size, size))
    img.convert("RGB").save(target, "JPEG", quality=80)
