"""File inspection for every upload, in one place: what a file is (by its bytes), how large it is,
and what it unpacks or decodes to, checked before anything parses it.

Pure Python with Pillow, olefile and Debian's ffmpeg; Django only for reading the limits from
settings when it is configured. Every refusal is a FileRefused whose message is Chinese and says
what the file is and what to do.
"""

from . import kinds
from .documents import Checked, check_document, check_size
from .errors import FileRefused
from .images import ImageFacts, inspect_image, make_thumbnail
from .limits import Limits, current as limits
from .sizes import format_size
from .videos import VideoFacts, inspect_video
from .workbooks import WorkbookFacts, check_workbook

__all__ = [
    "Checked", "FileRefused", "ImageFacts", "Limits", "VideoFacts", "WorkbookFacts", "check_document",
    "check_size", "check_workbook", "format_size", "inspect_image", "inspect_video", "is_pdf", "kinds", "limits",
    "make_thumbnail",
]


def is_pdf(fileobj) -> bool:
    fileobj.seek(0)
    head = fileobj.read(1024)
    fileobj.seek(0)
    return kinds.is_pdf_head(head)
