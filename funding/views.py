import uuid
from decimal import Decimal
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from applications.selectors import (
    get_application_for,
    trades_with_occupation,
    visible_applications,
)
from applications.workflow_engine import WorkflowError
from haidian_contest import rules
from haidian_contest.fragments import fragment_digest
from haidian_contest.workflow import APPROVED_STATES, State
from review.selectors import approval_notice_for

from . import agreement_draft as draft
from . import selectors, services
from .export import ledger_workbook
from .forms import AgreementCorrectionForm, AgreementForm, ReleaseForm, ReverseForm
from .ledger_page import ledger_page
from .models import Agreement, LedgerEntry

LEDGER_PAGE_SIZE = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ALL_ROLES = tuple(Role)
LEDGER_ROLES = (Role.FINANCE, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN)


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


@role_required(Role.FINANCE, Role.REVIEWER, Role.ADMIN)
def queue(request):
    apps = visible_applications(request.user).filter(status__in=selectors.QUEUE_STATES).order_by("start_date", "pk")
    ledgers = selectors.project_ledgers(apps)
    rows = selectors.queue_rows([ledger for ledger in ledgers if ledger.agreement])
    awaiting = [ledger for ledger in ledgers if ledger.application.state == State.APPROVED and not ledger.agreement]
    return render(request, "funding/queue.html", {**rows, "awaiting_agreement": awaiting})


def _cycle(request) -> int | None:
    raw = request.GET.get("cycle", "")
    if raw == "all":
        return None
    try:
        return int(raw)
    except ValueError:
        return timezone.localdate().year


@role_required(*LEDGER_ROLES)
def ledger(request):
    cycle = _cycle(request)
    projects = selectors.year_projects(cycle, visible_applications(request.user))
    # The totals cover the whole year (cached, funding.totals); the rows come a page at a time, each
    # with only the figures it shows (the Excel export has the entries). One fingerprint statement
    # gives the totals' cache key and the paginator's count; one more gives the page's rows.
    scope = selectors.scope_of(projects)
    year = selectors.year_totals(projects, scope)
    year.cycle = cycle
    summaries = [("按类别", year.by_category), ("按区总工会角色", year.by_role), ("按批次", year.tranche_totals)]
    page = ledger_page(scope, request.GET.get("page"), per_page=LEDGER_PAGE_SIZE)
    context = {"year": year, "cycles": selectors.ledger_cycles(), "summaries": summaries, "page": page,
               "query": urlencode({"cycle": cycle or "all"}),
               # The summary cards and the rows are cached HTML under a digest of every figure and text
               # they show (haidian_contest.fragments; the cache's prefix changes with each release).
               "totals_key": fragment_digest(summaries),
               "rows_key": fragment_digest(list(page.object_list))}
    return render(request, "funding/ledger.html", context)


@role_required(*LEDGER_ROLES)
def ledger_export(request):
    cycle = _cycle(request)
    year = selectors.year_ledger(cycle, visible_applications(request.user))
    response = HttpResponse(
        ledger_workbook(year), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"资金台账-{cycle or '全部年度'}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@role_required(*ALL_ROLES)
def project(request, pk):
    application = get_application_for(request.user, pk)
    ledger = selectors.project_ledger(application)
    history = (
        Agreement.objects.filter(application=application)
        .select_related("recorded_by", "supersedes")
        .order_by("-recorded_at", "-id")
    )
    role = request.user.role
    approved = application.status in APPROVED_STATES
    return render(request, "funding/project.html", {
        "application": application, "ledger": ledger, "history": history,
        "is_finance": role == Role.FINANCE,
        "can_record": role == Role.REVIEWER,
        "approval_notice": approval_notice_for(application, request.user),
        "can_draft_agreement": role in (Role.REVIEWER, Role.FINANCE) and approved,
    })


@role_required(Role.REVIEWER, Role.FINANCE)
def agreement_draft(request, pk):
    """合作协议草稿 (.docx) from the approved data, for the department to edit and print."""
    application = get_application_for(request.user, pk)
    try:
        data = draft.agreement_draft_data(application)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("funding:project", pk=application.pk)
    response = HttpResponse(draft.agreement_draft_docx(data), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, draft.draft_filename(application))
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.REVIEWER)
@require_http_methods(["GET", "POST"])
def agreement(request, pk):
    """Records the agreement of an approved project, or a superseding correction of it."""
    application = get_application_for(request.user, pk)
    current = selectors.current_agreement(application)
    form_class = AgreementCorrectionForm if current else AgreementForm
    initial = {"union_role": application.union_role, "signed_on": timezone.localdate()}
    bound = request.method == "POST"
    form = form_class(request.POST if bound else None, request.FILES if bound else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("number", "signed_on", "union_role", "scan")}
        try:
            if current:
                services.correct_agreement(application=application, actor=request.user, reason=data["reason"], **fields)
                messages.success(request, f"已登记更正协议 {data['number']}。")
            else:
                services.record_agreement(application=application, actor=request.user, **fields)
                messages.success(request, f"已登记合作协议 {data['number']}，项目进入拨付流程。")
            return redirect("funding:project", pk=application.pk)
        except (ValidationError, WorkflowError) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
    trades = list(trades_with_occupation(application))
    total = sum((t.approved_subsidy or Decimal("0.00") for t in trades), Decimal("0.00"))
    return render(request, "funding/agreement_form.html", {
        "application": application, "form": form, "current": current, "trades": trades, "total": total,
        "split": rules.split_tranches(total), "missing": [t for t in trades if t.approved_subsidy is None],
    })


@role_required(*ALL_ROLES)
def agreement_scan(request, agreement_pk):
    found = get_object_or_404(Agreement.objects.select_related("application"), pk=agreement_pk)
    get_application_for(request.user, found.application_id)
    try:
        handle = found.scan.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    return FileResponse(handle, as_attachment=False, filename=f"{found.number}.pdf", content_type="application/pdf")


def _payee_initial(application) -> dict:
    last = (
        LedgerEntry.objects.filter(tranche__application=application, kind=LedgerEntry.Kind.PAYMENT)
        .order_by("-created_at", "-id")
        .first()
    )
    if last:
        return {"payee_name": last.payee_name, "payee_bank": last.payee_bank, "payee_account": last.payee_account}
    return {"payee_name": application.lead_organization.name}


@role_required(Role.FINANCE)
@require_http_methods(["GET", "POST"])
def release(request, pk, number):
    application = get_application_for(request.user, pk)
    if number not in (1, 2):
        raise Http404
    status = selectors.project_ledger(application).tranche(number)
    if request.method == "GET" and status.is_paid:
        messages.info(request, "该笔资金已拨付。")
        return redirect("funding:project", pk=pk)
    initial = {"token": uuid.uuid4(), "round": selectors.payment_round(application, number),
               "paid_on": timezone.localdate(), "amount": status.scheduled, **_payee_initial(application)}
    form = ReleaseForm(request.POST if request.method == "POST" else None, initial=initial, number=number)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.release_tranche(
                application=application,
                number=number,
                actor=request.user,
                paid_on=data["paid_on"],
                voucher_no=data["voucher_no"],
                payee=services.Payee(data["payee_name"], data["payee_bank"], data["payee_account"]),
                amount=data["amount"],
                note=data["note"],
                late_reason=data.get("late_reason", ""),
                idempotency_key=data["token"],
                form_round=data["round"],
            )
        except services.AlreadyPaid as exc:
            (messages.info if exc.same_request else messages.warning)(request, str(exc))
            return redirect("funding:project", pk=pk)
        except services.StaleForm as exc:
            # Keep what was typed, but under a fresh token of the current round: the next submit is a
            # deliberate payment of this round, made after the user has seen the message.
            data = request.POST.copy()
            data.update({"token": str(uuid.uuid4()), "round": str(selectors.payment_round(application, number))})
            form = ReleaseForm(data, initial=initial, number=number)
            form.is_valid()
            form.add_error(None, exc.messages[0])
        except (ValidationError, WorkflowError) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(
                request, f"已拨付{status.label} {entry.amount:,} 元（凭证号 {entry.voucher_no}）。"
            )
            return redirect("funding:project", pk=pk)
    return render(request, "funding/release_form.html", {
        "application": application, "tranche": status, "form": form,
        "tranche_agreement": selectors.current_agreement(application),
    })


@role_required(Role.FINANCE)
@require_http_methods(["GET", "POST"])
def reverse(request, pk, number):
    application = get_application_for(request.user, pk)
    if number not in (1, 2):
        raise Http404
    status = selectors.project_ledger(application).tranche(number)
    initial = {"reversed_on": timezone.localdate()}
    form = ReverseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reverse_payment(application=application, number=number, actor=request.user, reason=data["reason"],
                                     reversed_on=data["reversed_on"], voucher_no=data["voucher_no"])
        except (ValidationError, WorkflowError) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, f"已冲销{status.label}，可重新拨付。")
            return redirect("funding:project", pk=pk)
    return render(request, "funding/reverse_form.html", {"application": application, "tranche": status, "form": form})
