"""The signed scan of the agreement: a PDF by its content, not by its name or the browser's word."""

from django.core.exceptions import ValidationError

from haidian_contest import inspection

MAX_SCAN_BYTES = 20 * 1024 * 1024


def validate_pdf(upload) -> None:
    if upload is None:
        raise ValidationError("请上传签署后的协议扫描件（PDF）。")
    try:
        inspection.check_document(upload, allowed={".pdf": "PDF"}, max_bytes=MAX_SCAN_BYTES, what="协议扫描件")
    except inspection.FileRefused as exc:
        raise ValidationError(str(exc)) from None
