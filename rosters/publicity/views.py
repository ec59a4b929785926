"""The winners' public notice: the public pages (no sign-in) and the department's actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from accounts.security import client_ip
from applications.selectors import get_application_for
from haidian_contest.models import CalendarDay

from . import selectors, services
from .forms import DismissForm, HandlingForm, ObjectionForm, WithdrawForm, form_stamp, stamp_problem
from .models import Objection

THANKS = "您的异议已收到。职工发展部将在核查后通过您留下的联系方式答复。"


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- public ---------------------------------------------------------------------------------


def notice_list(request):
    now = timezone.now()
    notices = list(selectors.public_notices(now))
    return render(request, "rosters/publicity/public_list.html", {
        "current": [n for n in notices if n.in_period(now)], "ended": [n for n in notices if n.ended(now)],
    })


def notice_detail(request, notice_pk):
    notice = selectors.public_notice(notice_pk)
    if notice is None:
        raise Http404("公示不存在或已撤回")
    refusal = services.objection_refusal(notice)
    form = None
    if request.method == "POST":
        form = ObjectionForm(request.POST, request.FILES)
        if refusal:
            messages.error(request, refusal)
            return redirect("public_notice", notice_pk=notice.pk)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A robot filled the hidden field: thank it and record nothing.
                messages.success(request, THANKS)
                return redirect("public_notice", notice_pk=notice.pk)
            problem = stamp_problem(data["stamp"], notice.pk)
            if problem:
                form.add_error(None, problem)
            else:
                try:
                    services.lodge_objection(notice=notice, name=data["name"], contact=data["contact"],
                                             text=data["text"], upload=data["attachment"], ip=client_ip(request))
                except services.Ignored:
                    pass  # the same text again from this address: already recorded
                except ValidationError as exc:
                    for key, errors in (exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]):
                        form.add_error(key if key in form.fields else None, errors)
                if not form.errors:
                    messages.success(request, THANKS)
                    return redirect("public_notice", notice_pk=notice.pk)
        data = form.data.copy()
        data["stamp"] = form_stamp(notice.pk)
        form.data = data
    elif not refusal:
        form = ObjectionForm(initial={"stamp": form_stamp(notice.pk)})
    return render(request, "rosters/publicity/public_detail.html", {
        "notice": notice, "blocks": selectors.trade_blocks(notice), "form": form, "refusal": refusal,
    })


# --- the department ---------------------------------------------------------------------------


@require_POST
@role_required(Role.REVIEWER)
def publish(request, pk):
    application = get_application_for(request.user, pk)
    try:
        notice = services.publish_notice(actor=request.user, application=application)
        messages.success(request, "获奖名单已公示：" + services.period_text(notice))
        if not CalendarDay.objects.filter(date__year=notice.ends_on.year).exists():
            messages.warning(request, f"系统中尚未录入 {notice.ends_on.year} 年节假日安排，公示期仅按周末计算；"
                                      "请管理员在“节假日与调休日”中录入后核对公示期。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect(reverse("applications:detail", kwargs={"pk": application.pk}) + "?tab=rosters#panel-publicity")


@require_POST
@role_required(Role.REVIEWER)
def withdraw(request, pk):
    application = get_application_for(request.user, pk)
    notice = services.live_notice(application)
    form = WithdrawForm(request.POST)
    if notice is None:
        messages.error(request, "该项目没有可撤回的公示。")
    elif not form.is_valid():
        messages.error(request, "请填写撤回公示的原因。")
    else:
        try:
            services.withdraw_notice(actor=request.user, notice=notice, reason=form.cleaned_data["reason"])
            messages.success(request, "公示已撤回；更正获奖名单后可重新发布，重新计算公示期。")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect(reverse("applications:detail", kwargs={"pk": application.pk}) + "?tab=rosters#panel-publicity")


@role_required(Role.REVIEWER)
def objection_queue(request):
    only_open = request.GET.get("all") != "1"
    form = None
    if request.method == "POST":
        form = DismissForm(request.POST, choosable=selectors.objection_queue(only_open=True).values_list("pk", flat=True))
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = services.dismiss_objections(actor=request.user, objection_ids=data["objection"],
                                                   outcome=data["outcome"], reason=data["reason"])
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, f"已将 {len(done)} 件异议标记为“{done[0].get_outcome_display()}”，理由已记录。")
                return redirect(request.get_full_path())
        else:
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    page = Paginator(selectors.objection_queue(only_open=only_open), 50).get_page(request.GET.get("page"))
    return render(request, "rosters/publicity/queue.html", {
        "page": page, "only_open": only_open, "form": form or DismissForm(),
        "any_open": any(not objection.settled for objection in page),
    })


@role_required(Role.REVIEWER)
def objection_detail(request, objection_pk):
    objection = get_object_or_404(Objection.objects.select_related("notice__application"), pk=objection_pk)
    form = HandlingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_objection(actor=request.user, objection=objection, outcome=form.cleaned_data["outcome"],
                                      result=form.cleaned_data["result"])
            messages.success(request, "处理结果已记录。")
            return redirect("rosters:objection", objection_pk=objection.pk)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
    return render(request, "rosters/publicity/objection.html", {
        "objection": objection, "handlings": objection.handlings.select_related("actor"), "form": form,
    })


@role_required(Role.REVIEWER)
def objection_file(request, objection_pk):
    objection = get_object_or_404(Objection, pk=objection_pk)
    if not objection.file:
        raise Http404("该异议没有附件")
    return FileResponse(objection.file.open("rb"), as_attachment=True, filename=objection.file_name or "证明材料")
