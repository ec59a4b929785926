"""Planned participants: 0 is not a shortfall to waive but invalid input."""

import pytest

from applications.forms import TradeForm

pytestmark = pytest.mark.django_db


def _trade(participants):
    form = TradeForm(data={"category": "innovative", "certifiable": "1", "custom_name": "测试工种",
                           "planned_participants": participants, "subsidy_requested": "1000"})
    form.is_valid()
    return form


def test_zero_planned_participants_is_refused_with_a_clear_message():
    form = _trade("0")
    assert "计划参赛人数至少为 1 人" in form.errors["planned_participants"][0]


def test_one_planned_participant_is_accepted_by_the_form():
    assert "planned_participants" not in _trade("1").errors
