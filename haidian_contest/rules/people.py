"""Participants: resident ID numbers, masking, 2.4a/2.4b roster checks, winners ⊆ roster (1.7)."""

from __future__ import annotations

from datetime import date
from typing import Hashable, Iterable

from .base import Finding, hard
from .id_numbers import (  # noqa: F401  (re-exported: the one place every caller imports them from)
    DOCUMENT_LABELS,
    DOCUMENT_TYPES,
    FOREIGN_PR,
    HMT_PERMIT,
    ID_CLAUSE,
    PASSPORT,
    RESIDENT_CARD,
    document_problem,
    document_type,
    id_check_char,
    normalize_id,
    number_problem,
    parse_document_type,
    passport_finding,
)
from .ruleset import RuleSet


def is_valid_id_number(value: object, *, today: date | None = None) -> bool:
    """A valid number of a card that carries one (id_numbers): 居民身份证, 港澳台居民居住证 or
    外国人永久居留身份证 (2023 or 2017). A passport number is not: it needs the department's waiver.

    ``today`` bounds the birth date; it defaults to the real today.
    """
    if not isinstance(value, str):
        return False
    return document_type(normalize_id(value), today=today) is not None


def id_number_problem(value: object, *, today: date | None = None) -> str | None:
    """Why an ID number is refused, in words the person typing it can act on, citing 一（七）; None
    if it is valid. A blank value is “not filled in”."""
    return number_problem(normalize_id(value) if value is not None else "", today=today)


def mask_id_number(value: object) -> str:
    """An 18-character number: first 6 + eight * + last 4, "110108********1234". Any other length (a
    2017 permanent-residence card, a passport) shows at most a quarter at each end, never its length;
    a short one (most passports) shows nothing."""
    number = normalize_id(value)
    if not number:
        return ""
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    if len(number) < 12:
        return "*" * 8
    return number[:3] + "*" * 8 + number[-3:]


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
