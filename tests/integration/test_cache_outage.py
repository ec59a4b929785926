"""The cache server down under the production settings: a web node started by deploy/run.sh with
CACHE_URL=rediscache://… (README's recipe) keeps serving every page, quickly, while its Redis is killed
or hangs, and caches again once it is back.

The Redis here is the test's own, on a private port (the shared one serves the other tests): it is the
broker and the cache of the node, as in README's `.env`.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings

from haidian_contest.cache import BREAK_SECONDS
from tests.factories import PASSWORD
from tests.performance.stages import in_progress
from tests.rosters.stages import make_roster_rows, upload_roster

from .cluster import TEST_ONLY, Browser, Process, free_port, wait_for
from .conftest import postgres_params, postgres_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PAGE_SECONDS = 3  # a page with its cache down: the database's work, plus one connect timeout at most
WEB_WORKERS = 2


class PrivateRedis:
    def __init__(self, tmp_path):
        self.port = free_port()
        self.tmp = tmp_path
        self.process = None
        self.start()

    def start(self):
        server = shutil.which("redis-server")
        assert server, "redis-server is not installed (.ci/run and the Makefile install it)"
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._answers, timeout=30, what=f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.exceptions.ConnectionError:
            return False

    def client(self, db=1):
        return redis.Redis(port=self.port, db=db, socket_timeout=1, socket_connect_timeout=1)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=30)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def cached_keys(self) -> int:
        return self.client().dbsize()


@pytest.fixture(scope="module")
def node(django_db_setup, django_db_blocker, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cache-outage")
    server = PrivateRedis(tmp)
    env = dict(os.environ)
    for name in TEST_ONLY:
        env.pop(name, None)
    port = free_port()
    with django_db_blocker.unblock():
        database = postgres_url(postgres_params())
    env.update(
        DATABASE_URL=database, REDIS_URL=f"redis://127.0.0.1:{server.port}/0",
        CACHE_URL=f"rediscache://127.0.0.1:{server.port}/1", ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY=settings.SECRET_KEY, ID_HASH_KEY=settings.ID_HASH_KEY, MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"), WEB_WORKERS=str(WEB_WORKERS), WEB_THREADS="2", REQUIRE_2FA_ROLES="",
        VENV=sys.prefix, BIND=f"127.0.0.1:{port}",
    )
    release = Process("release", env, tmp / "release.log")
    assert release.process.wait(timeout=300) == 0, release.log()
    assert "haidian_contest.W001" not in release.log()  # the recipe's shared cache: no per-process warning
    web = Process("web", env, tmp / "web.log")
    web.base, web.redis, web.media = f"http://127.0.0.1:{port}", server, env["MEDIA_ROOT"]

    def answers():
        assert web.alive(), web.log()[-3000:]
        try:
            return Browser().get(f"{web.base}/healthz", timeout=5)[0] == 200
        except OSError:
            return False

    wait_for(answers, timeout=120, what="the web node")
    yield web
    web.stop()
    server.resume()
    server.kill()


@pytest.fixture
def signed_in(node, organizer, reviewer, approver, finance, settings):
    """A running project with its roster, and a browser per role signed in on the node, with each
    role's pages: the ones issue 25 saw answer 500, the project's tabs and each role's lists."""
    settings.MEDIA_ROOT = node.media
    project = in_progress(organizer, reviewer, approver, finance, "A")
    upload_roster(project, organizer, make_roster_rows(project, 20))
    pk = project.pk
    tabs = [f"/applications/{pk}/", f"/review/{pk}/", f"/funding/projects/{pk}/", f"/rosters/project/{pk}/",
            f"/performance/{pk}/"]
    pages = {
        organizer: ["/", "/applications/", "/notifications/", f"/applications/{pk}/", f"/rosters/project/{pk}/",
                    f"/funding/projects/{pk}/", f"/performance/{pk}/"],
        reviewer: ["/review/", "/funding/ledger/", "/funding/", "/dashboard/", "/applications/", "/notifications/",
                   "/review/meetings/", *tabs],
        finance: ["/funding/", "/funding/ledger/", "/dashboard/", "/notifications/", f"/applications/{pk}/"],
        approver: ["/review/meetings/", "/funding/ledger/", "/dashboard/", f"/applications/{pk}/"],
    }
    walks = []
    for user, urls in pages.items():
        browser = Browser()
        browser.login(node.base, user.username, PASSWORD)
        walks.append((user.username, browser, urls))
    return walks


def _walk(node, walks) -> list[tuple[str, str, int, float]]:
    """(user, url, status, seconds) of every page of every role."""
    answers = []
    for username, browser, urls in walks:
        for url in urls:
            started = time.monotonic()
            status, _, _ = browser.get(f"{node.base}{url}", timeout=60)
            answers.append((username, url, status, round(time.monotonic() - started, 2)))
    return answers


def _assert_all_served(answers):
    failed = [a for a in answers if a[2] != (302 if a[1] == "/" else 200)]  # home sends each role to its page
    slow = [a for a in answers if a[3] > PAGE_SECONDS]
    assert not failed and not slow, {"not 200": failed, f"over {PAGE_SECONDS} s": slow}


def test_every_page_answers_while_the_cache_server_is_killed_and_caching_resumes_when_it_is_back(node, signed_in):
    _assert_all_served(_walk(node, signed_in))
    assert node.redis.cached_keys() > 0  # the pages do use the cache

    logged_before = len(node.log())
    node.redis.kill()
    for _ in range(2):  # the second walk with every worker's breaker open
        answers = _walk(node, signed_in)
        print("cache killed:", answers)
        _assert_all_served(answers)
    fresh = Browser()  # signing in needs no cache either
    fresh.login(node.base, signed_in[0][0], PASSWORD)
    assert fresh.get(f"{node.base}/applications/")[0] == 200

    node.redis.start()  # empty: nothing was saved
    assert node.redis.cached_keys() == 0

    def cached_again():
        _assert_all_served(_walk(node, signed_in))
        return node.redis.cached_keys() > 0

    wait_for(cached_again, timeout=BREAK_SECONDS * 6, interval=1, what="pages to be cached again")
    log = node.log()[logged_before:]
    # Logged once a minute per process, not once per request: at most one report per worker.
    assert 1 <= log.count("unreachable") <= WEB_WORKERS, log[-3000:]
    assert "answers again" in log


def test_every_page_answers_quickly_while_the_cache_server_hangs(node, signed_in):
    _walk(node, signed_in)  # connections to the cache are open in the pool when it stops answering
    node.redis.pause()
    try:
        answers = _walk(node, signed_in)
        print("cache hung:", answers)
        _assert_all_served(answers)
    finally:
        node.redis.resume()
