"""Zip containers (xlsx, docx, ods …): refused by what they claim to hold before anything inflates them.

The declared sizes are checked first (free), then every member that is read is inflated in chunks
and counted: Python's zipfile never returns more than a member declares and checks its CRC, so a
forged header is caught as damage, not believed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from .errors import FileRefused
from .limits import Limits
from .sizes import format_size

CHUNK = 1024 * 1024
# Small members (styles, relationships) compress very well and hurt no one.
RATIO_GRACE_BYTES = 1024 * 1024


def open_checked(source, limits: Limits, what: str = "文件") -> zipfile.ZipFile:
    """A ZipFile whose declared contents are within the limits; FileRefused otherwise."""
    try:
        archive = zipfile.ZipFile(source)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRefused(f"{what}已损坏（压缩包结构无法读取），请用原软件另存后重新上传。") from exc
    if len(members) > limits.zip_members:
        raise FileRefused(f"{what}内含 {len(members):,} 个部件，超过 {limits.zip_members:,} 个的上限，不是正常的办公文件。")
    total = 0
    for info in members:
        check_member_sizes(info.filename, info.file_size, info.compress_size, limits, what)
        total += info.file_size
        if total > limits.zip_total_bytes:
            raise FileRefused(
                f"{what}解压后超过 {format_size(limits.zip_total_bytes)}（压缩炸弹），已拒绝。"
                "请删除多余的工作表或图片后重新上传。"
            )
    return archive


def check_member_sizes(name: str, size: int, compressed: int, limits: Limits, what: str) -> None:
    if size > limits.zip_member_bytes:
        raise FileRefused(
            f"{what}中的部件“{name}”解压后达 {format_size(size)}，超过 {format_size(limits.zip_member_bytes)} 的上限"
            "（压缩炸弹），已拒绝。"
        )
    if size > RATIO_GRACE_BYTES and size > limits.zip_ratio * max(compressed, 1):
        raise FileRefused(
            f"{what}中的部件“{name}”压缩比达 {size // max(compressed, 1):,} 倍（正常文件不超过 "
            f"{limits.zip_ratio} 倍），疑为压缩炸弹，已拒绝。"
        )


def inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, what: str) -> Iterator[bytes]:
    """The member's bytes in chunks, counted as they come; damage and lies become FileRefused."""
    seen = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                seen += len(chunk)
                check_member_sizes(info.filename, seen, info.compress_size, limits, what)
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise FileRefused(f"{what}已损坏（部件“{info.filename}”无法解压），请用原软件另存后重新上传。") from exc
