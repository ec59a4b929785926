import pytest

from rosters import services
from tests.lifecycle import submitted_application
from tests.performance.stages import in_progress


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def project(organizer, reviewer, approver, finance):
    """Scenario project A in 竞赛实施中 (320 + 240 + 210 planned participants), built through the stages."""
    return in_progress(organizer, reviewer, approver, finance, "A")


@pytest.fixture
def open_uploads(monkeypatch):
    """Opens the state check (rosters.services.upload_allowed) for projects the shared stage helpers
    cannot build: one of another cycle (they always build the scenario's 2026)."""
    monkeypatch.setattr(services, "upload_allowed", lambda application, kind: True)


@pytest.fixture
def other_project(other_organizer, reviewer, approver, finance):
    """Scenario project B of another unit, same cycle, also running."""
    return in_progress(other_organizer, reviewer, approver, finance, "B")


@pytest.fixture
def project_2025(other_organizer, open_uploads):
    """Another unit's project of the 2025 cycle."""
    return submitted_application(other_organizer, "B", cycle=2025)
