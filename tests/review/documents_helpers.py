"""Reading generated documents as a person would: the text of a PDF and of a .docx."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

# A resident ID number: 17 digits and a digit or X (GB 11643).
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice, Debian libreoffice-writer-nogui) is not installed")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF"), content[:20]
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def compact(text: str) -> str:
    """Text without any white space: a PDF breaks long titles over lines wherever the line ends."""
    return re.sub(r"\s+", "", text)


def pdf_pages(content: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    """Paragraphs, table cells, headers and footers: everything Word would show."""
    import docx

    doc = docx.Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def convert_with_soffice(content: bytes, tmp_path: Path, name: str = "document.docx") -> Path:
    """Converts a .docx to PDF with LibreOffice as a user's office suite would open it; returns the PDF."""
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "converted"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    pdf = out / (source.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stderr or result.stdout
    return pdf
