"""Winners: on the roster of their trade (1.7, hard), prize money per person (2.4c, waivable)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rosters import services
from rosters.models import FirstPrizeRecord, RosterVersion, Winner
from tests.rosters.stages import make_id, make_roster_rows, make_winner_rows, upload_roster, upload_winners

pytestmark = pytest.mark.django_db
Status = RosterVersion.Status
TRADITIONAL = "6-18-01-07"


@pytest.fixture
def roster_rows(project, organizer):
    rows = make_roster_rows(project, 90)
    assert upload_roster(project, organizer, rows).status == Status.ACCEPTED
    return rows


def test_winners_on_the_roster_are_imported(project, organizer, roster_rows):
    version = upload_winners(project, organizer, make_winner_rows(roster_rows))
    assert version.status == Status.ACCEPTED
    assert version.row_count == 54
    assert Winner.objects.filter(application=project, is_current=True, rank=1).count() == 9


def test_a_winner_not_on_the_roster_is_refused(project, organizer, roster_rows):
    winners = make_winner_rows(roster_rows)
    winners[0].update(id_number=make_id(999_999), name="路人甲")
    version = upload_winners(project, organizer, winners)
    assert version.status == Status.FAILED
    assert version.errors[0]["row"] == 2 and version.errors[0]["column"] == "身份证号"
    message = version.errors[0]["message"]
    assert message.startswith("一（七）获奖选手 110108") and "不在参赛人员名单中" in message
    assert not Winner.objects.filter(application=project).exists()


def test_a_winner_in_another_trade_than_on_the_roster_is_refused(project, organizer, roster_rows):
    winners = make_winner_rows(roster_rows)
    other = next(code for code in {r["trade"] for r in roster_rows} if code != winners[0]["trade"])
    winners[0]["trade"] = other
    version = upload_winners(project, organizer, winners)
    assert version.status == Status.FAILED
    assert "参赛名单中该选手参加的是" in version.errors[0]["message"]


def test_prize_over_the_cap_needs_a_reason(project, organizer, roster_rows):
    winners = make_winner_rows(roster_rows)
    first = next(i for i, w in enumerate(winners) if w["trade"] == TRADITIONAL and w["rank"] == "一等奖")
    winners[first]["amount"] = Decimal("6000.00")
    # A third prize 1,000 lower keeps the trade's prize money within the plan (三（二）, test_winners_plan.py).
    third = next(i for i, w in enumerate(winners) if w["trade"] == TRADITIONAL and w["rank"] == "三等奖")
    winners[third]["amount"] = Decimal("1000.00")
    version = upload_winners(project, organizer, winners)
    assert version.status == Status.FAILED
    assert [(w["row"], w["key"]) for w in version.pending_waivers] == [(first + 2, "first_prize_over_cap:")]
    assert "一等奖每人奖励 6,000.00 元，超过 5,000.00 元" in version.errors[0]["message"]
    assert version.errors[0]["waivable"] is True
    assert not Winner.objects.filter(application=project).exists()

    with pytest.raises(ValidationError):
        services.resubmit_with_waivers(version=version, actor=organizer, reasons={})
    again = services.resubmit_with_waivers(
        version=version, actor=organizer, reasons={str(first + 2): "决赛成绩突出，单位另行配套奖励"}
    )
    from tests.rosters.stages import run_pending

    again = run_pending(again)
    assert again.status == Status.ACCEPTED and again.number == version.number + 1
    waived = Winner.objects.get(application=project, is_current=True, amount=Decimal("6000.00"))
    assert waived.waiver_reason == "决赛成绩突出，单位另行配套奖励"


def test_a_reason_in_the_waiver_column_is_enough(project, organizer, roster_rows):
    winners = make_winner_rows(roster_rows)
    winners[0].update(amount=Decimal("8000.00"), waiver="创新类工种，奖金适当提高")
    assert upload_winners(project, organizer, winners).status == Status.ACCEPTED


def test_a_negative_prize_is_hard(project, organizer, roster_rows):
    winners = make_winner_rows(roster_rows)
    winners[0].update(amount=Decimal("-1.00"), waiver="理由")
    version = upload_winners(project, organizer, winners)
    assert version.status == Status.FAILED and version.pending_waivers == []
    assert "不能为负数" in version.errors[0]["message"]


def test_the_winner_name_must_match_the_roster(project, organizer, roster_rows):
    winners = make_winner_rows(roster_rows)
    winners[1]["name"] = "别人"
    version = upload_winners(project, organizer, winners)
    assert (version.errors[0]["row"], version.errors[0]["column"]) == (3, "姓名")


def test_participation_note_and_tier_are_required(project, organizer, roster_rows):
    winners = make_winner_rows(roster_rows)
    winners[0]["note"] = ""
    winners[1]["rank"] = "特等奖"
    version = upload_winners(project, organizer, winners)
    assert [(e["row"], e["column"]) for e in version.errors] == [(2, "参赛经历说明"), (3, "奖项")]


def test_winners_need_a_roster_first(project, organizer):
    version = upload_winners(project, organizer, make_winner_rows(make_roster_rows(project, 30)))
    assert version.status == Status.FAILED
    assert "尚未导入参赛选手名单" in version.errors[0]["message"]


def test_a_new_roster_without_a_current_winner_is_refused(project, organizer, roster_rows):
    winners = make_winner_rows(roster_rows)
    upload_winners(project, organizer, winners)
    kept = [r for r in roster_rows if r["id_number"] != winners[0]["id_number"]]
    version = upload_roster(project, organizer, kept)
    assert version.status == Status.FAILED
    assert "不在参赛人员名单中" in version.errors[0]["message"]


def test_a_new_roster_keeps_winners_pointing_at_its_rows(project, organizer, roster_rows):
    upload_winners(project, organizer, make_winner_rows(roster_rows))
    new = upload_roster(project, organizer, roster_rows + make_roster_rows(project, 3, start=500))
    assert new.status == Status.ACCEPTED
    current = Winner.objects.filter(application=project, is_current=True)
    assert set(current.values_list("participant__version", flat=True)) == {new.pk}


def test_first_prizes_enter_the_register_once(project, organizer, roster_rows):
    upload_winners(project, organizer, make_winner_rows(roster_rows))
    assert services.register_first_prizes(application=project) == 9
    assert services.register_first_prizes(application=project) == 0
    record = FirstPrizeRecord.objects.filter(application=project).first()
    assert record.source == FirstPrizeRecord.Source.AUDIT and record.cycle == 2026
    assert record.id_masked.startswith("110108********")
