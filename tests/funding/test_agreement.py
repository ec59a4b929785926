from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from funding import selectors, services
from funding.models import Agreement, ImmutableRecord
from haidian_contest.workflow import State
from tests.review.stages import approved_application

from .stages import agreement_signed, scan_upload, tranche_1_paid

pytestmark = pytest.mark.django_db


def _record(app, user, **kw):
    fields = {"number": "HDZGH-2026-007", "signed_on": date(2026, 6, 10), "union_role": "co_host", "scan": scan_upload()}
    fields.update(kw)
    return services.record_agreement(application=app, actor=user, **fields)


def test_recording_the_agreement_signs_it_and_fixes_scenario_a_schedule(approved, reviewer):
    agreement = _record(approved, reviewer)
    approved.refresh_from_db()
    assert approved.status == State.AGREEMENT_SIGNED
    assert (agreement.total, agreement.tranche_1_amount, agreement.tranche_2_amount) == (
        Decimal("256000.00"), Decimal("128000.00"), Decimal("128000.00"))
    assert [line.amount for line in agreement.lines.all()] == [Decimal("126000.00"), Decimal("90000.00"), Decimal("40000.00")]
    assert approved.status_changes.last().transition == "sign_agreement"


def test_split_is_exact_to_the_fen_on_an_odd_total(organizer, reviewer, approver):
    app = approved_application(organizer, reviewer, approver, "A",
                               subsidies={"人工智能训练师": "126000.01", "工业机器人系统运维员": "90000.00"})
    agreement = _record(app, reviewer)
    assert agreement.total == Decimal("256000.01")
    assert agreement.tranche_1_amount == Decimal("128000.01")
    assert agreement.tranche_2_amount == Decimal("128000.00")
    assert agreement.tranche_1_amount + agreement.tranche_2_amount == agreement.total


def test_a_scan_that_is_not_a_pdf_is_refused(approved, reviewer):
    with pytest.raises(ValidationError, match="PDF"):
        _record(approved, reviewer, scan=scan_upload("协议.pdf", b"PK\x03\x04 a zip renamed to pdf"))
    approved.refresh_from_db()
    assert approved.status == State.APPROVED


def test_the_union_role_must_match_the_party_group_decision(approved, reviewer):
    with pytest.raises(ValidationError, match="联合主办"):
        _record(approved, reviewer, union_role="host")


def test_only_the_department_records_the_agreement(approved, finance):
    with pytest.raises(PermissionDenied):
        _record(approved, finance)


def test_a_project_not_yet_approved_gets_no_agreement(organizer, reviewer):
    from tests.review.stages import pending_party_application

    app = pending_party_application(organizer, reviewer, "A")
    with pytest.raises(ValidationError, match="不能登记合作协议"):
        _record(app, reviewer)


def test_the_agreement_cannot_be_edited_or_deleted(signed):
    agreement = selectors.current_agreement(signed)
    agreement.number = "HDZGH-2026-999"
    with pytest.raises(ImmutableRecord):
        agreement.save()
    with pytest.raises(ImmutableRecord):
        agreement.delete()
    with pytest.raises(ImmutableRecord):
        Agreement.objects.filter(pk=agreement.pk).update(number="X")


def test_a_correction_supersedes_the_agreement_while_nothing_is_paid(signed, reviewer):
    first = selectors.current_agreement(signed)
    corrected = services.correct_agreement(
        application=signed, actor=reviewer, reason="协议编号登记错误", number="HDZGH-2026-008", signed_on=date(2026, 6, 10),
        union_role="co_host", scan=scan_upload(),
    )
    assert selectors.current_agreement(signed) == corrected
    assert corrected.supersedes == first
    assert Agreement.objects.filter(application=signed).count() == 2


def test_no_correction_once_money_is_out(in_progress, reviewer):
    with pytest.raises(ValidationError, match="已有资金拨付"):
        services.correct_agreement(
            application=in_progress, actor=reviewer, reason="更正", number="HDZGH-2026-009", signed_on=date(2026, 6, 10),
            union_role="co_host", scan=scan_upload(),
        )


def test_the_sign_agreement_guard_refuses_without_a_recorded_agreement(approved, reviewer):
    from applications import workflow_engine

    with pytest.raises(workflow_engine.WorkflowError, match="合作协议"):
        workflow_engine.perform(application=approved, name="sign_agreement", actor=reviewer)


def test_stage_helpers_reach_in_progress(approved, reviewer, finance):
    app = tranche_1_paid(agreement_signed(approved, reviewer), finance)
    assert app.status == State.IN_PROGRESS
