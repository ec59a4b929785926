"""Generated files for auditors: the project PDF summary, the audit bundle, the year summary.

`request_export` returns a finished job when one with the same fingerprint exists (the cache: a
project that has not changed is not rebuilt), otherwise queues a Celery task that reports progress.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.roles import STAFF_ROLES
from applications.models import Application
from haidian_contest import documents
from haidian_contest.queue import enqueue_on_commit

from .models import AuditMaterials, EventDocument, ExportJob
from .summary import project_summary
from .year_summary import year_summary

# Bump when a template or a builder changes what a file shows: old cached files are then rebuilt.
FORMAT_VERSION = "2026-11-1"
Progress = Callable[[int, str], None]
# A job still unfinished after this long lost its worker: a new request starts over.
STALE_AFTER = timedelta(minutes=30)


def fingerprint(*parts) -> str:
    text = json.dumps([FORMAT_VERSION, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def bundle_files(application: Application) -> list[tuple[str, object]]:
    """(name in the zip, FieldFile) of every uploaded document of the project, named for an auditor."""
    from funding.models import Agreement

    out: list[tuple[str, object]] = []
    for n, a in enumerate(application.attachments.order_by("kind", "id"), 1):
        out.append((f"01_申报材料/{n:02d}_{a.get_kind_display()}_{_safe(a.original_name)}", a.file))
    for a in Agreement.objects.filter(application=application).order_by("recorded_at", "id"):
        if a.scan:
            out.append((f"02_合作协议/合作协议_{_safe(a.number)}{_suffix(a.scan.name, '.pdf')}", a.scan))
    materials = AuditMaterials.objects.filter(application=application).first()
    if materials and materials.stamped_report:
        out.append((f"03_绩效审核材料/竞赛总结报告（盖章扫描件）_{_safe(materials.stamped_report_name)}",
                    materials.stamped_report))
    for n, d in enumerate(EventDocument.objects.filter(application=application), 1):
        label = d.get_kind_display()
        title = _safe(d.title) if d.title else PurePath(_safe(d.original_name)).stem
        out.append((f"04_赛事文件/{n:02d}_{label}_{title}{_suffix(d.original_name)}", d.file))
    return out


def _safe(name: str) -> str:
    # Zip member names must not climb out of the folder they are extracted into.
    cleaned = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in (name or "")).strip(" .")
    return cleaned[:80] or "文件"


def _suffix(name: str, default: str = "") -> str:
    return PurePath(name or "").suffix.lower()[:10] or default


def export_fingerprint(kind: str, application: Application | None = None, cycle: int | None = None) -> str:
    if kind == "summary_pdf":
        return fingerprint(kind, project_summary(application))
    if kind == "bundle":
        files = [(name, f.name, f.size if f.storage.exists(f.name) else None) for name, f in bundle_files(application)]
        return fingerprint(kind, project_summary(application), files)
    return fingerprint(kind, year_summary(cycle))


def _can_export(user, application: Application | None) -> None:
    # Union staff (the auditor above all) see every project; organizers never get the audit exports.
    if not (user and user.is_authenticated and user.role in STAFF_ROLES):
        raise PermissionDenied("只有区总工会工作人员和审计人员可以生成审计资料。")


@transaction.atomic
def request_export(*, actor, kind: str, application: Application | None = None, cycle: int | None = None) -> ExportJob:
    _can_export(actor, application)
    if kind not in dict(ExportJob.KINDS):
        raise ValueError(kind)
    digest = export_fingerprint(kind, application, cycle)
    scope = {"kind": kind, "application": application, "cycle": cycle if application is None else None}
    cached = ExportJob.objects.filter(**scope, fingerprint=digest).exclude(status="failed").first()
    if cached and cached.status == "done" and cached.file and cached.file.storage.exists(cached.file.name):
        return cached
    if cached and cached.status != "done" and cached.created_at > timezone.now() - STALE_AFTER:
        return cached  # already being built: follow that one instead of starting a second

    job = ExportJob.objects.create(**scope, fingerprint=digest, requested_by=actor)
    from .tasks import build_export

    enqueue_on_commit(build_export, job.pk)
    return job


# --- builders -----------------------------------------------------------------------------------


# One renderer for every generated PDF (the review documents use it too); re-exported under its old name.
render_pdf = documents.render_pdf


def build_summary_pdf(application: Application, progress: Progress) -> tuple[str, bytes]:
    progress(20, "汇总项目资料")
    data = project_summary(application)
    progress(50, "排版 PDF")
    pdf = render_pdf("performance/pdf/summary.html", data)
    return f"审计摘要_{application.cycle}_{application.pk}_{_safe(application.title)}.pdf", pdf


def build_bundle(application: Application, progress: Progress) -> tuple[str, bytes]:
    _name, pdf = build_summary_pdf(application, lambda pct, step: progress(pct // 2, step))
    files = bundle_files(application)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("00_项目审计摘要.pdf", pdf)
        missing = []
        for n, (name, field) in enumerate(files, 1):
            progress(50 + 45 * n // max(len(files), 1), f"打包文件 {n}/{len(files)}")
            try:
                with field.open("rb") as fh:
                    zf.writestr(name, fh.read())
            except (FileNotFoundError, OSError):
                missing.append(name)
        listing = ["审计资料包清单", f"项目：{application.title}", ""] + [name for name, _f in files]
        if missing:
            listing += ["", "以下文件在服务器上缺失："] + missing
        zf.writestr("目录.txt", "\n".join(listing))
    return f"审计资料包_{application.cycle}_{application.pk}_{_safe(application.title)}.zip", buffer.getvalue()


def build_year_pdf(cycle: int, progress: Progress) -> tuple[str, bytes]:
    progress(30, "汇总年度数据")
    data = year_summary(cycle)
    progress(60, "排版 PDF")
    return f"{cycle}年度竞赛项目汇总.pdf", render_pdf("performance/pdf/year.html", data)


def build_year_xlsx(cycle: int, progress: Progress) -> tuple[str, bytes]:
    from .xlsx import year_workbook

    progress(30, "汇总年度数据")
    data = year_summary(cycle)
    progress(60, "写入 Excel")
    return f"{cycle}年度竞赛项目汇总.xlsx", year_workbook(data)


def build(job: ExportJob, progress: Progress) -> tuple[str, bytes]:
    if job.kind == "summary_pdf":
        return build_summary_pdf(job.application, progress)
    if job.kind == "bundle":
        return build_bundle(job.application, progress)
    if job.kind == "year_pdf":
        return build_year_pdf(job.cycle, progress)
    return build_year_xlsx(job.cycle, progress)


def save_result(job: ExportJob, filename: str, content: bytes) -> None:
    job.file.save(filename, ContentFile(content), save=False)
    job.filename = filename
    job.status = "done"
    job.progress = 100
    job.step = "已完成"
    job.finished_at = timezone.now()
    job.save()
