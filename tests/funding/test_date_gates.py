"""Tranche 2 follows the audit of a held event (2.3b, haidian_contest.workflow.DATE_GATES)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from applications import services as application_services
from haidian_contest.workflow import State
from tests.clock import travel
from tests.performance.stages import (
    audit_passed,
    future_in_progress,
    materials_complete,
    materials_submitted,
)

from .stages import tranche_2_paid

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed(organizer, reviewer, approver, finance):
    """Held 2026-12-10 to 12-20, audited 12-22; then the department records that the event was
    extended to 12-27 (the recording kept long enough for either end date)."""
    app = future_in_progress(organizer, reviewer, approver, finance)
    with travel(date(2026, 12, 22)):
        app = materials_complete(app, organizer)
        from performance import services

        services.set_recording(application=app, actor=organizer, location="档案室", kept_until=date(2028, 12, 31))
        app = audit_passed(materials_submitted(app, organizer), reviewer)
    assert app.status == State.AUDIT_PASSED
    return app


def test_tranche_2_paid_on_a_day_before_the_end_is_refused_naming_the_date(passed, reviewer, finance):
    with travel(date(2026, 12, 23)):
        application_services.adjust_dates(application=passed, actor=reviewer, start_date=date(2026, 12, 10),
                                          end_date=date(2026, 12, 27), reason="最后一场决赛顺延。")
    with travel(date(2026, 12, 28)), pytest.raises(ValidationError) as refused:
        tranche_2_paid(passed, finance, paid_on=date(2026, 12, 27))
    assert "2026年12月27日" in str(refused.value) and "拨付剩余资金" in str(refused.value)


def test_tranche_2_paid_the_day_after_the_end_is_recorded(passed, finance):
    with travel(date(2026, 12, 23)):
        app = tranche_2_paid(passed, finance, paid_on=date(2026, 12, 21))
    assert app.status == State.CLOSED


def test_tranche_2_paid_on_the_last_day_of_the_event_is_refused(passed, finance):
    with travel(date(2026, 12, 23)), pytest.raises(ValidationError, match="2026年12月20日"):
        tranche_2_paid(passed, finance, paid_on=date(2026, 12, 20))


def test_a_date_adjustment_moving_the_start_before_the_paid_first_tranche_is_recorded_and_shown(
        organizer, reviewer, approver, finance):
    from applications import timeline
    from funding.models import LedgerEntry

    app = future_in_progress(organizer, reviewer, approver, finance)  # starts 12-10, tranche 1 paid before
    paid_on = LedgerEntry.objects.get(tranche__application=app, tranche__number=1).paid_on
    assert paid_on < app.start_date
    with travel(date(2026, 11, 5)):
        application_services.adjust_dates(application=app, actor=reviewer, start_date=paid_on,
                                          end_date=date(2026, 12, 20), reason="初赛提前至首笔资金拨付当日举行。")
        app.refresh_from_db()
        record = app.status_changes.filter(transition="adjust_dates").get()
        assert "二（三）" in record.comment and f"实际于 {paid_on.isoformat()} 拨付" in record.comment
        step = next(s for s in timeline.build(app, list(app.status_changes.order_by("at", "pk")))["steps"]
                    if s.key == "pay_tranche_1")
    assert (step.status, step.rule) == ("late", "应在竞赛开始前")
    assert paid_on.isoformat() in step.note


def test_a_date_adjustment_leaving_the_first_tranche_before_the_start_records_no_finding(
        organizer, reviewer, approver, finance):
    app = future_in_progress(organizer, reviewer, approver, finance)
    with travel(date(2026, 11, 5)):
        application_services.adjust_dates(application=app, actor=reviewer, start_date=date(2026, 12, 12),
                                          end_date=date(2026, 12, 20), reason="场地调整。")
    assert "二（三）" not in app.status_changes.filter(transition="adjust_dates").get().comment
