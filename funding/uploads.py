"""The signed scan of the agreement: a PDF by its content, not by its name or the browser's word."""

from django.core.exceptions import ValidationError

MAX_SCAN_BYTES = 20 * 1024 * 1024


def validate_pdf(upload) -> None:
    if upload is None:
        raise ValidationError("请上传签署后的协议扫描件（PDF）。")
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError("协议扫描件不能超过 20 MB。")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    # The PDF header may follow a few bytes of junk (the spec allows it within the first 1 KB).
    if b"%PDF-" not in head:
        raise ValidationError("协议扫描件必须是 PDF 文件。")
