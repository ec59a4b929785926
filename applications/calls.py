"""The year's call for applications (年度申报通知): window, extensions, notices, and the submit guard.

A first submission (草稿 → 已提交) is accepted only while the call of the project's year is open; a
project the department returned for revision may be resubmitted after the window, since the
department asked for it. Drafts are never touched: a late draft simply stays a draft.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localtime

from accounts.roles import Role
from accounts.services import notify, users_with_role
from haidian_contest.workflow import State

from . import workflow_engine
from .models import Application, Call, CallAttachment, CallExtension

REMINDER_BEFORE_CLOSE = timedelta(days=3)
MANAGING_ROLES = (Role.REVIEWER,)


def window_text(call: Call) -> str:
    fmt = "%Y年%m月%d日 %H:%M"
    return f"{localtime(call.opens_at).strftime(fmt)} 至 {localtime(call.closes_at).strftime(fmt)}"


def call_for(cycle: int) -> Call | None:
    return Call.objects.filter(cycle=cycle).first()


def open_calls(now=None):
    now = now or timezone.now()
    return Call.objects.filter(opens_at__lte=now, closes_at__gte=now).order_by("closes_at")


def submission_refusal(application: Application, now=None) -> str | None:
    """Why a first submission is refused now, or None when the year's window is open."""
    if application.status != State.DRAFT:
        return None  # a resubmission the department asked for
    now = now or timezone.now()
    call = call_for(application.cycle)
    if call is None:
        return f"{application.cycle} 年度申报通知尚未发布，暂不能提交申报。"
    if now < call.opens_at:
        return f"申报尚未开始：{call.cycle} 年度申报时间为 {window_text(call)}。"
    if now > call.closes_at:
        return f"申报已截止：{call.cycle} 年度申报时间为 {window_text(call)}；如有特殊情况请联系职工发展部。"
    return None


@workflow_engine.register_guard("call_open")
def _call_open(application: Application) -> list[str]:
    refusal = submission_refusal(application)
    return [refusal] if refusal else []


def _require_manager(user) -> None:
    if not user.has_role(*MANAGING_ROLES):
        raise PermissionDenied("只有职工发展部可以发布和调整年度申报通知。")


def _check_window(opens_at, closes_at) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": "截止时间须晚于开始时间。"})
    # A window wholly past would publish a call nobody can answer (every first submission refused).
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": f"截止时间 {localtime(closes_at):%Y年%m月%d日 %H:%M} 已经过去，"
                                            "整个申报时间都在今天之前，不能发布；请填写今后的截止时间。"})


@transaction.atomic
def create_call(*, actor, cycle: int, title: str, notice: str, opens_at, closes_at, planned_competitions: int,
                budget, attachments=()) -> Call:
    _require_manager(actor)
    _check_window(opens_at, closes_at)
    if Call.objects.filter(cycle=cycle).exists():
        raise ValidationError({"cycle": f"{cycle} 年度的申报通知已发布，请在原通知上修改或延期。"})
    call = Call.objects.create(cycle=cycle, title=title, notice=notice, opens_at=opens_at, closes_at=closes_at,
                               planned_competitions=planned_competitions, budget=budget, created_by=actor)
    add_attachments(call=call, actor=actor, files=attachments)
    return call


@transaction.atomic
def update_call(*, call: Call, actor, title: str, notice: str, planned_competitions: int, budget,
                opens_at=None, closes_at=None, attachments=()) -> Call:
    """Text, figures and attachments may change at any time; the window only before it opens
    (after that, the deadline moves by an extension with its reason)."""
    _require_manager(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    call.title, call.notice, call.planned_competitions, call.budget = title, notice, planned_competitions, budget
    fields = ["title", "notice", "planned_competitions", "budget"]
    if opens_at is not None and closes_at is not None and (opens_at, closes_at) != (call.opens_at, call.closes_at):
        if call.opens_at <= timezone.now():
            raise ValidationError({"closes_at": "申报已开始，截止时间只能通过“延期”调整并说明理由。"})
        _check_window(opens_at, closes_at)
        call.opens_at, call.closes_at = opens_at, closes_at
        fields += ["opens_at", "closes_at"]
    call.save(update_fields=fields)
    add_attachments(call=call, actor=actor, files=attachments)
    return call


def add_attachments(*, call: Call, actor, files) -> None:
    _require_manager(actor)
    for uploaded in files:
        attachment = CallAttachment(call=call, name=uploaded.name[:200])
        attachment.file.save(uploaded.name, uploaded, save=False)
        attachment.save()


@transaction.atomic
def extend_call(*, call: Call, actor, closes_at, reason: str) -> CallExtension:
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "延期须说明理由。"})
    call = Call.objects.select_for_update().get(pk=call.pk)
    if closes_at <= call.closes_at:
        raise ValidationError({"closes_at": f"新的截止时间须晚于原截止时间（{window_text(call)}）。"})
    extension = CallExtension.objects.create(call=call, previous_closes_at=call.closes_at, closes_at=closes_at,
                                             reason=reason, actor=actor)
    call.closes_at = closes_at
    call.closing_reminder_sent_at = None  # the reminder goes out again before the new deadline
    call.save(update_fields=["closes_at", "closing_reminder_sent_at"])
    notify(users=users_with_role(role=Role.ORGANIZER),
           text=f"{call.title}：申报截止时间延长至 {localtime(closes_at):%Y年%m月%d日 %H:%M}。", url=reverse("applications:calls"))
    return extension


def send_due_notices(now=None) -> int:
    """The opening notice once the window opens, the reminder three days before it closes; each once."""
    now = now or timezone.now()
    sent = 0
    for call in Call.objects.filter(opening_notice_sent_at__isnull=True, opens_at__lte=now, closes_at__gt=now):
        with transaction.atomic():
            if Call.objects.filter(pk=call.pk, opening_notice_sent_at__isnull=True).update(opening_notice_sent_at=now):
                notify(users=users_with_role(role=Role.ORGANIZER),
                       text=f"{call.title}已发布，申报时间 {window_text(call)}。", url=reverse("applications:calls"))
                sent += 1
    due = now + REMINDER_BEFORE_CLOSE
    for call in Call.objects.filter(closing_reminder_sent_at__isnull=True, closes_at__gt=now, closes_at__lte=due,
                                    opens_at__lte=now):
        with transaction.atomic():
            if Call.objects.filter(pk=call.pk, closing_reminder_sent_at__isnull=True).update(closing_reminder_sent_at=now):
                notify(users=users_with_role(role=Role.ORGANIZER),
                       text=f"{call.title}：申报将于 {localtime(call.closes_at):%Y年%m月%d日 %H:%M} 截止，请尽快提交。",
                       url=reverse("applications:calls"))
                sent += 1
    return sent
