"""Winner rows: on the roster of their trade (1.7, hard) and prize money per person (2.4c)."""

from decimal import Decimal
from typing import NamedTuple

from haidian_contest import rules
from haidian_contest.rules.choices import RANK_LABELS
from haidian_contest.rules.people import normalize_id

from ..identity import hasher
from .columns import WINNER_COLUMNS
from .problems import Problems, id_problem
from .reading import cell, decimal, text
from .subjects import Subjects
from .trades import ProjectTrades

FEN = Decimal("0.01")
_RANKS = {**{label: rank for rank, label in RANK_LABELS.items()},
          **{label[:2]: rank for rank, label in RANK_LABELS.items()},
          **{str(rank): rank for rank in RANK_LABELS}}


class RosterEntry(NamedTuple):
    participant_id: int
    trade_code: str
    name: str


class WinnerRow(NamedTuple):
    row: int
    participant_id: int
    trade_id: int
    rank: int
    amount: Decimal
    note: str
    waiver_reason: str


def parse_rank(value) -> int | None:
    return _RANKS.get(text(value).replace(" ", ""))


def read_winners(sheet, trades: ProjectTrades, roster: dict[str, RosterEntry], waivers: dict[str, str],
                 trade_labels: dict[str, str]) -> tuple[list[WinnerRow], Problems]:
    problems = Problems(WINNER_COLUMNS)
    col = sheet.columns
    digest = hasher()
    pending = []  # rows whose own cells are fine, checked against the roster below
    first_seen: dict[str, int] = {}
    for row, cells in sheet.rows:
        problems.rows += 1
        name = text(cell(cells, col.get("name")))
        raw_id = cell(cells, col.get("id_number"))
        id_number = normalize_id(text(raw_id))
        trade_text = text(cell(cells, col.get("trade")))
        rank = parse_rank(cell(cells, col.get("rank")))
        raw_amount = cell(cells, col.get("amount"))
        amount = decimal(raw_amount)
        note = text(cell(cells, col.get("note")))
        reason = text(cell(cells, col.get("waiver"))) or (waivers.get(str(row)) or "").strip()
        before = problems.hard_count
        if not name:
            problems.add(row, "name", "未填写姓名")
        why = "未填写身份证号（一（七）实名登记）" if not id_number else id_problem(raw_id, id_number)
        if why:
            problems.add(row, "id_number", why)
        trade = trades.resolve(trade_text)
        if trade is None:
            if not trade_text:
                problems.add(row, "trade", "未填写职业（工种）")
            else:
                problems.add(row, "trade", f"“{trade_text}”不是本项目的职业（工种），应为：{trades.listing()}")
        if rank is None:
            problems.add(row, "rank", "奖项应为“一等奖”“二等奖”或“三等奖”")
        if amount is None:
            problems.add(row, "amount", "未填写奖金或金额不是数字")
        elif amount != amount.quantize(FEN):
            problems.add(row, "amount", "奖金最多保留两位小数（元、角、分）")
        if not note:
            problems.add(row, "note", "未填写参赛经历说明（一（七）：获奖选手须有参赛记录）")
        if why is None:
            id_hash = digest(id_number)
            if id_hash in first_seen:
                problems.add(row, "id_number", f"与第 {first_seen[id_hash]} 行为同一获奖人，重复登记")
            else:
                first_seen[id_hash] = row
            if problems.hard_count == before:
                pending.append((row, id_hash, id_number, name, trade, rank, amount, note, reason))
    return _against_roster(pending, roster, problems, trade_labels), problems


def _against_roster(pending, roster, problems, trade_labels) -> list[WinnerRow]:
    subjects = Subjects()
    by_trade: dict[str, list] = {}
    for item in pending:
        by_trade.setdefault(item[4].key, []).append(item)
    roster_by_trade: dict[str, list[str]] = {}
    for id_hash, entry in roster.items():
        roster_by_trade.setdefault(entry.trade_code, []).append(id_hash)
    missing: set[tuple[str, str]] = set()
    for key, items in by_trade.items():
        findings = rules.check_winners_on_roster(
            [subjects.ident(item[1]) for item in items],
            [subjects.ident(h) for h in roster_by_trade.get(key, ())],
        )
        for finding in findings:
            person = subjects.hash_for(finding.subject)
            missing.add((person, key))
            for item in items:
                if item[1] != person:
                    continue
                message = Subjects.reword(finding.message, finding.subject, rules.mask_id_number(item[2]))
                entry = roster.get(person)
                if entry is not None:
                    message += f"（参赛名单中该选手参加的是{trade_labels.get(entry.trade_code, entry.trade_code)}）"
                problems.add(item[0], "id_number", message)
    winners = []
    for row, id_hash, _id, name, trade, rank, amount, note, reason in pending:
        if (id_hash, trade.key) in missing:
            continue
        entry = roster[id_hash]
        if entry.name != name:
            problems.add(row, "name", f"姓名与参赛名单不一致（名单中为“{entry.name}”）")
            continue
        waiver_reason = ""
        for finding in rules.check_prize(trade.category, rank, amount):
            if not finding.waivable:
                problems.add(row, "amount", finding.message)
            elif reason:
                waiver_reason = reason
            else:
                problems.add(row, "amount", f"{finding.message}；须在“豁免理由”列或页面上说明理由",
                             waivable=True, key=finding.key)
        winners.append(WinnerRow(row, entry.participant_id, trade.id, rank, amount, note, waiver_reason))
    return winners
