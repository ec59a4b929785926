"""The department's side: the audit queue, the one-page audit with its decision, supervision visits."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role
from applications import workflow_engine
from applications.selectors import status_history
from haidian_contest.workflow import State

from .. import services
from ..audit import decide_audit, judgement_items
from ..forms import AuditDecisionForm, SupervisionForm
from ..selectors import audit_queue as queue_rows
from ..selectors import overdue_application_ids
from .common import USER_ERRORS, materials_context, project, report_error


@role_required(Role.REVIEWER, Role.ADMIN)
def audit_queue(request):
    waiting, running = queue_rows(request.user)
    return render(request, "performance/audit_queue.html", {
        "waiting": waiting,
        "running": running,
        "overdue_ids": overdue_application_ids(),
    })


@role_required(Role.REVIEWER, Role.ADMIN, Role.AUDITOR)
def audit(request, pk):
    """Every material and every finding on one page; the reviewer decides at the bottom."""
    application = project(request, pk)
    form = AuditDecisionForm(request.POST or None)
    can_decide = request.user.role == Role.REVIEWER and application.state == State.MATERIALS_SUBMITTED
    if request.method == "POST":
        if not can_decide:
            messages.error(request, "当前不能作出审核结论。")
            return redirect("performance:audit", pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decide_audit(
                    application=application,
                    actor=request.user,
                    decision=data["decision"],
                    comment=data["comment"],
                    banner_confirmed=data["banner_confirmed"],
                    branding_confirmed=data["branding_confirmed"],
                    lateness_accepted=form.lateness_decision(),
                    lateness_reason=data["lateness_reason"],
                )
                messages.success(request, "审核结论已记录。")
                return redirect("performance:audit", pk)
            except USER_ERRORS as exc:
                report_error(request, exc)
        else:
            messages.error(request, "请选择审核结论。")
    context = materials_context(application, request.user)
    context.update(
        form=form,
        can_decide=can_decide,
        # The date gate and the winners' notice, shown before the reviewer picks 通过 (which they disable).
        pass_blocks=workflow_engine.blockers(application, "audit_pass") if can_decide else [],
        judgement_items=judgement_items(application),
        trail=status_history(application),
    )
    return render(request, "performance/audit.html", context)


@role_required(Role.REVIEWER, Role.ADMIN, Role.AUDITOR, Role.APPROVER, Role.FINANCE)
def supervision(request, pk):
    application = project(request, pk)
    form = SupervisionForm(None, initial={"staff": request.user.full_name})
    if request.method == "POST":
        form = SupervisionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_supervision_visit(
                    application=application,
                    actor=request.user,
                    visited_on=data["visited_on"],
                    staff=data["staff"],
                    observations=data["observations"],
                    photos=data["photos"],
                )
                messages.success(request, "现场督导记录已保存。")
                return redirect("performance:supervision", pk)
            except USER_ERRORS as exc:
                report_error(request, exc)
    context = materials_context(application, request.user)
    context.update(form=form, can_record=request.user.role == Role.REVIEWER
                   and application.state in services.SUPERVISION_STATES)
    return render(request, "performance/supervision.html", context)

