"""Money is exact to the fen on SQLite and PostgreSQL: odd-fen totals, constraint messages."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from applications import workflow_engine
from funding import selectors, services
from funding.models import Agreement, LedgerEntry
from haidian_contest import rules
from haidian_contest.money import MoneyTotal
from haidian_contest.workflow import State
from tests.review.stages import approved_application

from .stages import scan_upload, tranche_1_paid, tranche_2_paid

pytestmark = pytest.mark.django_db


def _approved_with_total(organizer, reviewer, approver, first: str, second: str, third: str = "0.00"):
    return approved_application(organizer, reviewer, approver, "A", subsidies={
        "人工智能训练师": first, "工业机器人系统运维员": second, "多工序数控机床操作调整工": third})


def test_an_odd_fen_total_gets_its_agreement(organizer, reviewer, approver):
    app = _approved_with_total(organizer, reviewer, approver, "69000.01", "40000.00")
    agreement = services.record_agreement(
        application=app,
        actor=reviewer,
        number="HDZGH-2026-101",
        signed_on=date(2026, 6, 10),
        union_role="co_host",
        scan=scan_upload(),
    )
    agreement.refresh_from_db()
    assert (agreement.total, agreement.tranche_1_amount, agreement.tranche_2_amount) == (
        Decimal("109000.01"), Decimal("54500.01"), Decimal("54500.00"))
    app.refresh_from_db()
    assert app.status == State.AGREEMENT_SIGNED


# --- constraint messages --------------------------------------------------------------------------


def test_a_schedule_that_does_not_sum_to_the_total_is_named_not_blamed_on_the_number(approved, reviewer, monkeypatch):
    monkeypatch.setattr(services.rules, "split_tranches", lambda total: (Decimal("128000.00"), Decimal("127999.99")))
    with pytest.raises(ValidationError) as raised:
        services.record_agreement(
            application=approved,
            actor=reviewer,
            number="HDZGH-2026-007",
            signed_on=date(2026, 6, 10),
            union_role="co_host",
            scan=scan_upload(),
        )
    assert "首笔与剩余资金之和与核定补助总额不一致" in raised.value.messages[0]
    assert "已被使用" not in raised.value.messages[0]
    assert not Agreement.objects.exists()


def test_a_number_taken_between_the_check_and_the_insert_says_the_number_is_taken(
        approved, reviewer, other_organizer, approver, monkeypatch):
    other = approved_application(other_organizer, reviewer, approver, "B", union_role="host")
    services.record_agreement(application=other, actor=reviewer, number="HDZGH-2026-007", signed_on=date(2026, 6, 10),
                              union_role="host", scan=scan_upload())
    # The race: a colleague's insert lands after this request's own check passed.
    monkeypatch.setattr(services, "_check_agreement_fields", lambda application, *, number, **kw: number)
    with pytest.raises(ValidationError) as raised:
        services.record_agreement(
            application=approved,
            actor=reviewer,
            number="HDZGH-2026-007",
            signed_on=date(2026, 6, 10),
            union_role="co_host",
            scan=scan_upload(),
        )
    assert raised.value.messages == ["协议编号“HDZGH-2026-007”已被使用，请核对后重新填写。"]


# --- every fen total, recorded and paid ------------------------------------------------------------

# Scenario A asks 126,000 / 90,000 / 40,000; the party group may approve any amount up to that.
REQUESTED_FEN = (12_600_000, 9_000_000, 4_000_000)


def _fen(n: int) -> Decimal:
    return (Decimal(n) / 100).quantize(Decimal("0.01"))


def _record_and_pay_both(fens, organizer, reviewer, approver, finance, monkeypatch):
    monkeypatch.setitem(workflow_engine.GUARDS, "materials_complete", lambda application: [])
    app = _approved_with_total(organizer, reviewer, approver, *(str(_fen(n)) for n in fens))
    total = _fen(sum(fens))
    agreement = services.record_agreement(
        application=app,
        actor=reviewer,
        number=f"HDZGH-P-{sum(fens)}",
        signed_on=date(2026, 6, 10),
        union_role="co_host",
        scan=scan_upload(),
    )
    agreement.refresh_from_db()
    first, second = rules.split_tranches(total)
    assert (agreement.total, agreement.tranche_1_amount, agreement.tranche_2_amount) == (total, first, second)
    app.refresh_from_db()
    app = tranche_1_paid(app, finance, late_reason="测试：竞赛已开始。")
    workflow_engine.perform(application=app, name="submit_materials", actor=organizer)
    workflow_engine.perform(application=app, name="audit_pass", actor=reviewer, comment="材料齐全，审核通过。")
    app.refresh_from_db()
    app = tranche_2_paid(app, finance)
    assert app.status == State.CLOSED
    ledger = selectors.project_ledger(app)
    assert [ledger.tranche(n).paid for n in (1, 2)] == [first, second]
    # The database's own sum, exact to the fen on SQLite too.
    summed = LedgerEntry.objects.filter(tranche__application=app).aggregate(s=MoneyTotal("amount"))["s"]
    assert summed == total and str(summed) == str(total)


fen_totals = st.tuples(*(st.integers(min_value=0, max_value=n) for n in REQUESTED_FEN)).filter(lambda t: sum(t) > 1)


def _property(organizer, reviewer, approver, finance, monkeypatch):
    @settings(max_examples=8, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @example((6_900_001, 4_000_000, 0))  # 109,000.01: the total of the report
    @example((1, 0, 1))                  # 0.02 → 0.01 + 0.01
    @given(fens=fen_totals)
    def run(fens):
        with transaction.atomic():
            _record_and_pay_both(fens, organizer, reviewer, approver, finance, monkeypatch)
            transaction.set_rollback(True)
    run()


def test_any_fen_total_is_recorded_and_paid_in_full(organizer, reviewer, approver, finance, monkeypatch):
    _property(organizer, reviewer, approver, finance, monkeypatch)


@pytest.mark.postgres
def test_any_fen_total_is_recorded_and_paid_in_full_on_postgres(organizer, reviewer, approver, finance, monkeypatch):
    _property(organizer, reviewer, approver, finance, monkeypatch)


def test_sql_sums_of_money_are_exact_to_the_fen(organizer):
    """0.10 + 0.20 is 0.30000000000000004 in a float; the list pages' budget totals must read 0.30."""
    from applications.models import BudgetLine
    from applications.selectors import with_totals
    from tests.lifecycle import build_application

    app = build_application(organizer, "A")
    trade = app.trades.order_by("position", "id").first()
    BudgetLine.objects.filter(trade__application=app).delete()
    for amount in ("0.10", "0.20", "1234567890.07"):
        BudgetLine.objects.create(trade=trade, item=BudgetLine.ITEMS[0][0], amount=Decimal(amount))
    total = with_totals(type(app).objects.filter(pk=app.pk)).get().budget_total
    assert str(total) == "1234567890.37"
    summed = BudgetLine.objects.filter(trade__application=app).aggregate(s=MoneyTotal("amount"))["s"]
    assert str(summed) == "1234567890.37"
