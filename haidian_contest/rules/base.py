"""Finding, clause labels, and the guards and formatters every rule module shares.

Pure Python on purpose: the rules must be importable (and testable) without Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")

# Appended to every message so a reader can tell, without the UI, whether a
# written justification can clear the finding.
WAIVABLE_NOTE = "（原则上，可说明理由申请豁免）"
GENERAL_NOTE = "（一般标准，可说明理由申请豁免）"
HARD_NOTE = "（不可豁免）"

_DIGITS = "零一二三四五六七八九"
_CLAUSE_ID = re.compile(r"(\d+(?:\.\d+)*)[a-z]?")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (clause numbers never reach 100)."""
    if not 0 <= n < 100:
        raise ValueError(f"clause number out of range: {n}")
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def chinese_clause(clause: str) -> str:
    """RULES.md id → the form the measures use: 1.4 → 一（四）, 2.1.1b → 二（一）1.

    The letter suffix only splits one Chinese clause into several checks, so it
    has no Chinese form.
    """
    match = _CLAUSE_ID.fullmatch(clause)
    if match is None:
        raise ValueError(f"not a clause id: {clause!r}")
    parts = [int(p) for p in match.group(1).split(".")]
    label = chinese_number(parts[0])
    if len(parts) > 1:
        label += f"（{chinese_number(parts[1])}）"
    return label + "".join(str(p) for p in parts[2:])


@dataclass(frozen=True)
class Finding:
    """One deviation from the measures. An empty list of findings means compliant."""

    clause: str
    code: str
    message: str
    waivable: bool
    subject: str = ""

    @property
    def clause_label(self) -> str:
        return chinese_clause(self.clause)

    @property
    def key(self) -> str:
        # Waiver justifications are stored against this, so it must not depend
        # on the message wording, which may be reworded between releases.
        return f"{self.code}:{self.subject}"


def _message(clause: str, text: str, note: str) -> str:
    label = chinese_clause(clause)
    # "二（一）1传统类" would read as "1传统类"; a space keeps the clause apart.
    separator = " " if label[-1].isdigit() else ""
    return f"{label}{separator}{text}{note}"


def hard(clause: str, code: str, text: str, subject: str = "") -> Finding:
    return Finding(clause, code, _message(clause, text, HARD_NOTE), False, subject)


def waivable(
    clause: str, code: str, text: str, subject: str = "", note: str = WAIVABLE_NOTE
) -> Finding:
    return Finding(clause, code, _message(clause, text, note), True, subject)


def money(value: object, name: str = "amount") -> Decimal:
    """Accept Decimal or int only: a float has already lost the fen."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name} must be Decimal or int, not {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{name} must be finite, got {value}")
    return amount


def quantity(value: object, name: str = "count") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


PERCENT_PLACES = 2  # every measured share on a page or in a document: half up to two places


def percent_number(ratio: Decimal) -> str:
    """A measured share as a bare number, half up to two places: Decimal(5)/11 → "45.45" (CSS widths, charts)."""
    return f"{(Decimal(ratio) * 100).quantize(Decimal(1).scaleb(-PERCENT_PLACES), ROUND_HALF_UP):f}"


def percent(ratio: Decimal, *, against: Decimal | None = None) -> str:
    """A measured share: Decimal("0.25") → "25.00%", Decimal(5)/11 → "45.45%" (the one rounding rule:
    half up, two places, on pages and in every document).

    Two places, unless ``against`` (the limit it is compared with) would then read the same as a
    share that is in fact above or below it: 20,000.01 of 50,000.00 is "40.00002%", never
    "40.00%" next to "高于 40%". Places are added until the two differ.
    """
    value = ratio * 100
    places = PERCENT_PLACES
    shown = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if against is not None and ratio != against:
        limit = against * 100
        while shown == limit and places < 28:
            places += 1
            shown = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        if places > PERCENT_PLACES:
            shown = shown.normalize()
    return f"{shown:f}%"


def limit_percent(ratio: Decimal) -> str:
    """A threshold as the measures write it: Decimal("0.30") → "30%"."""
    return f"{(ratio * 100).normalize():f}%"


def yuan(amount: Decimal) -> str:
    """Money in a finding, always to the fen: "50,000.00 元"."""
    return f"{amount.quantize(FEN, ROUND_HALF_UP):,} 元"
