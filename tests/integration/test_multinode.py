"""Rehearsal of a multi-machine installation on one machine: two web nodes, two Celery workers and one
beat, each started by deploy/run.sh as the systemd units start them, against one PostgreSQL and one
Redis. Requests alternate between the nodes as a round-robin load balancer would send them.

Shown here: a login on one node is honoured by the other; a second beat refuses to run (and a beat
takes over when the holder is gone); a payment raced across both nodes is paid once; a roster import
whose worker is killed is redelivered to the other worker and stored once; killing a web node in the
middle of traffic loses the effect of no request that was answered.
"""

import os
import signal
import sys
import threading
import time

import pytest
from django.conf import settings

from demo.rosters import workbook_bytes
from funding import selectors as funding_selectors
from funding.models import LedgerEntry
from haidian_contest.workflow import State
from rosters import services as roster_services
from rosters.models import Participant, RosterVersion
from tests.factories import PASSWORD
from tests.funding.stages import PAYEE_ACCOUNT, PAYEE_BANK, agreement_signed
from tests.performance.stages import in_progress
from tests.review.stages import approved_application
from tests.rosters.stages import make_roster_rows, upload_file, upload_roster

from .cluster import TEST_ONLY, Browser, Process, free_port, hidden_value, wait_for
from .conftest import postgres_params, postgres_url
from .test_worker_killed import _backend_gone, _blocked_import_backend

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
BEAT_LOCK_TTL = 4

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _node_environment(tmp_path) -> dict:
    env = dict(os.environ)
    for name in TEST_ONLY:
        env.pop(name, None)  # check --deploy (rightly) refuses the test process's switches
    env.update(
        DATABASE_URL=postgres_url(postgres_params()), REDIS_URL=REDIS_URL, ALLOWED_HOSTS="127.0.0.1",
        CACHE_URL=REDIS_URL.replace("redis://", "rediscache://", 1),  # README's recipe: one cache for every node
        SECRET_KEY=settings.SECRET_KEY, ID_HASH_KEY=settings.ID_HASH_KEY,
        MEDIA_ROOT=str(tmp_path / "shared-media"), STATIC_ROOT=str(tmp_path / "static"),
        WEB_WORKERS="1", WEB_THREADS="4", CELERY_CONCURRENCY="1",
        # Short enough for a test: a dead worker's task comes back after 5 s, a silent import is stale after 2 s.
        CELERY_VISIBILITY_TIMEOUT="5", ROSTER_IMPORT_STALE_SECONDS="2", BEAT_LOCK_TTL_SECONDS=str(BEAT_LOCK_TTL),
        # The nodes run with the production settings except the second factor, which the access matrix covers.
        REQUIRE_2FA_ROLES="", VENV=sys.prefix,
    )
    return env


class Cluster:
    def __init__(self, tmp_path):
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        self.tmp = tmp_path
        self.env = _node_environment(tmp_path)
        self.processes: list[Process] = []
        release = Process("release", self.env, tmp_path / "release.log")
        assert release.process.wait(timeout=300) == 0, release.log()
        self.web = []
        for name in ("a", "b"):
            port = free_port()
            node = self.start("web", f"web-{name}", BIND=f"127.0.0.1:{port}")
            node.base = f"http://127.0.0.1:{port}"
            self.web.append(node)
        self.workers = [self.start("worker", f"worker-{n}", CELERY_HOSTNAME=f"worker{n}@%h") for n in (1, 2)]
        self.beat = self.start("beat", "beat-1", BEAT_SCHEDULE_FILE=str(tmp_path / "beat-1.schedule"))
        for node in self.web:
            wait_for(lambda node=node: self._answers(node), timeout=120, what=f"{node.role} at {node.base}")
        wait_for(lambda: "lock taken" in self.beat.log(), timeout=60, what="the beat to take its lock")

    def start(self, role, name, **extra) -> Process:
        process = Process(role, self.env, self.tmp / f"{name}.log", **extra)
        self.processes.append(process)
        return process

    @staticmethod
    def _answers(node) -> bool:
        assert node.alive(), node.log()[-3000:]
        try:
            return Browser().get(f"{node.base}/healthz", timeout=5)[0] == 200
        except OSError:
            return False

    def stop(self):
        for process in reversed(self.processes):
            process.stop()


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        running = Cluster(tmp_path_factory.mktemp("cluster"))
    yield running
    running.stop()


def test_a_login_on_one_node_is_honoured_by_the_other(cluster, organizer):
    node_a, node_b = cluster.web
    browser = Browser()
    browser.login(node_a.base, organizer.username, PASSWORD)
    status, page, _ = browser.get(f"{node_b.base}/applications/")
    assert status == 200 and organizer.full_name in page


def test_a_signed_out_session_is_refused_by_the_other_node(cluster, organizer):
    node_a, node_b = cluster.web
    browser = Browser()
    browser.login(node_a.base, organizer.username, PASSWORD)
    browser.post(f"{node_a.base}/accounts/logout/", {})
    status, _, headers = browser.get(f"{node_b.base}/applications/")
    assert status == 302 and "/accounts/login/" in headers["Location"]


def test_a_second_beat_refuses_to_run(cluster):
    second = cluster.start("beat", "beat-2", BEAT_SCHEDULE_FILE=str(cluster.tmp / "beat-2.schedule"))
    assert second.process.wait(timeout=120) == 3
    assert "another celery beat holds the lock" in second.log()
    assert cluster.beat.alive()


def _release_data(project, token: str) -> dict:
    agreement = funding_selectors.current_agreement(project)
    return {
        "token": token, "paid_on": time.strftime("%Y-%m-%d"), "voucher_no": "记-2026-1201-01",
        "payee_name": project.lead_organization.name, "payee_bank": PAYEE_BANK, "payee_account": PAYEE_ACCOUNT,
        "amount": f"{agreement.scheduled(1):.2f}", "note": "", "late_reason": "多节点演练：竞赛开始后拨付。",
    }


def test_a_payment_raced_across_both_nodes_is_paid_once(cluster, organizer, reviewer, approver, finance):
    project = agreement_signed(approved_application(organizer, reviewer, approver), reviewer)
    forms = []
    for node in cluster.web:  # one form opened on each node: two different tokens
        browser = Browser()
        browser.login(node.base, finance.username, PASSWORD)
        url = f"{node.base}/funding/projects/{project.pk}/tranches/1/release/"
        status, page, _ = browser.get(url)
        assert status == 200, page[:500]
        forms.append((browser, hidden_value(page, "token"), hidden_value(page, "round")))
    answers, start = [], threading.Barrier(8)

    def pay(i):
        browser, token, round_ = forms[i % 2]
        node = cluster.web[(i // 2) % 2]  # each token sent to both nodes, twice
        start.wait()
        data = dict(_release_data(project, token), round=round_, csrfmiddlewaretoken=browser.csrf())
        answers.append(browser.post(f"{node.base}/funding/projects/{project.pk}/tranches/1/release/", data)[0])

    threads = [threading.Thread(target=pay, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 8 and set(answers) <= {200, 302} and 302 in answers, answers
    assert LedgerEntry.objects.filter(tranche__application=project, tranche__number=1).count() == 1
    project.refresh_from_db()
    assert project.status == State.IN_PROGRESS


def test_a_roster_import_whose_worker_is_killed_is_redelivered_and_stored_once(
        cluster, organizer, reviewer, approver, finance, use_broker, settings):
    import psycopg

    project = in_progress(organizer, reviewer, approver, finance, "A")
    first = upload_roster(project, organizer, make_roster_rows(project, 20))  # in this process, eagerly
    settings.MEDIA_ROOT = cluster.env["MEDIA_ROOT"]  # the upload below lands on the storage the nodes share
    use_broker(REDIS_URL)
    params = postgres_params()
    lock, watch = psycopg.connect(**params), psycopg.connect(**params, autocommit=True)
    rows = make_roster_rows(project, 1500, start=1000)
    try:
        # The import's last statement marks the previous roster no longer current: hold that row, so the
        # worker is killed with every participant row already written in its open transaction.
        lock.execute("SELECT id FROM rosters_rosterversion WHERE id = %s FOR UPDATE", [first.pk])
        second = roster_services.start_import(
            application=project,
            actor=organizer,
            uploaded_file=upload_file(workbook_bytes(rows)),
            kind=RosterVersion.Kind.ROSTER,
        )
        backend = wait_for(lambda: _blocked_import_backend(watch), what="the import to reach its last statement")
        busy = wait_for(lambda: [w for w in cluster.workers if "rosters.process_version" in w.log() and "received" in w.log()],
                        what="a worker to receive the import")
        victim = busy[0]
        victim.kill(signal.SIGKILL)
        lock.rollback()
        wait_for(lambda: _backend_gone(watch, backend), what="PostgreSQL to end the dead worker's session")
    finally:
        lock.close()
        watch.close()
    # Redelivered by the broker (no one pressed 重新处理) to the surviving worker, which may already be done
    # by now (test_worker_killed.py shows the killed import left nothing behind).
    wait_for(lambda: RosterVersion.objects.filter(pk=second.pk, status=RosterVersion.Status.ACCEPTED).exists(),
             timeout=120, what="the redelivered import to be stored")
    survivor = next(w for w in cluster.workers if w is not victim)
    assert "received" in survivor.log()
    stored = Participant.objects.filter(version=second)
    assert stored.count() == len(rows)
    assert stored.values("id_hash").distinct().count() == len(rows)
    assert Participant.objects.filter(application=project, is_current=True).count() == len(rows)
    cluster.workers.remove(victim)


def test_killing_a_web_node_mid_traffic_loses_no_answered_request(cluster, organizer):
    node_a, node_b = cluster.web
    browser = Browser()
    browser.login(node_b.base, organizer.username, PASSWORD)
    outcomes, lock = {}, threading.Lock()
    total = 60

    def send(i):
        node = cluster.web[i % 2]
        title = f"多节点演练草稿 {i:03d}"
        data = {"title": title, "cycle": "2027", "co-TOTAL_FORMS": "0", "co-INITIAL_FORMS": "0",
                "co-MIN_NUM_FORMS": "0", "co-MAX_NUM_FORMS": "1000", "action": "save",
                "csrfmiddlewaretoken": browser.csrf()}
        try:
            status = browser.post(f"{node.base}/applications/new/", data, timeout=20)[0]
        except OSError:
            status = None  # connection refused or reset: the client was told nothing was done
        with lock:
            outcomes[title] = (node is node_a, status)

    def traffic(offset):
        for i in range(offset, total, 2):
            send(i)
            if i == total // 3:
                node_a.kill(signal.SIGKILL)  # mid-traffic, with the other thread's request possibly in flight

    threads = [threading.Thread(target=traffic, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    from applications.models import Application

    answered = [title for title, (_, status) in outcomes.items() if status == 302]
    unanswered = [title for title, (_, status) in outcomes.items() if status != 302]
    stored = list(Application.objects.filter(title__startswith="多节点演练草稿").values_list("title", flat=True))
    assert not node_a.alive()
    assert answered and unanswered, outcomes  # the kill really happened mid-traffic
    assert all(stored.count(title) == 1 for title in answered)  # every answered request's effect is there, once
    assert all(stored.count(title) <= 1 for title in unanswered)
    assert all(status == 302 for title, (on_a, status) in outcomes.items() if not on_a)  # node B kept serving
    cluster.web.remove(node_a)


def test_a_new_beat_takes_over_once_the_holder_is_gone(cluster):
    cluster.beat.kill(signal.SIGKILL)
    # The dead holder's lock lasts up to BEAT_LOCK_TTL; until then a new beat exits with 3 and its unit
    # restarts it (Restart=on-failure): this loop plays the part of systemd.
    deadline, attempt = time.monotonic() + BEAT_LOCK_TTL * 10, 0
    while time.monotonic() < deadline:
        attempt += 1
        successor = cluster.start("beat", f"beat-3-{attempt}", BEAT_SCHEDULE_FILE=str(cluster.tmp / "beat-3.schedule"))
        wait_for(lambda: not successor.alive() or "lock taken" in successor.log(), timeout=60,
                 what="the beat to start or refuse")
        if successor.alive():
            break
        assert successor.process.returncode == 3, successor.log()
        time.sleep(1)
    assert successor.alive() and "lock taken" in successor.log()
