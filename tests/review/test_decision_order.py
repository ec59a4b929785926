"""Decisions in their order (haidian_contest.workflow.ORDER_GATES): the collective decision and the party
group's decision are recorded on or after their meeting's day, the 立项通知书 on or after the decision."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haidian_contest.workflow import State
from review import services
from review.documents import approval_notice as notices
from review.models import ApprovalNotice, CollectiveDecision
from tests.clock import day_before, travel

from .stages import pending_party_application, reviewed_application

pytestmark = pytest.mark.django_db

MEETING = date(2026, 12, 8)
SESSION = "2026年第24次党组会"


@pytest.fixture
def recommended(organizer, reviewer):
    with travel(date(2026, 12, 1)):
        return reviewed_application(organizer, reviewer)


def record_collective(app, reviewer):
    return services.record_collective_decision(application=app, actor=reviewer,
                                               outcome=CollectiveDecision.Outcome.APPROVED, date=MEETING)


def test_a_collective_decision_recorded_the_day_before_its_meeting_is_refused_naming_both_dates(recommended, reviewer):
    with travel(day_before(MEETING)), pytest.raises(ValidationError) as refused:
        record_collective(recommended, reviewer)
    message = str(refused.value)
    assert "集体决策会议定于 2026年12月8日召开" in message and "2026年12月7日" in message
    recommended.refresh_from_db()
    assert recommended.status == State.RECOMMENDED
    assert not CollectiveDecision.objects.filter(application=recommended).exists()


def test_a_collective_decision_recorded_on_its_meeting_day_is_taken(recommended, reviewer):
    with travel(MEETING):
        record_collective(recommended, reviewer)
    recommended.refresh_from_db()
    assert recommended.status == State.PENDING_PARTY


@pytest.fixture
def on_the_agenda(organizer, reviewer, approver):
    with travel(date(2026, 12, 1)):
        app = pending_party_application(organizer, reviewer)
        meeting = services.create_meeting(actor=approver, date=MEETING, session=SESSION)
        return services.add_to_agenda(meeting=meeting, application=app, actor=approver)


def decide(item, approver):
    amounts = {t.pk: t.subsidy_requested for t in item.application.trades.all()}
    return services.record_party_decision(item=item, actor=approver, approved=True, union_role="co_host",
                                          approved_subsidies=amounts, note="经党组会研究，同意立项。")


def test_a_party_decision_recorded_the_day_before_the_meeting_is_refused_naming_both_dates(on_the_agenda, approver):
    with travel(day_before(MEETING)), pytest.raises(ValidationError) as refused:
        decide(on_the_agenda, approver)
    message = str(refused.value)
    assert "党组会定于 2026年12月8日召开，不能在此之前记录决定" in message and "2026年12月7日" in message
    on_the_agenda.refresh_from_db()
    assert on_the_agenda.is_pending and on_the_agenda.application.status == State.PENDING_PARTY


def test_a_party_decision_recorded_on_the_meeting_day_approves(on_the_agenda, approver):
    with travel(MEETING):
        decide(on_the_agenda, approver)
    on_the_agenda.application.refresh_from_db()
    assert on_the_agenda.application.status == State.APPROVED


@pytest.fixture
def approved(on_the_agenda, approver):
    with travel(MEETING):
        decide(on_the_agenda, approver)
    return on_the_agenda.application


def test_a_notice_issued_the_day_before_the_decision_is_refused_naming_both_dates(approved, reviewer):
    with travel(day_before(MEETING)), pytest.raises(ValidationError) as refused:
        notices.issue_notice(actor=reviewer, application=approved)
    message = str(refused.value)
    assert "党组会于 2026年12月8日作出立项决定" in message and "2026年12月7日" in message
    assert not ApprovalNotice.objects.filter(application=approved).exists()


def test_a_notice_issued_on_the_decision_day_is_dated_that_day(approved, reviewer):
    with travel(MEETING):
        notice = notices.issue_notice(actor=reviewer, application=approved)
    data = notices.notice_data(notice)
    assert data["date"] == data["meeting_date"] == "二〇二六年十二月八日"
