"""Business actions on applications. Transactional, permission-checked, logged through the engine."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import require_role
from accounts.roles import Role
from haidian_contest import rules
from haidian_contest.workflow import APPROVED_STATES, EDITABLE_STATES, FINAL_STATES, State

from . import performance_plan, workflow_engine
from .evaluation import finding_dict, findings_for, unmet
from .attachments import inspect_upload
from .models import Application, ApplicationVersion, Attachment, BudgetLine, CoApplicant, Judge, PrizeTier, Trade
from .selectors import application_with_trades
from .snapshot import serialize_application


def _require_own_editable(application: Application, user) -> None:
    require_role(user, Role.ORGANIZER)
    if application.lead_organization_id != user.organization_id:
        raise PermissionDenied("只能修改本单位的申报。")
    if application.state not in EDITABLE_STATES:
        raise ValidationError(f"申报当前状态为“{application.state.label}”，不能修改。")


@transaction.atomic
def create_application(*, actor, title: str, cycle: int | None = None, **fields) -> Application:
    require_role(actor, Role.ORGANIZER)
    if not actor.organization_id:
        raise PermissionDenied("您的账号未关联申报单位，请联系管理员。")
    application = Application(
        title=title,
        cycle=cycle or timezone.localdate().year,
        lead_organization_id=actor.organization_id,
        created_by=actor,
        contact_person=fields.pop("contact_person", "") or actor.full_name,
        contact_phone=fields.pop("contact_phone", "") or actor.phone,
        **fields,
    )
    application.full_clean(exclude=["justifications"])
    application.save()
    return application


@transaction.atomic
def update_application(*, application: Application, actor, **fields) -> Application:
    _require_own_editable(application, actor)
    for name, value in fields.items():
        setattr(application, name, value)
    application.save()
    return application


@transaction.atomic
def set_co_applicants(*, application: Application, actor, co_applicants: list[dict]) -> None:
    _require_own_editable(application, actor)
    application.co_applicants.all().delete()
    CoApplicant.objects.bulk_create([CoApplicant(application=application, **c) for c in co_applicants])


@transaction.atomic
def save_trade(
    *,
    application: Application,
    actor,
    trade: Trade | None = None,
    judges: list[dict] = (),
    prizes: list[dict] = (),
    budget_lines: list[dict] = (),
    **fields,
) -> Trade:
    """Create or replace one trade with its judges, prize tiers and budget lines."""
    _require_own_editable(application, actor)
    if trade is None:
        trade = Trade(application=application, position=application.trades.count())
    elif trade.application_id != application.pk:
        raise PermissionDenied("工种不属于该申报。")
    for name, value in fields.items():
        setattr(trade, name, value)
    if trade.category != "innovative":
        trade.field = ""
    trade.save()
    trade.judges.all().delete()
    trade.prize_tiers.all().delete()
    trade.budget_lines.all().delete()
    Judge.objects.bulk_create([Judge(trade=trade, **j) for j in judges])
    PrizeTier.objects.bulk_create([PrizeTier(trade=trade, **p) for p in prizes])
    BudgetLine.objects.bulk_create([BudgetLine(trade=trade, **b) for b in budget_lines])
    application.save(update_fields=["updated_at"])
    return trade


@transaction.atomic
def delete_trade(*, application: Application, actor, trade: Trade) -> None:
    _require_own_editable(application, actor)
    if trade.application_id != application.pk:
        raise PermissionDenied("工种不属于该申报。")
    trade.delete()


@transaction.atomic
def set_justifications(*, application: Application, actor, justifications: dict[str, str]) -> None:
    _require_own_editable(application, actor)
    kept = {k: v.strip() for k, v in {**application.justifications, **justifications}.items() if (v or "").strip()}
    application.justifications = kept
    application.save(update_fields=["justifications", "updated_at"])


@workflow_engine.register_guard("application_complete")
def _application_complete(application: Application) -> list[str]:
    full = application_with_trades(application)
    targets = performance_plan.target_rows(full)
    # The 绩效目标表 is part of the plan: its points must follow the form's weights (100 in all).
    target_problems = [f"绩效目标：{p}" for p in performance_plan.problems(targets, full)] if targets else []
    return unmet(findings_for(full), full.justifications) + target_problems


@transaction.atomic
def submit_application(*, application: Application, actor, comment: str = "") -> ApplicationVersion:
    """3.1a: freeze what was submitted as a new version, then move to 已提交."""
    _require_own_editable(application, actor)
    # Targets prefilled from the application when the organizer never opened the section.
    performance_plan.fill_if_empty(application)
    full = application_with_trades(application)
    findings = findings_for(full)
    workflow_engine.perform(application=application, name="submit", actor=actor, comment=comment)
    now = timezone.now()
    number = application.versions.count() + 1
    version = ApplicationVersion.objects.create(
        application=application,
        number=number,
        data=serialize_application(full),
        findings=[finding_dict(f, full.justifications.get(f.key, "")) for f in findings],
        submitted_by=actor,
        submitted_at=now,
    )
    Application.objects.filter(pk=application.pk).update(submitted_version=number, submitted_at=now)
    application.submitted_version, application.submitted_at = number, now
    return version


@transaction.atomic
def save_draft(
    *,
    application: Application | None,
    actor,
    fields: dict,
    co_applicants: list[dict] | None = None,
    justifications: dict[str, str] | None = None,
) -> Application:
    """The application page's 保存草稿: one transaction, so a half-saved page never exists."""
    if application is None:
        application = create_application(actor=actor, **fields)
    else:
        update_application(application=application, actor=actor, **fields)
    if co_applicants is not None:
        set_co_applicants(application=application, actor=actor, co_applicants=co_applicants)
    if justifications:
        set_justifications(application=application, actor=actor, justifications=justifications)
    return application


@transaction.atomic
def save_trade_draft(*, application: Application, actor, justifications: dict[str, str] | None = None, **kwargs) -> Trade:
    """The trade page's 保存: the trade with its judges, prizes and budget, and the waiver reasons shown beside it."""
    trade = save_trade(application=application, actor=actor, **kwargs)
    if justifications:
        set_justifications(application=application, actor=actor, justifications=justifications)
    return trade


@transaction.atomic
def add_attachment(*, application: Application, actor, kind: str, uploaded) -> Attachment:
    _require_own_editable(application, actor)
    if kind not in dict(Attachment.KINDS):
        raise ValidationError("请选择附件类型。")
    sniffed = inspect_upload(uploaded)
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=(uploaded.name or "附件")[-255:],
        content_type=sniffed.content_type,
        size=sniffed.size,
        sha256=sniffed.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(uploaded.name, uploaded, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(*, application: Application, actor, attachment: Attachment) -> None:
    """Hide it from the draft; the file stays because an earlier submitted version may list it."""
    _require_own_editable(application, actor)
    if attachment.application_id != application.pk:
        raise PermissionDenied("附件不属于该申报。")
    attachment.removed_at = timezone.now()
    attachment.save(update_fields=["removed_at"])


# The department may record that the event moved from 立项 until the project closes.
DATE_ADJUSTABLE_STATES = APPROVED_STATES - FINAL_STATES


@transaction.atomic
def adjust_dates(*, application: Application, actor, start_date: date, end_date: date,
                 final_date: date | None = None, reason: str) -> Application:
    """日期调整: the reviewer records the competition's real dates and why; the date gates follow them.

    The plan as submitted stays in the application's versions; this changes the dates in force and
    puts old → new and the reason on the project's record.
    """
    require_role(actor, Role.REVIEWER)
    reason = (reason or "").strip()
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.state not in DATE_ADJUSTABLE_STATES:
        raise ValidationError(f"项目当前状态为“{locked.state.label}”，不能调整竞赛日期。")
    if not (start_date and end_date):
        raise ValidationError("请填写调整后的竞赛开始日期和结束日期。")
    if end_date < start_date:
        raise ValidationError(f"竞赛结束日期（{end_date:%Y-%m-%d}）不能早于开始日期（{start_date:%Y-%m-%d}）。")
    if final_date and not start_date <= final_date <= end_date:
        raise ValidationError(f"决赛日期（{final_date:%Y-%m-%d}）须在竞赛开始与结束日期之间。")
    if not reason:
        raise ValidationError("日期调整须写明理由。")
    d = rules.chinese_date
    changes = []
    if (locked.start_date, locked.end_date) != (start_date, end_date):
        changes.append(f"竞赛日期 {_span(locked.start_date, locked.end_date)} → {d(start_date)}至{d(end_date)}")
    if final_date:
        old = sorted({t.final_date for t in locked.trades.all() if t.final_date})
        changes.append(f"决赛日期 {'、'.join(map(d, old)) or '未登记'} → {d(final_date)}")
        locked.trades.update(final_date=final_date)
    if not changes:
        raise ValidationError("调整后的日期与现有日期相同。")
    locked.start_date, locked.end_date = start_date, end_date
    locked.save(update_fields=["start_date", "end_date", "updated_at"])
    from .timeline import tranche_1_findings

    # A first tranche already paid on or after the new start is late (2.3b): the record says so.
    late = "".join(f"。{f.message}" for f in tranche_1_findings(locked))
    workflow_engine.record_event(
        application=locked, name="adjust_dates", actor=actor,
        comment=f"日期调整：{'；'.join(changes)}。理由：{reason}{late}",
    )
    application.start_date, application.end_date = start_date, end_date
    return locked


def _span(start: date | None, end: date | None) -> str:
    return f"{rules.chinese_date(start) if start else '—'}至{rules.chinese_date(end) if end else '—'}"


def take_transition(*, application: Application, actor, name: str, comment: str = ""):
    """A workflow button on the project page; service-only transitions are refused here."""
    if name not in {t.name for t in workflow_engine.available_transitions(application, actor)}:
        raise workflow_engine.WorkflowError("当前不能执行该操作。")
    return workflow_engine.perform(application=application, name=name, actor=actor, comment=comment)


def planned_total(*, application: Application) -> Decimal:
    return sum((t.budget_total for t in application.trades.all()), Decimal("0.00"))


def event_dates(*, application: Application) -> tuple[date | None, date | None]:
    return application.start_date, application.end_date


__all__ = [
    "create_application", "update_application", "set_co_applicants", "save_trade", "delete_trade",
    "set_justifications", "submit_application", "save_draft", "save_trade_draft", "add_attachment",
    "remove_attachment", "take_transition", "adjust_dates", "State",
]
