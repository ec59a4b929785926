"""How an amount of money is written, everywhere: pages, PDFs, xlsx exports, findings' figures.

The union's own forms write amounts in 元 (never ¥): the figure to the fen, grouped by thousands —
"128,000.00" — in a column headed “（元）”, or followed by “ 元” in running text (`yuan`). Every
template filter and export calls these two, so the convention is kept in one place.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The one percentage formatter (half up, two places), for pages and documents alike.
from haidian_contest.rules.base import percent, percent_number  # noqa: F401

FEN = Decimal("0.01")
UNIT = "元"
XLSX_FORMAT = "#,##0.00"  # the same figure in a spreadsheet cell that stays a number


def money(value, blank: str = "—") -> str:
    """Decimal/int/str → "12,345.60" (half up to the fen); `blank` for nothing. Money is Decimal; a
    stray float is read from its shortest repr rather than its binary value."""
    if value is None or value == "":
        return blank
    try:
        amount = Decimal(str(value)).quantize(FEN, ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{amount:,.2f}"


def yuan(value, blank: str = "—") -> str:
    """"12,345.60 元" for running text."""
    text = money(value, blank)
    return text if text == blank else f"{text} {UNIT}"
