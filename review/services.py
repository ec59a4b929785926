"""Business actions of the review step: feasibility review, collective decision, party group.

State changes go through applications.workflow_engine.perform (audit record and notices); the
records here say what was decided and why. The two guards the workflow names for this step are
implemented at the bottom and registered when the app loads (ReviewConfig.ready).
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import require_role
from accounts.roles import Role
from applications import workflow_engine
from applications.models import Application, ApplicationVersion, Trade
from applications.performance_plan import follow_approved_amounts
from haidian_contest import rules
from haidian_contest.workflow import State

from .models import CHECKLIST, UNION_ROLE_LABELS, AgendaItem, CollectiveDecision, Meeting, Review, WaiverDecision
from .selectors import portfolio

FEN = Decimal("0.01")


# ---------------------------------------------------------------- reads the actions rely on

def current_version(*, application: Application) -> ApplicationVersion | None:
    return ApplicationVersion.objects.filter(application=application, number=application.submitted_version).first()


def current_review(*, application: Application) -> Review | None:
    if not application.submitted_version:
        return None
    return Review.objects.filter(application=application, round=application.submitted_version).first()


def version_findings(*, version: ApplicationVersion | None) -> list[dict]:
    return list(version.findings) if version else []


def ruleset_of(*, application: Application) -> rules.RuleSet:
    # The measures in force when it was submitted judge it, however late the decision.
    return rules.ruleset_for(timezone.localtime(application.submitted_at or timezone.now()).date())


def _require_current_review(review: Review, user) -> Application:
    require_role(user, Role.REVIEWER)
    application = review.application
    application.refresh_from_db(fields=["status", "submitted_version"])
    if application.status != State.UNDER_REVIEW:
        raise ValidationError(f"项目当前状态为“{application.status_label}”，不能修改审核记录。")
    if review.round != application.submitted_version:
        raise ValidationError("该审核记录属于此前提交的版本，不能再修改。")
    return application


# ---------------------------------------------------------------- 3.1b feasibility review

@transaction.atomic
def start_review(*, application: Application, actor) -> Review:
    """Take the application into review and open the review record of its submitted version."""
    require_role(actor, Role.REVIEWER)
    workflow_engine.perform(application=application, name="start_review", actor=actor)
    review, _created = Review.objects.get_or_create(
        application=application, round=application.submitted_version, defaults={"reviewer": actor}
    )
    _carry_forward(review, actor)
    return review


def _carry_forward(review: Review, user) -> None:
    """A waiver accepted in the previous round, for the same finding and the same justification,
    stays accepted: the organizer was asked to change only what was refused."""
    previous = Review.objects.filter(application=review.application, round__lt=review.round).order_by("-round").first()
    if previous is None:
        return
    accepted = {w.finding_key: w for w in previous.current_waivers() if w.accepted}
    decided = set(review.waivers.values_list("finding_key", flat=True))
    for finding in version_findings(version=current_version(application=review.application)):
        old = accepted.get(finding["key"])
        if finding["key"] in decided:
            continue
        if finding["waivable"] and old and old.justification == finding.get("justification", ""):
            WaiverDecision.objects.create(
                review=review,
                finding_key=finding["key"],
                **_finding_fields(finding),
                accepted=True, reason=old.reason, carried_from_round=previous.round, decided_by=user,
            )


def _finding_fields(finding: dict) -> dict:
    return {
        "clause": finding["clause"],
        "clause_label": finding["clause_label"],
        "subject": finding.get("subject", ""),
        "message": finding["message"],
        "justification": finding.get("justification", ""),
    }


@transaction.atomic
def decide_waiver(*, review: Review, actor, finding_key: str, accepted: bool, reason: str = "") -> WaiverDecision:
    application = _require_current_review(review, actor)
    finding = next(
        (f for f in version_findings(version=current_version(application=application)) if f["key"] == finding_key), None
    )
    if finding is None:
        raise ValidationError("该问题不在本次提交的审核结果中。")
    if not finding["waivable"]:
        raise ValidationError(f"{finding['clause_label']} 为不可豁免条款，不能同意豁免。")
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError(f"不同意 {finding['clause_label']} 的豁免申请，须写明理由。")
    # Two reviewers changing a decision at once queue on the review's row instead of forking the chain.
    Review.objects.select_for_update().filter(pk=review.pk).first()
    previous = WaiverDecision.objects.current().filter(review=review, finding_key=finding_key).first()
    fields = _finding_fields(finding)
    if previous is not None and (previous.accepted, previous.reason) == (accepted, reason) and all(
        getattr(previous, name) == value for name, value in fields.items()
    ):
        return previous  # the same answer again (a resubmitted form) is no new decision
    # A changed decision is a new row that supersedes the old one: the old answer stays on the record.
    return WaiverDecision.objects.create(
        review=review, finding_key=finding_key, **fields, accepted=accepted, reason=reason,
        carried_from_round=None, supersedes=previous, decided_by=actor,
    )


def clean_checklist(*, checklist: dict) -> dict:
    cleaned = {}
    labels = {key: label for key, _clause, label in CHECKLIST}
    for key, answer in (checklist or {}).items():
        if key not in labels:
            raise ValidationError(f"未知的审核要点：{key}")
        met = answer.get("met")
        note = (answer.get("note") or "").strip()
        if met is False and not note:
            raise ValidationError(f"审核要点“{labels[key]}”判定为不符合，须写明说明。")
        cleaned[key] = {"met": met if met in (True, False) else None, "note": note}
    return cleaned


@transaction.atomic
def save_review(*, review: Review, actor, opinion: str, checklist: dict | None = None) -> Review:
    _require_current_review(review, actor)
    review.opinion = (opinion or "").strip()
    if checklist is not None:
        review.checklist = {**review.checklist, **clean_checklist(checklist=checklist)}
    review.reviewer = actor
    review.save(update_fields=["opinion", "checklist", "reviewer", "updated_at"])
    return review


def _conclude(application: Application, user, transition: str, outcome: str, comment: str) -> Review:
    require_role(user, Role.REVIEWER)
    review = current_review(application=application)
    if review is None:
        raise ValidationError("尚未开始可行性审核。")
    workflow_engine.perform(application=application, name=transition, actor=user, comment=comment)
    review.outcome = outcome
    review.comment = (comment or "").strip()
    review.decided_at = timezone.now()
    review.reviewer = user
    review.save(update_fields=["outcome", "comment", "decided_at", "reviewer", "updated_at"])
    return review


@transaction.atomic
def recommend(*, application: Application, actor, comment: str = "") -> Review:
    return _conclude(application, actor, "recommend", Review.Outcome.RECOMMENDED, comment)


@transaction.atomic
def return_for_revision(*, application: Application, actor, comment: str) -> Review:
    return _conclude(application, actor, "return_for_revision", Review.Outcome.RETURNED, comment)


@transaction.atomic
def reject(*, application: Application, actor, comment: str) -> Review:
    return _conclude(application, actor, "reject", Review.Outcome.REJECTED, comment)


def _date_findings(application: Application) -> list[rules.Finding]:
    trades = [rules.TradeDates(t.name, t.preliminary_date, t.final_date)
              for t in application.trades.select_related("occupation")]
    return (rules.check_event_dates(application.start_date, application.end_date)
            + rules.check_trade_dates(trades, application.start_date, application.end_date))


def review_gaps(*, application: Application) -> list[str]:
    """What still stands between the current review and a recommendation (empty: ready)."""
    review = current_review(application=application)
    if review is None:
        return ["尚未开始可行性审核。"]
    findings = version_findings(version=current_version(application=application))
    gaps = [f"{f['message']}" for f in findings if not f["waivable"]]
    # The dates again, live: a version submitted before these checks existed may still hold them.
    stored = {f["key"] for f in findings}
    gaps += [f.message for f in _date_findings(application) if f.key not in stored]
    decisions = {w.finding_key: w for w in review.current_waivers()}
    for f in findings:
        if not f["waivable"]:
            continue
        decision = decisions.get(f["key"])
        subject = f" {f['subject']}" if f.get("subject") else ""
        if decision is None:
            gaps.append(f"{f['clause_label']}{subject} 的豁免申请尚未审核。")
        elif not decision.accepted:
            gaps.append(f"{f['clause_label']}{subject} 的豁免申请未获同意，应退回修改或不予通过。")
    for row in review.checklist_rows():
        if row["met"] is None:
            gaps.append(f"审核要点（{rules.chinese_clause(row['clause'])}）“{row['label']}”尚未判定。")
        elif row["met"] is False:
            gaps.append(f"审核要点（{rules.chinese_clause(row['clause'])}）“{row['label']}”判定为不符合。")
    if not review.opinion.strip():
        gaps.append("尚未填写审核意见。")
    return gaps


@workflow_engine.register_guard("review_complete")
def _review_complete(application: Application) -> list[str]:
    return review_gaps(application=application)


# ---------------------------------------------------------------- 3.1c collective decision

@transaction.atomic
def record_collective_decision(*, application: Application, actor, outcome: str, date: date, note: str = "") -> CollectiveDecision:
    require_role(actor, Role.REVIEWER)
    if outcome not in CollectiveDecision.Outcome.values:
        raise ValidationError("请选择集体决策结果。")
    if not date:
        raise ValidationError("请填写集体决策日期。")
    note = (note or "").strip()
    approved = outcome == CollectiveDecision.Outcome.APPROVED
    comment = f"{date:%Y-%m-%d} 集体决策" + ("通过" if approved else "不通过") + (f"：{note}" if note else "")
    if not approved and not note:
        raise ValidationError("集体决策不通过须写明理由。")
    # 3.1c: the decision takes effect on its meeting's day (haidian_contest.workflow.ORDER_GATES).
    workflow_engine.require_order("collective_decision", {"collective_meeting": date}, timezone.localdate())
    workflow_engine.perform(
        application=application,
        name="collective_approve" if approved else "collective_reject",
        actor=actor,
        comment=comment,
    )
    return CollectiveDecision.objects.create(
        application=application, outcome=outcome, date=date, note=note, recorded_by=actor
    )


# ---------------------------------------------------------------- party group

MEETING_ROLES = (Role.APPROVER, Role.REVIEWER)


@transaction.atomic
def create_meeting(*, actor, date: date, session: str) -> Meeting:
    require_role(actor, *MEETING_ROLES)
    session = (session or "").strip()
    if not session or not date:
        raise ValidationError("请填写会议日期和会议名称。")
    if Meeting.objects.filter(session=session).exists():
        raise ValidationError(f"“{session}”已存在。")
    return Meeting.objects.create(date=date, session=session, created_by=actor)


@transaction.atomic
def add_to_agenda(*, meeting: Meeting, application: Application, actor) -> AgendaItem:
    require_role(actor, *MEETING_ROLES)
    application.refresh_from_db(fields=["status"])
    if application.status != State.PENDING_PARTY:
        raise ValidationError(f"“{application.title}”当前状态为“{application.status_label}”，只有待党组会审议的项目可以列入议题。")
    if AgendaItem.objects.filter(application=application, decision=AgendaItem.Decision.PENDING).exists():
        raise ValidationError(f"“{application.title}”已列入待审议的议题。")
    return AgendaItem.objects.create(meeting=meeting, application=application, position=meeting.items.count() + 1)


@transaction.atomic
def remove_from_agenda(*, item: AgendaItem, actor) -> None:
    require_role(actor, *MEETING_ROLES)
    if not item.is_pending:
        raise ValidationError("已审议的议题不能移除。")
    item.delete()


def set_projection(*, item: AgendaItem, actor, include: bool) -> AgendaItem:
    require_role(actor, *MEETING_ROLES)
    item.include_in_projection = bool(include)
    item.save(update_fields=["include_in_projection"])
    return item


def _as_money(value, trade_name: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"“{trade_name}”的批准补助金额无效。") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(FEN):
        raise ValidationError(f"“{trade_name}”的批准补助金额应为不小于 0、最多两位小数的金额。")
    return amount.quantize(FEN)


def subsidy_findings(*, application: Application, subsidies: dict[int, Decimal]) -> list[tuple[Trade, list[rules.Finding]]]:
    """2.1.1b/2.1.2b re-checked on the approved amounts, per trade, and an amount above the request (三（一））."""
    rs = ruleset_of(application=application)
    trades = Trade.objects.filter(application=application).select_related("occupation").prefetch_related("budget_lines")
    out = []
    for trade in trades:
        found = rules.check_subsidy_share(trade.category, trade.budget_total, subsidies[trade.pk], ruleset=rs)
        if not any(not f.waivable for f in found):
            found += rules.check_approved_above_request(trade.subsidy_requested, subsidies[trade.pk])
        out.append((trade, [replace(f, subject=trade.name) for f in found]))
    return out


def _normalise_subsidies(application: Application, approved_subsidies: dict) -> dict[int, Decimal]:
    trades = list(Trade.objects.filter(application=application).select_related("occupation"))
    by_key = {}
    for trade in trades:
        by_key[trade.pk] = trade
        by_key[str(trade.pk)] = trade
    result = {}
    for key, value in (approved_subsidies or {}).items():
        trade = by_key.get(key)
        if trade is None:
            raise ValidationError("批准补助中有不属于该项目的工种。")
        if value in (None, ""):
            continue
        result[trade.pk] = _as_money(value, trade.name)
    missing = [t.name for t in trades if t.pk not in result]
    if missing:
        raise ValidationError(f"请核定以下工种的批准补助：{'、'.join(missing)}。")
    return result


def decision_findings(*, application: Application, on=None, subsidies: dict | None = None) -> list[rules.Finding]:
    """What approving this project (with the subsidies being approved) does to the year, from one
    portfolio: past the budget of the year's call (3.2), or over the traditional cap (2.1.1a/2.1.2a)."""
    plan = portfolio(application.cycle, [application], on=on, typed=subsidies)
    return plan.budget_findings + rules.check_decision_split(
        (plan.before.traditional, plan.before.innovative), (plan.after.traditional, plan.after.innovative),
        subject=f"{application.cycle}年度计划", ruleset=plan.ruleset,
    )


@transaction.atomic
def record_party_decision(
    *,
    item: AgendaItem,
    actor,
    approved: bool,
    union_role: str = "",
    approved_subsidies: dict | None = None,
    note: str = "",
    raise_reason: str = "",
) -> AgendaItem:
    """Record the group's decision on one agenda item and take the project to 已立项 or 未立项.

    A subsidy approved above the amount requested needs ``raise_reason``, a reason of its own: the
    general opinion that accepts a share past 40 % does not say why the group gives more than asked.
    """
    require_role(actor, Role.APPROVER)
    item = AgendaItem.objects.select_for_update().select_related("meeting", "application").get(pk=item.pk)
    if not item.is_pending:
        raise ValidationError("该议题已审议。")
    application = item.application
    note = (note or "").strip()
    session = item.meeting.session
    # The decision takes effect on the meeting's day (haidian_contest.workflow.ORDER_GATES).
    workflow_engine.require_order("party_decision", {"party_meeting": item.meeting.date}, timezone.localdate())
    if approved:
        if union_role not in UNION_ROLE_LABELS:
            raise ValidationError("请选择区总工会在该竞赛中的角色（主办/联合主办/协办，一（五））。")
        subsidies = _normalise_subsidies(application, approved_subsidies)
        found = []
        for trade, trade_found in subsidy_findings(application=application, subsidies=subsidies):
            hard = [f for f in trade_found if not f.waivable]
            if hard:
                raise ValidationError(f"{trade.name}：{hard[0].message}")
            found += trade_found
        found += decision_findings(application=application, on=item.meeting.date, subsidies=subsidies)
        raise_reason = (raise_reason or "").strip()
        raised = [f for f in found if f.code == "approved_above_request"]
        if raised and not raise_reason:
            raise ValidationError(
                "；".join(f"{f.subject}：{f.message}" for f in raised)
                + "。批准补助高于申请补助的，须在“提高补助的理由”中单独写明理由。"
            )
        waived = [{"key": f.key, "clause": f.clause, "clause_label": f.clause_label, "subject": f.subject,
                   "message": f.message, "reason": raise_reason if f in raised else note} for f in found]
        others = [w for w, f in zip(waived, found, strict=True) if f not in raised]
        if others and not note:
            raise ValidationError(
                "本次决定不符合" + "、".join(sorted({w["clause_label"] for w in others}))
                + "的一般标准（" + "；".join(w["message"] for w in others)
                + "）；如党组会同意，须在会议意见中写明理由。"
            )
        for trade_id, amount in subsidies.items():
            Trade.objects.filter(pk=trade_id).update(approved_subsidy=amount)
        follow_approved_amounts(application)
        Application.objects.filter(pk=application.pk).update(union_role=union_role)
        item.union_role = union_role
        item.group_waivers = waived
        item.decision = AgendaItem.Decision.APPROVED
    else:
        if not note:
            raise ValidationError("不予立项须写明理由。")
        item.decision = AgendaItem.Decision.NOT_APPROVED
    item.note = note
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save()
    if approved:
        comment = f"{session}批准立项，区总工会为{UNION_ROLE_LABELS[union_role]}单位" + (f"；{note}" if note else "")
        workflow_engine.perform(application=application, name="party_approve", actor=actor, comment=comment)
    else:
        workflow_engine.perform(
            application=application, name="party_reject", actor=actor, comment=f"{session}不予立项：{note}"
        )
    application.refresh_from_db()
    return item


def party_gaps(*, application: Application) -> list[str]:
    gaps = []
    if application.union_role not in UNION_ROLE_LABELS:
        gaps.append("尚未记录区总工会角色（一（五））。")
    item = AgendaItem.objects.filter(application=application, decision=AgendaItem.Decision.APPROVED).order_by("-decided_at").first()
    if item is None:
        gaps.append("尚未记录党组会审议结果。")
    waived = {w["key"] for w in item.group_waivers} if item else set()
    rs = ruleset_of(application=application)
    for trade in Trade.objects.filter(application=application).select_related("occupation").prefetch_related("budget_lines"):
        if trade.approved_subsidy is None:
            gaps.append(f"“{trade.name}”尚未核定批准补助。")
            continue
        found = [*rules.check_subsidy_share(trade.category, trade.budget_total, trade.approved_subsidy, ruleset=rs),
                 *rules.check_approved_above_request(trade.subsidy_requested, trade.approved_subsidy)]
        for f in found:
            if not f.waivable:
                gaps.append(f"{trade.name}：{f.message}")
            elif f"{f.code}:{trade.name}" not in waived:
                gaps.append(f"{trade.name}：{f.message}，党组会未记录同意理由。")
    return gaps


@workflow_engine.register_guard("party_decision_recorded")
def _party_decision_recorded(application: Application) -> list[str]:
    return party_gaps(application=application)


__all__ = [
    "start_review", "decide_waiver", "save_review", "recommend", "return_for_revision", "reject",
    "review_gaps", "record_collective_decision", "create_meeting", "add_to_agenda", "remove_from_agenda",
    "set_projection", "record_party_decision", "party_gaps", "subsidy_findings",
]
