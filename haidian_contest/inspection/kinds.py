"""What a file is, by its bytes: never by its name or the browser's word."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from .archives import open_checked
from .errors import FileRefused
from .limits import Limits

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Kind:
    name: str  # the canonical extension, e.g. ".pdf"
    label: str  # what a user calls it
    content_type: str
    extensions: frozenset[str]  # names it may honestly carry


def _kind(name, label, content_type, *extensions) -> Kind:
    return Kind(name, label, content_type, frozenset((name, *extensions)))


PDF = _kind(".pdf", "PDF 文件", "application/pdf")
DOCX = _kind(".docx", "Word 文档（DOCX）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = _kind(".xlsx", "Excel 表格（XLSX）", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = _kind(".pptx", "PowerPoint 演示文稿（PPTX）",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODS = _kind(".ods", "OpenDocument 表格（ODS）", "application/vnd.oasis.opendocument.spreadsheet")
ODT = _kind(".odt", "OpenDocument 文档（ODT）", "application/vnd.oasis.opendocument.text")
DOC = _kind(".doc", "Word 97-2003 文档（DOC/WPS）", "application/msword", ".wps")
XLS = _kind(".xls", "Excel 97-2003 表格（XLS）", "application/vnd.ms-excel", ".et")
PPT = _kind(".ppt", "PowerPoint 97-2003 演示文稿（PPT）", "application/vnd.ms-powerpoint", ".dps")
OLE = _kind(".doc", "Office 97-2003 文件", "application/x-ole-storage", ".wps", ".xls", ".et", ".ppt", ".dps")
JPEG = _kind(".jpg", "JPEG 图片", "image/jpeg", ".jpeg")
PNG = _kind(".png", "PNG 图片", "image/png")
GIF = _kind(".gif", "GIF 图片", "image/gif")
TIFF = _kind(".tif", "TIFF 图片", "image/tiff", ".tiff")
WEBP = _kind(".webp", "WebP 图片", "image/webp")
BMP = _kind(".bmp", "BMP 图片", "image/bmp")
ZIP = _kind(".zip", "ZIP 压缩包", "application/zip")
TEXT = _kind(".txt", "纯文本文件", "text/plain", ".csv")
EXECUTABLE = _kind(".exe", "可执行程序", "application/octet-stream", ".dll")

_OPEN_DOCUMENT = {
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.text": ODT,
}


def is_pdf_head(head: bytes) -> bool:
    # The PDF header may follow a few bytes of junk: readers accept it within the first 1 KB.
    return b"%PDF-" in head[:1024]


def sniff(fileobj, limits: Limits) -> Kind | None:
    """The kind of a seekable binary file (left at position 0), or None when it is none we know."""
    fileobj.seek(0)
    head = fileobj.read(1024)
    fileobj.seek(0)
    if not head:
        return None
    if is_pdf_head(head):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            return _zip_kind(fileobj, limits)
        finally:
            fileobj.seek(0)
    if head.startswith(OLE2):
        try:
            return _ole_kind(fileobj)
        finally:
            fileobj.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:2] == b"BM":
        return BMP
    if head[:2] == b"MZ" or head[:4] == b"\x7fELF":
        return EXECUTABLE
    if b"\x00" not in head:
        return TEXT
    return None


def _zip_kind(fileobj, limits: Limits) -> Kind:
    archive = open_checked(fileobj, limits, "文件")
    with archive:
        names = archive.namelist()
        if "mimetype" in names:
            try:
                mimetype = archive.read("mimetype")[:100].strip()
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise FileRefused("文件已损坏（压缩包无法解压），请用原软件另存后重新上传。") from exc
            if mimetype in _OPEN_DOCUMENT:
                return _OPEN_DOCUMENT[mimetype]
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
            if any(n.startswith("ppt/") for n in names):
                return PPTX
    return ZIP


def _ole_kind(fileobj) -> Kind:
    import olefile

    try:
        with olefile.OleFileIO(fileobj) as ole:
            if ole.exists("WordDocument"):
                return DOC
            if ole.exists("Workbook") or ole.exists("Book"):
                return XLS
            if ole.exists("PowerPoint Document"):
                return PPT
    except (OSError, ValueError) as exc:
        raise FileRefused("文件已损坏（Office 97-2003 文件结构无法读取），请用原软件另存后重新上传。") from exc
    return OLE


def same_extension(kind: Kind, extension: str) -> bool:
    return extension.lower() in kind.extensions
