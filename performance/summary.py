"""The auditor's view of one project, as plain JSON-able data: what the PDF summary prints.

Reads every step's records (review, funding, rosters, this app) without changing any. The data is
also hashed: an unchanged hash means the cached PDF still tells the truth. No full ID number ever
enters it (winners carry the masked copy only).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from applications.models import Application, StatusChange
from haidian_contest import rules
from haidian_contest.workflow import TRANSITIONS, State

from . import roster_stats
from .evaluation import materials_state, retention_date_for
from .models import AuditDecision, EventDocument, SupervisionVisit
from .selectors import deadline_of

CATEGORY_LABELS = dict(rules.CATEGORIES)
FIELD_LABELS = dict(rules.INNOVATIVE_FIELDS)
ORG_TYPE_LABELS = dict(rules.ORG_TYPES)
UNION_ROLE_LABELS = {"host": "主办", "co_host": "联合主办", "support": "协办"}


def money(value) -> str:
    if value is None:
        return ""
    return f"{Decimal(value):,.2f}"


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
    }


def _materials(app: Application) -> dict:
    state = materials_state(app)
    m = state.materials
    deadline = deadline_of(app)
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
                      "justification": m.justifications.get(f.key, "")} for f in state.findings],
        "documents": [{"kind": d.get_kind_display(), "title": d.title or d.original_name}
                      for d in EventDocument.objects.filter(application=app)],
        "visits": [{"date": day(v.visited_on), "staff": v.staff, "observations": v.observations}
                   for v in SupervisionVisit.objects.filter(application=app)],
    }


def _audit(app: Application) -> dict:
    decisions = [
        {"decision": d.get_decision_display(), "comment": d.comment, "by": person(d.decided_by),
         "at": moment(d.decided_at), "banner": d.banner_confirmed, "branding": d.branding_confirmed}
        for d in AuditDecision.objects.filter(application=app).select_related("decided_by")
    ]
    trail = [
        {"at": moment(c.at), "actor": person(c.actor), "action": TRANSITIONS[c.transition].label
         if c.transition in TRANSITIONS else c.transition,
         "from": State(c.from_status).label, "to": State(c.to_status).label, "comment": c.comment}
        for c in StatusChange.objects.filter(application=app).select_related("actor").order_by("at", "id")
    ]
    return {"decisions": decisions, "trail": trail}


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
    }
