"""Winners wait for the final (1.7, haidian_contest.workflow.DATE_GATES); the roster does not.

Project held 2026-12-10 to 2026-12-20 (no trade final registered: the final is the end date).
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rosters import services
from rosters.models import RosterVersion
from tests.clock import travel
from tests.performance.stages import future_in_progress

from .stages import (
    make_roster_rows,
    make_winner_rows,
    upload_file,
    upload_roster,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def future(organizer, reviewer, approver, finance):
    app = future_in_progress(organizer, reviewer, approver, finance)
    with travel(date(2026, 12, 1)):
        app.roster_rows = make_roster_rows(app, 30)
        roster = upload_roster(app, organizer, app.roster_rows)
    assert roster.status == RosterVersion.Status.ACCEPTED, roster.errors
    return app


def start_winners(app, organizer):
    from rosters.importing.columns import WINNER_COLUMNS

    content = workbook_bytes(make_winner_rows(app.roster_rows, per_trade=(1, 1, 1)), WINNER_COLUMNS)
    return services.start_import(
        application=app,
        actor=organizer,
        uploaded_file=upload_file(content, "获奖名单.xlsx"),
        kind=RosterVersion.Kind.WINNERS,
    )


def test_the_roster_is_accepted_before_the_event(future):
    assert future.roster_versions.filter(kind=RosterVersion.Kind.ROSTER, status="accepted").exists()


def test_winners_before_the_final_are_refused_naming_the_date(future, organizer):
    with travel(date(2026, 12, 19)), pytest.raises(ValidationError) as refused:
        start_winners(future, organizer)
    assert "2026年12月20日" in str(refused.value) and "获奖名单" in str(refused.value)
    assert not future.roster_versions.filter(kind=RosterVersion.Kind.WINNERS).exists()


def test_winners_on_the_day_of_the_final_are_taken(future, organizer):
    with travel(date(2026, 12, 20)):
        assert start_winners(future, organizer).kind == RosterVersion.Kind.WINNERS


def test_a_registered_trade_final_opens_the_winners_gate_on_that_day(future, organizer, reviewer):
    from applications.services import adjust_dates

    with travel(date(2026, 12, 5)):
        adjust_dates(application=future, actor=reviewer, start_date=date(2026, 12, 10), end_date=date(2026, 12, 20),
                     final_date=date(2026, 12, 15), reason="各工种决赛统一提前至 12 月 15 日。")
    with travel(date(2026, 12, 14)), pytest.raises(ValidationError, match="2026年12月15日"):
        start_winners(future, organizer)
    with travel(date(2026, 12, 15)):
        start_winners(future, organizer)
