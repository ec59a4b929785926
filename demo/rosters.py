"""Scenario rosters (SCENARIO.md, project A): generated people with valid ID numbers, the planted
problems of the demo's first upload, the winners 3 + 6 + 9 per trade, and the 2024 first-prize
winner of 人工智能训练师 in the register. Used by seed_demo, the tests and the benchmark alike.
"""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook

from haidian_contest import crypto
from haidian_contest.rules.people import id_check_char

from rosters.identity import id_hash
from rosters.importing.columns import ROSTER_COLUMNS
from rosters.importing.trades import trade_key
from rosters.models import FirstPrizeRecord
from rosters.workbooks import escape

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "晨", "浩然"]
EMPLOYERS = ["北京中关村智造科技有限公司", "北京海淀精密机械有限公司", "北京示例人工智能研究院", "北京智能装备有限公司"]
AI_TRADE, TRADITIONAL_TRADE = "4-04-05-05", "6-18-01-07"
# The 2024 first-prize winner of 人工智能训练师 who tries to enter it again in 2026 (2.4b).
PAST_WINNER = {"name": "欧阳晓峰", "id_number": "", "trade": AI_TRADE, "year": 2024}
STANDARD_PRIZES = {1: Decimal("5000.00"), 2: Decimal("3000.00"), 3: Decimal("2000.00")}


def make_id(n: int, region: str = "110108") -> str:
    """A valid 18-digit resident ID number, distinct for every n below 12,000,000."""
    born = date(1970, 1, 1) + timedelta(days=(n // 1000) % 12000)
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_char(first17)


PAST_WINNER["id_number"] = make_id(7_777_001, "110105")


def make_permit_id(n: int, region: str = "810000") -> str:
    """A valid 港澳台居民居住证 number: 810000 Hong Kong, 820000 Macao, 830000 Taiwan."""
    return make_id(n, region)


def make_foreign_pr_id(n: int, province: str = "11", nationality: str = "840") -> str:
    """A valid 2023 外国人永久居留身份证 number: 9, the province of issue, an ISO 3166-1 numeric nationality."""
    return make_id(n, f"9{province}{nationality}")


def with_other_documents(rows: list[dict]) -> list[dict]:
    """Workers of the district who hold no mainland card (一（九））: a Hong Kong resident with a
    居住证 and a permanent resident from abroad with the 2023 card, their type left to the number."""
    rows[5] = {**rows[5], "name": "陈家明", "id_number": make_permit_id(8_800_005, "810000")}
    rows[9] = {**rows[9], "name": "Anna Müller", "id_number": make_foreign_pr_id(8_800_009, "11", "276")}
    return rows


def wrong_check_digit(id_number: str) -> str:
    right = id_number[17]
    return id_number[:17] + ("1" if right != "1" else "2")


def person_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]


def _shares(trades, n: int) -> list:
    """n people spread over the trades in proportion to their planned participants."""
    planned = [max(t.planned_participants, 1) for t in trades]
    total = sum(planned)
    counts = [n * p // total for p in planned]
    counts[0] += n - sum(counts)
    return [t for t, c in zip(trades, counts) for _ in range(c)]


def roster_rows(application, n: int, *, start: int = 0) -> list[dict]:
    trades = list(application.trades.select_related("occupation").order_by("position", "id"))
    return [
        {
            "name": person_name(start + i),
            "id_number": make_id(start + i),
            "phone": f"138{(start + i) % 100000000:08d}",
            "employer": EMPLOYERS[i % len(EMPLOYERS)],
            "trade": trade_key(trade),
            "is_member": "否" if i % 7 == 0 else "是",
        }
        for i, trade in enumerate(_shares(trades, n))
    ]


def planted_roster_rows(application, n: int = 770) -> list[dict]:
    """The demo's first upload: n rows with the three problems of SCENARIO.md planted in them."""
    rows = roster_rows(application, n)
    rows[11]["id_number"] = wrong_check_digit(rows[11]["id_number"])  # Excel row 13
    # The same person also entered for the traditional trade (2.4a).
    twin = rows[100]  # Excel row 102, in 人工智能训练师; entered again on the last row
    rows[-1] = {**twin, "trade": TRADITIONAL_TRADE}
    # The 2024 first-prize winner of 人工智能训练师 entering it again (2.4b).
    rows[40] = {**rows[40], "name": PAST_WINNER["name"], "id_number": PAST_WINNER["id_number"], "trade": AI_TRADE}
    return rows


def winner_rows(rows: list[dict], per_trade=(3, 6, 9), amounts=None) -> list[dict]:
    """The first people of each trade win: per_trade gives how many first, second, third prizes."""
    amounts = amounts or STANDARD_PRIZES
    by_trade: dict[str, list[dict]] = {}
    for row in rows:
        by_trade.setdefault(row["trade"], []).append(row)
    winners = []
    for trade, people in by_trade.items():
        ranks = [rank for rank, count in zip((1, 2, 3), per_trade) for _ in range(count)]
        for person, rank in zip(people, ranks):
            winners.append({
                "name": person["name"], "id_number": person["id_number"], "trade": trade,
                "rank": ("一等奖", "二等奖", "三等奖")[rank - 1], "amount": amounts[rank],
                "note": "参加 2026 年 7 月初赛、9 月决赛，决赛成绩列本工种前列。",
            })
    return winners


def scenario_winner_rows(rows: list[dict]) -> list[dict]:
    """3 + 6 + 9 per trade, one first prize of the traditional trade typed as 6,000 (2.4c)."""
    winners = winner_rows(rows)
    first = next(w for w in winners if w["trade"] == TRADITIONAL_TRADE and w["rank"] == "一等奖")
    first["amount"] = Decimal("6000.00")
    return winners


def workbook_bytes(rows: list[dict], columns=ROSTER_COLUMNS, *, title: str = "名单") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append([c.header for c in columns])
    for row in rows:
        values = [row.get(c.key, "") for c in columns]
        ws.append([v if isinstance(v, Decimal) else escape(v) for v in values])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def seed_first_prize_register() -> FirstPrizeRecord:
    """The register's 2024 record that the demo roster collides with (idempotent)."""
    record, _ = FirstPrizeRecord.objects.get_or_create(
        id_hash=id_hash(PAST_WINNER["id_number"]), trade_code=PAST_WINNER["trade"], cycle=PAST_WINNER["year"],
        defaults={"id_masked": PAST_WINNER["id_number"][:6] + "********" + PAST_WINNER["id_number"][-4:],
                  "name": PAST_WINNER["name"], "trade_name": "人工智能训练师",
                  "id_number_encrypted": crypto.encrypt(PAST_WINNER["id_number"]),
                  "source": FirstPrizeRecord.Source.IMPORT},
    )
    return record


def _upload(application, organizer, rows, columns, name: str):
    """Through the service, then processed at once: seed_demo runs in one transaction, whose
    on_commit task would only fire at its very end (it then finds the version done and stops)."""
    from django.core.files.base import ContentFile

    from rosters import pipeline, services

    version = services.start_import(
        application=application,
        actor=organizer,
        uploaded_file=ContentFile(workbook_bytes(rows, columns), name=name),
        kind="roster" if columns is ROSTER_COLUMNS else "winners",
    )
    return pipeline.process(version.pk)


def play_rosters(application, organizer, *, waive: bool = False):
    """SCENARIO.md for project A once it is running: the first roster upload with its three planted
    problems is refused (v1, with the annotated workbook to download), the corrected 770-person
    roster is accepted (v2), and the winners list with a 6,000 first prize on the traditional trade
    is refused until justified; ``waive=True`` also gives the reason, so the winners are accepted."""
    from rosters import pipeline, services
    from rosters.importing.columns import WINNER_COLUMNS
    from rosters.models import RosterVersion

    seed_first_prize_register()
    if RosterVersion.objects.filter(application=application).exists():
        return
    _upload(application, organizer, planted_roster_rows(application), ROSTER_COLUMNS, "参赛选手名单（初稿）.xlsx")
    rows = with_other_documents(roster_rows(application, 770))
    _upload(application, organizer, rows, ROSTER_COLUMNS, "参赛选手名单.xlsx")
    refused = _upload(application, organizer, scenario_winner_rows(rows), WINNER_COLUMNS, "获奖名单.xlsx")
    if waive and refused.pending_waivers:
        reasons = {str(item["row"]): "该选手决赛成绩特别突出，经单位研究提高奖励，超出部分由单位自筹。"
                   for item in refused.pending_waivers}
        pipeline.process(services.resubmit_with_waivers(version=refused, actor=organizer, reasons=reasons).pk)
