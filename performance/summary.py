"""The auditor's view of one project, as plain JSON-able data: what the PDF summary prints.

Reads every step's records (review, funding, rosters, this app) without changing any. The data is
also hashed: an unchanged hash means the cached PDF still tells the truth. No full ID number ever
enters it (winners carry the masked copy only).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from applications.models import Application, StatusChange
from haidian_contest import formatting, rules
from haidian_contest.workflow import State, record_label
from rosters import selectors as roster_selectors

from . import roster_stats
from .evaluation import materials_state, retention_date_for
from .models import AuditDecision, EventDocument, SupervisionVisit
from .selectors import deadline_of

CATEGORY_LABELS = dict(rules.CATEGORIES)
FIELD_LABELS = dict(rules.INNOVATIVE_FIELDS)
ORG_TYPE_LABELS = dict(rules.ORG_TYPES)
UNION_ROLE_LABELS = {"host": "主办", "co_host": "联合主办", "support": "协办"}


def money(value) -> str:
    return formatting.money(value, blank="")


def day(value) -> str:
    return value.isoformat() if value else ""


def moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def person(user) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "username", "")) if user else ""


def _project(app: Application) -> dict:
    return {
        "id": app.pk,
        "title": app.title,
        "cycle": app.cycle,
        "organization": app.lead_organization.name,
        "org_type": ORG_TYPE_LABELS.get(app.lead_organization.org_type, app.lead_organization.get_org_type_display()),
        "co_applicants": [c.name for c in app.co_applicants.all()],
        "start_date": day(app.start_date),
        "end_date": day(app.end_date),
        "contact": app.contact_person,
        "status": app.status_label,
        "union_role": UNION_ROLE_LABELS.get(app.union_role, ""),
        "submitted_at": moment(app.submitted_at),
        "submitted_version": app.submitted_version,
    }


def _trades(app: Application) -> list[dict]:
    out = []
    for t in app.trades.select_related("occupation").prefetch_related("budget_lines").order_by("position", "id"):
        out.append({
            "name": t.name,
            "code": t.code or t.standard_reference,
            "category": CATEGORY_LABELS.get(t.category, ""),
            "field": FIELD_LABELS.get(t.field, ""),
            "certifiable": "是" if t.certifiable else "否",
            "planned": t.planned_participants,
            "budget": money(t.budget_total),
            "requested": money(t.subsidy_requested),
            "approved": money(t.approved_subsidy),
        })
    return out


def _review(app: Application) -> dict:
    from review.models import AgendaItem, CollectiveDecision, Review

    reviews = []
    for r in Review.objects.filter(application=app).select_related("reviewer").prefetch_related("waivers").order_by("round"):
        reviews.append({
            "round": r.round,
            "reviewer": person(r.reviewer),
            "opinion": r.opinion,
            "outcome": r.get_outcome_display() if r.outcome else "审核中",
            "comment": r.comment,
            "decided_at": moment(r.decided_at),
            # The decision in force per finding; a changed one notes how many times it changed.
            "waivers": [
                {"clause": w.clause_label, "message": w.message, "justification": w.justification,
                 "accepted": "同意" if w.accepted else "不同意", "reason": w.reason, "changes": len(w.history)}
                for w in r.current_waivers()
            ],
        })
    collective = [
        {"date": day(c.date), "outcome": c.get_outcome_display(), "note": c.note, "by": person(c.recorded_by)}
        for c in CollectiveDecision.objects.filter(application=app).select_related("recorded_by").order_by("recorded_at", "id")
    ]
    party = [
        {"session": i.meeting.session, "date": day(i.meeting.date), "decision": i.get_decision_display(),
         "union_role": i.union_role_label, "note": i.note, "by": person(i.decided_by)}
        for i in AgendaItem.objects.filter(application=app).select_related("meeting", "decided_by").order_by("meeting__date", "id")
    ]
    return {"reviews": reviews, "collective": collective, "party": party}


def _funding(app: Application) -> dict:
    from funding.models import Agreement
    from funding.selectors import project_ledger

    ledger = project_ledger(app)
    agreements = [
        {"number": a.number, "signed_on": day(a.signed_on), "union_role": a.union_role_label, "total": money(a.total),
         "tranche_1": money(a.tranche_1_amount), "tranche_2": money(a.tranche_2_amount),
         "correction_reason": a.correction_reason, "current": a.pk == getattr(ledger.agreement, "pk", None)}
        for a in Agreement.objects.filter(application=app).order_by("recorded_at", "id")
    ]
    tranches = [
        {
            "label": t.label,
            "scheduled": money(t.scheduled),
            "paid": money(t.paid),
            "status": t.status_label,
            "entries": [
                {"kind": e.get_kind_display(), "amount": money(e.amount), "paid_on": day(e.paid_on),
                 "voucher": e.voucher_no, "by": person(e.created_by), "note": e.note}
                for e in t.entries
            ],
        }
        for t in ledger.tranches
    ]
    return {"agreements": agreements, "tranches": tranches, "scheduled": money(ledger.scheduled),
            "paid": money(ledger.paid), "outstanding": money(ledger.outstanding)}


def _people(app: Application) -> dict:
    stats = roster_stats.participant_stats(app)
    winners = roster_stats.winner_rows(app)
    return {
        "by_trade": [{"name": t.name, "total": t.total, "members": t.members, "non_members": t.non_members}
                     for t in stats.trades],
        "total": stats.total,
        "members": stats.members,
        "non_members": stats.non_members,
        "winners": [{"trade": w.trade, "rank": w.rank_label, "name": w.name, "id_masked": w.id_masked,
                     "employer": w.employer, "amount": money(w.amount)} for w in winners],
        "prize_total": money(sum((w.amount for w in winners), Decimal("0.00"))),
        "plan_waivers": [
            {"clause": w["clause_label"], "message": w["message"], "justification": w["justification"],
             "decision": ("同意豁免" if w["accepted"] else "不同意豁免") if w["accepted"] is not None else "待审核",
             "reason": w.get("reason", ""), "by": w.get("decided_by", ""), "at": (w.get("decided_at") or "")[:10]}
            for w in roster_selectors.plan_waivers(app)
        ],
        "notice": _notice(app),
    }


def _notice(app: Application) -> dict | None:
    """The winners' public notice (公示): every publication and withdrawal, the objections and how
    each was handled. None when the winners were never published."""
    from rosters.publicity.selectors import project_notices

    found = project_notices(app)
    if not found.history:
        return None
    return {
        "notices": [{"published": moment(n.published_at), "by": person(n.published_by), "starts": day(n.starts_on),
                     "ends": f"{day(n.ends_on)} 17:00", "days": n.working_days, "entries": n.n_entries,
                     "withdrawn": moment(n.withdrawn_at) if n.withdrawn_at else "",
                     "withdraw_reason": n.withdraw_reason} for n in reversed(found.history)],
        "objections": [{"number": o.pk, "at": moment(o.submitted_at), "outcome": o.get_outcome_display(),
                        "steps": [f"{moment(h.at)} {person(h.actor)}：{h.get_outcome_display()}。{h.result}"
                                  for h in o.handlings.all()]} for o in found.objections],
        "open": found.open_count,
    }


def _finding_outcome(finding, justification: str, decision) -> str:
    """What became of one materials finding: the audit decides, a hard one must be put right."""
    if decision is None:
        return "待绩效审核"
    if not finding.waivable:
        return f"不可豁免；绩效审核{decision.get_decision_display()}"
    if not justification:
        return f"未说明理由；绩效审核{decision.get_decision_display()}"
    return "绩效审核通过，理由已接受" if decision.decision == "audit_pass" else f"绩效审核{decision.get_decision_display()}"


def _materials(app: Application) -> dict:
    state = materials_state(app)
    m = state.materials
    deadline = deadline_of(app)
    last_audit = AuditDecision.objects.filter(application=app).order_by("-decided_at", "-id").first()
    return {
        "deadline": day(deadline.due) if deadline else "",
        "submitted_at": moment(m.submitted_at),
        "char_count": state.char_count,
        "stamped": bool(m.stamped_report),
        "photo_count": len(state.photos),
        "video": m.video_name or m.video_location,
        "video_minutes": f"{m.video_seconds / 60:.1f}" if m.video_seconds is not None else "",
        "recording_location": m.recording_location,
        "recording_kept_until": day(m.recording_kept_until),
        "retention_required": day(retention_date_for(app)),
        "findings": [{"clause": f.clause_label, "message": f.message, "waivable": f.waivable,
                      "justification": m.justifications.get(f.key, ""),
                      "outcome": _finding_outcome(f, m.justifications.get(f.key, ""), last_audit)}
                     for f in state.findings],
        "documents": [{"kind": d.get_kind_display(), "title": d.title or d.original_name}
                      for d in EventDocument.objects.filter(application=app)],
        "visits": [{"date": day(v.visited_on), "staff": v.staff, "observations": v.observations}
                   for v in SupervisionVisit.objects.filter(application=app)],
    }


def _lateness(decision: AuditDecision) -> dict | None:
    """3.5: the late-materials finding as the reviewer decided it at this audit."""
    item = next((f for f in decision.findings or [] if f.get("code") == "materials_late"), None)
    if item is None:
        return None
    accepted = item.get("waiver_accepted")
    return {"message": item["message"], "justification": item.get("justification", ""),
            "decision": "" if accepted is None else ("同意豁免" if accepted else "不同意豁免"),
            "reason": item.get("waiver_reason", "")}


def _audit(app: Application) -> dict:
    decisions = [
        {"decision": d.get_decision_display(), "comment": d.comment, "by": person(d.decided_by),
         "at": moment(d.decided_at), "banner": d.banner_confirmed, "branding": d.branding_confirmed,
         "lateness": _lateness(d)}
        for d in AuditDecision.objects.filter(application=app).select_related("decided_by")
    ]
    trail = [
        {"at": moment(c.at), "actor": person(c.actor), "action": record_label(c.transition),
         "from": State(c.from_status).label, "to": State(c.to_status).label, "comment": c.comment}
        for c in StatusChange.objects.filter(application=app).select_related("actor").order_by("at", "id")
    ]
    return {"decisions": decisions, "trail": trail}


def _stage_of(waiver) -> str:
    """The step a waiver was decided at: the record's own stage where it has one (new kinds of
    waiver name theirs), else the feasibility review round it belongs to."""
    label = getattr(waiver, "get_stage_display", None)
    if callable(label) and label():
        return label()
    review = getattr(waiver, "review", None) if getattr(waiver, "review_id", None) else None
    return f"申报审核（第 {review.round} 轮）" if review else "—"


def _waiver_decisions(app: Application) -> list[dict]:
    """Every WaiverDecision of the project, whatever its stage: a kind added later appears by itself."""
    from django.db.models import Q

    from review.models import WaiverDecision

    fields = {f.name for f in WaiverDecision._meta.get_fields()}
    belongs = Q(review__application=app)
    if "application" in fields:
        belongs |= Q(application=app)
    related = [name for name in ("review", "decided_by") if name in fields]
    rows = []
    # The decision in force for each finding; a changed one says so (its earlier rows stay on the record).
    for w in WaiverDecision.objects.current().filter(belongs).select_related(*related).order_by("decided_at", "id"):
        decision = "同意豁免" if w.accepted else "不同意豁免"
        if getattr(w, "supersedes_id", None):
            decision += "（经变更，以此为准）"
        if getattr(w, "carried_from_round", None):
            decision += f"（沿用第 {w.carried_from_round} 轮）"
        rows.append({
            "stage": _stage_of(w), "clause": w.clause_label, "subject": getattr(w, "subject", ""),
            "message": w.message, "justification": getattr(w, "justification", ""), "decision": decision,
            "accepted": w.accepted, "reason": getattr(w, "reason", ""), "by": person(w.decided_by),
            "at": moment(w.decided_at),
        })
    return rows


def _audited_waivers(app: Application) -> list[dict]:
    """Waivers the organizer explains in the winners list (二（四） prizes) and the materials: the
    department accepts or refuses them with its audit decision."""
    from rosters.models import Winner

    decision = AuditDecision.objects.filter(application=app).select_related("decided_by").order_by("-decided_at", "-id").first()
    outcome = {"decision": f"绩效审核：{decision.get_decision_display()}" if decision else "待绩效审核",
               "accepted": decision is not None and decision.decision == "audit_pass",
               "by": person(decision.decided_by) if decision else "", "at": moment(decision.decided_at) if decision else ""}
    rows = []
    winners = (Winner.objects.filter(application=app, is_current=True).exclude(waiver_reason="")
               .select_related("trade").order_by("trade__position", "rank", "row_number"))
    groups: dict[tuple, int] = {}
    for w in winners:
        key = (w.trade.name, w.get_rank_display(), w.amount, w.waiver_reason)
        groups[key] = groups.get(key, 0) + 1
    for (trade, rank, amount, reason), count in groups.items():
        rows.append({"stage": "获奖名单", "clause": rules.chinese_clause("2.4c"), "subject": "",
                     "message": f"{trade}{rank} {count} 人，每人奖金 {formatting.yuan(amount)}，超过一般标准",
                     "justification": reason, "reason": "", **outcome})
    state = materials_state(app)
    for f in state.findings:
        reason = state.materials.justifications.get(f.key, "")
        if f.waivable and reason:
            rows.append({"stage": "绩效材料", "clause": f.clause_label, "subject": "", "message": f.message,
                         "justification": reason, "reason": "", **outcome})
    return rows


def _expected_results_waivers(app: Application) -> list[dict]:
    """2.3b: the department's decision on a self-evaluation below the threshold (the one in force)."""
    from applications.performance_plan import current_expected_results

    outcome = current_expected_results(app)
    if outcome is None or outcome.outcome == "reached":
        return []
    decision = ("同意豁免，全额拨付剩余资金" if outcome.outcome == "waived"
                else f"核减剩余资金至 {formatting.yuan(outcome.tranche_2_amount)}（协议约定 {formatting.yuan(outcome.scheduled_tranche_2)}）")
    return [{"stage": "绩效自评", "clause": rules.chinese_clause("2.3b"), "subject": "",
             "message": f"绩效自评得分 {outcome.score} 分，低于达到预期效果的 {outcome.threshold.normalize():f} 分",
             "justification": "", "decision": decision, "accepted": outcome.outcome == "waived",
             "reason": outcome.reason, "by": person(outcome.decided_by), "at": moment(outcome.decided_at)}]


def _waivers(app: Application) -> list[dict]:
    return _waiver_decisions(app) + _audited_waivers(app) + _expected_results_waivers(app)


def project_summary(application: Application) -> dict:
    app = Application.objects.select_related("lead_organization").get(pk=application.pk)
    return {
        "project": _project(app),
        "trades": _trades(app),
        "review": _review(app),
        "funding": _funding(app),
        "people": _people(app),
        "materials": _materials(app),
        "audit": _audit(app),
        "waivers": _waivers(app),
        "self_evaluation": _self_evaluation(app),
    }


def _self_evaluation(app: Application) -> dict | None:
    from .self_evaluation_files import application_evaluation_data

    return application_evaluation_data(app)
