import pytest

from .stages import in_progress as _in_progress
from .stages import materials_complete, materials_submitted


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads of each test go to its own folder, never into the developer's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def in_progress(organizer, reviewer, approver, finance):
    return _in_progress(organizer, reviewer, approver, finance)


@pytest.fixture
def complete(in_progress, organizer):
    return materials_complete(in_progress, organizer)


@pytest.fixture
def submitted(complete, organizer):
    return materials_submitted(complete, organizer)


@pytest.fixture
def with_people(in_progress, organizer):
    """A small accepted roster (60 people over the three trades) and its winners (1/2/3 per trade)."""
    from rosters.models import RosterVersion
    from tests.rosters.stages import make_roster_rows, make_winner_rows, upload_roster, upload_winners

    rows = make_roster_rows(in_progress, 60)
    roster = upload_roster(in_progress, organizer, rows)
    winners = upload_winners(in_progress, organizer, make_winner_rows(rows, per_trade=(1, 2, 3)))
    assert (roster.status, winners.status) == (RosterVersion.Status.ACCEPTED, RosterVersion.Status.ACCEPTED), (
        roster.errors, winners.errors)
    in_progress.roster_rows = rows
    return in_progress


@pytest.fixture
def survey(with_people, organizer):
    """The questionnaire of the 60-person project, opened by its organizer while the event runs."""
    from performance.survey.services import open_survey

    return open_survey(actor=organizer, application=with_people)
