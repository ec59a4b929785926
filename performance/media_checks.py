"""Read the facts the rules need from the uploaded files themselves, never from names or browser claims.

Photos: Pillow opens the file to read its real format, resolution, colour mode and size (4.2a).
Video: ffprobe (Debian's ffmpeg) reads the container's duration (4.2b).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from dataclasses import dataclass

from PIL import Image, ImageChops, UnidentifiedImageError

# Formats a camera or a scanner produces; anything else Pillow can open (GIF, BMP, icons…) is not
# an on-site photo.
PHOTO_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "TIFF": "TIFF", "MPO": "JPEG", "WEBP": "WebP"}
GREY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}
# A colour file whose channels differ by no more than this everywhere is a greyscale picture.
GREY_TOLERANCE = 12


class NotAnImage(ValueError):
    """The file is not a photo Pillow can read: refused, never stored."""


@dataclass(frozen=True)
class PhotoFacts:
    image_format: str
    dpi: tuple[float, float] | None
    mode: str
    colour: bool
    width: int
    height: int


def _read_dpi(img: Image.Image) -> tuple[float, float] | None:
    dpi = img.info.get("dpi")
    if not dpi:
        return None
    try:
        x, y = (float(v) for v in dpi)
    except (TypeError, ValueError):
        return None
    return (x, y) if x > 0 and y > 0 else None


def _looks_colour(img: Image.Image) -> bool:
    if img.mode in GREY_MODES:
        return False
    # A greyscale picture saved as RGB is still greyscale: compare the channels on a small copy.
    img.draft("RGB", (256, 256))  # JPEG decodes at reduced size: cheap even for a 10 MB photo
    small = img.convert("RGB")
    small.thumbnail((256, 256))
    r, g, b = small.split()
    spread = max(ImageChops.difference(r, g).getextrema()[1], ImageChops.difference(g, b).getextrema()[1])
    return spread > GREY_TOLERANCE


def inspect_photo(fileobj) -> PhotoFacts:
    """Open `fileobj` with Pillow; raise NotAnImage for a file that only pretends to be a photo."""
    try:
        fileobj.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj) as img:
                img.verify()  # structure check; the image must be reopened afterwards
            fileobj.seek(0)
            with Image.open(fileobj) as img:
                fmt = PHOTO_FORMATS.get(img.format or "")
                if fmt is None:
                    raise NotAnImage(f"不支持的图片格式（{img.format}），请上传 JPEG、PNG 或 TIFF 照片")
                facts = PhotoFacts(
                    image_format=fmt,
                    dpi=_read_dpi(img),
                    mode=img.mode,
                    colour=_looks_colour(img),
                    width=img.width,
                    height=img.height,
                )
    except NotAnImage:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise NotAnImage("文件不是可识别的图片（可能只是改了扩展名）") from exc
    finally:
        fileobj.seek(0)
    return facts


def make_thumbnail(source, target, size: int = 320) -> None:
    with Image.open(source) as img:
        img.draft("RGB", (size * 2, size * 2))
        thumb = img.convert("RGB")
        thumb.thumbnail((size, size))
        thumb.save(target, "JPEG", quality=80)


def is_pdf(fileobj) -> bool:
    fileobj.seek(0)
    head = fileobj.read(1024)
    fileobj.seek(0)
    return b"%PDF-" in head


def ffprobe_available() -> bool:
    return shutil.which("ffprobe") is not None


def video_duration(path: str, *, timeout: int = 60) -> float | None:
    """Seconds, from the container (then the longest stream); None when unreadable or no ffprobe."""
    if not ffprobe_available():
        return None
    try:
        result = subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
            capture_output=True, text=True, timeout=timeout, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    try:
        data = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        return None
    streams = data.get("streams") or []
    if not any(s.get("codec_type") == "video" for s in streams):
        return None  # an audio file or a renamed document is not a video
    candidates = [(data.get("format") or {}).get("duration")] + [s.get("duration") for s in streams]
    values = []
    for value in candidates:
        try:
            values.append(float(value))
        except (TypeError, ValueError):
            continue
    values = [v for v in values if v >= 0]
    return max(values) if values else None
