"""Tranche 2 waits for the department's 2.3b expected-results outcome (recorded in applications)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications import workflow_engine
from applications.models import PerformanceTarget
from funding import selectors
from haidian_contest.workflow import State
from tests.performance.stages import expected_results_recorded

from .stages import _pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed_without_outcome(in_progress, organizer, reviewer, monkeypatch):
    monkeypatch.setitem(workflow_engine.GUARDS, "materials_complete", lambda application: [])
    workflow_engine.perform(application=in_progress, name="submit_materials", actor=organizer)
    workflow_engine.perform(application=in_progress, name="audit_pass", actor=reviewer, comment="材料齐全，审核通过。")
    in_progress.refresh_from_db()
    return in_progress


def test_tranche_2_is_locked_until_the_outcome_is_recorded(passed_without_outcome, finance):
    status = selectors.project_ledger(passed_without_outcome).tranche(2)
    assert not status.payable and status.status_label != "可拨付"
    with pytest.raises(ValidationError, match="尚未确认绩效自评结论"):
        _pay(passed_without_outcome, finance, 2, paid_on=date(2026, 10, 15), voucher_no="记-1", late_reason="")


def test_the_recorded_outcome_unlocks_tranche_2(passed_without_outcome, reviewer, finance):
    expected_results_recorded(passed_without_outcome, reviewer)
    assert selectors.project_ledger(passed_without_outcome).tranche(2).payable
    app = _pay(passed_without_outcome, finance, 2, paid_on=date(2026, 10, 15), voucher_no="记-1", late_reason="")
    assert app.status == State.CLOSED


def test_a_project_planned_before_targets_existed_is_paid_as_before(passed_without_outcome, finance):
    PerformanceTarget.objects.filter(application=passed_without_outcome).delete()  # a plan of the old form
    app = _pay(passed_without_outcome, finance, 2, paid_on=date(2026, 10, 15), voucher_no="记-1", late_reason="")
    assert selectors.project_ledger(app).tranche(2).paid == Decimal("128000.00")


def test_the_ledger_lists_tranches_in_a_constant_number_of_queries_with_outcomes(
    passed_without_outcome, reviewer, django_assert_num_queries
):
    expected_results_recorded(passed_without_outcome, reviewer, outcome="reduced", reason="核减",
                              tranche_2_amount="64000.00")
    with django_assert_num_queries(6):
        ledger = selectors.project_ledgers([passed_without_outcome])[0]
        assert ledger.tranche(2).scheduled == Decimal("64000.00") and ledger.tranche(2).payable
