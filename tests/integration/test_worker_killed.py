"""A real Celery worker is killed (SIGKILL, as the OOM killer or a lost machine would) in the middle
of a roster import: the import is absent, not half there, and the organizer can run it again.

Needs PostgreSQL and Redis, as in production: the worker is a separate process that must see the
test's data, and the test must see that the worker's transaction is open when it strikes. To kill
the worker at a known point, the test holds a row lock the import needs at its very end (marking the
previous roster no longer current), so the worker dies with every participant row already written
in its open transaction.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from demo.rosters import workbook_bytes
from rosters import services
from rosters.models import Participant, RosterVersion
from tests.performance.stages import in_progress
from tests.rosters.stages import make_roster_rows, upload_file, upload_roster

from .cluster import wait_for
from .conftest import postgres_params, postgres_url

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[2]
ROWS = 3000
Status = RosterVersion.Status

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


class Worker:
    """`celery worker` in its own process group, against the test database and Redis."""

    def __init__(self, log_path: Path):
        env = dict(os.environ, DATABASE_URL=postgres_url(postgres_params()), REDIS_URL=REDIS_URL, CELERY_TASK_ALWAYS_EAGER="false",
                   MEDIA_ROOT=str(settings.MEDIA_ROOT), SECRET_KEY=settings.SECRET_KEY,
                   ID_HASH_KEY=settings.ID_HASH_KEY, ROSTER_IMPORT_STALE_SECONDS="1")
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "haidian_contest.celery", "worker", "-P", "prefork", "-c", "1",
             "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def _blocked_import_backend(watch):
    with watch.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND query LIKE 'UPDATE \"rosters_rosterversion\"%%'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _backend_gone(watch, pid):
    with watch.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


@pytest.fixture
def broker(use_broker):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield use_broker
    client.flushdb()


@pytest.fixture
def workers(tmp_path):
    started = []

    def start():
        worker = Worker(tmp_path / "worker.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def killed_mid_import(organizer, reviewer, approver, finance, broker, workers, django_capture_on_commit_callbacks,
                      settings):
    """Project A with an accepted first roster; the second upload's worker killed mid-import."""
    import psycopg

    project = in_progress(organizer, reviewer, approver, finance, "A")
    first = upload_roster(project, organizer, make_roster_rows(project, 50))
    broker(REDIS_URL)
    params = postgres_params()
    lock = psycopg.connect(**params)
    # pg_stat_activity is a snapshot per transaction: watch from a session outside one.
    watch = psycopg.connect(**params, autocommit=True)
    try:
        lock.execute("SELECT id FROM rosters_rosterversion WHERE id = %s FOR UPDATE", [first.pk])
        rows = make_roster_rows(project, ROWS, start=1000)
        second = services.start_import(
            application=project,
            actor=organizer,
            uploaded_file=upload_file(workbook_bytes(rows)),
            kind=RosterVersion.Kind.ROSTER,
        )
        worker = workers()
        backend = wait_for(lambda: _blocked_import_backend(watch), what="the import to reach its last statement")
        worker.kill()
        lock.rollback()
        wait_for(lambda: _backend_gone(watch, backend), what="PostgreSQL to end the dead worker's session")
    finally:
        lock.close()
        watch.close()
    settings.ROSTER_IMPORT_STALE_SECONDS = 1
    time.sleep(1.1)
    return project, first, second, rows


def test_killed_worker_leaves_the_import_absent(killed_mid_import):
    project, first, second, _ = killed_mid_import
    assert not Participant.objects.filter(version=second).exists()
    assert Participant.objects.filter(application=project, is_current=True, version=first).count() == 50
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == Status.PROCESSING and not second.is_current and first.is_current


def test_killed_import_is_retried_by_the_organizer_and_stored_whole(killed_mid_import, client, organizer, workers):
    project, first, second, rows = killed_mid_import
    client.force_login(organizer)
    page = client.get(reverse("rosters:version", args=[project.pk, second.pk])).content.decode()
    assert 'data-testid="retry-import"' in page
    workers()
    client.post(reverse("rosters:retry", args=[project.pk, second.pk]))
    second = wait_for(lambda: RosterVersion.objects.filter(pk=second.pk, status=Status.ACCEPTED).first(),
                      what="the retried import")
    assert second.is_current
    assert Participant.objects.filter(application=project, is_current=True).count() == len(rows)
    assert Participant.objects.filter(version=second).count() == len(rows)
