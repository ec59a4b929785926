"""The agreement follows the 立项通知书 (or the decision, while none is issued), tranche 1 the agreement
(haidian_contest.workflow.ORDER_GATES), each refusal naming both dates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haidian_contest.workflow import State
from review.documents import approval_notice as notices
from tests.clock import day_before, travel
from tests.review.stages import approved_application, party_meeting

from .stages import agreement_signed, tranche_1_paid

pytestmark = pytest.mark.django_db

MEETING = date(2026, 12, 8)
NOTICE = date(2026, 12, 10)
SIGNED = date(2026, 12, 12)


@pytest.fixture
def approved(organizer, reviewer, approver):
    with travel(MEETING):
        return approved_application(organizer, reviewer, approver,
                                    meeting=party_meeting(approver, "2026年第24次党组会", MEETING))


@pytest.fixture
def notified(approved, reviewer):
    with travel(NOTICE):
        notices.issue_notice(actor=reviewer, application=approved)
    return approved


def test_an_agreement_signed_the_day_before_the_notice_is_refused_naming_both_dates(notified, reviewer):
    with travel(SIGNED), pytest.raises(ValidationError) as refused:
        agreement_signed(notified, reviewer, signed_on=day_before(NOTICE))
    message = str(refused.value)
    assert "立项通知书于 2026年12月10日签发" in message and "2026年12月9日" in message
    notified.refresh_from_db()
    assert notified.status == State.APPROVED


def test_an_agreement_signed_on_the_notice_day_is_recorded(notified, reviewer):
    with travel(SIGNED):
        app = agreement_signed(notified, reviewer, signed_on=NOTICE)
    assert app.status == State.AGREEMENT_SIGNED


def test_without_a_notice_an_agreement_signed_before_the_decision_is_refused(approved, reviewer):
    with travel(SIGNED), pytest.raises(ValidationError) as refused:
        agreement_signed(approved, reviewer, signed_on=day_before(MEETING))
    assert "党组会于 2026年12月8日作出立项决定" in str(refused.value) and "2026年12月7日" in str(refused.value)


def test_without_a_notice_an_agreement_signed_on_the_decision_day_is_recorded(approved, reviewer):
    with travel(SIGNED):
        app = agreement_signed(approved, reviewer, signed_on=MEETING)
    assert app.status == State.AGREEMENT_SIGNED


@pytest.fixture
def signed(notified, reviewer):
    with travel(SIGNED):
        return agreement_signed(notified, reviewer, signed_on=SIGNED)


def test_tranche_1_paid_the_day_before_the_agreement_is_refused_naming_both_dates(signed, finance):
    with travel(date(2026, 12, 14)), pytest.raises(ValidationError) as refused:
        tranche_1_paid(signed, finance, paid_on=day_before(SIGNED))
    message = str(refused.value)
    assert "合作协议于 2026年12月12日签订" in message and "2026年12月11日" in message
    signed.refresh_from_db()
    assert signed.status == State.AGREEMENT_SIGNED


def test_tranche_1_paid_on_the_agreement_day_is_recorded(signed, finance):
    with travel(date(2026, 12, 14)):
        app = tranche_1_paid(signed, finance, paid_on=SIGNED)
    assert app.status == State.IN_PROGRESS

