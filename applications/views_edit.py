"""The organizer's editing pages: the application, one page per trade, the live rule panel, attachments.

Every button on the application page first saves what is typed (保存草稿), then does its job (open
a trade, delete a trade, submit), so leaving the page never drops input.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.permissions import role_required
from accounts.roles import Role
from haidian_contest.workflow import EDITABLE_STATES

from . import live, services
from .attachments import MAX_ATTACHMENT_BYTES
from .forms import (
    ApplicationForm,
    AttachmentForm,
    BudgetLineFormSet,
    CoApplicantFormSet,
    JudgeFormSet,
    PrizeForm,
    TradeForm,
    kept_rows,
)
from .models import Application, BudgetLine, Trade
from .selectors import application_with_trades, get_application_for, latest_return
from .workflow_engine import WorkflowError

FORM_ID = "edit-form"
FIX_ERRORS = "有内容需要修正（见标红的栏目），本次未保存；已填写的内容都还在页面上，修正后再点“保存”。"
RANKS = (1, 2, 3)


def _editable(request, pk):
    """The organizer's own draft: another unit's project is a 404, a submitted one goes to its page."""
    application = get_application_for(request.user, pk)
    if request.user.role != Role.ORGANIZER:
        raise PermissionDenied("只有申报单位可以修改申报。")
    if application.state not in EDITABLE_STATES:
        messages.info(request, f"申报当前状态为“{application.status_label}”，不能修改。")
        return application, redirect("applications:detail", pk=application.pk)
    return application, None


def _error_text(exc) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


@role_required(Role.ORGANIZER)
def application_create(request):
    if not request.user.organization_id:
        raise PermissionDenied("您的账号未关联申报单位，请联系管理员。")
    return _application_page(request, None)


@role_required(Role.ORGANIZER)
def application_edit(request, pk):
    application, gone = _editable(request, pk)
    return gone or _application_page(request, application)


def _application_page(request, application):
    organization = application.lead_organization if application else request.user.organization
    if request.method == "POST":
        form = ApplicationForm(request.POST, instance=application)
        co_formset = CoApplicantFormSet(request.POST, prefix="co")
        if form.is_valid() and co_formset.is_valid():
            fields = {name: form.cleaned_data[name] for name in ApplicationForm.Meta.fields}
            try:
                application = services.save_draft(
                    application=application, actor=request.user, fields=fields, co_applicants=kept_rows(co_formset),
                    justifications=live.posted_justifications(request.POST),
                )
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                return _after_save(request, application, request.POST.get("action", "save"))
        else:
            messages.error(request, FIX_ERRORS)
    else:
        form = ApplicationForm(instance=application)
        co_formset = CoApplicantFormSet(prefix="co", initial=[
            {f: getattr(c, f) for f in ("name", "org_type", "credit_code", "contact_person", "contact_phone")}
            for c in (application.co_applicants.all() if application else [])
        ])
    full = application_with_trades(application) if application else None
    if request.method == "POST":
        evaluation = live.for_application_page(full, organization, request.POST)
    else:
        evaluation = live.for_saved(full) if full else live.for_application_page(None, organization, {})
    return render(request, "applications/edit.html", {
        "application": full,
        "organization": organization,
        "form": form,
        "co_formset": co_formset,
        "evaluation": evaluation,
        "form_id": FORM_ID,
        "panel_url": reverse("applications:rules_panel", args=[full.pk]) if full else reverse("applications:rules_panel_new"),
        "attachment_form": AttachmentForm(),
        "attachments": [a for a in full.attachments.all() if a.removed_at is None] if full else [],
        "max_mb": MAX_ATTACHMENT_BYTES // 1024 // 1024,
        "plan_keys": [key for key, _label in Application.PLAN_SECTIONS],
        "return_comment": latest_return(full),
    })


def _after_save(request, application, action: str):
    edit = redirect("applications:edit", pk=application.pk)
    if action == "targets":
        return redirect("applications:targets", pk=application.pk)
    if action == "add_trade":
        return redirect("applications:trade_create", pk=application.pk)
    if action.startswith("edit_trade:"):
        return redirect("applications:trade_edit", pk=application.pk, trade_pk=action.split(":", 1)[1])
    if action.startswith("delete_trade:"):
        trade = get_object_or_404(application.trades, pk=action.split(":", 1)[1])
        services.delete_trade(application=application, actor=request.user, trade=trade)
        messages.success(request, f"草稿已保存，工种“{trade.name}”已删除。")
        return edit
    if action == "submit":
        try:
            services.submit_application(application=application, actor=request.user)
        except (WorkflowError, ValidationError) as exc:
            messages.error(request, f"草稿已保存，但尚不能提交：{_error_text(exc)}")
            return edit
        messages.success(request, "申报已提交，等待区总工会职工发展部审核。提交的版本已存档，不会再被修改。")
        return redirect("applications:detail", pk=application.pk)
    messages.success(request, "草稿已保存。")
    return edit


def _trade_initial(trade):
    if trade is None:
        judges = [{}, {}, {}]
        budget = [{"item": item} for item, _label in BudgetLine.ITEMS]
        prizes = {}
    else:
        judges = [{f: getattr(j, f) for f in ("name", "employer", "title", "experience")} for j in trade.judges.all()]
        budget = [{"item": b.item, "description": b.description, "amount": b.amount} for b in trade.budget_lines.all()]
        prizes = {p.rank: {"count": p.count, "amount": p.amount} for p in trade.prize_tiers.all()}
    return judges, budget, prizes


@role_required(Role.ORGANIZER)
def trade_edit(request, pk, trade_pk=None):
    application, gone = _editable(request, pk)
    if gone:
        return gone
    trade = get_object_or_404(Trade.objects.prefetch_related("judges", "prize_tiers", "budget_lines"),
                              application=application, pk=trade_pk) if trade_pk else None
    if request.method == "POST":
        form = TradeForm(request.POST, instance=trade or Trade(application=application))
        judges = JudgeFormSet(request.POST, prefix="judges")
        budget = BudgetLineFormSet(request.POST, prefix="budget")
        prizes = [PrizeForm(request.POST, rank=rank) for rank in RANKS]
        if all(f.is_valid() for f in (form, judges, budget, *prizes)):
            try:
                saved = services.save_trade_draft(
                    application=application, actor=request.user, trade=trade,
                    judges=kept_rows(judges),
                    prizes=[row for row in (p.service_row() for p in prizes) if row],
                    budget_lines=[{**row, "amount": row.get("amount") or 0} for row in kept_rows(budget)],
                    justifications=live.posted_justifications(request.POST),
                    **form.service_fields(),
                )
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, f"工种“{saved.name}”已保存。")
                if request.POST.get("action") == "save_back":
                    return redirect("applications:edit", pk=application.pk)
                return redirect("applications:trade_edit", pk=application.pk, trade_pk=saved.pk)
        else:
            messages.error(request, FIX_ERRORS)
    else:
        judge_rows, budget_rows, prize_rows = _trade_initial(trade)
        form = TradeForm(instance=trade)
        judges = JudgeFormSet(prefix="judges", initial=judge_rows)
        budget = BudgetLineFormSet(prefix="budget", initial=budget_rows)
        prizes = [PrizeForm(rank=rank, initial=prize_rows.get(rank)) for rank in RANKS]
    full = application_with_trades(application)
    if request.method == "POST":
        evaluation = live.for_trade_page(full, trade.pk if trade else None, request.POST)
    else:
        evaluation = live.for_saved(full, trade.pk) if trade else live.for_trade_page(full, None, {})
    return render(request, "applications/trade_edit.html", {
        "application": full,
        "trade": trade,
        "form": form,
        "judges": judges,
        "budget": budget,
        "prizes": prizes,
        "evaluation": evaluation,
        "form_id": FORM_ID,
        "panel_url": reverse("applications:rules_panel", args=[application.pk]),
        "trade_key": trade.pk if trade else "new",
    })


@role_required(Role.ORGANIZER)
def rules_panel(request, pk=None):
    """htmx: the panel for the values on the page, unsaved."""
    if pk is None:
        application, organization = None, request.user.organization
        if organization is None:
            raise PermissionDenied("您的账号未关联申报单位。")
    else:
        application = application_with_trades(get_application_for(request.user, pk))
        organization = application.lead_organization
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if application is not None and request.POST.get("_page") == "trade":
        evaluation = live.for_trade_page(application, live.to_int(request.POST.get("_trade")) or None, request.POST)
    else:
        evaluation = live.for_application_page(application, organization, request.POST)
    return render(request, "applications/_rule_panel.html", {
        "evaluation": evaluation, "form_id": FORM_ID, "editable": True, "application": application,
    })


def _attachments_response(request, application, *, error="", done=""):
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif done:
            messages.success(request, done)
        return redirect(f"{reverse('applications:edit', args=[application.pk])}#attachments")
    return render(request, "applications/_attachments.html", {
        "application": application,
        "attachments": application.attachments.filter(removed_at__isnull=True),
        "attachment_form": AttachmentForm(),
        "error": error,
        "done": done,
        "editable": True,
        "max_mb": MAX_ATTACHMENT_BYTES // 1024 // 1024,
    })


@role_required(Role.ORGANIZER)
def attachment_upload(request, pk):
    application, gone = _editable(request, pk)
    if gone:
        return gone
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _attachments_response(request, application, error="请选择附件类型和文件。")
    upload = form.cleaned_data["file"]
    try:
        services.add_attachment(
            application=application, actor=request.user, kind=form.cleaned_data["kind"], uploaded=upload
        )
    except ValidationError as exc:
        return _attachments_response(request, application, error=_error_text(exc))
    return _attachments_response(request, application, done=f"已上传“{upload.name}”。")


@role_required(Role.ORGANIZER)
def attachment_remove(request, pk, attachment_pk):
    application, gone = _editable(request, pk)
    if gone:
        return gone
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    attachment = get_object_or_404(application.attachments, pk=attachment_pk, removed_at__isnull=True)
    services.remove_attachment(application=application, actor=request.user, attachment=attachment)
    return _attachments_response(request, application, done=f"已移除“{attachment.original_name}”。")
