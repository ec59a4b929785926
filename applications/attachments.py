"""What an uploaded attachment really is, judged by its bytes, not by its name or the browser's word.

A plan or budget sheet is a PDF, a Word document or an Excel workbook (3.1a). The extension must
agree with the content, so a renamed executable or image is refused before it reaches the disk.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX}
ACCEPT = ",".join(CONTENT_TYPES)  # for <input accept>


@dataclass(frozen=True)
class Sniffed:
    extension: str
    content_type: str
    size: int
    sha256: str


def _sniff_kind(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return ".docx"
    if any(n.startswith("xl/") for n in names):
        return ".xlsx"
    return None


def inspect_upload(uploaded) -> Sniffed:
    """Validate an UploadedFile; raise ValidationError with a Chinese message the user can act on."""
    name = uploaded.name or ""
    extension = PurePosixPath(name).suffix.lower()
    if extension not in CONTENT_TYPES:
        raise ValidationError("只能上传 PDF、DOCX 或 XLSX 文件。")
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"文件过大：{uploaded.size / 1024 / 1024:.1f} MB，单个附件不能超过 20 MB。")
    if uploaded.size == 0:
        raise ValidationError("文件为空。")
    actual = _sniff_kind(uploaded)
    if actual is None:
        raise ValidationError(f"文件“{name}”的内容不是有效的 PDF、DOCX 或 XLSX 文件，请检查后重新上传。")
    if actual != extension:
        raise ValidationError(
            f"文件“{name}”的扩展名为 {extension}，但内容是 {actual[1:].upper()} 文件；请使用正确的扩展名。"
        )
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return Sniffed(extension, CONTENT_TYPES[extension], uploaded.size, digest.hexdigest())
