import pytest

from applications import workflow_engine
from tests.review.stages import approved_application

from tests.performance.stages import expected_results_recorded

from .stages import agreement_signed, tranche_1_paid


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Signed scans are written to disk: keep them out of the developer's media folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approved(organizer, reviewer, approver):
    """Scenario A after 2026年第15次党组会: 立项 as 联合主办 with 256,000.00 approved."""
    return approved_application(organizer, reviewer, approver, "A", union_role="co_host")


@pytest.fixture
def signed(approved, reviewer):
    return agreement_signed(approved, reviewer, number="HDZGH-2026-007")


@pytest.fixture
def in_progress(signed, finance):
    return tranche_1_paid(signed, finance)


@pytest.fixture
def audit_passed(in_progress, organizer, reviewer, monkeypatch):
    """Tranche 2 only needs the workflow state AUDIT_PASSED, so the materials are taken as complete.

    The performance app owns the materials; funding reads nothing from it, only Application.status.
    """
    monkeypatch.setitem(workflow_engine.GUARDS, "materials_complete", lambda application: [])
    workflow_engine.perform(application=in_progress, name="submit_materials", actor=organizer)
    workflow_engine.perform(application=in_progress, name="audit_pass", actor=reviewer, comment="材料齐全，审核通过。")
    in_progress.refresh_from_db()
    # 2.3b: with the audit passed, the department records the expected-results outcome.
    return expected_results_recorded(in_progress, reviewer)
