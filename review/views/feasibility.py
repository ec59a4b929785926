"""3.1b: the development department's queue and feasibility review page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applications.models import ApplicationVersion
from applications.selectors import get_application_for, status_history
from applications.snapshot import readable_diff
from applications.workflow_engine import available_transitions
from haidian_contest.fragments import fragment_digest
from haidian_contest.workflow import State

from .. import services
from ..forms import QueueFilterForm, ReviewForm, TransitionForm, WaiverForm
from ..models import Review
from ..selectors import WAIVERS_WITH_AUTHORS, approval_notice_for, queue_cycles, queue_organizations, queue_page
from .common import READERS, attempt

REVIEW_TRANSITIONS = ("start_review", "recommend", "return_for_revision", "reject")
DEFAULT_FILTERS = {"cycle": None, "status": "todo", "category": "", "organization": None, "sort": "submitted"}
ACTIONS = {
    "recommend": (services.recommend, "已审核通过，提交集体决策。"),
    "return_for_revision": (services.return_for_revision, "已退回申报单位修改，退回意见已通知申报单位。"),
    "reject": (services.reject, "已作出不予通过的结论。"),
}


@role_required(Role.REVIEWER, Role.ADMIN)
def queue(request):
    cycles, organizations = queue_cycles(), queue_organizations()

    def filter_form():
        return QueueFilterForm(request.GET or None, cycles=cycles, organizations=organizations)

    # Unfiltered (the usual visit), the form is built only if its cached fragment is missing.
    form = filter_form() if request.GET else SimpleLazyObject(filter_form)
    filters = form.filters() if request.GET else dict(DEFAULT_FILTERS)
    page = queue_page(request.user, number=request.GET.get("page"), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    # The rows are one cached fragment under a digest of every value they print (haidian_contest.fragments).
    rows_digest = fragment_digest([(a.pk, a.cycle, a.title, a.lead_organization.name, a.status, a.trade_count,
                                    a.budget_total, a.subsidy_total, a.submitted_at, a.reviewer_name) for a in page])
    # The filter form prints the years, the units and the values asked for; its other choices are code
    # (the fragment cache's prefix changes with the code).
    filters_digest = fragment_digest(cycles, organizations, [(name, request.GET.getlist(name)) for name in QueueFilterForm.base_fields])
    return render(request, "review/queue.html", {"form": form, "page": page, "query": query.urlencode(), "filters": filters,
                                                 "rows_digest": rows_digest, "filters_digest": filters_digest})


def return_draft(review: Review | None) -> str:
    """What the reviewer would write when returning: the refused waivers and the unmet checklist items,
    prefilled for the reviewer to edit. The comment stays required: an emptied box is refused."""
    if review is None:
        return ""
    parts = []
    refused = [w for w in review.current_waivers() if not w.accepted]
    if refused:
        lines = [f"- {w.clause_label} {w.subject}：{w.reason}".replace("  ", " ") for w in refused]
        parts.append("以下豁免申请未获同意，请修改后重新提交：\n" + "\n".join(lines))
    unmet = [row for row in review.checklist_rows() if row["met"] is False]
    if unmet:
        lines = [f"- {row['clause']} {row['label']}：{row['note']}" for row in unmet]
        parts.append("以下审核要点不符合要求：\n" + "\n".join(lines))
    return "\n".join(parts)


def review_context(request, application, *, review_form=None) -> dict:
    version = services.current_version(application=application)
    review = services.current_review(application=application)
    if review is not None:
        prefetch_related_objects([review], WAIVERS_WITH_AUTHORS)
    decisions = {w.finding_key: w for w in review.current_waivers()} if review else {}
    is_reviewer = request.user.role == Role.REVIEWER
    editable = bool(is_reviewer and review and application.status == State.UNDER_REVIEW)
    findings = []
    for finding in services.version_findings(version=version):
        decision = decisions.get(finding["key"])
        initial = {"accepted": "1" if decision.accepted else "0", "reason": decision.reason} if decision else None
        findings.append({"finding": finding, "decision": decision, "form": WaiverForm(initial=initial, prefix=f"w{len(findings)}")})
    previous = None
    if version and version.number > 1:
        previous = ApplicationVersion.objects.filter(application=application, number=version.number - 1).first()
    transitions = [t for t in available_transitions(application, request.user) if t.name in REVIEW_TRANSITIONS]
    return {
        "application": application,
        "version": version,
        "review": review,
        "findings": findings,
        "hard_count": sum(1 for f in findings if not f["finding"]["waivable"]),
        "editable": editable,
        "review_form": review_form or (ReviewForm(review=review) if review else None),
        "transitions": transitions,
        "transition_form": TransitionForm(initial={"comment": return_draft(review)}),
        "gaps": services.review_gaps(application=application) if application.status == State.UNDER_REVIEW else [],
        "diff": readable_diff(previous.data, version.data) if previous else [],
        "previous": previous,
        "past_reviews": list(
            Review.objects.filter(application=application).exclude(pk=getattr(review, "pk", None))
            .select_related("reviewer").prefetch_related(WAIVERS_WITH_AUTHORS).order_by("-round")
        ),
        "history": status_history(application),
        "approval_notice": approval_notice_for(application, request.user),
    }


@role_required(*READERS)
def review_page(request, pk):
    application = get_application_for(request.user, pk)
    if not application.submitted_version:
        messages.info(request, "该申报尚未提交。")
        return redirect("applications:detail", pk=application.pk)
    return render(request, "review/review.html", review_context(request, application))


@require_POST
@role_required(Role.REVIEWER)
def start(request, pk):
    application = get_application_for(request.user, pk)
    attempt(request, services.start_review, application=application, actor=request.user, success="已开始可行性审核。")
    return redirect("review:detail", pk=application.pk)


@require_POST
@role_required(Role.REVIEWER)
def decide_waiver(request, pk):
    application = get_application_for(request.user, pk)
    review = get_object_or_404(Review, application=application, round=application.submitted_version)
    prefix = request.POST.get("prefix", "")
    form = WaiverForm(request.POST, prefix=prefix or None)
    if not form.is_valid():
        messages.error(request, "请选择是否同意豁免。")
    else:
        attempt(
            request,
            services.decide_waiver,
            review=review,
            actor=request.user,
            finding_key=request.POST.get("finding_key", ""),
            accepted=form.cleaned_data["accepted"],
            reason=form.cleaned_data["reason"],
            success="已记录豁免审核意见。",
        )
    return redirect(f"{_detail(application)}#findings")


@require_POST
@role_required(Role.REVIEWER)
def save(request, pk):
    application = get_application_for(request.user, pk)
    review = get_object_or_404(Review, application=application, round=application.submitted_version)
    form = ReviewForm(request.POST)
    if form.is_valid():
        ok, _ = attempt(
            request,
            services.save_review,
            review=review,
            actor=request.user,
            opinion=form.cleaned_data["opinion"],
            checklist=form.checklist(),
            success="审核意见已保存。",
        )
        if ok:
            return redirect(f"{_detail(application)}#actions")
    return render(request, "review/review.html", review_context(request, application, review_form=form))


@require_POST
@role_required(Role.REVIEWER)
def transition(request, pk):
    application = get_application_for(request.user, pk)
    form = TransitionForm(request.POST)
    name = request.POST.get("transition", "")
    if name not in ACTIONS or not form.is_valid():
        messages.error(request, "无法识别的操作。")
        return redirect("review:detail", pk=application.pk)
    action, success = ACTIONS[name]
    ok, _ = attempt(request, action, application=application, actor=request.user, comment=form.cleaned_data["comment"],
                    success=success)
    if ok:
        return redirect("review:queue")
    return redirect(f"{_detail(application)}#actions")


def _detail(application) -> str:
    return reverse("review:detail", args=[application.pk])


@require_POST
@role_required(Role.REVIEWER)
def adjust_dates(request, pk):
    """日期调整 from the project page's timeline: the event's real dates, with the reason on the record."""
    from applications import services as application_services
    from applications.views import date_form

    application = get_application_for(request.user, pk)
    form = date_form(application, request.user, request.POST)
    if form is None:
        messages.error(request, f"项目当前状态为“{application.status_label}”，不能调整竞赛日期。")
    elif not form.is_valid():
        messages.error(request, "日期调整未保存：" + "；".join(
            f"{form.fields[name].label}：{' '.join(errors)}" if name in form.fields else " ".join(errors)
            for name, errors in form.errors.items()))
    else:
        try:
            application_services.adjust_dates(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已登记日期调整，并记入流转记录。")
    return redirect(f"{reverse('applications:detail', args=[application.pk])}#timeline")
