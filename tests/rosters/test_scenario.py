"""SCENARIO.md, project A: the 770-person roster with three planted problems, then the winners
3 + 6 + 9 per trade with one first prize of 6,000 on the traditional trade."""

import pytest

from demo import rosters as demo
from rosters import services
from rosters.models import Participant, RosterVersion
from tests.rosters.stages import run_pending, upload_file, upload_roster, upload_winners

pytestmark = pytest.mark.django_db
Status = RosterVersion.Status


def test_scenario_a_roster_and_winners(project, organizer, client):
    demo.seed_first_prize_register()
    planted = demo.planted_roster_rows(project)
    first = upload_roster(project, organizer, planted)
    assert first.status == Status.FAILED
    texts = [e["text"] for e in first.errors]
    # The wrong check digit, the 2024 winner re-entering, and both rows of the person in two trades.
    assert [e["row"] for e in first.errors] == [13, 42, 102, 771]
    assert texts[0] == "第 13 行“身份证号”：身份证号校验位错误，请核对号码（一（七））"
    assert texts[1].startswith("第 42 行“职业（工种）代码”：二（四）选手 110105") and "已获得过“人工智能训练师" in texts[1]
    assert all("同一竞赛周期（2026）报名了 2 个职业（工种）" in t for t in texts[2:])
    assert not Participant.objects.filter(application=project).exists()

    clean = demo.roster_rows(project, 770)
    accepted = upload_roster(project, organizer, clean)
    assert accepted.status == Status.ACCEPTED and accepted.row_count == 770
    client.force_login(organizer)
    page = client.get(f"/rosters/project/{project.pk}/").content.decode()
    assert 'data-testid="roster-count">770<' in page

    refused = upload_winners(project, organizer, demo.scenario_winner_rows(clean))
    assert refused.status == Status.FAILED
    # The 6,000 first prize is over the 2.4c cap, and takes the trade's prize money 1,000 over the plan
    # (三（二）); both on the same row, so one reason explains both.
    assert [e["waivable"] for e in refused.errors] == [True, True]
    assert "多工序" not in refused.errors[0]["message"] and "6,000.00 元，超过 5,000.00 元" in refused.errors[0]["message"]
    assert "超出 1,000.00 元" in refused.errors[1]["message"]
    [row] = {w["row"] for w in refused.pending_waivers}
    waived = run_pending(
        services.resubmit_with_waivers(
            version=refused, actor=organizer, reasons={str(row): "决赛成绩特别突出，经单位研究提高奖励"}
        )
    )
    assert waived.status == Status.ACCEPTED and waived.row_count == 54

    fixed_rows = demo.winner_rows(clean)
    corrected = run_pending(
        services.start_import(
            application=project,
            actor=organizer,
            uploaded_file=upload_file(demo.workbook_bytes(fixed_rows, _winner_columns())),
            kind="winners",
        )
    )
    assert corrected.status == Status.ACCEPTED


def _winner_columns():
    from rosters.importing.columns import WINNER_COLUMNS

    return WINNER_COLUMNS


def test_demo_play_leaves_the_scenario_on_the_record(project, organizer):
    demo.play_rosters(project, organizer)
    versions = [(v.kind, v.number, v.status) for v in RosterVersion.objects.filter(application=project).order_by("pk")]
    assert versions == [("roster", 1, "failed"), ("roster", 2, "accepted"), ("winners", 1, "failed")]
    demo.play_rosters(project, organizer)  # again: nothing new
    assert RosterVersion.objects.filter(application=project).count() == 3
