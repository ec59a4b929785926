"""The two cases of issue 17, end to end through the services: a project that meets every target
(score 100, tranche 2 allowed) and one with participants 10 % under target and no certificates
(score and deviations shown; tranche 2 needs the department's waiver or a reduced amount)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import ExpectedResults
from funding import selectors as funding_selectors
from funding.services import AlreadyPaid, reverse_payment
from haidian_contest.records import ImmutableRecord
from haidian_contest.workflow import State
from performance import self_evaluation as se
from performance import services
from rosters.models import Winner
from tests.funding.stages import TRANCHE_2_PAID_ON, tranche_2_paid
from tests.rosters.stages import make_roster_rows, make_winner_rows, upload_roster, upload_winners

from .media import pdf_upload
from .stages import audit_passed, expected_results_recorded, materials_complete, materials_submitted

pytestmark = pytest.mark.django_db

PLANNED = 770          # scenario A: 320 + 240 + 210, all three trades certifiable
CERTIFIABLE_PLACES = 54  # 3 + 6 + 9 prize places in each of the three trades


def _held(app, organizer, reviewer, *, participants: int, certificates: bool) -> object:
    """From 竞赛实施中 to 绩效审核通过, with everything else on target."""
    rows = make_roster_rows(app, participants)
    upload_roster(app, organizer, rows)
    upload_winners(app, organizer, make_winner_rows(rows, per_trade=(3, 6, 9)))
    if certificates:
        for n, winner in enumerate(Winner.objects.filter(application=app, is_current=True).order_by("pk"), 1):
            se.add_certificate(app, actor=organizer, participant_id=winner.participant_id,
                               certificate_number=f"S0000{n:05d}", level="3")
    services.save_spending(application=app, actor=organizer, rows={
        line.pk: (str(line.amount), "") for trade in app.trades.all() for line in trade.budget_lines.all()})
    for kind in ("media_report", "briefing"):
        services.add_event_document(application=app, actor=organizer, kind=kind, title="竞赛报道",
                                    upload=pdf_upload("报道.pdf"))
    satisfaction = app.performance_targets.get(key="satisfaction")
    se.save_entries(app, actor=organizer, rows={satisfaction.pk: {
        "actual": "95", "evidence": "现场问卷 300 份，满意及以上 285 份"}})
    app = materials_complete(app, organizer)
    app = materials_submitted(app, organizer)
    return audit_passed(app, reviewer)


def _line(evaluation, key):
    return next(line for line in evaluation.lines if line.target.key == key)


@pytest.fixture
def on_target(in_progress, organizer, reviewer):
    return _held(in_progress, organizer, reviewer, participants=PLANNED, certificates=True)


@pytest.fixture
def short(in_progress, organizer, reviewer):
    return _held(in_progress, organizer, reviewer, participants=PLANNED * 9 // 10, certificates=False)


def test_a_project_meeting_every_target_scores_100_and_tranche_2_is_paid(on_target, reviewer, finance):
    evaluation = se.self_evaluation(on_target)
    assert [line.target.name for line in evaluation.lines if not line.met] == []
    assert evaluation.total == Decimal("100.00") and evaluation.reached
    assert _line(evaluation, "participants").actual == PLANNED
    assert _line(evaluation, "certified_winners").actual == CERTIFIABLE_PLACES
    assert _line(evaluation, "participants").source == se.SYSTEM
    assert _line(evaluation, "satisfaction").source == se.FILLED
    record = se.record_expected_results(on_target, actor=reviewer, outcome="reached")
    assert (record.score, record.outcome) == (Decimal("100.00"), "reached")
    app = tranche_2_paid(on_target, finance)
    assert app.status == State.CLOSED
    assert funding_selectors.project_ledger(app).paid == Decimal("256000.00")


def test_participants_10_percent_under_and_no_certificates_score_below_the_threshold(short):
    evaluation = se.self_evaluation(short)
    participants, certified = _line(evaluation, "participants"), _line(evaluation, "certified_winners")
    assert (participants.actual, participants.score) == (Decimal(693), Decimal("18.00"))
    assert (certified.actual, certified.score) == (Decimal(0), Decimal("0.00"))
    # 人均补助 rises with fewer people: 256,000.00 ÷ 693 = 369.41 against 332.47 → 5 × 332.47 ÷ 369.41.
    assert _line(evaluation, "subsidy_per_participant").score == Decimal("4.50")
    assert evaluation.total == Decimal("77.50") and not evaluation.reached
    assert {line.target.key for line in evaluation.deviations} == {
        "participants", "certified_winners", "subsidy_per_participant"}
    [finding] = evaluation.findings
    assert finding.clause == "2.3b" and finding.waivable and "77.50 分，低于达到预期效果的 80 分" in finding.message


def test_below_the_threshold_reached_cannot_be_recorded_and_tranche_2_stays_locked(short, reviewer, finance):
    with pytest.raises(ValidationError, match="低于达到预期效果的 80 分"):
        se.record_expected_results(short, actor=reviewer, outcome="reached")
    ledger = funding_selectors.project_ledger(short)
    assert not ledger.tranche(2).payable
    assert any(f.code == "expected_results_not_recorded" for f in ledger.tranche(2).blocking)
    with pytest.raises(ValidationError, match="尚未确认绩效自评结论"):
        from tests.funding.stages import _pay

        _pay(short, finance, 2, paid_on=TRANCHE_2_PAID_ON, voucher_no="记-2026-1015-01", late_reason="")


def test_a_waiver_needs_a_reason_then_tranche_2_is_paid_in_full(short, reviewer, finance):
    with pytest.raises(ValidationError, match="须写明理由"):
        se.record_expected_results(short, actor=reviewer, outcome="waived", reason="  ")
    se.record_expected_results(short, actor=reviewer, outcome="waived",
                               reason="参赛人数受疫情影响略有减少，取证考核延期至次年，同意全额拨付。")
    app = tranche_2_paid(short, finance)
    assert app.status == State.CLOSED
    assert funding_selectors.project_ledger(app).tranche(2).paid == Decimal("128000.00")


def test_a_reduced_second_tranche_is_paid_once_and_the_rest_never(client, short, reviewer, finance):
    expected_results_recorded(short, reviewer, outcome="reduced", reason="未达到预期效果，按得分核减。",
                              tranche_2_amount="99200.00")
    client.force_login(finance)
    page = client.get(reverse("funding:project", args=[short.pk])).content.decode()
    assert "剩余资金（核减后部分拨付）" in page and "协议约定 128,000.00" in page
    ledger = funding_selectors.project_ledger(short)
    assert ledger.tranche(2).scheduled == Decimal("99200.00")
    assert ledger.tranche(2).label == "剩余资金（核减后部分拨付）"
    from tests.funding.stages import _pay

    with pytest.raises(ValidationError, match="职工发展部核减后的 99,200.00 元"):
        _pay(short, finance, 2, paid_on=TRANCHE_2_PAID_ON, voucher_no="记-1", late_reason="",
             amount=Decimal("128000.00"))
    app = _pay(short, finance, 2, paid_on=TRANCHE_2_PAID_ON, voucher_no="记-2", late_reason="")
    assert app.status == State.CLOSED
    with pytest.raises(AlreadyPaid):
        _pay(app, finance, 2, paid_on=TRANCHE_2_PAID_ON, voucher_no="记-3", late_reason="",
             amount=Decimal("99200.00"))
    ledger = funding_selectors.project_ledger(app)
    assert (ledger.paid, ledger.scheduled, ledger.outstanding) == (
        Decimal("227200.00"), Decimal("227200.00"), Decimal("0.00"))


def test_a_reduced_tranche_is_reversible_like_any_tranche(short, reviewer, finance):
    expected_results_recorded(short, reviewer, outcome="reduced", reason="按得分核减。", tranche_2_amount="99200.00")
    from tests.funding.stages import _pay

    app = _pay(short, finance, 2, paid_on=TRANCHE_2_PAID_ON, voucher_no="记-2", late_reason="")
    reverse_payment(application=app, number=2, actor=finance, reason="凭证号登记错误", reversed_on=TRANCHE_2_PAID_ON)
    app.refresh_from_db()
    assert app.status == State.AUDIT_PASSED
    assert funding_selectors.project_ledger(app).tranche(2).paid == Decimal("0.00")
    app = _pay(app, finance, 2, paid_on=TRANCHE_2_PAID_ON, voucher_no="记-2a", late_reason="")
    assert funding_selectors.project_ledger(app).tranche(2).paid == Decimal("99200.00")


def test_a_reduced_amount_must_be_below_the_agreed_tranche(short, reviewer):
    with pytest.raises(ValidationError, match="须大于 0 且小于协议约定的 128,000.00 元"):
        se.record_expected_results(short, actor=reviewer, outcome="reduced", reason="核减",
                                   tranche_2_amount="128000.00")


def test_the_reviewer_adjusts_a_score_on_the_record_and_the_total_follows(short, reviewer):
    certified = short.performance_targets.get(key="certified_winners")
    with pytest.raises(ValidationError, match="须写明理由"):
        se.adjust_score(short, actor=reviewer, target_id=certified.pk, score="10", reason="")
    adjustment = se.adjust_score(short, actor=reviewer, target_id=certified.pk, score="10",
                                 reason="取证考核由鉴定机构延期至次年一月，已见报名材料，给一半分。")
    assert (adjustment.from_score, adjustment.to_score, adjustment.adjusted_by) == (
        Decimal("0.00"), Decimal("10.00"), reviewer)
    evaluation = se.self_evaluation(short)
    assert evaluation.total == Decimal("87.50") and evaluation.reached
    record = se.record_expected_results(short, actor=reviewer, outcome="reached")
    assert ExpectedResults.objects.get(application=short).lines[7]["score"] == "10.00"
    # Both stay on the record as written: a change is a new row, never an edit.
    for row in (adjustment, record):
        with pytest.raises(ImmutableRecord):
            row.save()
        with pytest.raises(ImmutableRecord):
            row.delete()


def test_an_adjusted_score_cannot_exceed_the_points(short, reviewer):
    certified = short.performance_targets.get(key="certified_winners")
    with pytest.raises(ValidationError, match="须在 0 至 20 分之间"):
        se.adjust_score(short, actor=reviewer, target_id=certified.pk, score="25", reason="理由")


def test_the_auditors_summary_lists_the_waived_expected_results(short, reviewer):
    from performance.summary import project_summary

    se.record_expected_results(short, actor=reviewer, outcome="waived", reason="取证考核延期，同意全额拨付。")
    summary = project_summary(short)
    [row] = [w for w in summary["waivers"] if w["stage"] == "绩效自评"]
    assert row["clause"] == "二（三）" and row["reason"] == "取证考核延期，同意全额拨付。"
    assert "77.50 分，低于达到预期效果的 80 分" in row["message"]
    assert summary["self_evaluation"]["total"] == "77.50"
