"""A small installation on one machine for the multi-node rehearsal: processes started through
deploy/run.sh exactly as the systemd units start them, and a cookie-keeping HTTP client.

Every node gets the same environment (the database and Redis of the test, the same keys, one shared
MEDIA_ROOT standing in for the shared storage), so what the rehearsal shows is what several machines
configured by the same .env would do.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_ONLY = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout=90, what="", interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


class Process:
    """One role of deploy/run.sh in its own process group (so a kill takes its children too)."""

    def __init__(self, role: str, env: dict, log_path: Path, **extra_env):
        self.role = role
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.process = subprocess.Popen(["bash", "deploy/run.sh", role], cwd=ROOT, env=dict(env, **extra_env),
                                        stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self, sig=signal.SIGKILL):
        if self.alive():
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=60)

    def stop(self):
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A user agent with its own cookies that may talk to any node: the cookie is for 127.0.0.1,
    whatever the port, as behind one load balancer."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def _open(self, request, timeout):
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)

    def get(self, url: str, timeout=30):
        return self._open(urllib.request.Request(url), timeout)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, url: str, data: dict, timeout=30):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers={
            "X-CSRFToken": self.csrf(), "Referer": url, "Content-Type": "application/x-www-form-urlencoded"})
        return self._open(request, timeout)

    def login(self, base: str, username: str, password: str):
        self.get(f"{base}/accounts/login/")
        status, _, headers = self.post(f"{base}/accounts/login/", {
            "username": username, "password": password, "csrfmiddlewaretoken": self.csrf()})
        assert status == 302, f"login of {username} on {base} answered {status}"
        return headers


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(rf'value="([^"]*)"[^>]*name="{name}"', html)
    assert match, f"no field {name} in the page"
    return match.group(1)
