"""Limits on what an upload may unpack to, far above any real file and far below what hurts a worker.

Each is a Django setting (environment variable of the same name, see README) with the default
below; outside Django (benchmarks, a bare interpreter) the defaults apply.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # Spreadsheets (roster, winners, first-prize register, occupation catalogue, budget sheets).
    # A real roster has a few thousand rows of a dozen columns; 100,000-row rosters are benchmarked.
    sheet_rows: int = 200_000
    sheet_columns: int = 1_000
    # The reader holds rows × columns cells in memory at once, and ~70 bytes a cell while it loads a
    # sheet: 5.2 million numbers took it to 436 MB. 200,000 rows of 13 columns, or 100,000 of 26.
    sheet_cells: int = 2_600_000
    # A roster has one sheet (our template three: the list, its drop-downs, the instructions). Every
    # sheet costs the reader its own rows × columns, so the count and the sum are limited too.
    sheets: int = 10
    workbook_cells: int = 5_200_000
    cell_chars: int = 32_767  # Excel's own maximum for one cell
    # The reader loads an .xlsx's whole shared-string table when it opens the file, ~60 bytes a
    # string: 8 million short ones (a 21 MB file) took it to 500 MB. A 200,000-row roster has fewer.
    shared_strings: int = 2_000_000
    # Zip containers (xlsx, docx, ods): what each member and all of them inflate to, and by how much.
    zip_member_bytes: int = 256 * MIB
    zip_total_bytes: int = 512 * MIB
    zip_ratio: int = 100  # ordinary office files compress 5–30×; bombs compress 1,000× and more
    zip_members: int = 10_000
    # Images: every pixel of a PNG/TIFF/WebP is decoded to check colour; a JPEG only at 1/8 scale.
    image_pixels: int = 200_000_000  # a 200-megapixel phone photo is the largest real one
    decoded_image_pixels: int = 40_000_000  # decoded in full: 160 MB as RGBA (an A4 scan at 600 dpi is 35)
    # Video: the frame size ffmpeg decodes and how long it may take.
    video_pixels: int = 8192 * 4320  # 8K
    video_decode_seconds: int = 900


SETTING_NAMES = {f.name: f"UPLOAD_MAX_{f.name.upper()}" for f in fields(Limits)}


def current() -> Limits:
    """The configured limits: Django settings where configured, the defaults otherwise."""
    try:
        from django.conf import settings

        configured = settings.configured
    except ImportError:  # pragma: no cover - the module is usable without Django
        configured = False
    if not configured:
        return Limits()
    values = {}
    for name, setting in SETTING_NAMES.items():
        value = getattr(settings, setting, None)
        if value is not None:
            values[name] = int(value)
    return Limits(**values)
