"""3.1c and 3.2: collective decision, party-group meetings, their agenda, decisions and minutes."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applications.selectors import get_application_for, trades_with_occupation
from haidian_contest import documents, rules

from .. import services
from ..forms import AgendaAddForm, CollectiveForm, MeetingForm, PartyDecisionForm
from ..models import Meeting
from ..selectors import (
    agenda_candidates, agenda_item, collective_queue, meeting_items, meeting_list, meeting_portfolio,
)
from .common import READERS, attempt

MANAGERS = (Role.APPROVER, Role.REVIEWER)


# ---------------------------------------------------------------- collective decision

@role_required(Role.REVIEWER, Role.ADMIN)
def collective(request):
    rows = list(collective_queue(request.user))
    forms = {app.pk: CollectiveForm(prefix=f"c{app.pk}") for app in rows}
    bound = getattr(request, "_bound_collective", None)
    if bound:
        forms[bound[0]] = bound[1]
    return render(request, "review/collective.html", {
        "rows": [(app, forms[app.pk]) for app in rows],
        "can_decide": request.user.role == Role.REVIEWER,
    })


@require_POST
@role_required(Role.REVIEWER)
def collective_decide(request, pk):
    application = get_application_for(request.user, pk)
    form = CollectiveForm(request.POST, prefix=f"c{application.pk}")
    if form.is_valid():
        ok, decision = attempt(
            request, services.record_collective_decision, application=application, actor=request.user,
            outcome=form.cleaned_data["outcome"], date=form.cleaned_data["date"], note=form.cleaned_data["note"],
        )
        if ok:
            messages.success(request, f"已记录“{application.title}”的集体决策：{decision.get_outcome_display()}。")
            return redirect("review:collective")
    request._bound_collective = (application.pk, form)
    return collective(request)


# ---------------------------------------------------------------- meetings

@role_required(Role.APPROVER, Role.REVIEWER, Role.ADMIN)
def meetings(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if request.user.role not in MANAGERS:
            messages.error(request, "您的角色不能创建党组会。")
            return redirect("review:meetings")
        if form.is_valid():
            ok, meeting = attempt(
                request, services.create_meeting, actor=request.user, **form.cleaned_data, success="党组会已创建。"
            )
            if ok:
                return redirect("review:meeting", pk=meeting.pk)
    return render(request, "review/meetings.html", {
        "meetings": meeting_list(),
        "form": form,
        "can_manage": request.user.role in MANAGERS,
        "waiting": agenda_candidates().count(),
    })


def _trade_rows(application, form):
    rs = services.ruleset_of(application=application)
    rows = []
    for trade in application.trades.all():
        budget = trade.budget_total
        requested = trade.subsidy_requested
        rows.append({
            "trade": trade,
            "budget": budget,
            "requested": requested,
            "share": (requested / budget) if budget else None,
            "findings": rules.check_subsidy_share(trade.category, budget, requested, ruleset=rs) if budget else [],
            "field": form[f"subsidy_{trade.pk}"] if form is not None else None,
        })
    return rows


def meeting_context(request, meeting, bound: dict | None = None) -> dict:
    items = meeting_items(meeting)
    can_decide = request.user.role == Role.APPROVER
    rows = []
    for item in items:
        form = None
        if item.is_pending and can_decide:
            form = (bound or {}).get(item.pk) or PartyDecisionForm(trades=item.application.trades.all(), prefix=f"i{item.pk}")
        rows.append({"item": item, "form": form, "trades": _trade_rows(item.application, form)})
    can_manage = request.user.role in MANAGERS
    return {
        "meeting": meeting,
        "rows": rows,
        "portfolio": meeting_portfolio(meeting, items),
        "can_decide": can_decide,
        "can_manage": can_manage,
        "can_read_packet": can_manage,  # 上会材料: the department and the party group
        "can_issue_documents": request.user.role == Role.REVIEWER,  # 立项通知书 and 合作协议草稿, on the project's page
        "add_form": AgendaAddForm() if can_manage else None,
    }


@role_required(*READERS)
def meeting(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(request, "review/meeting.html", meeting_context(request, meeting))


@require_POST
@role_required(*MANAGERS)
def meeting_add(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AgendaAddForm(request.POST)
    if form.is_valid():
        application = form.cleaned_data["application"]
        attempt(
            request,
            services.add_to_agenda,
            meeting=meeting,
            application=application,
            actor=request.user,
            success=f"已将“{application.title}”列入议题。",
        )
    else:
        messages.error(request, "请选择待党组会审议的项目。")
    return redirect("review:meeting", pk=meeting.pk)


@require_POST
@role_required(*MANAGERS)
def item_remove(request, pk):
    item = agenda_item(pk)
    attempt(request, services.remove_from_agenda, item=item, actor=request.user, success="已移出议题。")
    return redirect("review:meeting", pk=item.meeting_id)


@require_POST
@role_required(*MANAGERS)
def item_projection(request, pk):
    """htmx: count (or not) a pending item in the "after" plan and return the refreshed panel."""
    item = agenda_item(pk)
    services.set_projection(item=item, actor=request.user, include=request.POST.get("include") == "1")
    if not request.htmx:
        return redirect("review:meeting", pk=item.meeting_id)
    meeting = item.meeting
    return render(request, "review/_portfolio.html", {"portfolio": meeting_portfolio(meeting), "meeting": meeting})


@require_POST
@role_required(*MANAGERS)
def item_portfolio(request, pk):
    """htmx: the year's plan as it would be with the approved subsidies being typed for this item, so
    the panel moves before the decision is recorded. Reads only; an amount not yet valid is left out."""
    item = agenda_item(pk)
    typed = {}
    if item.is_pending:
        form = PartyDecisionForm(request.POST, trades=item.application.trades.all(), prefix=f"i{item.pk}")
        form.is_valid()
        for trade in form.trades:
            amount = form.cleaned_data.get(f"subsidy_{trade.pk}")
            if amount is not None:
                typed[trade.pk] = amount
    meeting = item.meeting
    if not request.htmx:
        return redirect("review:meeting", pk=meeting.pk)
    return render(request, "review/_portfolio.html", {"portfolio": meeting_portfolio(meeting, typed=typed), "meeting": meeting})


@require_POST
@role_required(Role.APPROVER)
def item_decide(request, pk):
    item = agenda_item(pk)
    form = PartyDecisionForm(request.POST, trades=trades_with_occupation(item.application), prefix=f"i{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        ok, _ = attempt(
            request, services.record_party_decision, item=item, actor=request.user,
            approved=data["approved"], union_role=data["union_role"], approved_subsidies=form.subsidies(), note=data["note"],
            raise_reason=data["raise_reason"],
        )
        if ok:
            verdict = "批准立项" if data["approved"] else "不予立项"
            messages.success(request, f"已记录党组会决定：“{item.application.title}”{verdict}。")
            return redirect(f"{reverse('review:meeting', args=[item.meeting_id])}#item-{item.pk}")
    else:
        messages.error(request, "请检查审议结果和批准补助金额。")
    context = meeting_context(request, item.meeting, bound={item.pk: form})
    return render(request, "review/meeting.html", context)


@role_required(*READERS)
def minutes(request, pk):
    """Minutes of the meeting as a PDF: the decisions taken and the plan after them."""
    meeting = get_object_or_404(Meeting, pk=pk)
    items = meeting_items(meeting)
    pdf = documents.render_pdf("review/minutes_pdf.html", {
        "meeting": meeting,
        "rows": [{"item": item, "trades": _trade_rows(item.application, None)} for item in items],
        "portfolio": meeting_portfolio(meeting, items),
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
    })
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"minutes-{meeting.date:%Y%m%d}-{meeting.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
