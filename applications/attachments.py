"""What an uploaded attachment really is, judged by its bytes, not by its name or the browser's word.

A plan or budget sheet is a PDF, a Word document or an Excel workbook (3.1a). The extension must
agree with the content, so a renamed executable or image is refused before it reaches the disk.
The checks themselves live in haidian_contest.inspection, shared by every upload.
"""

from django.core.exceptions import ValidationError

from haidian_contest import inspection
from haidian_contest.inspection import kinds

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

PDF = kinds.PDF.content_type
DOCX = kinds.DOCX.content_type
XLSX = kinds.XLSX.content_type
ALLOWED = {".pdf": "PDF", ".docx": "DOCX", ".xlsx": "XLSX"}
ACCEPT = ",".join(ALLOWED)  # for <input accept>


def inspect_upload(uploaded) -> inspection.Checked:
    """Validate an UploadedFile; raise ValidationError with a Chinese message the user can act on."""
    try:
        return inspection.check_document(uploaded, allowed=ALLOWED, max_bytes=MAX_ATTACHMENT_BYTES,
                                         what="附件", digest=True)
    except inspection.FileRefused as exc:
        raise ValidationError(str(exc)) from None
