import pytest

from haidian_contest.workflow import State
from tests.lifecycle import build_application, submitted_application

pytestmark = pytest.mark.django_db


def test_scenario_a_builds_without_findings(organizer):
    from applications.evaluation import findings_for
    from applications.selectors import application_with_trades
    from tests.clock import APPLIED, travel

    # On the scenario's application day: A starts 2026-07-01, so later its start has passed (2.3b).
    with travel(APPLIED):
        app = build_application(organizer, "A")
        assert findings_for(application_with_trades(app)) == []


def test_submitting_records_version_and_status_change(organizer):
    app = submitted_application(organizer, "A")
    assert app.status == State.SUBMITTED
    assert app.versions.count() == 1
    change = app.status_changes.get()
    assert (change.from_status, change.to_status, change.actor) == (State.DRAFT, State.SUBMITTED, organizer)
