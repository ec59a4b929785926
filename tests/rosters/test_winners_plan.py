"""Winners against the approved plan (三（二）): more winners of a rank, or more prize money, is a waiver."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rosters import services
from rosters.models import RosterVersion
from tests.rosters.stages import make_roster_rows, make_winner_rows, run_pending, upload_roster, upload_winners

pytestmark = pytest.mark.django_db
Status = RosterVersion.Status
TRADITIONAL = "6-18-01-07"
KEY = "first_winners_over_plan:多工序数控机床操作调整工"


@pytest.fixture
def roster_rows(project, organizer):
    rows = make_roster_rows(project, 90)
    assert upload_roster(project, organizer, rows).status == Status.ACCEPTED
    return rows


def _four_first_prizes_in_one_trade(roster_rows):
    """The plan has 3 first prizes per trade; the traditional trade names a fourth (a second prize
    promoted, paid as a second prize, so the prize money stays within the plan)."""
    winners = make_winner_rows(roster_rows)
    promoted = next(i for i, w in enumerate(winners) if w["trade"] == TRADITIONAL and w["rank"] == "二等奖")
    winners[promoted].update(rank="一等奖", amount=Decimal("3000.00"))
    return winners, promoted + 2


def test_exactly_the_planned_winners_import_without_a_finding(project, organizer, roster_rows):
    version = upload_winners(project, organizer, make_winner_rows(roster_rows))
    assert version.status == Status.ACCEPTED and version.plan_waivers == []


def test_one_winner_more_than_planned_needs_a_reason(project, organizer, roster_rows):
    winners, row = _four_first_prizes_in_one_trade(roster_rows)
    version = upload_winners(project, organizer, winners)
    assert version.status == Status.FAILED
    assert [(w["row"], w["key"]) for w in version.pending_waivers] == [(row, KEY)]
    [error] = version.errors
    assert error["waivable"] is True and error["column"] == "奖项"
    assert "三（二）多工序数控机床操作调整工一等奖获奖 4 人，超过竞赛方案设定的 3 人（多 1 人）" in error["message"]


def test_prize_money_one_fen_over_the_plan_is_a_finding(project, organizer, roster_rows):
    winners = make_winner_rows(roster_rows)
    # Plan: 3 × 5,000 + 6 × 3,000 + 9 × 2,000 = 51,000.00 per trade; one third prize at 2,000.01.
    third = next(i for i, w in enumerate(winners) if w["trade"] == TRADITIONAL and w["rank"] == "三等奖")
    winners[third].update(amount=Decimal("2000.01"), waiver="")
    version = upload_winners(project, organizer, winners)
    keys = [w["key"] for w in version.pending_waivers]
    assert "prize_money_over_plan:多工序数控机床操作调整工" in keys
    money = next(e for e in version.errors if "奖金合计" in e["message"])
    assert money["row"] == third + 2  # on the prize above the plan's amount, beside its 2.4c finding
    assert "51,000.01 元，超过竞赛方案设定的 51,000.00 元（超出 0.01 元）" in money["message"]


def test_with_the_organizers_reason_the_list_imports_and_awaits_the_department(project, organizer, roster_rows):
    winners, row = _four_first_prizes_in_one_trade(roster_rows)
    failed = upload_winners(project, organizer, winners)
    again = run_pending(
        services.resubmit_with_waivers(version=failed, actor=organizer, reasons={str(row): "并列第三名，加设一等奖"})
    )
    assert again.status == Status.ACCEPTED
    [waiver] = again.plan_waivers
    assert (waiver["key"], waiver["justification"], waiver["accepted"]) == (KEY, "并列第三名，加设一等奖", None)


def test_the_department_decides_the_plan_waiver(project, organizer, reviewer, roster_rows):
    winners, row = _four_first_prizes_in_one_trade(roster_rows)
    winners[row - 2]["waiver"] = "并列第三名，加设一等奖"
    assert upload_winners(project, organizer, winners).status == Status.ACCEPTED
    with pytest.raises(ValidationError, match="须写明理由"):
        services.decide_plan_waiver(application=project, actor=reviewer, key=KEY, accepted=False)
    with pytest.raises(PermissionDenied):
        services.decide_plan_waiver(application=project, actor=organizer, key=KEY, accepted=True)
    services.decide_plan_waiver(application=project, actor=reviewer, key=KEY, accepted=True, reason="成绩并列，同意。")
    [waiver] = RosterVersion.objects.get(application=project, kind="winners", is_current=True).plan_waivers
    assert (waiver["accepted"], waiver["reason"], waiver["decided_by"]) == (True, "成绩并列，同意。", str(reviewer))


def test_a_promotion_paid_at_the_higher_rank_is_both_findings(project, organizer, roster_rows):
    winners, row = _four_first_prizes_in_one_trade(roster_rows)
    winners[row - 2]["amount"] = Decimal("5000.00")
    version = upload_winners(project, organizer, winners)
    assert sorted(w["key"] for w in version.pending_waivers) == [KEY, "prize_money_over_plan:多工序数控机床操作调整工"]


# --- pages ----------------------------------------------------------------------------------------


@pytest.fixture
def explained(project, organizer, roster_rows):
    winners, row = _four_first_prizes_in_one_trade(roster_rows)
    winners[row - 2]["waiver"] = "并列第三名，加设一等奖"
    assert upload_winners(project, organizer, winners).status == Status.ACCEPTED
    return project


def _page(client, user, name, project):
    from django.urls import reverse

    client.force_login(user)
    response = client.get(reverse(name, args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_winners_page_shows_the_finding_and_the_reviewer_decides_there(explained, reviewer, client):
    from django.urls import reverse

    page = _page(client, reviewer, "rosters:winners", explained)
    assert 'data-testid="plan-waiver"' in page and "一等奖获奖 4 人，超过竞赛方案设定的 3 人" in page
    assert "并列第三名，加设一等奖" in page and "待职工发展部审核" in page
    assert reverse("rosters:plan_waiver", args=[explained.pk]) in page
    client.post(reverse("rosters:plan_waiver", args=[explained.pk]),
                {"key": KEY, "accepted": "1", "reason": "成绩并列，同意。"})
    page = client.get(reverse("rosters:winners", args=[explained.pk])).content.decode()
    assert "职工发展部同意豁免" in page and "成绩并列，同意。" in page


def test_the_organizer_sees_the_finding_but_no_decision_form(explained, organizer, client):
    from django.urls import reverse

    page = _page(client, organizer, "rosters:winners", explained)
    assert "待职工发展部审核" in page
    assert reverse("rosters:plan_waiver", args=[explained.pk]) not in page


def test_the_materials_and_audit_pages_show_the_finding(explained, organizer, reviewer, client):
    assert "超过竞赛方案设定的 3 人" in _page(client, organizer, "performance:materials", explained)
    assert "超过竞赛方案设定的 3 人" in _page(client, reviewer, "performance:audit", explained)


def test_the_auditors_pdf_summary_lists_the_finding_and_decision(explained, reviewer):
    from performance.exports import render_pdf
    from performance.summary import project_summary

    services.decide_plan_waiver(application=explained, actor=reviewer, key=KEY, accepted=False, reason="奖项设置须按方案执行。")
    data = project_summary(explained)
    [row] = data["people"]["plan_waivers"]
    assert row["decision"] == "不同意豁免" and row["reason"] == "奖项设置须按方案执行。"
    pdf = render_pdf("performance/pdf/summary.html", data)
    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = text.replace("\n", "").replace(" ", "")  # table cells wrap
    assert "超过竞赛方案设定的3人" in text and "不同意豁免" in text


def test_a_decision_taken_on_the_audit_page_returns_there(explained, reviewer, client):
    from django.urls import reverse

    client.force_login(reviewer)
    response = client.post(reverse("rosters:plan_waiver", args=[explained.pk]),
                           {"key": KEY, "accepted": "0", "reason": "奖项须按方案设置。", "back": "audit"})
    assert response.url == reverse("performance:audit", args=[explained.pk])
