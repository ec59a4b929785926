"""Roster and winners pages of a project: parse → service → render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from accounts.security import client_ip
from applications.selectors import get_application_for, trades_with_occupation

from . import exports, id_search, selectors, services
from .panels import can_upload, status
from .models import Participant, RosterVersion
from .workbooks import XLSX

ALL_ROLES = tuple(Role)
Kind = RosterVersion.Kind
PAGE_SIZE = 50


def _kind(value: str) -> str:
    if value not in Kind.values:
        raise Http404("名单类型不存在")
    return value


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


@role_required(*ALL_ROLES)
def project_rosters(request, pk):
    application = get_application_for(request.user, pk)
    context = {
        **status(request.user, application),
        "winner_summary": selectors.winner_summary(application),
        "roster_versions": selectors.versions(application, Kind.ROSTER)[:20],
        "winner_versions": selectors.versions(application, Kind.WINNERS)[:20],
        "is_owner": request.user.role == Role.ORGANIZER,
    }
    return render(request, "rosters/project.html", context)


@role_required(*ALL_ROLES)
def template_download(request, pk, kind):
    application = get_application_for(request.user, pk)
    content, filename = exports.template_for(application, _kind(kind))
    return _xlsx(content, filename)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = exports.attachment(filename)
    return response


@role_required(Role.ORGANIZER)
@require_POST
def upload(request, pk, kind):
    application = get_application_for(request.user, pk)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, "请选择要上传的表格文件。")
        return redirect("rosters:project", pk=application.pk)
    try:
        version = services.start_import(
            application=application, actor=request.user, uploaded_file=uploaded, kind=_kind(kind)
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return redirect("rosters:project", pk=application.pk)
    return redirect("rosters:version", pk=application.pk, version_pk=version.pk)


def _version_for(request, pk, version_pk):
    application = get_application_for(request.user, pk)
    version = get_object_or_404(RosterVersion.objects.select_related("uploaded_by"), pk=version_pk,
                                application=application)
    return application, version


@role_required(*ALL_ROLES)
def version_detail(request, pk, version_pk):
    application, version = _version_for(request, pk, version_pk)
    context = {
        "application": application,
        "version": version,
        "can_waive": can_upload(request.user, application, version.kind) and bool(version.pending_waivers),
        "can_upload": can_upload(request.user, application, version.kind),
    }
    if version.status == RosterVersion.Status.ACCEPTED and version.kind == Kind.ROSTER:
        context["counts"] = selectors.trade_counts(application) if version.is_current else None
    return render(request, "rosters/version.html", context)


@role_required(*ALL_ROLES)
def version_status(request, pk, version_pk):
    application, version = _version_for(request, pk, version_pk)
    context = {"application": application, "version": version,
               "can_upload": can_upload(request.user, application, version.kind)}
    response = render(request, "rosters/_version_status.html", context)
    if version.done and request.htmx:
        # Reload the whole page once, so the result, the error list and the buttons appear.
        response["HX-Refresh"] = "true"
    return response


@role_required(Role.ORGANIZER)
@require_POST
def retry(request, pk, version_pk):
    application, version = _version_for(request, pk, version_pk)
    try:
        services.retry_import(version=version, actor=request.user)
        messages.success(request, "已重新提交处理，请稍候。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    return redirect("rosters:version", pk=application.pk, version_pk=version.pk)


# The workbook holds full ID numbers: only the unit that uploaded it and the department (1.7 checks).
@role_required(Role.ORGANIZER, Role.REVIEWER)
def version_file(request, pk, version_pk, which):
    _application, version = _version_for(request, pk, version_pk)
    if which not in ("original", "errors"):
        raise Http404("文件不存在")
    try:
        handle = services.open_version_file(actor=request.user, version=version, which=which, ip=client_ip(request))
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    name = version.original_name if which == "original" else f"{version.original_name.rsplit('.', 1)[0]}_错误标注.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name)


@role_required(Role.ORGANIZER)
@require_POST
def waivers(request, pk, version_pk):
    application, version = _version_for(request, pk, version_pk)
    reasons = {str(item["row"]): request.POST.get(f"reason_{item['row']}", "") for item in version.pending_waivers}
    try:
        new_version = services.resubmit_with_waivers(version=version, actor=request.user, reasons=reasons)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return redirect("rosters:version", pk=application.pk, version_pk=version.pk)
    return redirect("rosters:version", pk=application.pk, version_pk=new_version.pk)


@role_required(Role.ORGANIZER)
@require_POST
def count_justification(request, pk):
    application = get_application_for(request.user, pk)
    try:
        services.set_count_justification(
            application=application,
            actor=request.user,
            trade_key=request.POST.get("trade", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "已保存参赛人数说明。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    return redirect(reverse("rosters:project", kwargs={"pk": application.pk}) + "#counts")


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def participant_list(request, pk):
    application = get_application_for(request.user, pk)
    # The filter form posts, and a number typed into the address is sent on: an ID number never stays in a URL.
    if request.method == "POST":
        return id_search.redirect_to_search(request, q=request.POST.get("q", ""), trade=request.POST.get("trade"))
    if id_search.must_be_sealed(request):
        return id_search.redirect_to_search(request, q=request.GET["q"], status=302, trade=request.GET.get("trade"),
                                            page=request.GET.get("page"))
    search = id_search.searched(request)
    trade_id = request.GET.get("trade") or None
    qs = selectors.participants(application, query=search.text or "", trade_id=int(trade_id) if str(trade_id).isdigit() else None)
    if search.text is None:
        qs = qs.none()
    page = Paginator(qs.only("id", "name", "id_masked", "id_type", "phone_masked", "employer", "is_member", "row_number",
                             "trade__occupation__name", "trade__occupation__code", "trade__custom_name",
                             "trade__position", "trade__occupation_id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "rosters/participants.html", {
        "application": application,
        "page": page,
        "query": search.query_string(trade=trade_id),
        "q": search.box,
        "search": search,
        "trade_id": str(trade_id or ""),
        "trades": trades_with_occupation(application),
        "roster": selectors.current_version(application, Kind.ROSTER),
        "may_see_full_id": services.may_see_full_id(actor=request.user),
        "may_decide_plan_waivers": request.user.role == Role.REVIEWER,
    })


@role_required(*services.ROLES_SEEING_FULL_ID)
@require_POST
def reveal_full_id(request, pk, participant_pk):
    application = get_application_for(request.user, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, application=application)
    number = services.reveal_full_id(actor=request.user, participant=participant, ip=client_ip(request))
    return render(request, "rosters/_full_id.html", {"number": number})


@role_required(*ALL_ROLES)
def winner_list(request, pk):
    application = get_application_for(request.user, pk)
    return render(request, "rosters/winners.html", {
        "application": application,
        "winners": selectors.winners(application),
        "summary": selectors.winner_summary(application),
        "version": selectors.current_version(application, Kind.WINNERS),
        "may_decide_plan_waivers": request.user.role == Role.REVIEWER,
    })


@role_required(Role.REVIEWER)
@require_POST
def plan_waiver(request, pk):
    """三（二）, 一（七）: the department accepts or refuses a waiver the organizer explained."""
    application = get_application_for(request.user, pk)
    accepted = request.POST.get("accepted") == "1"
    try:
        services.decide_plan_waiver(
            application=application,
            actor=request.user,
            key=request.POST.get("key", ""),
            accepted=accepted,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "已记录豁免审核意见。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    if request.POST.get("back") == "audit":  # decided from the audit page: stay there
        return redirect(reverse("performance:audit", kwargs={"pk": application.pk}))
    if request.POST.get("back") == "participants":
        return redirect(reverse("rosters:participants", kwargs={"pk": application.pk}) + "#plan-waivers")
    return redirect(reverse("rosters:winners", kwargs={"pk": application.pk}) + "#plan-waivers")


@role_required(*ALL_ROLES)
def export(request, pk, kind):
    application = get_application_for(request.user, pk)
    full = request.GET.get("full") == "1"
    try:
        content, filename = exports.export_current(application=application, actor=request.user, kind=_kind(kind),
                                                   full=full, ip=client_ip(request))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("rosters:project", pk=application.pk)
    if content is None:
        messages.error(request, "尚无已导入的名单。")
        return redirect("rosters:project", pk=application.pk)
    return _xlsx(content, filename)
