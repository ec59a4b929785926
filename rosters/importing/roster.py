"""Roster rows: per-row checks in one streaming pass, then 2.4a/2.4b through rules.check_entries.

Memory stays proportional to the number of people (one compact tuple each); the raw rows are
never all held at once, and the cross-project check is one indexed query per table.
"""

import re
from typing import NamedTuple

from django.utils import timezone

from haidian_contest import rules
from haidian_contest.rules.people import (
    PASSPORT,
    document_problem,
    document_type,
    mask_id_number,
    normalize_id,
    parse_document_type,
    passport_finding,
)

from ..identity import hasher
from .columns import ROSTER_COLUMNS
from .problems import Problems, id_problem
from .reading import text, yes_no
from .subjects import Subjects
from .trades import ProjectTrades, labels_for

PROGRESS_EVERY = 1000  # rows between progress callbacks; the pipeline throttles the writes by time
MAX_NAME, MAX_EMPLOYER, MAX_PHONE = 50, 200, 30


class Person(NamedTuple):
    row: int
    name: str
    id_number: str
    id_hash: str
    phone: str
    employer: str
    trade_id: int
    trade_code: str
    is_member: bool
    id_type: str


# A mobile number, or a landline with area code and extension; loose on purpose (+86, spaces, dashes).
_PHONE = re.compile(r"\+?[0-9][0-9\- ]{5,28}[0-9]", re.ASCII)


def _phone_problem(phone: str) -> str | None:
    digits = len(phone) - phone.count("-") - phone.count(" ") - phone.count("+")
    if _PHONE.fullmatch(phone) is None or not 7 <= digits <= 15:
        return "手机号格式不正确（应为 11 位手机号或带区号的固定电话）"
    return None


TYPE_CHOICES = "居民身份证、港澳台居民居住证、外国人永久居留身份证或护照"


def read_people(sheet, trades: ProjectTrades, progress=None, waivers: dict | None = None
                ) -> tuple[list[Person], Problems, list[dict]]:
    """Every row checked on its own, plus the in-file duplicate check; and the passport rows the
    organizer gave a reason for (``waivers``: reason by Excel row), for the department to decide.

    The hot loop of a 100,000-row import: cells are read by index (calamine rows are all as wide
    as the sheet), and the birth-date bound is fixed once for the file.
    """
    waivers = waivers or {}
    recorded: list[dict] = []
    problems = Problems(ROSTER_COLUMNS)
    col = sheet.columns
    c_name, c_id, c_phone, c_type = col["name"], col["id_number"], col.get("phone"), col.get("id_type")
    c_employer, c_trade, c_member = col["employer"], col["trade"], col["is_member"]
    digest = hasher()
    today = timezone.localdate()
    people: list[Person] = []
    append = people.append
    first_seen: dict[str, int] = {}  # id hash → index in people of its first row
    new = tuple.__new__
    add = problems.add
    resolve = trades.resolve
    count = 0
    for count, (row, cells) in enumerate(sheet.rows, start=1):
        name = text(cells[c_name])
        raw_id = cells[c_id]
        id_number = normalize_id(text(raw_id))
        phone = text(cells[c_phone]) if c_phone is not None else ""
        employer = text(cells[c_employer])
        trade_text = text(cells[c_trade])
        member = yes_no(cells[c_member])
        if not name:
            add(row, "name", "未填写姓名")
        elif len(name) > MAX_NAME:
            add(row, "name", f"姓名超过 {MAX_NAME} 个字")
        declared = parse_document_type(cells[c_type]) if c_type is not None else ""
        id_type = None
        if not id_number:
            add(row, "id_number", "未填写身份证号（一（七）实名登记）")
            why = "missing"
        elif declared is None:
            why = f"证件类型“{text(cells[c_type])}”无法识别，应为：{TYPE_CHOICES}"
            add(row, "id_type", why)
        elif declared:
            id_type, why, wrong_type = document_problem(id_number, declared, today=today)
            if why and not wrong_type and declared != PASSPORT:
                why = id_problem(raw_id, id_number, today)  # a number cell that lost digits says so
            if why:
                add(row, "id_type" if wrong_type else "id_number", why)
        else:
            id_type = document_type(id_number, today=today)
            why = None if id_type else id_problem(raw_id, id_number, today)
            if why:
                add(row, "id_number", why)
        if id_type == PASSPORT:
            _passport(row, name, id_number, (waivers.get(str(row)) or "").strip(), problems, recorded)
        if phone and (why_phone := _phone_problem(phone)):
            add(row, "phone", why_phone)
        if not employer:
            add(row, "employer", "未填写工作单位")
        elif len(employer) > MAX_EMPLOYER:
            add(row, "employer", f"工作单位超过 {MAX_EMPLOYER} 个字")
        trade = resolve(trade_text)
        if trade is None:
            if not trade_text:
                add(row, "trade", "未填写职业（工种）")
            else:
                add(row, "trade", f"“{trade_text}”不是本项目的职业（工种），应为：{trades.listing()}")
        if member is None:
            add(row, "is_member", "请填写“是”或“否”（非会员也可参赛，如实填写即可）")
        if why is None and trade is not None:
            id_hash = digest(id_number)
            earlier = first_seen.get(id_hash)
            if earlier is None:
                first_seen[id_hash] = len(people)
            elif people[earlier].trade_code == trade.key:
                add(row, "id_number", f"与第 {people[earlier].row} 行为同一人、同一职业（工种），重复登记")
            # tuple.__new__ builds the NamedTuple without its Python-level __new__: 100,000 times.
            append(new(Person, (row, name, id_number, id_hash, phone, employer, trade.id, trade.key,
                                member is True, id_type)))
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    problems.rows = count
    return people, problems, recorded


def _passport(row: int, name: str, number: str, reason: str, problems: Problems, recorded: list[dict]) -> None:
    """一（七）asks for an ID number: a passport row fails the version until the organizer explains it on
    the page; then it is kept with the version, like the winners' departures from the plan, for the
    department to accept or refuse."""
    finding = passport_finding(f"第 {row} 行 {name}（{mask_id_number(number)}）")
    if not reason:
        problems.add(row, "id_type", f"{finding.message}；须在页面上说明理由", waivable=True, key=finding.key)
        return
    recorded.append({
        "key": finding.key, "clause": finding.clause, "clause_label": finding.clause_label,
        "subject": finding.subject, "message": finding.message, "row": row,
        "justification": reason, "accepted": None, "reason": "", "decided_by": "", "decided_at": "",
    })


def check_entries(people: list[Person], problems: Problems, *, cycle: int, other_entries, first_prizes,
                  trade_labels: dict[str, str], other_projects: dict[int, str]) -> None:
    """2.4a and 2.4b for the file against every other current roster of the cycle and the register.

    ``other_entries``: (id_hash, trade_code, application_id) of other projects' current rosters in
    the cycle; ``first_prizes``: (id_hash, trade_code) from the register. Both are narrowed to the
    people in this file before the rules see them.
    """
    in_file: set[str] = set()
    repeated: set[str] = set()
    for p in people:
        (repeated if p.id_hash in in_file else in_file).add(p.id_hash)
    subjects = Subjects()
    others = [(h, code, app) for h, code, app in other_entries if h in in_file]
    prizes = [(h, code) for h, code in first_prizes if h in in_file]
    labels = labels_for({code for _, code, _ in others} | {code for _, code in prizes}, trade_labels)
    # Only people with a second entry in the cycle or a first-prize record can breach 2.4a or 2.4b;
    # everyone else has a single entry and no history, so the rules need not see 100,000 of them.
    candidates = repeated | {h for h, _, _ in others} | {h for h, _ in prizes}
    if not candidates:
        return
    ident = subjects.ident
    entries = [(ident(p.id_hash), cycle, labels.get(p.trade_code, p.trade_code))
               for p in people if p.id_hash in candidates]
    entries += [(ident(h), cycle, labels.get(code, code)) for h, code, _ in others]
    history = [(ident(h), labels.get(code, code)) for h, code in prizes]
    findings = rules.check_entries(entries, history)
    if not findings:
        return
    won = {}
    for h, code in prizes:
        won.setdefault(h, set()).add(code)
    elsewhere = {}
    for h, code, app in others:
        elsewhere.setdefault(h, []).append((app, code))
    flagged = {}
    for finding in findings:
        person = subjects.hash_for(finding.subject)
        if person is not None:
            flagged.setdefault(person, []).append(finding)
    rows_of: dict[str, list[int]] = {}
    for p in people:
        if p.id_hash in flagged:
            rows_of.setdefault(p.id_hash, []).append(p.row)
    for p in people:
        for finding in flagged.get(p.id_hash, ()):
            if finding.code == "first_prize_winner_reentered" and p.trade_code not in won.get(p.id_hash, ()):
                continue
            message = Subjects.reword(finding.message, finding.subject, rules.mask_id_number(p.id_number))
            if finding.code == "multiple_trades_in_cycle":
                where = [
                    f"已在“{other_projects.get(app, '其他项目')}”报名{labels.get(code, code)}"
                    for app, code in elsewhere.get(p.id_hash, ())
                ]
                if len(rows_of[p.id_hash]) > 1:
                    where.append("见本表第 " + "、".join(map(str, rows_of[p.id_hash])) + " 行")
                message = f"{message}（{'；'.join(where)}）"
            problems.add(p.row, "trade", message)
