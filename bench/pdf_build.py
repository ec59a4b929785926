"""Project PDF benchmark: the auditor's summary of one finished project with 500 winners, against WeasyPrint alone.

    python bench/pdf_build.py                   # temporary SQLite database
    DATABASE_URL=postgres://u:p@host/db python bench/pdf_build.py   # also PostgreSQL (a scratch database
                                                # is created beside db and dropped after)
    python bench/pdf_build.py --repeats 3        # a quick look
    python bench/pdf_build.py --keep /tmp/pdf    # also keep the HTML and the PDF there

Seeds the scenario's project A through the services, as seed_demo does (demo.scenario):
application, review, party-group approval, agreement and tranche 1; then a 770-person roster and a
500-winner list imported through rosters.services and the pipeline; then the demo's finish_a (report,
photos, 42-minute video, audit passed, tranche 2). Then times, interleaved over --repeats runs:
  (a) performance.exports.build_summary_pdf, what the export task runs: project_summary's queries,
      the template, WeasyPrint (the task's progress updates and file save are left out);
  (b) WeasyPrint alone: HTML(string=html, base_url=None).write_pdf() in this process, on the same
      template rendered once and saved;
  (c) the renderer child alone: haidian_contest.pdf.html_to_pdf(html), what render_pdf does after the
      template – the pipe round trip to a waiting child that runs (b). (c) − (b) is the child process's
      overhead per document; a child's start (Python + WeasyPrint import) is paid by the first document
      and again after each recycling (pdf.MAX_DOCUMENTS documents), shown as cold (c).
The first (a) in this process is reported apart (cold: renderer child start, fonts, template compile);
cold (b) is import + first write_pdf in a fresh Python process. Prints median and min, the ratio (a)/(b),
the PDF's size and pages, and checks that the Noto CJK font is embedded and pdftotext reads Chinese.
Needs ffmpeg (the demo's video), libharfbuzz-subset0 and fonts-noto-cjk; poppler-utils for the checks.
"""

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _setup import django_on, run_each_database  # noqa: E402
WINNERS = 500
COLD_B = ("import sys, time; t = time.perf_counter(); from weasyprint import HTML; i = time.perf_counter(); "
          "HTML(string=open(sys.argv[1], encoding='utf-8').read(), base_url=None).write_pdf(); "
          "print(i - t, time.perf_counter() - i)")


def machine() -> str:
    import weasyprint

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"WeasyPrint {weasyprint.__version__}; load average {load}")


def packages() -> str:
    out = []
    for name in ("libharfbuzz-subset0", "fonts-noto-cjk", "poppler-utils"):
        res = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", name], capture_output=True, text=True)
        ok = res.returncode == 0 and res.stdout.startswith("install ok installed")
        out.append(f"{name} {res.stdout.split()[-1] if ok else 'NOT INSTALLED'}")
    return "packages: " + ", ".join(out)


def upload(app, organizer, rows: list[dict], kind: str, name: str):
    from django.core.files.base import ContentFile

    from rosters import pipeline, services
    from demo.rosters import workbook_bytes
    from rosters.importing.columns import ROSTER_COLUMNS, WINNER_COLUMNS

    content = workbook_bytes(rows, ROSTER_COLUMNS if kind == "roster" else WINNER_COLUMNS)
    version = services.start_import(
        application=app, actor=organizer, uploaded_file=ContentFile(content, name=name), kind=kind
    )
    version = pipeline.process(version.pk)  # already done by the eager task after autocommit: then a no-op
    version.refresh_from_db()
    assert version.status == "accepted", (kind, version.status, version.errors[:3])


def seed():
    """Project A of the scenario, closed, with a 770-person roster and 500 winners."""
    from django.contrib.auth.models import Group
    from django.test.utils import override_settings

    from accounts.models import Organization, User
    from demo import scenario as demo
    from demo.management.commands.seed_demo import ORGANIZATIONS, USERS, credit_code
    from demo.rosters import roster_rows, winner_rows

    started = time.perf_counter()
    orgs = {name: Organization.objects.create(name=name, org_type=kind, credit_code=credit_code(body),
                                              contact_person=contact, contact_phone=phone)
            for name, kind, body, contact, phone in ORGANIZATIONS}
    for username, full_name, role, org_name in USERS:
        user = User.objects.create(username=username, full_name=full_name, organization=orgs.get(org_name))
        user.groups.set([Group.objects.get(name=role.group_name)])
    chenjing, liuyang, sunli, wangfang = (demo.user(n) for n in ("chenjing", "liuyang", "sunli", "wangfang"))
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        demo.year_call(chenjing)  # submitting needs the year's call published, as play_scenario does
        app = demo.play_a(chenjing, liuyang, sunli)
        rows = roster_rows(app, 770)
        upload(app, wangfang, rows, "roster", "参赛选手名单.xlsx")
        # 167 per trade (20 first, 50 second, 97 third prizes at the standard amounts), 500 in all.
        # More winners than the plan's 3/6/9 (三（二）): each row gives the reason the importer asks for.
        winners = winner_rows(rows, per_trade=(20, 50, 97))[:WINNERS]
        for row in winners:
            row["waiver"] = "获奖人数按决赛成绩确定，超过方案设定人数，经竞赛组委会研究同意（基准数据）。"
        upload(app, wangfang, winners, "winners", "获奖名单.xlsx")
        app = demo.finish_a(app, chenjing, sunli)  # its roster step sees the versions above and stops
    assert app.winners.filter(is_current=True).count() == WINNERS
    print(f"  seeded project {app.pk} ({app.status_label}) in {time.perf_counter() - started:.1f} s", flush=True)
    return app


def pdf_facts(pdf_path: Path, title: str) -> list[str]:
    def tool(*cmd):
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout if shutil.which(cmd[0]) else None

    lines = [f"PDF: {pdf_path.stat().st_size:,} bytes"]
    info = tool("pdfinfo", str(pdf_path))
    if info is None:
        return lines + ["pdfinfo/pdffonts/pdftotext not found (poppler-utils): pages and CJK check SKIPPED"]
    lines[0] += f", {re.search(r'Pages:[ ]+([0-9]+)', info).group(1)} pages"
    fonts = sorted({line.split()[0].split("+")[-1] for line in tool("pdffonts", str(pdf_path)).splitlines()[2:]})
    cjk_font = any("NotoSansCJK" in f.replace("-", "") for f in fonts)
    text = tool("pdftotext", "-enc", "UTF-8", str(pdf_path), "-")
    han = sum("\u4e00" <= c <= "\u9fff" for c in text)
    masked = len(re.findall(r"\d{6}\*{8}\d{3}[\dX]", text))
    found = title in re.sub(r"\s", "", text)
    ok = cjk_font and han > 1000 and found and masked >= WINNERS
    lines.append(f"fonts embedded: {', '.join(fonts)}")
    lines.append(f"pdftotext: {han:,} Chinese characters, title {'found' if found else 'NOT found'}, "
                 f"{masked} masked ID numbers (winners {WINNERS}) -> CJK check {'OK' if ok else 'FAILED'}")
    return lines


def run(repeats: int, tmp: Path, keep: Path | None) -> None:
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from performance.exports import build_summary_pdf
    from performance.summary import project_summary

    app = seed()

    def no_progress(pct, step):  # the task's progress() only updates the job row
        return None

    preloaded = "weasyprint" in sys.modules
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        _name, pdf = build_summary_pdf(app, no_progress)
    cold_a = time.perf_counter() - started
    # The same HTML render_pdf hands to WeasyPrint, rendered once and saved.
    html = render_to_string("performance/pdf/summary.html", {**project_summary(app), "generated_at": timezone.localtime()})
    out = keep or tmp
    out.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out / "summary.html", out / "summary.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(pdf)
    html = html_path.read_text(encoding="utf-8")
    import_b, cold_b = (float(x) for x in subprocess.run([sys.executable, "-c", COLD_B, str(html_path)], check=True,
                                                         capture_output=True, text=True).stdout.split())
    from weasyprint import HTML

    from haidian_contest import pdf as renderer

    renderer.shutdown()  # cold (c): a child started for this document
    started = time.perf_counter()
    renderer.html_to_pdf(html)
    cold_c = time.perf_counter() - started
    whole, alone, child, gather, template = [], [], [], [], []
    for _ in range(repeats):  # interleaved, so a busy machine weighs on both alike
        started = time.perf_counter()
        build_summary_pdf(app, no_progress)
        whole.append(time.perf_counter() - started)
        started = time.perf_counter()
        HTML(string=html, base_url=None).write_pdf()
        alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        renderer.html_to_pdf(html)
        child.append(time.perf_counter() - started)
        started = time.perf_counter()
        data = project_summary(app)
        gather.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_to_string("performance/pdf/summary.html", {**data, "generated_at": timezone.localtime()})
        template.append(time.perf_counter() - started)

    for line in pdf_facts(pdf_path, app.title):
        print(f"  {line}")
    print(f"  HTML: {len(html.encode()):,} bytes{f' (kept in {out})' if keep else ''}")
    med = statistics.median
    print(f"  (a) whole build, build_summary_pdf: cold {cold_a:6.2f} s{' (WeasyPrint preloaded)' if preloaded else ''}"
          f"   median {med(whole):6.2f} s   min {min(whole):6.2f} s   ({len(queries)} queries)")
    print(f"      of which project_summary median {med(gather) * 1000:.0f} ms, template median "
          f"{med(template) * 1000:.0f} ms (timed apart)")
    print(f"  (b) WeasyPrint alone, write_pdf:    cold {import_b + cold_b:6.2f} s   median {med(alone):6.2f} s   "
          f"min {min(alone):6.2f} s   (cold: fresh process, import {import_b:.2f} s + write_pdf {cold_b:.2f} s)")
    print(f"  (c) renderer child, html_to_pdf:  cold {cold_c:6.2f} s   median {med(child):6.2f} s   "
          f"min {min(child):6.2f} s   (cold: child start + WeasyPrint import + render)")
    print(f"  child-process overhead per document (c) - (b): median {(med(child) - med(alone)) * 1000:+.0f} ms, "
          f"min {(min(child) - min(alone)) * 1000:+.0f} ms; a new child's first document {(cold_c - med(child)):+.2f} s "
          f"(start, import, fonts), once per {renderer.MAX_DOCUMENTS} documents at most")
    small = ("<html><body style=\"font-family: 'Noto Sans CJK SC'\"><h1>会议纪要</h1>"
             + "<p>会议审议了职工发展部提交的竞赛项目。</p>" * 20 + "</body></html>")
    small_alone, small_child = [], []
    for _ in range(max(repeats, 10)):  # a one-page document, where the pipe and the child weigh the most
        started = time.perf_counter()
        HTML(string=small, base_url=None).write_pdf()
        small_alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        renderer.html_to_pdf(small)
        small_child.append(time.perf_counter() - started)
    print(f"  one-page document: in this process median {med(small_alone) * 1000:.0f} ms, renderer child median "
          f"{med(small_child) * 1000:.0f} ms: overhead {(med(small_child) - med(small_alone)) * 1000:+.0f} ms")
    print(f"  ratio (a)/(b): median {med(whole) / med(alone):.3f}, min {min(whole) / min(alone):.3f}, "
          f"cold {cold_a / (import_b + cold_b):.3f}   ({repeats} repeats; load average now "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="folder to keep summary.html and summary.pdf in")
    parser.add_argument("--database", choices=["sqlite", "postgresql"],
                        help="internal: one database per process, since Django is set up once")
    args = parser.parse_args()
    if args.database is None:
        print(machine())
        print(packages(), flush=True)
        return run_each_database(__file__)
    with django_on(args.database, "pdf_bench") as tmp:
        run(args.repeats, tmp / "out", args.keep / args.database if args.keep else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
