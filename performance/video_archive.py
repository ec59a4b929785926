"""The union's video archive: a folder on the server (a mounted file share) for videos too large to upload.

Staff copy a delivered video there; the organizer then names its path, and the length is read from
that file like an upload. Configured by settings.VIDEO_ARCHIVE_ROOT (default MEDIA_ROOT/video-archive).
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError


def archive_root() -> Path:
    return Path(getattr(settings, "VIDEO_ARCHIVE_ROOT", "") or Path(settings.MEDIA_ROOT) / "video-archive").resolve()


def resolve_archive_path(location: str) -> Path:
    """A file inside the archive, by a path relative to it; anything escaping the folder is refused."""
    location = (location or "").strip().lstrip("/\\")
    if not location:
        raise ValidationError("请填写视频在视频存档目录中的路径。")
    root = archive_root()
    path = (root / location).resolve()
    if root not in path.parents or not path.is_file():
        raise ValidationError(f"视频存档目录（{root}）中没有该文件。")
    return path
