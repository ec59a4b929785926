"""`make run` serves where HOST= and PORT= say, and its e-mail links follow unless SITE_URL is set (issue 26 §3)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _run(tmp_path, *args, env=None):
    """`make run` with a stand-in Python that records how each step was started, the install skipped."""
    calls = tmp_path / "calls"
    fake = tmp_path / "python"
    fake.write_text(f'#!/bin/sh\necho "$SITE_URL $*" >> {calls}\n')
    fake.chmod(0o755)
    environment = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "SITE_URL", "MAKEFLAGS"}}
    subprocess.run(["make", "-s", "-o", ".install-stamp", "run", f"PY={fake}", *args], cwd=ROOT, check=True,
                   env={**environment, **(env or {})}, capture_output=True)
    return calls.read_text().splitlines()[-1].split(" ", 1)


def test_make_run_serves_on_the_port_and_host_given_and_links_follow(tmp_path):
    site, served = _run(tmp_path, "PORT=8123", "HOST=127.0.0.2")
    assert served == "manage.py runserver 127.0.0.2:8123"
    assert site == "http://127.0.0.2:8123"


def test_make_run_takes_the_port_from_the_environment_and_links_a_wildcard_host_to_this_machine(tmp_path):
    site, served = _run(tmp_path, env={"PORT": "8124", "HOST": "0.0.0.0"})
    assert served == "manage.py runserver 0.0.0.0:8124"
    assert site == "http://127.0.0.1:8124"


def test_make_run_keeps_a_site_url_that_is_set(tmp_path):
    site, served = _run(tmp_path, "PORT=8125", env={"SITE_URL": "https://contest.example.gov.cn"})
    assert served == "manage.py runserver 127.0.0.1:8125"
    assert site == "https://contest.example.gov.cn"


def test_make_run_still_defaults_to_127_0_0_1_8000(tmp_path):
    assert _run(tmp_path) == ["http://127.0.0.1:8000", "manage.py runserver 127.0.0.1:8000"]
