"""Past first-prize winners typed in by staff (the register 2.4b reads), checked row by row."""

from typing import NamedTuple

from django.utils import timezone

from haidian_contest.rules.people import normalize_id

from ..identity import hasher
from .columns import FIRST_PRIZE_COLUMNS
from .problems import Problems, id_problem
from .reading import cell, text
from .trades import labels_for

EARLIEST_YEAR = 2000


class PastWinner(NamedTuple):
    row: int
    name: str
    id_number: str
    id_hash: str
    trade_code: str
    trade_name: str
    year: int


def read_first_prizes(sheet) -> tuple[list[PastWinner], Problems]:
    problems = Problems(FIRST_PRIZE_COLUMNS)
    col = sheet.columns
    digest = hasher()
    this_year = timezone.localdate().year
    rows, seen = [], {}
    for row, cells in sheet.rows:
        problems.rows += 1
        before = problems.hard_count
        name = text(cell(cells, col.get("name")))
        raw_id = cell(cells, col.get("id_number"))
        id_number = normalize_id(text(raw_id))
        code = text(cell(cells, col.get("trade")))
        trade_name = text(cell(cells, col.get("trade_name")))
        year_text = text(cell(cells, col.get("year"))).removesuffix("年")
        if not name:
            problems.add(row, "name", "未填写姓名")
        why = "未填写身份证号" if not id_number else id_problem(raw_id, id_number)
        if why:
            problems.add(row, "id_number", why)
        if not code:
            problems.add(row, "trade", "未填写职业（工种）代码")
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not EARLIEST_YEAR <= year <= this_year:
            problems.add(row, "year", f"获奖年度应为 {EARLIEST_YEAR}—{this_year} 之间的四位年份")
        if problems.hard_count != before:
            continue
        id_hash = digest(id_number)
        if (id_hash, code, year) in seen:
            problems.add(row, "id_number", f"与第 {seen[(id_hash, code, year)]} 行重复")
            continue
        seen[(id_hash, code, year)] = row
        rows.append(PastWinner(row, name, id_number, id_hash, code, trade_name, year))
    labels = labels_for({r.trade_code for r in rows})

    def catalogue_name(code: str) -> str:
        label = labels.get(code, code)
        return "" if label == code else label.split("（")[0]

    return [r._replace(trade_name=r.trade_name or catalogue_name(r.trade_code)) for r in rows], problems
