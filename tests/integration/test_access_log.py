"""Issue 25 §5: no full ID number reaches gunicorn's access log. A web node started by deploy/run.sh, as the
systemd unit starts it (its access log is the process's output, here a file), is asked for every ID number
of an imported roster in every way the pages allow and a user might try: each search form, the number typed
into the address bar of each search page, a roster uploaded through the node. Then the log is read.

The same node, told that its proxy is elsewhere (TRUSTED_PROXIES), shows the other hole of the issue
closed: a client talking to gunicorn directly cannot choose its address with X-Forwarded-For."""

import os
import re
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from demo.rosters import workbook_bytes
from tests.factories import PASSWORD
from tests.performance.stages import in_progress
from tests.rosters.stages import make_roster_rows, upload_roster

from .cluster import TEST_ONLY, Browser, Process, free_port, wait_for
from .conftest import postgres_params, postgres_url

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wrong_password(base: str, username: str, forwarded: str) -> int:
    import urllib.parse
    import urllib.request

    browser = Browser()
    browser.get(f"{base}/accounts/login/")
    body = urllib.parse.urlencode({"username": username, "password": "wrong-Password1",
                                   "csrfmiddlewaretoken": browser.csrf()}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=body, headers={
        "X-CSRFToken": browser.csrf(), "Referer": f"{base}/accounts/login/", "X-Forwarded-For": forwarded,
        "Content-Type": "application/x-www-form-urlencoded"})
    return browser._open(request, 30)[0]


def _environment(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(
        DATABASE_URL=postgres_url(postgres_params()), REDIS_URL=REDIS_URL, ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY=settings.SECRET_KEY, ID_HASH_KEY=settings.ID_HASH_KEY,
        PII_ENCRYPTION_KEYS=",".join(settings.PII_ENCRYPTION_KEYS),
        MEDIA_ROOT=str(tmp_path / "media"), STATIC_ROOT=str(tmp_path / "static"),
        WEB_WORKERS="1", WEB_THREADS="4", REQUIRE_2FA_ROLES="", VENV=sys.prefix,
    )
    return env


def _multipart(url: str, browser: Browser, fields: dict, file_field: str, name: str, content: bytes):
    import urllib.request

    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, headers={
        "X-CSRFToken": browser.csrf(), "Referer": url, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    return browser._open(request, 60)


@pytest.fixture(scope="module")
def web(django_db_setup, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("web")
    # Behind a proxy that is not this machine: whoever connects from here is a client, not the proxy.
    env = dict(_environment(tmp_path), TRUSTED_PROXY_COUNT="1", TRUSTED_PROXIES="192.0.2.0/24")
    release = Process("release", env, tmp_path / "release.log")
    assert release.process.wait(timeout=300) == 0, release.log()
    port = free_port()
    node = Process("web", env, tmp_path / "web.log", BIND=f"127.0.0.1:{port}")
    node.base = f"http://127.0.0.1:{port}"

    def answers():
        assert node.alive(), node.log()[-3000:]
        try:
            return Browser().get(f"{node.base}/healthz", timeout=5)[0] == 200
        except OSError:
            return False

    try:
        wait_for(answers, timeout=120, what="the web node")
        yield node
    finally:
        node.stop()
        release.stop()


def test_no_id_number_searched_or_imported_reaches_the_access_log(web, settings, tmp_path, organizer, reviewer,
                                                                    approver, finance):
    settings.MEDIA_ROOT = str(tmp_path / "test-media")
    project = in_progress(organizer, reviewer, approver, finance, "A")
    rows = make_roster_rows(project, 12)
    upload_roster(project, organizer, rows)
    numbers = [row["id_number"] for row in rows]
    base = web.base
    participants = f"{base}{reverse('rosters:participants', args=[project.pk])}"
    first_prizes = f"{base}{reverse('rosters:first_prize_register')}"
    search = f"{base}{reverse('dashboard:search')}"

    staff = Browser()
    staff.login(base, reviewer.username, PASSWORD)
    staff.get(search)
    found = 0
    for number in numbers:
        # The forms, as a user fills them in.
        status, page, _ = staff.post(search, {"q": number, "csrfmiddlewaretoken": staff.csrf()})
        assert status == 200
        found += page.count(number[:6] + "********" + number[-4:])
        status, _, headers = staff.post(participants, {"q": number, "trade": "", "csrfmiddlewaretoken": staff.csrf()})
        assert status == 303
        status, page, _ = staff.get(base + headers["Location"])
        assert status == 200 and 'data-testid="participant"' in page
        status, _, headers = staff.post(first_prizes, {"search": "1", "q": number, "csrfmiddlewaretoken": staff.csrf()})
        assert status == 303 and staff.get(base + headers["Location"])[0] == 200
        # The number typed into the address bar of each search page (lower-case x as well).
        for page_url in (search, participants, first_prizes):
            status, _, headers = staff.get(f"{page_url}?q={number.lower()}")
            assert status == 302 and staff.get(base + headers["Location"])[0] == 200
    assert found >= len(numbers)

    owner = Browser()
    owner.login(base, organizer.username, PASSWORD)
    owner.get(f"{base}{reverse('rosters:project', args=[project.pk])}")
    status, _, _ = _multipart(f"{base}{reverse('rosters:upload', args=[project.pk, 'roster'])}", owner,
                              {"csrfmiddlewaretoken": owner.csrf()}, "file", "名单.xlsx", workbook_bytes(rows))
    assert status == 302

    wait_for(lambda: "POST /rosters/project/" in web.log(), timeout=10, what="the access log line of the upload")
    log = web.log()
    assert re.search(r'"POST /dashboard/search/ HTTP/1\.1" 200', log), log[-2000:]  # it is the access log
    leaked = [n for n in numbers if n in log or n.lower() in log]
    assert leaked == [], f"{len(leaked)} of {len(numbers)} ID numbers are in the access log"
    assert len(re.findall(r'"GET /rosters/project/\d+/participants/ HTTP/1\.1" 302', log)) == len(numbers)


def test_a_client_straight_to_gunicorn_cannot_name_its_address_or_escape_the_lockout(web, organizer):
    """The attacker of issue 25: X-Forwarded-For written by a client that is not the configured proxy."""
    from accounts.models import SecurityEvent

    statuses = [_wrong_password(web.base, organizer.username, f"6.6.6.{n}") for n in range(6)]
    assert statuses == [200] * 4 + [429] * 2  # the fifth wrong password locks that pair, as without a header
    assert set(SecurityEvent.objects.filter(kind="login_failed").values_list("ip_address", flat=True)) == {"127.0.0.1"}
