from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from funding import selectors, services
from funding.models import ImmutableRecord, LedgerEntry
from haidian_contest.workflow import State

from .stages import tranche_1_paid

pytestmark = pytest.mark.django_db


def effective_payments(app):
    return LedgerEntry.objects.filter(tranche__application=app, kind="payment", reversed_by__isnull=True)


def test_reversal_then_repay_leaves_one_effective_payment(in_progress, finance):
    reversal = services.reverse_payment(
        application=in_progress, number=1, actor=finance, reason="收款账号登记错误", reversed_on=date(2026, 6, 16)
    )
    in_progress.refresh_from_db()
    assert in_progress.status == State.AGREEMENT_SIGNED
    assert reversal.amount == Decimal("-128000.00")
    tranche_1_paid(in_progress, finance, paid_on=date(2026, 6, 17), voucher_no="记-2026-0617-01")
    assert effective_payments(in_progress).count() == 1
    assert LedgerEntry.objects.filter(tranche__application=in_progress).count() == 3
    ledger = selectors.project_ledger(in_progress)
    assert ledger.tranche(1).paid == Decimal("128000.00")
    assert ledger.tranche(1).effective.voucher_no == "记-2026-0617-01"
    assert in_progress.status == State.IN_PROGRESS


def test_a_reversal_needs_a_reason(in_progress, finance):
    with pytest.raises(ValidationError, match="冲销原因"):
        services.reverse_payment(application=in_progress, number=1, actor=finance, reason="  ")


def test_a_payment_is_reversed_at_most_once(in_progress, finance):
    services.reverse_payment(application=in_progress, number=1, actor=finance, reason="误拨")
    with pytest.raises(ValidationError, match="没有可冲销"):
        services.reverse_payment(application=in_progress, number=1, actor=finance, reason="再冲一次")


def test_only_finance_reverses(in_progress, reviewer):
    with pytest.raises(PermissionDenied):
        services.reverse_payment(application=in_progress, number=1, actor=reviewer, reason="误拨")


def test_ledger_entries_cannot_be_edited_or_deleted(in_progress):
    entry = LedgerEntry.objects.get(tranche__application=in_progress)
    entry.amount = Decimal("1.00")
    with pytest.raises(ImmutableRecord):
        entry.save()
    with pytest.raises(ImmutableRecord):
        entry.delete()
    with pytest.raises(ImmutableRecord):
        LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_the_database_refuses_a_second_payment_that_skips_the_service(in_progress, finance):
    paid = LedgerEntry.objects.get(tranche__application=in_progress)
    twin = LedgerEntry(
        tranche=paid.tranche, kind="payment", settlement=paid.settlement, amount=paid.amount, paid_on=paid.paid_on,
        voucher_no="记-重复", agreement=paid.agreement, created_by=finance,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_database_refuses_a_reversal_without_a_reason(in_progress, finance):
    paid = LedgerEntry.objects.get(tranche__application=in_progress)
    bad = LedgerEntry(
        tranche=paid.tranche, kind="reversal", settlement=paid.settlement, amount=-paid.amount, paid_on=paid.paid_on,
        agreement=paid.agreement, reverses=paid, created_by=finance,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()



def test_the_service_refuses_a_payment_from_a_form_of_an_earlier_round(in_progress, finance):
    from .stages import PAYEE_ACCOUNT, PAYEE_BANK

    services.reverse_payment(
        application=in_progress, number=1, actor=finance, reason="账号错误", reversed_on=date(2026, 6, 16)
    )
    with pytest.raises(services.StaleForm, match="此付款表单已过期"):
        services.release_tranche(
            application=in_progress, number=1, actor=finance, paid_on=date(2026, 6, 17), voucher_no="记-2026-0617-01",
            amount=selectors.current_agreement(in_progress).tranche_1_amount,
            payee=services.Payee(in_progress.lead_organization.name, PAYEE_BANK, PAYEE_ACCOUNT), form_round=0,
        )
    assert LedgerEntry.objects.filter(tranche__application=in_progress, kind="payment").count() == 1
