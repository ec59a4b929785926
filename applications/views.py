"""Project list, the project page every role shares, frozen versions and their differences."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.timezone import localtime

from accounts.permissions import role_required
from accounts.roles import STAFF_ROLES, Role
from haidian_contest.fragments import fragment_digest
from haidian_contest.workflow import EDITABLE_STATES, STATE_CHOICES, TRANSITIONS

from . import live, panels, services, timeline
from .calls import open_calls
from .forms import DateAdjustmentForm
from .models import ApplicationVersion
from .selectors import (
    application_with_trades, attach_totals, get_application_for, latest_return, status_history, visible_applications,
)
from .snapshot import readable_diff, serialize_application
from .views_edit import application_create, application_edit, attachment_remove, attachment_upload, rules_panel, trade_edit
from .workflow_engine import WorkflowError, available_transitions

ALL_ROLES = tuple(Role)
PAGE_SIZE = 20
# What a list row shows: a project's long texts (purpose, scope …) stay in the database.
LIST_FIELDS = ("cycle", "title", "status", "updated_at", "lead_organization_id", "lead_organization__name")

__all__ = [
    "application_list", "application_detail", "version_detail", "version_diff", "draft_changes", "transition",
    "application_create", "application_edit", "trade_edit", "rules_panel", "attachment_upload", "attachment_remove",
]


@role_required(*ALL_ROLES)
def application_list(request):
    visible = visible_applications(request.user)
    # The years of the filter: DISTINCT in the database (it read every project's row into Python).
    cycles = list(visible.order_by("-cycle").values_list("cycle", flat=True).distinct())
    qs = visible.only(*LIST_FIELDS)
    cycle, status, q = request.GET.get("cycle", ""), request.GET.get("status", ""), request.GET.get("q", "").strip()
    if cycle.isdigit():
        qs = qs.filter(cycle=int(cycle))
    if status in dict(STATE_CHOICES):
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(lead_organization__name__icontains=q))
    page = Paginator(qs.order_by("-cycle", "-updated_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_totals(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    is_organizer = request.user.role == Role.ORGANIZER
    return render(request, "applications/list.html", {
        "page": page,
        # The rows are one cached fragment under a digest of every value they print (haidian_contest.fragments).
        "rows_digest": fragment_digest(is_organizer, [
            (a.pk, a.cycle, a.title, a.lead_organization.name, a.trade_count, a.budget_total, a.subsidy_total,
             a.status, a.updated_at) for a in page.object_list]),
        "cycles": cycles,
        "statuses": STATE_CHOICES,
        "filters": {"cycle": cycle, "status": status, "q": q},
        "query": query.urlencode(),
        "is_organizer": is_organizer,
        "open_calls": open_calls() if is_organizer else (),
        "editable_states": {s.value for s in EDITABLE_STATES},
    })


def snapshot_totals(data: dict) -> dict:
    trades = data.get("trades", [])
    budget = sum((Decimal(t.get("budget_total") or 0) for t in trades), Decimal("0.00"))
    subsidy = sum((Decimal(t.get("subsidy_requested") or 0) for t in trades), Decimal("0.00"))
    return {"budget": budget, "subsidy": subsidy, "share": subsidy / budget if budget else None,
            "certifiable": sum(1 for t in trades if t.get("certifiable")), "count": len(trades)}


# The project page's own tabs; the later stages add theirs (applications.panels).
OVERVIEW, CONTENT = "overview", "content"
OWN_TABS = (panels.Tab(OVERVIEW, "概况"), panels.Tab(CONTENT, "申报内容"))


@role_required(*ALL_ROLES)
def application_detail(request, pk):
    """The project page: a header with the actions on every tab, then one tab's body (?tab=…).

    概况 (the default) shows the key figures, the timeline and the record of state changes; 申报内容 the
    application, its rule findings and its submitted versions; each later stage has its tab. A tab's reads run only when it is opened: the
    whole dossier on one page cost 13× a hello-world request on every visit (issue 19).
    """
    application = get_application_for(request.user, pk)
    user = request.user
    tabs = [*OWN_TABS, *panels.tabs(user, application)]
    tab = request.GET.get("tab") or OVERVIEW
    if tab not in {t.key for t in tabs}:
        tab = OVERVIEW
    context = {
        "application": application,
        "tabs": tabs,
        "tab": tab,
        "return_comment": latest_return(application),
        "transitions": available_transitions(application, user) if user.role in STAFF_ROLES else [],
        "can_edit": user.role == Role.ORGANIZER and application.state in EDITABLE_STATES,
        "has_draft_changes": application.submitted_version and application.state in EDITABLE_STATES,
        "date_form": date_form(application, user),
    }
    if tab == OVERVIEW:
        history = status_history(application)
        attach_totals([application])
        plan = timeline.build(application, history) if application.submitted_version else None
        context.update({
            "history": history,
            "timeline": plan,
            # The timeline and the record are cached under a digest of what they print (haidian_contest.fragments).
            "timeline_digest": timeline.digest(application, plan) if plan else "",
            "record_digest": fragment_digest(
                [(c.pk, c.transition, c.from_status, c.to_status, str(c.actor), c.actor.role_label, c.comment, c.at)
                 for c in history],
            ),
        })
    elif tab == CONTENT:
        application = application_with_trades(application)
        data = serialize_application(application)
        context.update({"application": application, "data": data, "totals": snapshot_totals(data),
                        "evaluation": live.for_saved(application),
                        "versions": application.versions.select_related("submitted_by").defer("data", "findings")
                        .order_by("-number")})
    else:
        context["panels"] = _rendered_panels(request, application, tab)
    return render(request, "applications/detail.html", context)


def date_form(application, user, data=None):
    """日期调整 (review.views.adjust_dates posts it); only the department, only from 立项 until closed."""
    if user.role != Role.REVIEWER or application.state not in services.DATE_ADJUSTABLE_STATES:
        return None
    return DateAdjustmentForm(data, initial={"start_date": application.start_date, "end_date": application.end_date})


def _rendered_panels(request, application, tab) -> list[dict]:
    """The tab's sections, each rendered with its own context (its keys at top level, and as `panel`)."""
    out = []
    for panel in panels.render_context(request, application, tab=tab):
        context = {**panel["context"], "panel": panel["context"], "application": application}
        out.append({**panel, "html": render_to_string(panel["template"], context, request=request)})
    return out


def _version(request, pk, number) -> tuple:
    application = get_application_for(request.user, pk)
    version = get_object_or_404(ApplicationVersion.objects.select_related("submitted_by"),
                                application=application, number=number)
    return application, version


@role_required(*ALL_ROLES)
def version_detail(request, pk, number):
    application, version = _version(request, pk, number)
    return render(request, "applications/version.html", {
        "application": application,
        "version": version,
        "data": version.data,
        "totals": snapshot_totals(version.data),
        "findings": version.findings,
        "version_count": application.versions.count(),
    })


@role_required(*ALL_ROLES)
def version_diff(request, pk, number):
    """What changed from the previous submitted version to version `number`."""
    application, version = _version(request, pk, number)
    previous = application.versions.filter(number__lt=number).order_by("-number").first()
    if previous is None:
        raise Http404("这是第一个版本，没有可比较的上一版本。")
    return render(request, "applications/diff.html", {
        "application": application,
        "before_label": f"第 {previous.number} 版（{localtime(previous.submitted_at):%Y-%m-%d %H:%M}）",
        "after_label": f"第 {version.number} 版（{localtime(version.submitted_at):%Y-%m-%d %H:%M}）",
        "rows": readable_diff(previous.data, version.data),
    })


@role_required(*ALL_ROLES)
def draft_changes(request, pk):
    """The draft against the last submitted version: what a resubmission would change."""
    application = application_with_trades(get_application_for(request.user, pk))
    last = application.versions.order_by("-number").first()
    if last is None:
        raise Http404("尚未提交过，没有可比较的版本。")
    return render(request, "applications/diff.html", {
        "application": application,
        "before_label": f"第 {last.number} 版（已提交）",
        "after_label": "当前内容",
        "rows": readable_diff(last.data, serialize_application(application)),
    })


@role_required(Role.ORGANIZER, Role.REVIEWER, Role.APPROVER, Role.FINANCE)  # the roles that own a transition
def transition(request, pk):
    application = get_application_for(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    name = request.POST.get("name", "")
    try:
        change = services.take_transition(
            application=application, actor=request.user, name=name, comment=request.POST.get("comment", "")
        )
    except (WorkflowError, ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        messages.success(request, f"已执行“{TRANSITIONS[name].label}”，项目状态为“{change.to_label}”。")
    return redirect("applications:detail", pk=application.pk)
