"""The organizer's materials page and its uploads (3.3–3.5, 4.1, 4.2, 1.8). Staff see it read-only."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from .. import services
from ..evaluation import photo_findings, ruleset_for_project
from ..forms import (
    EventDocumentForm,
    PhotosForm,
    RecordingForm,
    ReportForm,
    StampedReportForm,
    VideoLocationForm,
    VideoUploadForm,
)
from .common import USER_ERRORS, materials_context, project, report_error

ALL_ROLES = tuple(Role)
PHOTO_RESULTS_KEY = "performance_photo_results"


def _back(pk, anchor=""):
    response = redirect("performance:materials", pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _perform(request, pk, anchor, action, success):
    """Every organizer form here: run the service, say how it went, back to the form's section.

    `success` is the message, or a function of what the service returned that makes it.
    """
    try:
        result = action()
    except USER_ERRORS as exc:
        report_error(request, exc)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return _back(pk, anchor)


def _invalid(request, pk, anchor, message):
    messages.error(request, message)
    return _back(pk, anchor)


@role_required(*ALL_ROLES)
def materials(request, pk):
    application = project(request, pk)
    context = materials_context(application, request.user)
    m = context["materials"]
    context.update(
        report_form=ReportForm(report=m.report),
        stamped_form=StampedReportForm(),
        photos_form=PhotosForm(),
        video_form=VideoUploadForm(),
        video_location_form=VideoLocationForm(),
        recording_form=RecordingForm(initial={
            "location": m.recording_location,
            "kept_until": m.recording_kept_until or context["retention_date"],
        }),
        document_form=EventDocumentForm(),
        upload_results=request.session.pop(PHOTO_RESULTS_KEY, None),
    )
    return render(request, "performance/materials.html", context)


@require_POST
@role_required(Role.ORGANIZER)
def save_report(request, pk):
    application = project(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _back(pk, "report")
    return _perform(
        request,
        pk,
        "report",
        lambda: services.save_report(application=application, actor=request.user, sections=form.cleaned_data),
        "竞赛总结报告已保存。",
    )


@require_POST
@role_required(Role.ORGANIZER)
def refill_report(request, pk):
    application = project(request, pk)
    return _perform(
        request,
        pk,
        "report",
        lambda: services.refill_from_roster(application=application, actor=request.user),
        "已按参赛名单和获奖名单重新填写“参与人数”和“获奖名单”。",
    )


@require_POST
@role_required(Role.ORGANIZER)
def upload_stamped(request, pk):
    application = project(request, pk)
    form = StampedReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, pk, "report", "请选择盖章扫描件（PDF）。")
    return _perform(
        request,
        pk,
        "report",
        lambda: services.upload_stamped_report(
            application=application, actor=request.user, upload=form.cleaned_data["file"]
        ),
        "盖章扫描件已上传。",
    )


@require_POST
@role_required(Role.ORGANIZER)
def upload_photos(request, pk):
    application = project(request, pk)
    form = PhotosForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, pk, "photos", "请选择要上传的照片。")
    try:
        stored, refused = services.add_photos(
            application=application, actor=request.user, uploads=form.cleaned_data["photos"]
        )
    except USER_ERRORS as exc:
        report_error(request, exc)
        return _back(pk, "photos")
    ruleset = ruleset_for_project(application)
    results = [
        {"name": p.original_name, "stored": True, "problems": [f.message for f in photo_findings(p, ruleset)]}
        for p in stored
    ] + [{"name": name, "stored": False, "problems": [reason]} for name, reason in refused]
    request.session[PHOTO_RESULTS_KEY] = results
    if stored:
        messages.success(request, f"已上传 {len(stored)} 张照片。")
    if refused:
        messages.warning(request, f"{len(refused)} 个文件未被接收，原因见“本次上传结果”。")
    return _back(pk, "photos")


@require_POST
@role_required(Role.ORGANIZER)
def delete_photo(request, pk, photo_id):
    application = project(request, pk)
    return _perform(
        request,
        pk,
        "photos",
        lambda: services.delete_photo(application=application, actor=request.user, photo_id=photo_id),
        "照片已删除。",
    )


def _video_uploaded(m) -> str:
    return f"视频已上传，时长 {int(m.video_seconds // 60)} 分 {int(m.video_seconds % 60)} 秒。"


@require_POST
@role_required(Role.ORGANIZER)
def upload_video(request, pk):
    application = project(request, pk)
    form = VideoUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, pk, "video", "请选择视频文件。")
    return _perform(
        request,
        pk,
        "video",
        lambda: services.upload_video(application=application, actor=request.user, upload=form.cleaned_data["file"]),
        _video_uploaded,
    )


@require_POST
@role_required(Role.ORGANIZER)
def video_location(request, pk):
    application = project(request, pk)
    form = VideoLocationForm(request.POST)
    if not form.is_valid():
        return _back(pk, "video")
    return _perform(
        request,
        pk,
        "video",
        lambda: services.set_video_location(
            application=application, actor=request.user, location=form.cleaned_data["location"]
        ),
        "已登记视频存放位置并读取时长。",
    )


@require_POST
@role_required(Role.ORGANIZER)
def save_recording(request, pk):
    application = project(request, pk)
    form = RecordingForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, "recording", "请填写录像存放位置和保存期限（日期）。")
    data = form.cleaned_data
    return _perform(
        request,
        pk,
        "recording",
        lambda: services.set_recording(
            application=application, actor=request.user, location=data["location"], kept_until=data["kept_until"]
        ),
        "已登记决赛录像的保存信息。",
    )


@require_POST
@role_required(Role.ORGANIZER)
def save_spending(request, pk):
    application = project(request, pk)
    rows = {}
    for key, value in request.POST.items():
        if key.startswith("amount_") and key[7:].isdigit():
            line_id = int(key[7:])
            rows[line_id] = (value, request.POST.get(f"note_{line_id}", ""))
    return _perform(
        request,
        pk,
        "funds",
        lambda: services.save_spending(application=application, actor=request.user, rows=rows),
        "实际支出已保存。",
    )


@require_POST
@role_required(Role.ORGANIZER)
def save_justifications(request, pk):
    application = project(request, pk)
    reasons = {key[len("reason:"):]: value for key, value in request.POST.items() if key.startswith("reason:")}
    return _perform(
        request,
        pk,
        "findings",
        lambda: services.set_justifications(application=application, actor=request.user, justifications=reasons),
        "豁免理由已保存。",
    )


@require_POST
@role_required(Role.ORGANIZER)
def add_document(request, pk):
    application = project(request, pk)
    form = EventDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, pk, "documents", "请选择文件类型和文件。")
    data = form.cleaned_data
    return _perform(request, pk, "documents",
                    lambda: services.add_event_document(application=application, actor=request.user, kind=data["kind"],
                                                        title=data["title"], upload=data["file"]),
                    "文件已上传。")


@require_POST
@role_required(Role.ORGANIZER)
def delete_document(request, pk, document_id):
    application = project(request, pk)
    return _perform(
        request,
        pk,
        "documents",
        lambda: services.delete_event_document(application=application, actor=request.user, document_id=document_id),
        "文件已删除。",
    )


@require_POST
@role_required(Role.ORGANIZER)
def submit(request, pk):
    application = project(request, pk)
    return _perform(
        request,
        pk,
        "",
        lambda: services.submit_materials(
            application=application, actor=request.user, comment=request.POST.get("comment", "")
        ),
        "绩效审核材料已提交，等待职工发展部审核。",
    )
