"""An import whose worker died: nothing of it is stored, the organizer can run it again, and a run
that was presumed dead and wakes up later stores nothing a second time.

The worker's death is the state it leaves behind: the version claimed ("processing") and then no
sign of life. tests/integration/test_worker_killed.py kills a real worker process mid-import.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rosters import pipeline, services
from demo.rosters import workbook_bytes
from rosters.models import Participant, RosterVersion

from .stages import make_roster_rows, upload_file, upload_roster, wrong_check_digit

pytestmark = pytest.mark.django_db
Status = RosterVersion.Status


def queue_upload(project, organizer, rows, django_capture_on_commit_callbacks) -> RosterVersion:
    """The organizer's upload, with the job handed to a worker that never gets to run it."""
    with django_capture_on_commit_callbacks(execute=False):
        return services.start_import(
            application=project,
            actor=organizer,
            uploaded_file=upload_file(workbook_bytes(rows)),
            kind=RosterVersion.Kind.ROSTER,
        )


def worker_dies_after_claiming(version: RosterVersion) -> None:
    pipeline._claim(version.pk)


@pytest.fixture
def stalled(project, organizer, settings, django_capture_on_commit_callbacks):
    rows = make_roster_rows(project, 60)
    version = queue_upload(project, organizer, rows, django_capture_on_commit_callbacks)
    worker_dies_after_claiming(version)
    settings.ROSTER_IMPORT_STALE_SECONDS = 0
    version.refresh_from_db()
    return version, rows


def test_a_claimed_import_with_no_sign_of_life_counts_as_stalled(stalled):
    version, _ = stalled
    assert version.status == Status.PROCESSING and version.stalled


def test_an_import_that_is_still_running_is_not_stalled(project, organizer, django_capture_on_commit_callbacks):
    version = queue_upload(project, organizer, make_roster_rows(project, 10), django_capture_on_commit_callbacks)
    worker_dies_after_claiming(version)
    version.refresh_from_db()
    assert not version.stalled


def test_a_stalled_import_has_stored_nothing(stalled):
    version, _ = stalled
    assert not Participant.objects.filter(version=version).exists()


def test_the_organizer_retries_a_stalled_import_and_it_is_stored_whole(stalled, organizer,
                                                                      django_capture_on_commit_callbacks):
    version, rows = stalled
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_import(version=version, actor=organizer)
    version.refresh_from_db()
    assert version.status == Status.ACCEPTED and version.is_current
    assert Participant.objects.filter(version=version).count() == len(rows)


def test_retry_is_refused_while_the_import_is_alive(project, organizer, django_capture_on_commit_callbacks):
    version = queue_upload(project, organizer, make_roster_rows(project, 10), django_capture_on_commit_callbacks)
    worker_dies_after_claiming(version)
    with pytest.raises(ValidationError, match="正在处理"):
        services.retry_import(version=version, actor=organizer)


def test_retry_is_refused_for_another_units_project(stalled, other_organizer):
    version, _ = stalled
    with pytest.raises(Exception, match="本单位"):
        services.retry_import(version=version, actor=other_organizer)


def test_a_run_presumed_dead_that_wakes_up_stores_nothing_a_second_time(stalled, monkeypatch):
    """Run 1 is slow, not dead: while it reads, a redelivered run 2 takes the version over and
    finishes. Run 1 then reaches its storing step and must leave run 2's result alone."""
    version, rows = stalled
    real_read = pipeline.read_people
    runs = []

    def slow_read(*args, **kwargs):
        result = real_read(*args, **kwargs)
        runs.append(len(runs) + 1)
        if runs == [1]:
            pipeline.process(version.pk)  # run 2, the redelivery, completes while run 1 still reads
        return result

    monkeypatch.setattr(pipeline, "read_people", slow_read)
    pipeline.process(version.pk)  # run 1 (it finds the version stalled, so it claims it first)
    version.refresh_from_db()
    assert runs == [1, 2] and version.status == Status.ACCEPTED and version.attempt == 3
    assert Participant.objects.filter(version=version).count() == len(rows)


def test_an_older_upload_redelivered_after_a_newer_one_was_imported_is_not_imported(
        stalled, project, organizer, django_capture_on_commit_callbacks):
    old, _ = stalled
    newer_rows = make_roster_rows(project, 40, start=500)
    newer = upload_roster(project, organizer, newer_rows)
    pipeline.process(old.pk)  # the broker redelivers the dead worker's task
    old.refresh_from_db()
    newer.refresh_from_db()
    assert old.status == Status.FAILED and "第2版" in old.errors[0]["message"]
    assert newer.is_current
    assert Participant.objects.filter(application=project, is_current=True).count() == len(newer_rows)


def test_the_version_page_offers_the_retry_once_the_import_stalled(stalled, client, organizer):
    version, _ = stalled
    client.force_login(organizer)
    page = client.get(reverse("rosters:version", args=[version.application_id, version.pk]))
    assert 'data-testid="retry-import"' in page.content.decode()


def test_the_version_page_offers_no_retry_while_the_import_runs(project, organizer, client,
                                                                django_capture_on_commit_callbacks):
    version = queue_upload(project, organizer, make_roster_rows(project, 10), django_capture_on_commit_callbacks)
    client.force_login(organizer)
    page = client.get(reverse("rosters:version", args=[project.pk, version.pk]))
    assert 'data-testid="import-stalled"' not in page.content.decode()


def test_the_retry_button_runs_the_import_again(stalled, client, organizer, django_capture_on_commit_callbacks):
    version, rows = stalled
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rosters:retry", args=[version.application_id, version.pk]))
    assert response.status_code == 302
    assert Participant.objects.filter(version=version, is_current=True).count() == len(rows)


def test_an_import_past_its_time_budget_stops_itself_with_a_message(project, organizer, settings,
                                                                    django_capture_on_commit_callbacks):
    version = queue_upload(project, organizer, make_roster_rows(project, 20), django_capture_on_commit_callbacks)
    settings.ROSTER_IMPORT_MAX_SECONDS = 0
    pipeline.process(version.pk)
    version.refresh_from_db()
    assert version.status == Status.FAILED and not version.stalled
    assert any("超过了 0 秒的时限，已停止" in e["message"] for e in version.errors), version.errors
    assert not Participant.objects.filter(version=version).exists()


def test_an_import_within_its_time_budget_is_stored(project, organizer, settings, django_capture_on_commit_callbacks):
    version = queue_upload(project, organizer, make_roster_rows(project, 20), django_capture_on_commit_callbacks)
    settings.ROSTER_IMPORT_MAX_SECONDS = 60
    pipeline.process(version.pk)
    version.refresh_from_db()
    assert version.status == Status.ACCEPTED


def test_the_heartbeat_beats_while_the_file_is_measured_and_opened(project, organizer, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    """Issue 25: the heartbeat fell silent 16 ms into a 38-minute read, so the run looked dead."""
    version = queue_upload(project, organizer, make_roster_rows(project, 20), django_capture_on_commit_callbacks)
    monkeypatch.setattr(pipeline, "HEARTBEAT_INTERVAL", 0)
    real_open = pipeline.open_sheet
    beats = []

    def watched_open(*args, **kwargs):
        beats.append(RosterVersion.objects.values_list("heartbeat_at", flat=True).get(pk=version.pk))
        sheet = real_open(*args, **kwargs)
        beats.append(RosterVersion.objects.values_list("heartbeat_at", flat=True).get(pk=version.pk))
        return sheet

    monkeypatch.setattr(pipeline, "open_sheet", watched_open)
    pipeline.process(version.pk)
    claimed, opened = beats
    assert opened > claimed


def test_an_import_that_runs_out_of_time_marking_its_errors_keeps_them_and_says_why_no_file(
        project, organizer, monkeypatch, django_capture_on_commit_callbacks):
    rows = make_roster_rows(project, 1200)
    rows[4]["id_number"] = wrong_check_digit(rows[4]["id_number"])
    version = queue_upload(project, organizer, rows, django_capture_on_commit_callbacks)
    clocks = []

    class WatchedClock(pipeline.Clock):
        def __init__(self, *args):
            super().__init__(*args)
            clocks.append(self)

    real_roster = pipeline._roster

    def checked_then_out_of_time(*args):
        problems = real_roster(*args)
        clocks[0].budget = -1  # the time runs out while the errors are marked in a copy of the file
        return problems

    monkeypatch.setattr(pipeline, "Clock", WatchedClock)
    monkeypatch.setattr(pipeline, "_roster", checked_then_out_of_time)
    pipeline.process(version.pk)
    version.refresh_from_db()
    assert version.status == Status.FAILED and not version.error_file
    assert "身份证号校验位错误" in version.errors[0]["text"]
    assert "未生成标注错误的表格" in version.errors[-1]["text"] and "时限" in version.errors[-1]["text"]
