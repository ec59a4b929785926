"""Every upload's type is judged by its bytes, by one sniffer: the message says what the file is."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haidian_contest.inspection import FileRefused, check_document, is_pdf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_pdf_after_a_few_bytes_of_junk_is_a_pdf_for_every_upload():
    # The three sniffers used to disagree: one wanted "%PDF-" at byte 0, two anywhere in the first KB.
    data = b"\r\n\xef\xbb\xbf" + PDF
    checked = check_document(SimpleUploadedFile("方案.pdf", data), allowed={".pdf": "PDF"}, max_bytes=1 << 20)
    assert checked.content_type == "application/pdf"
    assert is_pdf(io.BytesIO(data))


def test_an_image_renamed_pdf_is_named_for_what_it_is():
    with pytest.raises(FileRefused, match="扩展名为 .pdf，但内容是PNG 图片"):
        check_document(SimpleUploadedFile("协议.pdf", png()), allowed={".pdf": "PDF"}, max_bytes=1 << 20)


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match="0 字节"):
        check_document(SimpleUploadedFile("协议.pdf", b""), allowed={".pdf": "PDF"}, max_bytes=1 << 20)


def test_the_size_limit_message_tells_the_limit_from_the_size():
    with pytest.raises(FileRefused, match=r"1.0 MB（1,048,577 字节），不能超过 1 MB"):
        check_document(SimpleUploadedFile("协议.pdf", PDF + b"0" * ((1 << 20) + 1 - len(PDF))),
                       allowed={".pdf": "PDF"}, max_bytes=1 << 20)


def test_a_zip_bomb_named_docx_is_refused_before_it_is_stored(tmp_path):
    from . import bombs

    path = bombs.padded_zip_xlsx(tmp_path / "方案.xlsx", megabytes=300)
    with pytest.raises(FileRefused, match="压缩炸弹"):
        check_document(SimpleUploadedFile("方案.xlsx", path.read_bytes()), allowed={".xlsx": "XLSX"},
                       max_bytes=20 << 20)
