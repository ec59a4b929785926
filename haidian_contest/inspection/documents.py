"""Uploaded documents (attachments, signed scans, event documents, spreadsheets): name, size and
content checked together, before the file is stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from . import kinds
from .errors import FileRefused
from .limits import Limits, current
from .sizes import format_size


# Extensions whose files are archives or compound files: damage inside them is worth naming.
CONTAINERS = frozenset({".docx", ".xlsx", ".pptx", ".ods", ".odt", ".doc", ".xls", ".ppt", ".wps", ".et", ".dps"})


@dataclass(frozen=True)
class Checked:
    name: str
    extension: str
    kind: kinds.Kind
    size: int
    sha256: str = ""

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def check_size(uploaded, max_bytes: int, what: str = "文件") -> int:
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
        uploaded.seek(0)
    if size == 0:
        raise FileRefused(f"{what}是空的（0 字节），请重新选择文件。")
    if size > max_bytes:
        raise FileRefused(f"{what}过大：{format_size(size)}，不能超过 {format_size(max_bytes)}。")
    return size


def check_document(uploaded, *, allowed: dict[str, str], max_bytes: int, what: str = "文件",
                   limits: Limits | None = None, digest: bool = False) -> Checked:
    """`allowed` maps each accepted extension to how the message names it (".pdf": "PDF").

    The extension must be allowed and the content must be what the extension says; the message
    names what the file really is."""
    limits = limits or current()
    name = PurePosixPath(getattr(uploaded, "name", "") or "").name
    extension = PurePosixPath(name).suffix.lower()
    accepted = "、".join(dict.fromkeys(allowed.values()))
    if extension not in allowed:
        raise FileRefused(f"{what}只能是 {accepted} 文件（“{name}”不是）。")
    size = check_size(uploaded, max_bytes, what)
    try:
        kind = kinds.sniff(uploaded, limits)
    except FileRefused:
        if extension in CONTAINERS:
            raise  # a damaged or hostile .docx/.xlsx: the message says which
        kind = None  # a broken archive named .pdf is simply not a PDF
    if kind is None or not kinds.same_extension(kind, extension):
        if kind is None or kind in (kinds.TEXT, kinds.ZIP, kinds.OLE) and extension != ".txt":
            raise FileRefused(f"“{name}”的内容不是有效的 {allowed[extension]} 文件（可能只是改了扩展名），请检查后重新上传。")
        raise FileRefused(
            f"“{name}”的扩展名为 {extension}，但内容是{kind.label}；请上传真正的 {allowed[extension]} 文件或改正扩展名。"
        )
    sha256 = ""
    if digest:
        hasher = hashlib.sha256()
        for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(1 << 20), b""):
            hasher.update(chunk)
        uploaded.seek(0)
        sha256 = hasher.hexdigest()
    return Checked(name, extension, kind, size, sha256)
