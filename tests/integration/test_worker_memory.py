"""A production web node's memory across a sweep of every page and document, as each role (issue 25).

One gunicorn worker (deploy/run.sh web, production settings, the demo's data on SQLite) serves every
page each demo user can reach by following links from the home page, and every PDF, .xlsx and .docx
among them; a few addresses per route, so the meeting minutes, the packets and each project's
exports are all made. Then the worker's peak resident size (VmHWM, the high-water mark over the whole
sweep) must stay under 300 MB, the worker must be the same process (not recycled by max_requests), and
the PDF renderer children (haidian_contest/pdf.py) must be gone once the node stops. With WeasyPrint
in the worker (before) the same sweep took it to 600 MB; with the renderer children, 132 MB.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from haidian_contest.crypto import generate_key

from .cluster import TEST_ONLY, Browser, Process, free_port, wait_for

pytestmark = pytest.mark.redis

LIMIT_MB = 300
PER_ROUTE = 3  # addresses per route: enough for every meeting's minutes and each kind of project
PER_ADMIN_ROUTE = 1  # the admin site's pages are one code path per kind of page (and some 1,400 links)
ROLES = ("wangfang", "chenjing", "liuyang", "sunli", "zhoutao", "admin")  # one demo user per role
DEMO_PASSWORD = "Haidian-2026"
LINK = re.compile(r'(?:href|hx-get|src|action)="([/?][^"#]*)"')
SKIP = ("/static/", "/accounts/logout/", "/favicon.ico")
DOCUMENTS = ("application/pdf", "spreadsheetml", "wordprocessingml")


def _redis_url() -> str:
    """The test Redis server with a database of this test's own (the node's cache and sessions)."""
    parts = urllib.parse.urlsplit(os.environ["TEST_REDIS_URL"])
    return urllib.parse.urlunsplit(parts._replace(path="/9"))


def _environment(tmp_path: Path) -> dict:
    env = dict(os.environ)
    for name in TEST_ONLY:
        env.pop(name, None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL=_redis_url(), ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY="worker-memory-" + "k" * 50, ID_HASH_KEY="worker-memory-id-hash-" + "h" * 40,
        PII_ENCRYPTION_KEYS=generate_key(), MEDIA_ROOT=str(tmp_path / "media"), STATIC_ROOT=str(tmp_path / "static"),
        # One worker takes every request, the worst case for growth; two threads as in production.
        WEB_WORKERS="1", WEB_THREADS="2", WEB_TIMEOUT="300", REQUIRE_2FA_ROLES="", VENV=sys.prefix,
    )
    return env


def _status(pid: int) -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _mb(pid: int, field: str) -> float:
    return int(_status(pid)[field].split()[0]) / 1024


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if _status(int(entry.name)).get("PPid") == str(pid):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _route(path: str) -> str:
    """The view and the names of the query's parameters: each tab of a page is a page of its own (?tab=…),
    the next page of a list or another filter of the admin's list is not."""
    parts = urllib.parse.urlsplit(path)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        name = parts.path
    query = sorted(f"{k}={v}" if k == "tab" else k for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    return f"{name}?{'&'.join(query)}"


def sweep(browser: Browser, base: str) -> tuple[int, int]:
    """Follow every same-site link from the home page, PER_ROUTE addresses per route. Returns (pages, documents)."""
    queue, seen, per_route = ["/"], {"/"}, {}
    pages = documents = 0
    while queue:
        path = queue.pop(0)
        route = _route(path)
        if per_route.get(route, 0) >= (PER_ADMIN_ROUTE if route.startswith("admin:") else PER_ROUTE):
            continue
        per_route[route] = per_route.get(route, 0) + 1
        status, body, headers = browser.get(base + path, timeout=300)
        assert status < 500, f"{path} answered {status}"
        location = urllib.parse.urlsplit(headers.get("Location", ""))
        if 300 <= status < 400 and location.path.startswith("/") and location.netloc in ("", base.split("//")[1]):
            body = f'href="{urllib.parse.urlunsplit(location._replace(scheme="", netloc=""))}"'
            headers = {"Content-Type": "text/html"}
        kind = headers.get("Content-Type", "")
        if any(d in kind for d in DOCUMENTS):
            documents += 1
            continue
        pages += 1
        if "text/html" not in kind:
            continue
        for link in LINK.findall(body):
            link = urllib.parse.urljoin(path, html.unescape(link))
            if link not in seen and not link.startswith(SKIP):
                seen.add(link)
                queue.append(link)
    return pages, documents


@pytest.fixture
def node(tmp_path):
    import redis

    redis.Redis.from_url(_redis_url()).flushdb()
    env = _environment(tmp_path)
    release = Process("release", env, tmp_path / "release.log")
    assert release.process.wait(timeout=300) == 0, release.log()
    # The demo's data (three projects in every state, meetings, documents); seed_demo is for DEBUG only.

    seeded = subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=Path(__file__).resolve().parents[2],
                            env=dict(env, DEBUG="true"), capture_output=True, text=True, timeout=600)
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    port = free_port()
    web = Process("web", env, tmp_path / "web.log", BIND=f"127.0.0.1:{port}")
    web.base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(web), timeout=120, what="the web node")
        yield web
    finally:
        web.stop()


def _answers(web) -> bool:
    assert web.alive(), web.log()
    try:
        return Browser().get(web.base + "/healthz")[0] == 200
    except OSError:
        return False


def test_every_web_worker_stays_under_300_mb_across_a_sweep_of_every_page_and_document(node):
    workers = wait_for(lambda: _children(node.process.pid), timeout=30, what="the gunicorn worker")
    assert len(workers) == 1, workers
    worker = workers[0]
    started = time.monotonic()
    renderers, lines = set(), []
    for username in ROLES:
        browser = Browser()
        browser.login(node.base, username, DEMO_PASSWORD)
        pages, documents = sweep(browser, node.base)
        renderers.update(_children(worker))
        lines.append(f"{username}: {pages} pages, {documents} documents; worker RSS {_mb(worker, 'VmRSS'):.0f} MB, "
                     f"peak {_mb(worker, 'VmHWM'):.0f} MB")
        assert documents, f"{username} reached no document"
    rss, peak = _mb(worker, "VmRSS"), _mb(worker, "VmHWM")
    child_rss = {pid: _mb(pid, "VmRSS") for pid in _children(worker)}
    print(f"\nsweep in {time.monotonic() - started:.0f} s, one gunicorn worker (pid {worker}):")
    print("\n".join(f"  {line}" for line in lines))
    print(f"  after the sweep: worker RSS {rss:.0f} MB, peak (VmHWM) {peak:.0f} MB; "
          f"renderer children now {', '.join(f'{v:.0f} MB' for v in child_rss.values()) or 'none'}")
    assert _children(node.process.pid) == [worker], "the worker was replaced during the sweep"
    assert peak < LIMIT_MB, f"the web worker peaked at {peak:.0f} MB (limit {LIMIT_MB} MB)"
    node.stop()
    wait_for(lambda: not any(_running(pid) for pid in renderers), timeout=30,
             what="the renderer children to exit with the node")


def _running(pid: int) -> bool:
    try:
        return not _status(pid)["State"].startswith("Z")
    except OSError:
        return False
