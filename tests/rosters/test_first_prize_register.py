"""The first-prize register: staff import past winners (all or nothing); it is matched, never shown in full."""

import pytest

from rosters.models import FirstPrizeRecord
from tests.rosters.stages import first_prize_workbook, make_id, upload_file, wrong_check_digit

pytestmark = pytest.mark.django_db

PAST = [
    {"name": "欧阳晓峰", "id_number": make_id(7_000_001), "trade": "4-04-05-05", "year": 2024},
    {"name": "司马静", "id_number": make_id(7_000_002), "trade": "6-18-01-07", "trade_name": "多工序数控机床操作调整工",
     "year": "2023年"},
]


def post(client, rows):
    return client.post("/rosters/first-prizes/", {"file": upload_file(first_prize_workbook(rows))})


def test_staff_import_past_first_prize_winners(client, reviewer):
    client.force_login(reviewer)
    response = post(client, PAST)
    assert response.status_code == 302
    records = {r.name: r for r in FirstPrizeRecord.objects.all()}
    assert records["欧阳晓峰"].trade_name == "人工智能训练师" and records["欧阳晓峰"].cycle == 2024
    assert records["司马静"].cycle == 2023
    assert records["欧阳晓峰"].source == FirstPrizeRecord.Source.IMPORT


def test_importing_the_same_winners_twice_adds_nothing(client, reviewer):
    client.force_login(reviewer)
    post(client, PAST)
    post(client, PAST)
    assert FirstPrizeRecord.objects.count() == 2


def test_any_bad_row_imports_nothing_and_is_listed(client, reviewer):
    client.force_login(reviewer)
    rows = [dict(PAST[0], id_number=wrong_check_digit(PAST[0]["id_number"])), dict(PAST[1], year="去年")]
    response = post(client, rows)
    assert response.status_code == 400
    page = response.content.decode()
    assert "身份证号校验位错误" in page and "获奖年度应为" in page
    assert not FirstPrizeRecord.objects.exists()


def test_register_page_shows_masked_numbers(client, reviewer):
    client.force_login(reviewer)
    post(client, PAST)
    page = client.get("/rosters/first-prizes/").content.decode()
    assert page.count('data-testid="first-prize"') == 2
    assert PAST[0]["id_number"] not in page
    assert PAST[0]["id_number"][:6] + "********" + PAST[0]["id_number"][-4:] in page


def test_search_the_register_by_full_number(client, reviewer):
    client.force_login(reviewer)
    post(client, PAST)
    response = client.post("/rosters/first-prizes/", {"search": "1", "q": PAST[1]["id_number"]}, follow=True)
    assert PAST[1]["id_number"] not in response.redirect_chain[-1][0]
    page = response.content.decode()
    assert page.count('data-testid="first-prize"') == 1 and "司马静" in page


def test_organizers_cannot_see_the_register(client, organizer):
    client.force_login(organizer)
    assert client.get("/rosters/first-prizes/").status_code == 403


def test_auditor_may_read_but_not_import(client, auditor):
    client.force_login(auditor)
    assert client.get("/rosters/first-prizes/").status_code == 200
    assert post(client, PAST).status_code == 403
