"""Page benchmark: gunicorn with the production settings, driven by wrk, on SQLite and PostgreSQL.

Seeds 5,000 projects / 50,000 trades (bulk inserts, bench data only; the measured project also gets a
submitted version and its record of state changes), starts gunicorn, and for each page prints p50 /
p95 latency and requests per second next to /healthz (a hello-world view through the same middleware)
measured just before and after it. Three rounds over all pages by default; each page's figure is its
median "hello/page" over the rounds, printed with every round's. The ratio is the figure to compare
across machines; the goal is 3× (issue 19).

    python bench/pages.py                       # SQLite in a temporary folder
    python bench/pages.py --database postgres://contest:contest@127.0.0.1:5432/contest_bench
    python bench/pages.py --duration 5 --projects 500 --repeats 1   # a quick look
    python bench/pages.py --only "project page"    # some pages only
    python bench/pages.py --database sqlite:////tmp/bench.sqlite3   # seeded once, reused by the next runs

Needs Debian's `wrk` (apt-get install wrk).
"""

import argparse
import base64
import os
import re
import shutil
import signal
import statistics
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

SEED = r'''
import random
from decimal import Decimal
import django
django.setup()
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from accounts.models import Organization, User
from accounts.roles import Role
from accounts.validators import credit_code_check_char
from applications.models import Application, Trade, BudgetLine, Occupation
from haidian_contest.workflow import State

N = int(__import__("os").environ["BENCH_PROJECTS"])
rnd = random.Random(7)
if not Application.objects.exists():
    orgs = []
    for i in range(100):
        body = f"91110108MA{i:07d}"
        orgs.append(Organization(name=f"基准单位{i}", org_type="park", credit_code=body + credit_code_check_char(body),
                                 contact_person="联系人", contact_phone="010-1"))
    Organization.objects.bulk_create(orgs)
    orgs = list(Organization.objects.all())
    creator = User.objects.create(username="bench-org", organization=orgs[0])
    occupations = list(Occupation.objects.all())
    states = [State.SUBMITTED, State.UNDER_REVIEW, State.APPROVED, State.IN_PROGRESS, State.CLOSED, State.DRAFT]
    apps = [Application(cycle=2026, title=f"基准项目{i}", lead_organization=orgs[i % len(orgs)], status=states[i % len(states)],
                        created_by=creator, purpose="目的", start_date="2026-07-01", end_date="2026-09-20") for i in range(N)]
    Application.objects.bulk_create(apps, batch_size=2000)
    trades = []
    for app in Application.objects.only("id"):
        for j in range(10):
            trades.append(Trade(application_id=app.id, position=j, occupation=occupations[j % len(occupations)],
                                category="innovative" if j % 5 else "traditional", field="ai" if j % 5 else "",
                                certifiable=j % 2 == 0, planned_participants=200 + j,
                                subsidy_requested=Decimal("60000.00"), approved_subsidy=Decimal("60000.00")))
    Trade.objects.bulk_create(trades, batch_size=5000)
    lines = [BudgetLine(trade_id=t, item="venue", amount=Decimal("100000.00")) for t in Trade.objects.values_list("id", flat=True)]
    BudgetLine.objects.bulk_create(lines, batch_size=5000)
# The measured project (the middle one, closed) gets what a closed project has on its page: a submitted
# version and its record of state changes, so the timeline and the history are drawn from real rows.
from applications.models import ApplicationVersion, StatusChange
from applications.snapshot import serialize_application
measured = Application.objects.order_by("id")[N // 2]
if not measured.versions.exists():
    creator = User.objects.get(username="bench-org")
    ApplicationVersion.objects.create(application=measured, number=1, data=serialize_application(measured),
                                      submitted_by=creator, submitted_at="2026-03-01T10:00:00+08:00")
    Application.objects.filter(pk=measured.pk).update(submitted_version=1, submitted_at="2026-03-01T10:00:00+08:00")
    trail = [("submit", State.DRAFT, State.SUBMITTED), ("start_review", State.SUBMITTED, State.UNDER_REVIEW),
             ("recommend", State.UNDER_REVIEW, State.RECOMMENDED), ("collective_approve", State.RECOMMENDED, State.PENDING_PARTY),
             ("party_approve", State.PENDING_PARTY, State.APPROVED), ("sign_agreement", State.APPROVED, State.AGREEMENT_SIGNED),
             ("pay_tranche_1", State.AGREEMENT_SIGNED, State.IN_PROGRESS),
             ("submit_materials", State.IN_PROGRESS, State.MATERIALS_SUBMITTED),
             ("audit_pass", State.MATERIALS_SUBMITTED, State.AUDIT_PASSED), ("pay_tranche_2", State.AUDIT_PASSED, State.CLOSED)]
    StatusChange.objects.bulk_create([StatusChange(application=measured, transition=t, from_status=a, to_status=b,
                                                   actor=creator, comment="") for t, a, b in trail])
reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
reviewer.groups.set([Group.objects.get(name=Role.REVIEWER.group_name)])
s = SessionStore()
s[SESSION_KEY] = str(reviewer.pk)
s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = reviewer.get_session_auth_hash()
s.create()
print("SESSION", s.session_key, "PROJECT", Application.objects.order_by("id").values_list("id", flat=True)[N // 2])
'''

LUA = r'''
done = function(summary, latency, requests)
  io.write(string.format("BENCH p50=%.2f p95=%.2f rps=%.1f errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settle(port, seconds=60):
    """Until /healthz answers within 0.2 s (the server has no queue left), at most `seconds`."""
    from urllib.request import urlopen

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).read()
        except OSError:
            pass
        if time.monotonic() - t0 < 0.2:
            return
        time.sleep(0.5)


def ensure_database(url: str) -> None:
    """Creates the bench's PostgreSQL database when it does not exist (its role needs CREATEDB)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def run(cmd, env, **kw):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True, capture_output=True, **kw)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="", help="DATABASE_URL (default: SQLite in a temporary folder)")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3, help="rounds over all pages (the median is reported)")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this text")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 60, "ALLOWED_HOSTS": "127.0.0.1",
           "STATIC_MANIFEST": "true", "STATIC_ROOT": str(tmp / "static"), "MEDIA_ROOT": str(tmp / "media"),
           "DATABASE_URL": args.database or f"sqlite:///{tmp / 'bench.sqlite3'}", "BENCH_PROJECTS": str(args.projects),
           "DJANGO_SETTINGS_MODULE": "haidian_contest.settings", "REQUIRE_2FA_ROLES": "", "LOG_LEVEL": "ERROR",
           "ID_HASH_KEY": "bench-id-hash-" + "h" * 40, "PII_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode()}
    env.pop("REDIS_URL", None)
    print(f"database: {'PostgreSQL' if args.database.startswith('postgres') else 'SQLite'}; seeding {args.projects} projects / {args.projects * 10} trades …", flush=True)
    if args.database.startswith("postgres"):
        ensure_database(args.database)
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    t0 = time.perf_counter()
    out = run([PY, "-c", SEED], env).stdout
    session, project = re.search(r"SESSION (\S+) PROJECT (\d+)", out).groups()
    print(f"seeded in {time.perf_counter() - t0:.1f} s", flush=True)

    port = free_port()
    gunicorn = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "haidian_contest.wsgi:application", "-c", "deploy/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--access-logfile", "/dev/null",
         # Steady state: production recycles a worker every ~2,000 requests (deploy/gunicorn.conf.py); a
         # hello-world run alone is 1,500 of them, and a fresh worker's imports landing inside one run
         # or another made the ratios swing by ±1.
         "--max-requests", "0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lua = tmp / "report.lua"
    lua.write_text(LUA)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        pages = [
            ("hello-world /healthz", "/healthz"),
            ("layout only (notifications)", "/notifications/"),
            ("review queue", "/review/"),
            ("project list", "/applications/"),
            ("project page", f"/applications/{project}/"),
            ("project page · 申报内容", f"/applications/{project}/?tab=content"),
            ("project page · 名单与公示", f"/applications/{project}/?tab=rosters"),
            ("year ledger", "/funding/ledger/"),
        ]
        pages = [pages[0]] + [p for p in pages[1:] if args.only in p[0]]
        # A page that answers with an error is not measured: its speed would mean nothing.
        from urllib.error import HTTPError
        from urllib.request import Request, urlopen

        for label, path in pages:
            try:
                urlopen(Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={session}"}), timeout=60).read()
            except HTTPError as exc:
                sys.exit(f"{label} {path}: HTTP {exc.code}\n{exc.read().decode(errors='replace')[:2000]}")
        # Warm-up, not measured: every worker thread imports, compiles templates and opens its
        # database connection on its first requests.
        for _label, path in pages:
            subprocess.run(["wrk", "-t2", f"-c{args.connections}", "-d2s", "--timeout", "10s",
                            "-H", f"Cookie: sessionid={session}", "-H", "Connection: close", f"http://127.0.0.1:{port}{path}"],
                           capture_output=True, check=True)
        settle(port)

        def measure(path):
            res = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s", "-s", str(lua),
                 "-H", f"Cookie: sessionid={session}", "-H", "Connection: close", f"http://127.0.0.1:{port}{path}"],
                capture_output=True, text=True, check=True)
            m = re.search(r"BENCH p50=([\d.]+) p95=([\d.]+) rps=([\d.]+) errors=(\d+)", res.stdout)
            settle(port)  # the backlog of a slow page drains before the next run starts
            return tuple(map(float, m.groups()))

        # Each page between two hello-world runs, compared with their mean: on a machine whose speed
        # moves within a minute (shared cores, frequency scaling) the runs beside it are the fair baseline.
        # Rounds over all pages; the figure is each page's median over the rounds, so one slow or fast
        # minute of the machine (or of the GIL's hand-offs between threads) does not decide it.
        runs = {label: [] for label, _path in pages[1:]}
        hello_before = measure(pages[0][1])
        for _round in range(args.repeats):
            for label, path in pages[1:]:
                page = measure(path)
                hello_after = measure(pages[0][1])
                runs[label].append((*page, (hello_before[2] + hello_after[2]) / 2))
                hello_before = hello_after
        print(f"\n{'page':30} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'hello req/s':>12} {'hello/page':>11} "
              f"{'(each round)':>18} {'errors':>7}")
        for label, measured in runs.items():
            ratios = [hello / rps if rps else float("inf") for _p50, _p95, rps, _errors, hello in measured]
            p50, p95, rps, _errors, hello = sorted(measured, key=lambda m: m[3])[len(measured) // 2]
            errors = sum(m[3] for m in measured)
            each = " / ".join(f"{r:.1f}" for r in ratios)
            print(f"{label:30} {p50:8.1f} {p95:8.1f} {rps:8.1f} {hello:12.1f} {statistics.median(ratios):11.1f} "
                  f"{each:>18} {int(errors):7d}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
