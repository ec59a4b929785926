"""Auditors' downloads: project PDF summary, audit bundle, year summary (PDF and Excel)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import STAFF_ROLES

from ..exports import request_export
from ..models import ExportJob
from .common import USER_ERRORS, project, report_error
from .files import _serve

STAFF = tuple(STAFF_ROLES)
PROJECT_KINDS = {"summary_pdf", "bundle"}
YEAR_KINDS = {"year_pdf", "year_xlsx"}


def _job_response(request, job: ExportJob):
    job.refresh_from_db()  # an eager (in-process) task may have finished it already
    if request.htmx:
        return render(request, "performance/partials/job.html", {"job": job})
    return redirect("performance:job", job.pk)


@require_POST
@role_required(*STAFF)
def export_project(request, pk, kind):
    if kind not in PROJECT_KINDS:
        raise Http404
    application = project(request, pk)
    try:
        job = request_export(actor=request.user, kind=kind, application=application)
    except USER_ERRORS as exc:
        report_error(request, exc)
        return redirect(reverse("applications:detail", args=[pk]) + "?tab=performance_exports")
    return _job_response(request, job)


@role_required(*STAFF)
def year_summary(request):
    from applications.models import Application

    cycles = sorted(set(Application.objects.values_list("cycle", flat=True)) | {timezone.localdate().year},
                    reverse=True)
    return render(request, "performance/year_summary.html", {"cycles": cycles})


@require_POST
@role_required(*STAFF)
def export_year(request, cycle, kind):
    if kind not in YEAR_KINDS:
        raise Http404
    try:
        job = request_export(actor=request.user, kind=kind, cycle=cycle)
    except USER_ERRORS as exc:
        report_error(request, exc)
        return redirect("performance:year_summary")
    return _job_response(request, job)


def _visible_job(request, job_id) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("application"), pk=job_id)
    if job.application_id:
        project(request, job.application_id)  # 404 unless the user may see the project
    return job


@role_required(*STAFF)
def job(request, job_id):
    job = _visible_job(request, job_id)
    template = "performance/partials/job.html" if request.htmx else "performance/job.html"
    return render(request, template, {"job": job})


@role_required(*STAFF)
def job_download(request, job_id):
    job = _visible_job(request, job_id)
    if job.status != "done":
        messages.info(request, "文件尚未生成完成。")
        return redirect("performance:job", job.pk)
    return _serve(job.file, job.filename)
