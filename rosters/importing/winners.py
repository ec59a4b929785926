"""Winner rows: on the roster of their trade (1.7, hard), prize money per person (2.4c), and the
whole list against the approved plan (三（二）: winners per rank, prize money per trade)."""

from decimal import Decimal
from typing import NamedTuple

from haidian_contest import rules
from haidian_contest.rules.choices import RANK_LABELS
from haidian_contest.rules.funding import RANK_WORDS
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
    given_reason: str = ""  # the row's reason as typed, whatever it explains (2.4c or the plan)


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
        if why and id_number and digest(id_number) in roster:
            why = None  # a passport the roster import accepted (一（七）, waivable): the roster has judged it
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
        winners.append(WinnerRow(row, entry.participant_id, trade.id, rank, amount, note, waiver_reason, reason))
    return winners


def against_plan(winners: list[WinnerRow], plans: dict[int, list[tuple[int, int, Decimal]]],
                 names: dict[int, str], problems: Problems) -> list[dict]:
    """三（二）: more winners of a rank, or more prize money, than the trade's plan.

    Each finding is pinned to a row — the first winner beyond the planned count; for the money, the
    first prize above the plan's amount, or the trade's last row — so the organizer's reason travels the same way as a 2.4c one: the row's
    “豁免理由” cell, or the page. Without a reason it is a pending waiver and the
    version fails; with one it is returned for the version's record, for the department to decide.
    """
    by_trade: dict[int, list[WinnerRow]] = {}
    for w in winners:
        by_trade.setdefault(w.trade_id, []).append(w)
    recorded = []
    for trade_id, rows in by_trade.items():
        rows = sorted(rows, key=lambda w: w.row)
        plan = plans.get(trade_id, [])
        planned = {rank: count for rank, count, _amount in plan}
        findings = rules.check_winners_against_plan(names.get(trade_id, ""), plan, [(w.rank, w.amount) for w in rows])
        for finding in findings:
            if finding.code == "prize_money_over_plan":
                # On the first prize above the plan's amount for its rank if there is one, so that one
                # reason on that row explains both it (2.4c) and the total; else on the trade's last row.
                amounts = {rank: amount for rank, _count, amount in plan}
                raised = [w for w in rows if w.amount > amounts.get(w.rank, Decimal(0))]
                anchor, column = (raised or rows[-1:])[0], "amount"
            else:
                of_rank = [w for w in rows if f"{RANK_WORDS.get(w.rank)}_winners_over_plan" == finding.code]
                anchor, column = of_rank[planned.get(of_rank[0].rank, 0)], "rank"
            reason = anchor.given_reason.strip()
            if not reason:
                problems.add(anchor.row, column, f"{finding.message}；须在“豁免理由”列或页面上说明理由",
                             waivable=True, key=finding.key)
                continue
            recorded.append({
                "key": finding.key, "clause": finding.clause, "clause_label": finding.clause_label,
                "subject": finding.subject, "message": finding.message, "row": anchor.row,
                "justification": reason, "accepted": None, "reason": "", "decided_by": "", "decided_at": "",
            })
    return recorded

