"""The self-evaluation page, its entries, the certificate list and the files (PDF, xlsx)."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from performance import actuals
from performance import self_evaluation as se
from performance.models import CertificateRecord
from performance.summary import project_summary
from rosters.models import Participant, Winner

from .survey_stages import answer_as

pytestmark = pytest.mark.django_db


def _page(application):
    return reverse("performance:self_evaluation", args=[application.pk])


def _line(application, key):
    return next(line for line in se.self_evaluation(application).lines if line.target.key == key)


def test_actuals_come_from_the_roster_winners_and_documents(with_people):
    assert _line(with_people, "participants").actual == Decimal(60)
    assert _line(with_people, "trades_held").actual == Decimal(3)
    assert _line(with_people, "certified_winners").actual == Decimal(0)
    assert _line(with_people, "held_on_schedule").actual == Decimal(1)
    assert _line(with_people, "participants").source == se.SYSTEM


def test_satisfaction_is_left_to_the_organizer_while_the_survey_has_no_answers(in_progress):
    assert actuals.actual_satisfaction(in_progress) is None
    assert _line(in_progress, "satisfaction").source == se.FILLED


def test_satisfaction_comes_from_the_participants_survey_once_answered(survey, with_people):
    # 4 answers x 5 questions: 5 + 5 + 0 + 2 = 12 of the 20 ratings are 4 or 5 -> 60.00 %, short of 90 %.
    answer_as(survey, with_people.roster_rows[0], ratings=(5, 5, 5, 5, 5))
    answer_as(survey, with_people.roster_rows[1], ratings=(4, 4, 4, 4, 4))
    answer_as(survey, with_people.roster_rows[2], ratings=(3, 3, 3, 3, 3))
    answer_as(survey, with_people.roster_rows[3], ratings=(5, 4, 3, 3, 3), suggestion="场地再大些")
    line = _line(with_people, "satisfaction")
    assert (line.actual, line.source) == (Decimal("60.00"), se.SYSTEM)
    assert line.score < line.target.points


def test_unknown_actuals_score_nothing_until_filled(in_progress):
    line = _line(in_progress, "participants")
    assert (line.actual, line.score, line.actual_text) == (None, Decimal("0.00"), "未填报")


def test_the_organizer_fills_a_value_with_its_evidence_through_the_page(client, in_progress, organizer):
    target = in_progress.performance_targets.get(key="satisfaction")
    client.force_login(organizer)
    response = client.post(_page(in_progress), {
        "action": "save_entries", f"actual-{target.pk}": "９２．５", f"evidence-{target.pk}": "问卷 200 份",
        f"reason-{target.pk}": "", f"step-{target.pk}": ""})
    assert response.status_code == 302
    line = _line(in_progress, "satisfaction")
    assert (line.actual, line.score, line.source_note) == (Decimal("92.5"), Decimal("10.00"), "问卷 200 份")


def test_a_filled_value_without_evidence_is_refused(in_progress, organizer):
    target = in_progress.performance_targets.get(key="satisfaction")
    with pytest.raises(ValidationError, match="请同时说明佐证材料"):
        se.save_entries(in_progress, actor=organizer, rows={target.pk: {"actual": "95"}})


def test_a_value_the_system_knows_is_not_taken_from_the_form(with_people, organizer):
    target = with_people.performance_targets.get(key="participants")
    se.save_entries(with_people, actor=organizer, rows={target.pk: {"actual": "9999", "evidence": "自报"}})
    assert _line(with_people, "participants").actual == Decimal(60)


def test_a_deviation_without_a_reason_is_shown_and_its_reason_kept(client, with_people, organizer):
    target = with_people.performance_targets.get(key="participants")
    client.force_login(organizer)
    html = client.get(_page(with_people)).content.decode()
    assert 'data-testid="line-participants"' in html and "未达到：请说明原因" in html
    se.save_entries(with_people, actor=organizer, rows={target.pk: {
        "deviation_reason": "报名期与企业生产旺季重叠", "corrective_step": "提前两个月启动报名"}})
    assert not _line(with_people, "participants").needs_reason


def test_a_certificate_is_recorded_for_a_winner_picked_from_the_roster(client, with_people, organizer):
    winner = Winner.objects.filter(application=with_people, is_current=True).first()
    client.force_login(organizer)
    client.post(_page(with_people), {"action": "add_certificate", "participant": str(winner.participant_id),
                                     "certificate_number": "S110108202600001", "level": "3"})
    record = CertificateRecord.objects.get(application=with_people)
    assert (record.participant_id, record.certificate_number) == (winner.participant_id, "S110108202600001")
    assert _line(with_people, "certified_winners").actual == Decimal(1)


def test_a_certificate_for_someone_who_won_nothing_is_refused(with_people, organizer):
    winners = Winner.objects.filter(application=with_people).values("participant_id")
    loser = Participant.objects.filter(application=with_people, is_current=True).exclude(pk__in=winners).first()
    with pytest.raises(ValidationError, match="不在获奖名单中"):
        se.add_certificate(with_people, actor=organizer, participant_id=loser.pk, certificate_number="S1", level="3")


def test_a_certificate_number_is_recorded_once(with_people, organizer):
    first, second = Winner.objects.filter(application=with_people, is_current=True)[:2]
    se.add_certificate(with_people, actor=organizer, participant_id=first.participant_id,
                       certificate_number="S1", level="3")
    with pytest.raises(ValidationError, match="证书编号“S1”已登记"):
        se.add_certificate(with_people, actor=organizer, participant_id=second.participant_id,
                           certificate_number="S1", level="3")


def test_another_unit_cannot_open_the_self_evaluation(client, in_progress, other_organizer):
    client.force_login(other_organizer)
    assert client.get(_page(in_progress)).status_code == 404


def test_the_reviewer_cannot_fill_and_the_organizer_cannot_adjust(in_progress, organizer, reviewer):
    target = in_progress.performance_targets.get(key="satisfaction")
    with pytest.raises(PermissionDenied):
        se.save_entries(in_progress, actor=reviewer, rows={target.pk: {"actual": "95", "evidence": "x"}})
    with pytest.raises(PermissionDenied):
        se.adjust_score(in_progress, actor=organizer, target_id=target.pk, score="5", reason="x")


def test_the_outcome_waits_for_the_audit_pass(in_progress, reviewer):
    with pytest.raises(ValidationError, match="绩效审核通过后"):
        se.record_expected_results(in_progress, actor=reviewer, outcome="waived", reason="理由")


def test_the_standalone_pdf_shows_target_actual_score_and_the_rule(client, with_people, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("performance:self_evaluation_file", args=[with_people.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "项目支出绩效自评表" in text and "实名参赛人数" in text and "总分" in text
    assert "实际完成值÷指标值×分值" in text.replace("\n", "")


def test_the_xlsx_follows_the_unions_layout(client, with_people, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("performance:self_evaluation_file", args=[with_people.pk, "xlsx"]))
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "项目支出绩效自评表"
    header = rows.index(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "数据来源", "分值", "得分",
                         "偏差原因分析", "改进措施"])
    participants = next(r for r in rows[header:] if r[2] == "实名参赛人数")
    assert participants[4] == "60人" and participants[5] == "系统"
    total = next(r for r in rows if r[0] == "总分")
    assert total[6] == 100 and Decimal(str(total[7])) == se.self_evaluation(with_people).total


def test_the_auditors_summary_carries_the_self_evaluation(with_people):
    data = project_summary(with_people)["self_evaluation"]
    assert data["total"] == f"{se.self_evaluation(with_people).total:.2f}"
    assert any(line["name"] == "实名参赛人数" and not line["met"] for line in data["lines"])


def test_a_refused_save_keeps_everything_typed(client, in_progress, organizer):
    satisfaction = in_progress.performance_targets.get(key="satisfaction")
    participants = in_progress.performance_targets.get(key="participants")
    client.force_login(organizer)
    response = client.post(_page(in_progress), {
        "action": "save_entries", f"actual-{satisfaction.pk}": "abc", f"evidence-{satisfaction.pk}": "问卷甲",
        f"actual-{participants.pk}": "700", f"evidence-{participants.pk}": "签到表乙",
        f"reason-{participants.pk}": "原因丙"})
    html = response.content.decode()
    assert response.status_code == 200 and "的实际完成值须为数字，收到“abc”" in html
    assert 'value="abc"' in html and "问卷甲" in html and 'value="700"' in html and "原因丙" in html
    assert not in_progress.evaluation_entries.exists()


def test_an_indicator_of_an_event_not_yet_held_is_not_yet_measurable_not_met(with_people):
    import time_machine

    day_before_end = with_people.end_date.isoformat() + " 10:00 +0800"
    with time_machine.travel(day_before_end, tick=False):
        line = _line(with_people, "held_on_schedule")
        assert (line.actual, line.score, line.actual_text) == (None, Decimal("0.00"), "尚不可测")
        assert not line.deviates and not line.needs_reason
    line = _line(with_people, "held_on_schedule")
    assert (line.actual, line.score) == (Decimal(1), Decimal(line.target.points))
