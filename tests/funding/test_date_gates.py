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
