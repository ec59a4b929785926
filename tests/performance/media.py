"""Generated files for the performance tests: photos with Pillow, clips with Debian's ffmpeg."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

MIB = 1024 * 1024


def jpeg_bytes(dpi=(300, 300), mode="RGB", size=(64, 48), colour=(200, 30, 40), pad_to: int | None = None) -> bytes:
    """A real JPEG; `pad_to` adds trailing bytes (after EOI, still a valid JPEG) to reach an exact size."""
    img = Image.new(mode, size, colour if mode == "RGB" else 128)
    if mode == "RGB":
        # Two colours, so the picture is colour by content and not only by its mode.
        img.paste((20, 90, 200), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    kwargs = {"dpi": dpi} if dpi else {}
    img.save(buffer, "JPEG", quality=85, **kwargs)
    data = buffer.getvalue()
    if pad_to is not None:
        assert pad_to >= len(data)
        data += b"\0" * (pad_to - len(data))
    return data


def png_bytes(dpi=(300, 300), mode="RGB") -> bytes:
    img = Image.new(mode, (40, 30), (10, 160, 60) if mode == "RGB" else 100)
    if mode == "RGB":
        img.paste((200, 20, 20), (0, 0, 20, 30))
    buffer = io.BytesIO()
    img.save(buffer, "PNG", dpi=dpi)
    return buffer.getvalue()


def photo_upload(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def photo_uploads(n: int, start: int = 1, **kwargs) -> list[SimpleUploadedFile]:
    data = jpeg_bytes(**kwargs)
    return [SimpleUploadedFile(f"现场照片{i:03d}.jpg", data, content_type="image/jpeg") for i in range(start, start + n)]


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name="竞赛总结报告（盖章）.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def require_ffmpeg() -> None:
    if not (shutil.which("ffmpeg") and shutil.which("ffprobe")):
        pytest.skip("ffmpeg/ffprobe (Debian package ffmpeg) is not installed")


@lru_cache(maxsize=None)
def clip_path(seconds: int) -> Path:
    """An MP4 of that length (1 fps, 16×16, silent track): a few kilobytes, made in about a second."""
    require_ffmpeg()
    path = Path(tempfile.mkdtemp(prefix="perf-clip-")) / f"clip_{seconds}s.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c=red:s=16x16:r=1:d={seconds}",
         "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-shortest", "-c:v", "libx264", "-preset", "ultrafast",
         "-c:a", "aac", "-b:a", "8k", str(path)],
        check=True, timeout=120,
    )
    return path


def clip_upload(seconds: int, name: str = "决赛剪辑.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, clip_path(seconds).read_bytes(), content_type="video/mp4")


@lru_cache(maxsize=None)
def truncated_clip_path(seconds: int = 1200) -> Path:
    """Issue 15: an MP4 with its index first (faststart), cut in half. Its header still says the
    full length; only the first half of the frames can be decoded."""
    require_ffmpeg()
    whole = Path(tempfile.mkdtemp(prefix="perf-clip-")) / f"whole_{seconds}s.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=s=32x24:r=1:d={seconds}", "-c:v", "libx264",
         "-preset", "ultrafast", "-g", "10", "-movflags", "+faststart", str(whole)],
        check=True, timeout=120,
    )
    data = whole.read_bytes()
    cut = whole.with_name(f"truncated_{seconds}s.mp4")
    cut.write_bytes(data[: len(data) // 2])
    return cut
