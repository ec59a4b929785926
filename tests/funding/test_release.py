import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from funding import selectors, services
from funding.models import LedgerEntry
from haidian_contest.workflow import State

from .stages import PAYEE_ACCOUNT, PAYEE_BANK

pytestmark = pytest.mark.django_db

T1 = Decimal("128000.00")


def release(app, user, number=1, **kw):
    fields = {
        "paid_on": date(2026, 6, 15), "voucher_no": "记-2026-0615-03", "amount": T1,
        "payee": services.Payee("中关村智造产业园工会联合会", PAYEE_BANK, PAYEE_ACCOUNT),
    }
    fields.update(kw)
    return services.release_tranche(application=app, number=number, actor=user, **fields)


def payments(app):
    return LedgerEntry.objects.filter(tranche__application=app, kind="payment")


def test_finance_releases_tranche_1_of_scenario_a(signed, finance):
    entry = release(signed, finance)
    signed.refresh_from_db()
    assert signed.status == State.IN_PROGRESS
    assert (entry.amount, entry.paid_on, entry.voucher_no, entry.created_by) == (
        T1, date(2026, 6, 15), "记-2026-0615-03", finance)
    ledger = selectors.project_ledger(signed)
    assert (ledger.tranche(1).paid, ledger.tranche(1).outstanding, ledger.outstanding) == (
        T1, Decimal("0.00"), Decimal("128000.00"))


def test_release_before_the_agreement_is_refused(approved, finance):
    with pytest.raises(ValidationError, match="合作协议"):
        release(approved, finance)
    assert not payments(approved).exists()


def test_tranche_2_before_the_audit_has_passed_is_refused(in_progress, finance):
    with pytest.raises(ValidationError, match="绩效审核材料尚未审核通过"):
        release(in_progress, finance, 2, paid_on=date(2026, 7, 2), voucher_no="记-2")
    assert payments(in_progress).count() == 1


def test_tranche_2_is_paid_once_the_audit_has_passed(audit_passed, finance):
    release(audit_passed, finance, 2, paid_on=date(2026, 10, 12), voucher_no="记-2026-1012-01")
    audit_passed.refresh_from_db()
    assert audit_passed.status == State.CLOSED
    assert selectors.project_ledger(audit_passed).paid == Decimal("256000.00")


def test_the_amount_must_equal_the_scheduled_amount(signed, finance):
    with pytest.raises(ValidationError, match="不一致"):
        release(signed, finance, amount=Decimal("128000.01"))


def test_a_late_tranche_1_needs_a_recorded_reason(signed, finance):
    with pytest.raises(ValidationError, match="逾期拨付原因"):
        release(signed, finance, paid_on=date(2026, 7, 1))
    entry = release(signed, finance, paid_on=date(2026, 7, 1), late_reason="协议用印流程延误")
    assert entry.late_reason == "协议用印流程延误"


def test_a_payment_date_in_the_future_is_refused(signed, finance):
    from django.utils import timezone
    from datetime import timedelta

    with pytest.raises(ValidationError, match="晚于今天"):
        release(signed, finance, paid_on=timezone.localdate() + timedelta(days=1))


def test_the_same_form_submitted_twice_pays_once(signed, finance):
    token = uuid.uuid4()
    release(signed, finance, idempotency_key=token)
    with pytest.raises(services.AlreadyPaid, match="该笔资金已拨付") as refused:
        release(signed, finance, idempotency_key=token)
    assert refused.value.same_request
    assert payments(signed).count() == 1


def test_a_second_finance_user_gets_a_clear_refusal(signed, finance):
    from accounts.roles import Role
    from tests.factories import user_with_role

    colleague = user_with_role(Role.FINANCE, full_name="钱会计")
    release(signed, finance, idempotency_key=uuid.uuid4())
    with pytest.raises(services.AlreadyPaid, match="孙丽") as refused:
        release(signed, colleague, idempotency_key=uuid.uuid4())
    assert not refused.value.same_request
    assert payments(signed).count() == 1


@pytest.mark.parametrize("role", ["organizer", "reviewer", "approver", "auditor", "admin_user"])
def test_nobody_but_finance_releases(signed, role, request):
    with pytest.raises(PermissionDenied):
        release(signed, request.getfixturevalue(role))
    assert not payments(signed).exists()


def test_the_flow_record_and_a_refusal_write_the_amount_grouped_by_thousands(signed, finance):
    with pytest.raises(ValidationError) as refused:
        release(signed, finance, amount=Decimal("128000.01"))
    assert "128,000.01 元" in str(refused.value) and "128,000.00 元" in str(refused.value)
    release(signed, finance)
    change = signed.status_changes.get(transition="pay_tranche_1")
    assert change.comment == "凭证号 记-2026-0615-03，金额 128,000.00 元"
