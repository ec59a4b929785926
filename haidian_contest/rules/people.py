"""Participants: resident ID numbers, masking, 2.4a/2.4b roster checks, winners ⊆ roster (1.7)."""

from __future__ import annotations

from datetime import date
from typing import Hashable, Iterable

from .base import Finding, hard
from .ruleset import RuleSet

# GB/T 2260 first-level codes (mainland provinces, Taiwan, Hong Kong, Macao,
# and 91 for residence permits of those living abroad).
PROVINCE_CODES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 91]
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"  # indexed by weighted sum mod 11 (ISO 7064 MOD 11-2)
_ASCII_DIGITS = frozenset("0123456789")
_EARLIEST_BIRTH = date(1900, 1, 1)


# 一（七）: every participant is registered under their real name and resident ID number.
ID_CLAUSE = "一（七）"


# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def normalize_id(value: object) -> str:
    """The one form every ID number is compared, hashed and checked in: forms, imports, searches.

    Full-width digits and letters (“１１０１…Ｘ”, typed with a Chinese input method) fold to ASCII, so
    such a number is the same person as the ASCII one; then the check letter is upper case. Only the
    full-width block folds: NFKC would also turn “¹” or “①” into 1 and accept a number nobody typed.
    Other digits (Arabic-Indic …) are left as they are and stay invalid.
    """
    text = str(value)
    if not text.isascii():
        text = text.translate(_FULL_WIDTH)
    return text.strip().upper()


def id_check_char(first17: str) -> str:
    """The 18th character for 17 ASCII digits."""
    return _CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def is_valid_id_number(value: object, *, today: date | None = None) -> bool:
    """18-character resident ID number per GB 11643-1999.

    ``today`` bounds the birth date; it defaults to the real today.
    """
    if not isinstance(value, str):
        return False
    number = normalize_id(value)
    # str.isdigit() accepts non-ASCII digits such as "٣", which int() would
    # then happily parse, so compare against ASCII explicitly.
    if len(number) != 18 or not set(number[:17]) <= _ASCII_DIGITS:
        return False
    if int(number[:2]) not in PROVINCE_CODES:
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not _EARLIEST_BIRTH <= born <= (today or date.today()):
        return False
    return number[17] == id_check_char(number[:17])


def id_number_problem(value: object, *, today: date | None = None) -> str | None:
    """Why an ID number is refused, in words the person typing it can act on, citing 一（七）; None
    if it is valid. A blank value is “not filled in”."""
    number = normalize_id(value) if value is not None else ""
    if not number:
        return f"未填写身份证号（{ID_CLAUSE}实名登记）"
    if is_valid_id_number(number, today=today):
        return None
    if len(number) != 18:
        return f"身份证号应为 18 位，此处为 {len(number)} 位（{ID_CLAUSE}）"
    first17 = number[:17]
    if set(first17) <= _ASCII_DIGITS and is_valid_id_number(first17 + id_check_char(first17), today=today):
        return f"身份证号校验位错误，请核对号码（{ID_CLAUSE}）"
    return f"身份证号无效：地区码或出生日期不正确（{ID_CLAUSE}）"


def mask_id_number(value: object) -> str:
    """First 6 + eight * + last 4: "110108********1234". Too short to mask safely → all stars."""
    number = normalize_id(value)
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * 8
    return number[:6] + "*" * 8 + number[-4:]


def mask_phone(value: object) -> str:
    """"13812345678" → "138****5678"."""
    phone = str(value).strip()
    if not phone:
        return ""
    if len(phone) < 8:
        return "****"
    return phone[:3] + "****" + phone[-4:]


def check_entries(
    entries: Iterable[tuple[str, Hashable, str]],
    first_prize_history: Iterable[tuple[str, str]],
    *,
    ruleset: RuleSet | None = None,
) -> list[Finding]:
    """2.4a one trade per person per cycle; 2.4b no re-entry in a trade once won first prize there.

    ``entries`` are (id_number, cycle, trade_code); ``first_prize_history`` is
    (id_number, trade_code). One pass with dicts, so a district-wide roster is
    cheap. The same person twice in the same trade and cycle is a duplicate
    row, reported by the roster import, not a 2.4a breach.
    """
    winners = {(normalize_id(pid), trade) for pid, trade in first_prize_history}
    trades_by_cycle: dict[tuple[str, Hashable], dict[str, None]] = {}
    repeats: dict[tuple[str, str], dict[Hashable, None]] = {}
    for raw_id, cycle, trade in entries:
        pid = normalize_id(raw_id)
        if not pid:
            # A blank ID is a real-name failure (1.7); pairing blanks would
            # invent one person out of many.
            continue
        # dicts as ordered sets: messages list trades in roster order.
        trades_by_cycle.setdefault((pid, cycle), {})[trade] = None
        if (pid, trade) in winners:
            repeats.setdefault((pid, trade), {})[cycle] = None

    findings: list[Finding] = []
    for (pid, cycle), trades in trades_by_cycle.items():
        if len(trades) > 1:
            masked = mask_id_number(pid)
            findings.append(hard(
                "2.4a", "multiple_trades_in_cycle",
                f"选手 {masked} 在同一竞赛周期（{cycle}）报名了 {len(trades)} 个职业（工种）："
                f"{'、'.join(map(str, trades))}；同一周期限报一个",
                subject=masked,
            ))
    for (pid, trade), cycles in repeats.items():
        masked = mask_id_number(pid)
        findings.append(hard(
            "2.4b", "first_prize_winner_reentered",
            f"选手 {masked} 已获得过“{trade}”一等奖，不得再次参加该职业（工种）竞赛"
            f"（报名周期：{'、'.join(map(str, cycles))}）",
            subject=masked,
        ))
    return findings


def check_winners_on_roster(
    winner_ids: Iterable[str], roster_ids: Iterable[str], *, ruleset: RuleSet | None = None
) -> list[Finding]:
    """1.7: every award winner must be on the participant list."""
    roster = {normalize_id(pid) for pid in roster_ids}
    findings: list[Finding] = []
    seen: set[str] = set()
    for raw_id in winner_ids:
        pid = normalize_id(raw_id)
        if pid in roster or pid in seen:
            continue
        seen.add(pid)
        masked = mask_id_number(pid)
        findings.append(hard(
            "1.7", "winner_not_on_roster",
            f"获奖选手 {masked} 不在参赛人员名单中",
            subject=masked,
        ))
    return findings
