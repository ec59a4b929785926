"""deploy/production.sh as README tells a new user to run it: PostgreSQL, Redis, a Celery worker and beat,
gunicorn with WhiteNoise. The stack starts on a fresh database, serves pages and hashed static files,
its worker answers through Redis, and uploads are not served as plain files. With the app's database
role of CI (TEST_APP_DATABASE_URL) it runs on two roles as README's recipe does: the release step
migrates as the owner and grants the app's role, which every other process connects as."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import environ
import pytest

from haidian_contest.crypto import generate_key

from .cluster import TEST_ONLY, free_port
from .conftest import postgres_params, postgres_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
APP_URL = os.environ.get("TEST_APP_DATABASE_URL", "")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db,
]


def _get(url: str):
    try:
        with urllib.request.urlopen(urllib.request.Request(url), timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


# Started once for the module: the stack takes half a minute to come up.
@pytest.fixture(scope="module")
def scratch_database(django_db_setup):
    import psycopg

    name = f"contest_production_{os.getpid()}"
    admin_params = postgres_params("postgres")
    with psycopg.connect(**admin_params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url(postgres_params(name))
    with psycopg.connect(**admin_params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def stack(scratch_database, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    (tmp_path / "media" / "rosters").mkdir(parents=True)
    (tmp_path / "media" / "rosters" / "roster.xlsx").write_bytes(b"full ID numbers inside")
    port = free_port()
    roles = {"DATABASE_URL": scratch_database}
    if APP_URL:
        app = environ.Env.db_url_config(APP_URL)
        params = {**postgres_params(scratch_database.rsplit("/", 1)[1]), "user": app["USER"], "password": app["PASSWORD"]}
        roles = {"DATABASE_OWNER_URL": scratch_database, "DATABASE_URL": postgres_url(params)}
    env = dict(os.environ, **roles, REDIS_URL=REDIS_URL, SECRET_KEY="production-test-" + "k" * 50,
               ID_HASH_KEY="production-test-id-hash-" + "h" * 40, PII_ENCRYPTION_KEYS=generate_key(),
               ALLOWED_HOSTS="127.0.0.1", BIND=f"127.0.0.1:{port}", WEB_WORKERS="2", CELERY_CONCURRENCY="1",
               STATIC_ROOT=str(tmp_path / "static"), MEDIA_ROOT=str(tmp_path / "media"), VENV=sys.prefix)
    for test_only in TEST_ONLY:
        env.pop(test_only, None)  # check --deploy (rightly) refuses to start with the test process's switches
    log = open(tmp_path / "stack.log", "wb")
    process = subprocess.Popen(["bash", "deploy/production.sh"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "stack.log").read_text()
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError("gunicorn did not answer: " + (tmp_path / "stack.log").read_text()[-3000:])
        yield base, env
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
        for name in ("worker", "beat"):
            pid_file = ROOT / "var" / f"{name}.pid"
            if pid_file.exists():
                try:
                    os.kill(int(pid_file.read_text()), signal.SIGTERM)
                except ProcessLookupError:
                    pass
        time.sleep(2)
        log.close()


def test_the_production_stack_serves_the_login_page_with_hashed_static_files(stack):
    base, _ = stack
    status, page = _get(f"{base}/accounts/login/")
    assert status == 200 and "登录" in page
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert css, "stylesheet not served from the hashed manifest"
    assert _get(base + css.group(1))[0] == 200


def test_the_production_stack_worker_answers_through_redis(stack):
    _, env = stack
    deadline = time.monotonic() + 60
    while True:
        ping = subprocess.run([sys.executable, "-m", "celery", "-A", "haidian_contest.celery", "inspect", "ping",
                               "--timeout", "5"], cwd=ROOT, env=env, capture_output=True, text=True)
        if "pong" in ping.stdout or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert "pong" in ping.stdout, ping.stdout + ping.stderr


def test_the_production_stack_serves_no_upload_as_a_plain_file(stack):
    base, env = stack
    assert (Path(env["MEDIA_ROOT"]) / "rosters" / "roster.xlsx").exists()
    for path in ("/media/rosters/roster.xlsx", "/static/../media/rosters/roster.xlsx", "/rosters/roster.xlsx"):
        assert _get(base + path)[0] == 404, path


@pytest.mark.skipif(not APP_URL, reason="needs the app's database role (TEST_APP_DATABASE_URL; CI creates it)")
def test_the_production_stack_connects_as_the_app_role_and_only_the_release_step_as_the_owner(stack):
    import psycopg

    from .cluster import Browser

    base, env = stack
    browser = Browser()
    browser.get(f"{base}/accounts/login/")
    status, _, _ = browser.post(f"{base}/accounts/login/", {
        "username": "nobody", "password": "wrong-password", "csrfmiddlewaretoken": browser.csrf()})
    assert status == 200  # refused, and written to the security log by the web node, whose connection stays open
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect(**postgres_params("postgres")) as admin:
        users = {row[0] for row in admin.execute(
            "SELECT usename FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database])}
    with psycopg.connect(**postgres_params(database)) as owner:
        failures = owner.execute("SELECT count(*) FROM accounts_securityevent WHERE kind = 'login_failed'").fetchone()[0]
    assert users == {environ.Env.db_url_config(APP_URL)["USER"]} and failures == 1
    log = (Path(env["STATIC_ROOT"]).parent / "stack.log").read_text()
    assert "已为数据库角色" in log and "db_roles." not in log, log[-3000:]
