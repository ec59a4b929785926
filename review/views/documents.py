"""Downloads of the review step's documents: the meeting packet and the approval notice."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applications.selectors import get_application_for

from ..documents import approval_notice, packet
from ..models import ApprovalNotice, Meeting
from .common import attempt

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _download(content: bytes, filename: str, ext: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[ext])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _packet(request, pk, ext):
    meeting = get_object_or_404(Meeting, pk=pk)
    data = packet.packet_data(meeting)
    content = packet.packet_pdf(data) if ext == "pdf" else packet.packet_docx(data)
    return _download(content, packet.packet_filename(meeting, ext), ext)


@role_required(Role.REVIEWER, Role.APPROVER)
def packet_pdf(request, pk):
    return _packet(request, pk, "pdf")


@role_required(Role.REVIEWER, Role.APPROVER)
def packet_docx(request, pk):
    return _packet(request, pk, "docx")


@require_POST
@role_required(Role.REVIEWER)
def notice_issue(request, pk):
    application = get_application_for(request.user, pk)
    ok, notice = attempt(request, approval_notice.issue_notice, actor=request.user, application=application)
    if ok:
        messages.success(request, f"立项通知书已签发，发文字号 {notice.number}。")
    return redirect("funding:project", pk=application.pk)


def _notice(request, pk, ext):
    application = get_application_for(request.user, pk)  # an organizer reaches only its own unit's projects
    notice = ApprovalNotice.objects.filter(application=application).first()
    if notice is None:
        raise Http404("立项通知书尚未签发")
    data = approval_notice.notice_data(notice)
    content = approval_notice.notice_pdf(data) if ext == "pdf" else approval_notice.notice_docx(data)
    return _download(content, approval_notice.notice_filename(notice, ext), ext)


@role_required(Role.REVIEWER, Role.ORGANIZER)
def notice_pdf(request, pk):
    return _notice(request, pk, "pdf")


@role_required(Role.REVIEWER, Role.ORGANIZER)
def notice_docx(request, pk):
    return _notice(request, pk, "docx")
